// The register in PostgreSQL (`pg`, a pool of connections): the city's shared server, any number of processes at once.
// A transaction holds one connection from BEGIN to COMMIT (READ COMMITTED; the number sequence locks its counter row).
// Migrations run on open in one transaction under an advisory lock, recorded in schema_migrations. A server that cannot
// be reached, or goes away mid-work, is E_DATABASE_UNAVAILABLE: the open transaction is not committed, so nothing of
// it counts; what was committed before stays.

import { AsyncLocalStorage } from 'node:async_hooks';
import { Pool, types, type PoolClient } from 'pg';
import { HazardNoticeError } from '../errors';
import { migrations, SCHEMA_VERSION } from './migrations';
import { newerSchemaError, redactedUrl, type SqlValue, type Storage, type TransactionOptions } from './storage';

/** Held while migrating (pg_advisory_xact_lock): one process migrates, the others wait and find it done. */
const MIGRATION_LOCK = 7_130_013;
const INT8_OID = 20;

/** `?` placeholders as PostgreSQL's $1, $2, … (the statements here have no `?` inside quotes). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN']);

/** The server cannot be reached or went away: connection errors, SQLSTATE class 08, shutdown (57P01–57P03). */
function isConnectionError(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | undefined;
  const code = typeof err?.code === 'string' ? err.code : '';
  const message = typeof err?.message === 'string' ? err.message : '';
  return (
    CONNECTION_CODES.has(code) ||
    code.startsWith('08') ||
    ['57P01', '57P02', '57P03'].includes(code) ||
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
  );
}

export class PostgresStorage implements Storage {
  readonly dialect = 'postgres';
  readonly location: string;
  private readonly client = new AsyncLocalStorage<PoolClient>();

  private constructor(
    url: string,
    private readonly pool: Pool,
  ) {
    this.location = redactedUrl(url);
  }

  static async open(url: string): Promise<PostgresStorage> {
    const pool = new Pool({
      connectionString: url,
      application_name: 'hazard-notice',
      connectionTimeoutMillis: 10_000,
      // count(*) and the like are bigint: numbers here (far below 2^53).
      types: {
        getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
          oid === INT8_OID ? Number : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
      },
    });
    // An idle connection the server drops: the next statement reports it (E_DATABASE_UNAVAILABLE); never a crash.
    pool.on('error', () => undefined);
    const storage = new PostgresStorage(url, pool);
    try {
      await storage.migrate();
    } catch (e) {
      await pool.end().catch(() => undefined);
      // A wrong password, a database that does not exist, missing rights: said in Chinese, never a stack trace.
      if (e instanceof HazardNoticeError) throw e;
      throw new HazardNoticeError('E_DATABASE_OPEN', `无法打开数据库“${redactedUrl(url)}”：${(e as Error).message}`, {
        database: redactedUrl(url),
      });
    }
    return storage;
  }

  private unavailable(e: unknown): unknown {
    if (!isConnectionError(e)) return e;
    const reason = (e as Error).message || String((e as { code?: string }).code);
    return new HazardNoticeError(
      'E_DATABASE_UNAVAILABLE',
      `无法连接 PostgreSQL 数据库“${this.location}”或连接已中断（${reason}）。未完成的事务没有提交：已登记的文号和告知单不受影响，` +
        '未登记的不算出具。请确认数据库已启动、地址和口令无误后重新运行同一命令，会接着完成，文号不重复、不跳号',
      { database: this.location, reason },
    );
  }

  private async query<T>(sql: string, params: readonly SqlValue[]): Promise<{ rows: T[]; rowCount: number }> {
    try {
      const res = await (this.client.getStore() ?? this.pool).query(numbered(sql), params as SqlValue[]);
      return { rows: res.rows as T[], rowCount: res.rowCount ?? 0 };
    } catch (e) {
      throw this.unavailable(e);
    }
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return (await this.query<T>(sql, params)).rows;
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return (await this.query<T>(sql, params)).rows[0];
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return (await this.query(sql, params)).rowCount;
  }

  async transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.client.getStore()) return fn();
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw this.unavailable(e);
    }
    let broken: unknown;
    // The server going away while the connection is checked out: the next query fails with it (never an unhandled 'error').
    const lost = (e: unknown) => (broken = e);
    client.on('error', lost);
    try {
      await client.query('BEGIN');
      if (options.durable === false) await client.query('SET LOCAL synchronous_commit = off');
      const result = await this.client.run(client, fn);
      await client.query('COMMIT');
      return result;
    } catch (e) {
      broken = isConnectionError(e) || (e instanceof HazardNoticeError && e.code === 'E_DATABASE_UNAVAILABLE') ? e : undefined;
      if (!broken) await client.query('ROLLBACK').catch((r: unknown) => (broken = r));
      throw this.unavailable(e);
    } finally {
      // A connection that failed is dropped from the pool, not handed out again.
      client.off('error', lost);
      client.release(broken === undefined ? undefined : true);
    }
  }

  private async migrate(): Promise<void> {
    await this.transaction(async () => {
      await this.run('SELECT pg_advisory_xact_lock(?)', [MIGRATION_LOCK]);
      await this.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)',
      );
      const version = await this.schemaVersion();
      if (version > SCHEMA_VERSION) throw newerSchemaError(this.location, version, SCHEMA_VERSION);
      for (const m of migrations('postgres').slice(version)) {
        await this.query(m.sql, []).catch((e: unknown) => {
          throw e instanceof Error ? Object.assign(e, { message: `${m.name}: ${e.message}` }) : e;
        });
        await this.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [
          m.version,
          m.name,
          new Date().toISOString(),
        ]);
      }
    });
  }

  async schemaVersion(): Promise<number> {
    const row = await this.get<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    return row?.v ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

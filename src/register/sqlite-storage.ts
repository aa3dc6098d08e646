// The register in an SQLite file (better-sqlite3, WAL; synchronous, wrapped in the async Storage interface). One
// connection per process: a transaction (BEGIN IMMEDIATE: the file's write lock first, so processes sharing the file
// queue instead of failing) holds it until it ends, and statements from outside wait their turn.

import { AsyncLocalStorage } from 'node:async_hooks';
import Database from 'better-sqlite3';
import { HazardNoticeError } from '../errors';
import { fileSystemError, withFileErrors } from '../output-files/fs-error';
import { migrations, SCHEMA_VERSION } from './migrations';
import { newerSchemaError, type SqlValue, type Storage, type TransactionOptions } from './storage';

export class SqliteStorage implements Storage {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, Database.Statement>();
  private readonly inTransaction = new AsyncLocalStorage<true>();
  /** The end of the last transaction or statement queued (the connection is free when it settles). */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly location: string,
    private readonly db: Database.Database,
  ) {}

  static open(file: string): SqliteStorage {
    let db: Database.Database | undefined;
    try {
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('busy_timeout = 10000');
      db.pragma('foreign_keys = ON');
      migrate(db, file);
      return new SqliteStorage(file, db);
    } catch (e) {
      db?.close();
      if (e instanceof HazardNoticeError) throw e;
      throw (
        fileSystemError(e, file) ?? new HazardNoticeError('E_LEDGER_OPEN', `无法打开文号登记库“${file}”：${(e as Error).message}`, { file })
      );
    }
  }

  private statement(sql: string): Database.Statement {
    let s = this.statements.get(sql);
    if (!s) this.statements.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  /** Runs `fn` inside this context's transaction, else after everything queued before it (one connection). */
  private async use<T>(fn: () => T): Promise<T> {
    if (this.inTransaction.getStore()) return withFileErrors(this.location, fn);
    return this.queue(async () => withFileErrors(this.location, fn));
  }

  private queue<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.catch(() => undefined).then(fn);
    this.tail = result;
    return result;
  }

  all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    return this.use(() => this.statement(sql).all(...params) as T[]);
  }

  get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    return this.use(() => this.statement(sql).get(...params) as T | undefined);
  }

  run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    return this.use(() => this.statement(sql).run(...params).changes);
  }

  transaction<T>(fn: () => Promise<T>, options: TransactionOptions = {}): Promise<T> {
    if (this.inTransaction.getStore()) return fn();
    const run = async (): Promise<T> => {
      const relax = options.durable === false;
      if (relax) this.db.pragma('synchronous = NORMAL');
      try {
        withFileErrors(this.location, () => this.db.exec('BEGIN IMMEDIATE'));
        try {
          const result = await this.inTransaction.run(true, fn);
          withFileErrors(this.location, () => this.db.exec('COMMIT'));
          return result;
        } catch (e) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw e;
        }
      } finally {
        if (relax) this.db.pragma('synchronous = FULL');
      }
    };
    return this.queue(run);
  }

  async schemaVersion(): Promise<number> {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  async close(): Promise<void> {
    await this.queue(async () => this.db.close());
  }
}

/** Applies the migrations not yet applied (PRAGMA user_version), in one transaction with the version (another process may race). */
function migrate(db: Database.Database, file: string): void {
  const version = () => db.pragma('user_version', { simple: true }) as number;
  if (version() > SCHEMA_VERSION) throw newerSchemaError(file, version(), SCHEMA_VERSION);
  db.transaction(() => {
    for (const m of migrations('sqlite').slice(version())) {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  }).immediate();
}

// The register's storage: one async interface over SQL, two implementations. `postgres://…` (or `postgresql://…`)
// is PostgreSQL through `pg` (postgres-storage.ts): the city's shared server. Anything else is an SQLite file
// (sqlite-storage.ts, better-sqlite3): one office, the default. Both apply the same versioned migrations (migrations.ts)
// when opened. Statements are written once for both: `?` placeholders, ON CONFLICT … DO UPDATE for upserts,
// RETURNING for new ids; the few differences are in `dialect`.
//
// A transaction runs `fn` with every statement of the storage made inside it (across awaits: AsyncLocalStorage) on
// one connection; a transaction started inside another joins it. Statements outside a transaction wait for it (SQLite,
// one connection) or take another connection (PostgreSQL).

import { HazardNoticeError } from '../errors';
import type { Dialect } from './migrations';

export type SqlValue = string | number | null;

export interface TransactionOptions {
  /**
   * false: the commit need not wait for the disk (SQLite synchronous = NORMAL; PostgreSQL synchronous_commit = off):
   * safe against a crash of the process, made durable by the next durable commit; only power loss (SQLite) or a crash
   * of the server (PostgreSQL) can take it back. Default true.
   */
  durable?: boolean;
}

export interface Storage {
  readonly dialect: Dialect;
  /** Where the data is, for messages: the file, or the URL without its password. */
  readonly location: string;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Runs a statement; the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  transaction<T>(fn: () => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** The schema version applied. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

export const DATABASE_ENV = 'HAZARD_NOTICE_DATABASE';

/** True for a PostgreSQL connection URL. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

function parsedUrl(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/** The URL with its password hidden, for messages. */
export function redactedUrl(url: string): string {
  const u = parsedUrl(url);
  if (!u) return 'postgres://…';
  if (u.password) u.password = '***';
  return u.toString();
}

/**
 * The database to use: --database, else HAZARD_NOTICE_DATABASE; undefined when neither (the data directory's SQLite
 * file). A PostgreSQL URL, or a path to an SQLite file; any other URL scheme is refused rather than taken for a file.
 * A password in --database is refused (it would be in the shell history and the process list): it belongs in
 * PGPASSWORD or in the URL in HAZARD_NOTICE_DATABASE.
 */
export function resolveDatabase(option?: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = option ?? (env[DATABASE_ENV] || undefined);
  if (chosen === undefined) return undefined;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(chosen);
  // An address the URL parser cannot read may still hold a password (postgres://u:p#w@h/db): user:…@ refused alike.
  const url = parsedUrl(chosen);
  const password = url ? Boolean(url.password) : /^[a-z][a-z0-9+.-]*:\/\/[^/@]*:[^/@]*@/i.test(chosen);
  if (option !== undefined && scheme && password) {
    throw new HazardNoticeError(
      'E_DATABASE_PASSWORD_ARG',
      `--database “${redactedUrl(chosen)}”含口令：口令不能写在命令行参数中（会留在命令历史和进程列表中）；` +
        `请去掉地址中的口令，改用环境变量 PGPASSWORD，或把整个地址放进环境变量 ${DATABASE_ENV}`,
      { database: redactedUrl(chosen) },
    );
  }
  if (isPostgresUrl(chosen)) return chosen;
  if (scheme || chosen.trim() === '') {
    throw new HazardNoticeError(
      'E_DATABASE_URL',
      `数据库“${redactedUrl(chosen)}”无效：应为 postgres://用户@主机:端口/库名 形式的 PostgreSQL 地址，或 SQLite 文件的路径（不指定则用数据目录中的登记簿）`,
      { database: redactedUrl(chosen) },
    );
  }
  return chosen;
}

/** Opens (migrating as needed) the storage at `target`: a PostgreSQL URL or an SQLite file. */
export async function openStorage(target: string): Promise<Storage> {
  if (isPostgresUrl(target)) {
    const { PostgresStorage } = require('./postgres-storage') as typeof import('./postgres-storage');
    return PostgresStorage.open(target);
  }
  const { SqliteStorage } = require('./sqlite-storage') as typeof import('./sqlite-storage');
  return SqliteStorage.open(target);
}

/** Refuses a schema newer than this code (written by a newer version of the tool). */
export function newerSchemaError(location: string, version: number, supported: number): HazardNoticeError {
  return new HazardNoticeError(
    'E_REGISTER_VERSION',
    `文号登记库“${location}”由更新版本的本工具创建（结构版本 ${version}，本版本支持到 ${supported}），请升级本工具`,
    { file: location, version, supported },
  );
}

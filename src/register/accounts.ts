// Accounts on the register's storage: users scoped to counties, their sessions and the audit log (migration 007).
// Passwords: Node's own crypto.scrypt (memory-hard; in Node itself, so no native add-on to build or keep up to date),
// a random salt per user and the parameters stored with the hash (`scrypt$N$r$p$salt$hash`, base64), so they can be
// raised later without breaking stored hashes; compared in constant time. Sessions: a random id in the cookie, only
// its SHA-256 stored, with its CSRF token and expiry.

import crypto from 'node:crypto';
import { promisify } from 'node:util';
import { findCounty, type RegionConfig } from '../config/region';
import { HazardNoticeError } from '../errors';
import type { Storage } from './storage';

export const ROLES = ['市级管理员', '县区工作人员', '执法人员'] as const;
export type Role = (typeof ROLES)[number];
/** The role that sees every county. */
export const CITY_ROLE: Role = '市级管理员';

export interface User {
  login: string;
  role: Role;
  /** County codes the user works for (empty for 市级管理员: all). */
  counties: string[];
  disabled: boolean;
  createdAt: string;
}

export interface Session {
  user: User;
  csrfToken: string;
  expiresAt: string;
}

export interface AuditEntry {
  login?: string;
  client?: string;
  /** login, logout, issue, download, batch, denied. */
  event: string;
  outcome: 'ok' | 'failed' | 'denied';
  detail?: Record<string, unknown>;
}

/** An audit log entry as stored. */
export type AuditRecord = Required<Omit<AuditEntry, 'detail'>> & { at: string; detail: Record<string, unknown> };

const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 };
type Scrypt = (password: crypto.BinaryLike, salt: crypto.BinaryLike, length: number, options: crypto.ScryptOptions) => Promise<Buffer>;
const scrypt = promisify(crypto.scrypt) as Scrypt;
const MIN_PASSWORD = 8;
const LOGIN = /^[\p{L}\p{N}._-]{1,64}$/u;
/** How long a session lasts from login (a working day and then some). */
export const SESSION_HOURS = 12;

const maxmem = (N: number, r: number) => 256 * N * r;

/** A stored hash for `password`: scrypt with a new random salt, the parameters in the text. */
export async function hashPassword(password: string): Promise<string> {
  const { N, r, p, keyLength, saltLength } = SCRYPT;
  const salt = crypto.randomBytes(saltLength);
  const hash = await scrypt(password.normalize('NFC'), salt, keyLength, { N, r, p, maxmem: maxmem(N, r) });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** Whether `password` matches a stored hash (constant-time compare; a malformed hash never matches). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = /^scrypt\$(\d+)\$(\d+)\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(stored);
  if (!m) return false;
  const [N, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5], 'base64');
  const actual = await scrypt(password.normalize('NFC'), Buffer.from(m[4], 'base64'), expected.length, { N, r, p, maxmem: maxmem(N, r) });
  return crypto.timingSafeEqual(actual, expected);
}

/** Checked before a password is stored: long enough. */
export function checkNewPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD) {
    throw new HazardNoticeError('E_PASSWORD_WEAK', `口令太短：至少 ${MIN_PASSWORD} 个字符`);
  }
}

export function parseRole(text: string): Role {
  if (!(ROLES as readonly string[]).includes(text)) {
    throw new HazardNoticeError('E_USER_ROLE', `角色“${text}”无效：应为 ${ROLES.join('、')} 之一`, { role: text });
  }
  return text as Role;
}

/**
 * The county codes of a comma-separated list of names, short names or codes (the region config's), for a role:
 * 市级管理员 has none (all counties), the others at least one.
 */
export function parseCounties(region: RegionConfig, role: Role, text: string | undefined): string[] {
  const names = (text ?? '')
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (role === CITY_ROLE) {
    if (names.length > 0) throw new HazardNoticeError('E_USER_COUNTIES', `${CITY_ROLE}可查看全市，不能指定 --counties`);
    return [];
  }
  if (names.length === 0) throw new HazardNoticeError('E_USER_COUNTIES', `${role}须用 --counties 指定所属区县（名称或区划代码，逗号分隔）`);
  const codes = names.map((name) => {
    const county = findCounty(region, name);
    if (!county) {
      const known = region.counties.map((c) => c.countyName).join('、');
      throw new HazardNoticeError('E_COUNTY_UNKNOWN', `--counties 中的区县“${name}”不在区域配置中：可选 ${known}`, { county: name });
    }
    return county.countyCode;
  });
  return [...new Set(codes)].sort();
}

interface UserRow {
  login: string;
  role: Role;
  counties: string;
  password_hash: string;
  disabled: number;
  created_at: string;
}

function userOf(r: UserRow): User {
  const counties = JSON.parse(r.counties) as string[];
  return { login: r.login, role: r.role, counties, disabled: r.disabled === 1, createdAt: r.created_at };
}

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

export class Accounts {
  /** Compared against when the login is unknown, so a miss takes as long as a wrong password. */
  private dummyHash?: Promise<string>;

  constructor(
    private readonly db: Storage,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  private now(): string {
    return this.clock().toISOString();
  }

  /** Whether accounts are configured: at least one user (disabled ones count, so disabling the last never opens the server). */
  async configured(): Promise<boolean> {
    return (await this.db.get<{ n: number }>('SELECT count(*) AS n FROM users'))!.n > 0;
  }

  async user(login: string): Promise<User | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE login = ?', [login]);
    return row && userOf(row);
  }

  private async existing(login: string): Promise<User> {
    const user = await this.user(login);
    if (!user) throw new HazardNoticeError('E_USER_UNKNOWN', `没有用户“${login}”（hazard-notice users list 列出全部用户）`, { login });
    return user;
  }

  async list(): Promise<User[]> {
    return (await this.db.all<UserRow>('SELECT * FROM users ORDER BY login')).map(userOf);
  }

  async add(login: string, role: Role, counties: readonly string[], password: string): Promise<User> {
    if (!LOGIN.test(login)) {
      throw new HazardNoticeError('E_USER_LOGIN', `用户名“${login}”无效：1 到 64 个字母、数字、汉字或 . _ -`, { login });
    }
    checkNewPassword(password);
    const hash = await hashPassword(password);
    const now = this.now();
    const added = await this.db.run(
      `INSERT INTO users (login, role, counties, password_hash, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)
       ON CONFLICT (login) DO NOTHING`,
      [login, role, JSON.stringify(counties), hash, now, now],
    );
    if (added === 0) throw new HazardNoticeError('E_USER_EXISTS', `用户“${login}”已存在（改口令用 users passwd）`, { login });
    return (await this.user(login))!;
  }

  /** Disables a user and ends their sessions. */
  async disable(login: string): Promise<void> {
    await this.existing(login);
    await this.db.transaction(async () => {
      await this.db.run('UPDATE users SET disabled = 1, updated_at = ? WHERE login = ?', [this.now(), login]);
      await this.db.run('DELETE FROM sessions WHERE login = ?', [login]);
    });
  }

  /** Sets a new password and ends the user's sessions. */
  async setPassword(login: string, password: string): Promise<void> {
    await this.existing(login);
    checkNewPassword(password);
    const hash = await hashPassword(password);
    await this.db.transaction(async () => {
      await this.db.run('UPDATE users SET password_hash = ?, updated_at = ? WHERE login = ?', [hash, this.now(), login]);
      await this.db.run('DELETE FROM sessions WHERE login = ?', [login]);
    });
  }

  /** The user when the login exists, is not disabled and the password matches; else undefined (same time either way). */
  async verify(login: string, password: string): Promise<User | undefined> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE login = ?', [login]);
    this.dummyHash ??= hashPassword(crypto.randomBytes(16).toString('hex'));
    const ok = await verifyPassword(password, row?.password_hash ?? (await this.dummyHash));
    return ok && row && row.disabled === 0 ? userOf(row) : undefined;
  }

  /** A new session for `login`: the id (for the cookie; only its hash is stored) and its CSRF token. */
  async startSession(login: string): Promise<{ id: string; csrfToken: string; expiresAt: string }> {
    const id = crypto.randomBytes(32).toString('base64url');
    const csrfToken = crypto.randomBytes(32).toString('base64url');
    const now = this.clock();
    const expiresAt = new Date(now.getTime() + SESSION_HOURS * 3600_000).toISOString();
    await this.db.run('DELETE FROM sessions WHERE expires_at <= ?', [now.toISOString()]);
    await this.db.run('INSERT INTO sessions (id_sha256, login, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)', [
      sha256(id),
      login,
      csrfToken,
      now.toISOString(),
      expiresAt,
    ]);
    return { id, csrfToken, expiresAt };
  }

  /** The session with this id, if it exists, has not expired and its user is not disabled. */
  async session(id: string): Promise<Session | undefined> {
    const row = await this.db.get<UserRow & { csrf_token: string; expires_at: string }>(
      `SELECT u.*, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.login = s.login
       WHERE s.id_sha256 = ? AND s.expires_at > ? AND u.disabled = 0`,
      [sha256(id), this.now()],
    );
    return row && { user: userOf(row), csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async endSession(id: string): Promise<void> {
    await this.db.run('DELETE FROM sessions WHERE id_sha256 = ?', [sha256(id)]);
  }

  async audit(entry: AuditEntry): Promise<void> {
    await this.db.run('INSERT INTO audit_log (at, login, client, event, outcome, detail) VALUES (?, ?, ?, ?, ?, ?)', [
      this.now(),
      entry.login ?? null,
      entry.client ?? null,
      entry.event,
      entry.outcome,
      JSON.stringify(entry.detail ?? {}),
    ]);
  }

  /**
   * Failed logins since `since` (ISO time): for the login (after its last successful one) or from the client address.
   * Kept in the audit log, so every server sharing the database counts the same attempts.
   */
  async failedLogins(by: { login: string } | { client: string }, since: string): Promise<number> {
    if ('login' in by) {
      const row = await this.db.get<{ n: number }>(
        `SELECT count(*) AS n FROM audit_log WHERE event = 'login' AND outcome = 'failed' AND login = ? AND at > ?
           AND at > coalesce((SELECT max(at) FROM audit_log WHERE event = 'login' AND outcome = 'ok' AND login = ?), '')`,
        [by.login, since, by.login],
      );
      return row!.n;
    }
    const row = await this.db.get<{ n: number }>(
      "SELECT count(*) AS n FROM audit_log WHERE event = 'login' AND outcome = 'failed' AND client = ? AND at > ?",
      [by.client, since],
    );
    return row!.n;
  }

  /** The audit log, newest first. */
  async auditLog(limit = 100): Promise<AuditRecord[]> {
    const rows = await this.db.all<Omit<AuditRecord, 'detail'> & { detail: string }>(
      'SELECT at, login, client, event, outcome, detail FROM audit_log ORDER BY id DESC LIMIT ?',
      [limit],
    );
    return rows.map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}

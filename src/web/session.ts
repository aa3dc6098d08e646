// Logins, sessions and CSRF for the web app, active once accounts are configured (a user exists: `users add`).
// The session id travels in an HttpOnly, SameSite=Strict cookie (Secure behind an https public origin); the database
// keeps only its SHA-256. Every /api request but the login needs a session (401); every state change also needs the
// session's CSRF token in `x-csrf-token` (403). Without accounts nothing changes (loopback only, no login).
// Failed logins are counted in the audit log (so every server sharing the database counts the same ones): 5 for one
// login, or 20 from one client address, within 15 minutes → 429 until the window has passed.

import crypto from 'node:crypto';
import { parseCookie, stringifySetCookie } from 'cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Accounts, CITY_ROLE, SESSION_HOURS, type Session } from '../register/accounts';
import { ApiError } from './api-error';
import type { Desk } from './desk';

export const SESSION_COOKIE = 'hazard_notice_session';
export const LOGIN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_LOGIN = 5;
export const MAX_FAILURES_PER_CLIENT = 20;

declare module 'fastify' {
  interface FastifyRequest {
    /** The logged-in user's session; null without accounts (or on the login route). */
    account: Session | null;
  }
}

export interface SessionOptions {
  /** Mark the cookie Secure (the public origin is https). */
  secureCookie?: boolean;
}

/** Accounts are configured once a user exists (users are never deleted, so once true it stays true). */
export class AccountGate {
  private known = false;
  constructor(readonly accounts: Accounts) {}

  async configured(): Promise<boolean> {
    if (!this.known) this.known = await this.accounts.configured();
    return this.known;
  }
}

const STATE_CHANGING = (method: string) => method !== 'GET' && method !== 'HEAD';
const LOGIN_ROUTE = '/api/session';

function sameToken(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && crypto.timingSafeEqual(x, y);
}

function sessionId(request: FastifyRequest): string | undefined {
  const header = request.headers.cookie;
  return header ? parseCookie(header)[SESSION_COOKIE] : undefined;
}

/** The user as the pages show it: login, role, counties with names. */
function userView(desk: Desk, session: Session) {
  const { login, role, counties } = session.user;
  const names = new Map(desk.region.counties.map((c) => [c.countyCode, c.countyName]));
  return {
    login,
    role,
    allCounties: role === CITY_ROLE,
    counties: counties.map((code) => ({ code, name: names.get(code) ?? code })),
  };
}

function loginFields(body: unknown): { login: string; password: string } {
  const b = body as Record<string, unknown> | null;
  if (!b || typeof b !== 'object' || Array.isArray(b))
    throw new ApiError(400, 'E_REQUEST_JSON', '请求内容应为 JSON 对象 {login, password}');
  for (const key of Object.keys(b)) {
    if (key !== 'login' && key !== 'password') throw new ApiError(400, 'E_REQUEST_FIELD', `不认识的字段“${key}”`, { field: key });
  }
  for (const key of ['login', 'password'] as const) {
    const v = b[key];
    if (typeof v !== 'string' || v === '' || v.length > 256) {
      throw new ApiError(400, 'E_REQUEST_FIELD', key === 'login' ? '请填写用户名' : '请填写口令', { field: key });
    }
  }
  return { login: b.login as string, password: b.password as string };
}

export function registerSessionRoutes(app: FastifyInstance, desk: Desk, gate: AccountGate, opts: SessionOptions = {}): void {
  const { accounts } = gate;
  app.decorateRequest('account', null);

  const cookie = (value: string, maxAge: number) =>
    stringifySetCookie(SESSION_COOKIE, value, { httpOnly: true, sameSite: 'strict', path: '/', maxAge, secure: opts.secureCookie });

  // Sessions and CSRF: after the Host / Origin check (registered before this), before any /api route.
  app.addHook('onRequest', async (request) => {
    const url = request.url.split('?')[0];
    if (!url.startsWith('/api/') || !(await gate.configured())) return;
    if (url === LOGIN_ROUTE && request.method === 'POST') return;
    const id = sessionId(request);
    const session = id ? await accounts.session(id) : undefined;
    if (!session) throw new ApiError(401, 'E_SESSION_REQUIRED', '请先登录（登录已过期或尚未登录）');
    if (STATE_CHANGING(request.method)) {
      const token = request.headers['x-csrf-token'];
      if (typeof token !== 'string' || !sameToken(token, session.csrfToken)) {
        throw new ApiError(403, 'E_CSRF', '请求缺少有效的 x-csrf-token：请刷新页面后重试');
      }
    }
    request.account = session;
  });

  app.post(LOGIN_ROUTE, async (request, reply: FastifyReply) => {
    if (!(await gate.configured())) {
      throw new ApiError(404, 'E_ACCOUNTS_NONE', '尚未配置账户（hazard-notice users add 添加用户后才需要登录）');
    }
    const { login, password } = loginFields(request.body);
    const client = request.ip;
    const since = new Date(Date.now() - LOGIN_WINDOW_MINUTES * 60_000).toISOString();
    const limited =
      (await accounts.failedLogins({ login }, since)) >= MAX_FAILURES_PER_LOGIN ||
      (await accounts.failedLogins({ client }, since)) >= MAX_FAILURES_PER_CLIENT;
    if (limited) {
      await accounts.audit({ login, client, event: 'login', outcome: 'denied', detail: { reason: 'rate-limit' } });
      reply.header('retry-after', String(LOGIN_WINDOW_MINUTES * 60));
      throw new ApiError(429, 'E_LOGIN_LIMIT', `登录失败次数过多，请 ${LOGIN_WINDOW_MINUTES} 分钟后再试`);
    }
    const user = await accounts.verify(login, password);
    if (!user) {
      await accounts.audit({ login, client, event: 'login', outcome: 'failed' });
      throw new ApiError(401, 'E_LOGIN_FAILED', '用户名或口令不对，或该用户已停用', { field: 'password' });
    }
    await accounts.audit({ login, client, event: 'login', outcome: 'ok' });
    const started = await accounts.startSession(login);
    reply.header('set-cookie', cookie(started.id, SESSION_HOURS * 3600));
    const session: Session = { user, csrfToken: started.csrfToken, expiresAt: started.expiresAt };
    return { accounts: true, user: userView(desk, session), csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  });

  app.get(LOGIN_ROUTE, async (request) => {
    const session = request.account;
    if (!session) return { accounts: false }; // no accounts configured: no login
    return { accounts: true, user: userView(desk, session), csrfToken: session.csrfToken, expiresAt: session.expiresAt };
  });

  app.delete(LOGIN_ROUTE, async (request, reply) => {
    const id = sessionId(request);
    if (id) await accounts.endSession(id);
    if (request.account) await accounts.audit({ login: request.account.user.login, client: request.ip, event: 'logout', outcome: 'ok' });
    reply.header('set-cookie', cookie('', 0));
    return reply.code(204).send();
  });
}

// Logins, sessions and CSRF (src/web/session.ts) on both backends: nothing changes without accounts; with them every
// /api request but the login needs a session (401) and every state change its CSRF token (403); failed logins are
// audited and rate-limited per login and per client address.

import path from 'node:path';
import { eachBackend } from '../postgres';
import { sessionCookie, tempDir, webApp } from './web-harness';
import type { WebApp } from '../../src/web/server';
import { SESSION_COOKIE } from '../../src/web/session';

jest.setTimeout(120_000);

const LETTER = { name: '柳城甲水泥有限公司', industry: 'C3011', county: '柳城县', date: '2026-11-29', formats: ['pdf'] };

eachBackend('sessions and CSRF', (backend) => {
  let web: WebApp & { dataDir: string };
  beforeAll(async () => {
    const dataDir = tempDir('session');
    web = await webApp({ dataDir, database: (await backend.fresh()) ?? path.join(dataDir, 'register.sqlite') });
  });
  afterAll(() => web.app.close());

  type Opts = { cookie?: string; csrf?: string; payload?: object; ip?: string };
  const inject = (method: 'GET' | 'POST' | 'DELETE', url: string, opts: Opts = {}) =>
    web.app.inject({
      method,
      url,
      payload: opts.payload,
      remoteAddress: opts.ip,
      headers: { ...(opts.cookie && { cookie: opts.cookie }), ...(opts.csrf && { 'x-csrf-token': opts.csrf }) },
    });
  const login = (name: string, password: string, ip?: string) => inject('POST', '/api/session', { payload: { login: name, password }, ip });

  test('without accounts: no login, the API as before', async () => {
    expect((await inject('GET', '/api/session')).json()).toEqual({ accounts: false });
    expect((await inject('GET', '/api/register')).statusCode).toBe(200);
    const res = await login('city', 'whatever-password');
    expect([res.statusCode, res.json().code]).toEqual([404, 'E_ACCOUNTS_NONE']);
  });

  test('with accounts: login, session, CSRF, logout; failures audited', async () => {
    await web.accounts.add('city', '市级管理员', [], '市里的口令-2026');
    await web.accounts.add('gone', '县区工作人员', ['450222'], '停用的口令-2026');
    await web.accounts.disable('gone');

    for (const [method, url] of [
      ['GET', '/api/register'],
      ['GET', '/api/counties'],
      ['GET', '/api/session'],
      ['POST', '/api/letters'],
      ['GET', '/api/register/1/pdf'],
    ] as const) {
      const res = await inject(method, url, { payload: method === 'POST' ? LETTER : undefined });
      expect([method, url, res.statusCode, res.json().code]).toEqual([method, url, 401, 'E_SESSION_REQUIRED']);
    }
    const bogus = await inject('GET', '/api/register', { cookie: `${SESSION_COOKIE}=not-a-session` });
    expect(bogus.statusCode).toBe(401);

    const wrong = await login('city', '不对的口令-2026');
    expect([wrong.statusCode, wrong.json().code, wrong.headers['set-cookie']]).toEqual([401, 'E_LOGIN_FAILED', undefined]);
    expect((await login('gone', '停用的口令-2026')).statusCode).toBe(401); // disabled
    expect((await login('nobody', '市里的口令-2026')).statusCode).toBe(401);

    const ok = await login('city', '市里的口令-2026');
    expect(ok.statusCode).toBe(200);
    const setCookie = String(ok.headers['set-cookie']);
    expect(setCookie).toMatch(new RegExp(`^${SESSION_COOKIE}=[A-Za-z0-9_-]{43}; Max-Age=43200; Path=/; HttpOnly; SameSite=Strict$`));
    const cookie = sessionCookie(ok);
    const me = await inject('GET', '/api/session', { cookie });
    expect(me.json()).toEqual({
      accounts: true,
      user: { login: 'city', role: '市级管理员', allCounties: true, counties: [] },
      csrfToken: ok.json().csrfToken,
      expiresAt: expect.any(String),
    });
    const csrf = me.json().csrfToken as string;
    expect(csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await inject('GET', '/api/register', { cookie })).statusCode).toBe(200);

    // State changes: the token or 403.
    for (const token of [undefined, 'x'.repeat(43), csrf.slice(1)]) {
      const res = await inject('POST', '/api/letters', { cookie, csrf: token, payload: LETTER });
      expect([res.statusCode, res.json().code]).toEqual([403, 'E_CSRF']);
    }
    const issued = await inject('POST', '/api/letters', { cookie, csrf, payload: LETTER });
    expect(issued.statusCode).toBe(201);

    const noToken = await inject('DELETE', '/api/session', { cookie });
    expect(noToken.statusCode).toBe(403);
    const out = await inject('DELETE', '/api/session', { cookie, csrf });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await inject('GET', '/api/session', { cookie })).statusCode).toBe(401); // the session is gone server-side

    const log = await web.accounts.auditLog();
    const logins = log.filter((e) => e.event === 'login').map((e) => [e.login, e.outcome]);
    expect(logins.reverse()).toEqual([
      ['city', 'failed'],
      ['gone', 'failed'],
      ['nobody', 'failed'],
      ['city', 'ok'],
    ]);
    expect(log[0]).toMatchObject({ event: 'logout', login: 'city', outcome: 'ok' });
  });

  test('rate limits: 5 failures for a login, 20 from one address → 429, even with the right password', async () => {
    await web.accounts.add('limited', '执法人员', ['450222'], '限流的口令-2026');
    for (let i = 0; i < 5; i++) expect((await login('limited', `错的口令-${i}-2026`, '10.0.0.5')).statusCode).toBe(401);
    const blocked = await login('limited', '限流的口令-2026', '10.0.0.6');
    expect([blocked.statusCode, blocked.json().code, blocked.headers['retry-after']]).toEqual([429, 'E_LOGIN_LIMIT', '900']);
    expect((await login('city', '市里的口令-2026', '10.0.0.6')).statusCode).toBe(200); // other logins are not blocked

    for (let i = 0; i < 20; i++) expect((await login(`guess${i}`, '随便猜的口令-2026', '10.0.0.7')).statusCode).toBe(401);
    const fromThere = await login('city', '市里的口令-2026', '10.0.0.7');
    expect([fromThere.statusCode, fromThere.json().code]).toEqual([429, 'E_LOGIN_LIMIT']);
    expect((await web.accounts.auditLog(1))[0]).toMatchObject({ event: 'login', login: 'city', outcome: 'denied', client: '10.0.0.7' });
  });

  test('the login page: labelled fields; other pages go there on 401 (common.js)', async () => {
    const page = await inject('GET', '/login');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="login">用户名</label>');
    expect(page.body).toContain('<label for="password">口令</label>');
    const common = (await inject('GET', '/assets/common.js')).body;
    expect(common).toContain('location.assign(`/login?next=');
  });
});

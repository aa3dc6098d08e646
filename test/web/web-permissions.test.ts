// Permissions per role over every /api route (table-driven over the app's own route list: a route added without an
// entry here fails the test). A 柳城县 user (县区工作人员, 执法人员) asking for 鹿寨县's letter, batch, status or
// file gets 403; no session gets 401; the city administrator gets through. Who issued each letter is recorded and the
// audit log has the issues, re-downloads and refusals.

import path from 'node:path';
import type { InjectOptions } from 'fastify';
import { eachBackend } from '../postgres';
import { BATCH_HEADER, multipartBody, sessionCookie, tempDir, webApp } from './web-harness';
import type { WebApp } from '../../src/web/server';

jest.setTimeout(180_000);

const LIUCHENG = '450222';
const LUZHAI = '450223';
const letter = (county: string, name: string) => ({ name, industry: 'C3011', county, date: '2026-11-29', formats: ['pdf'] });

type Role = 'none' | 'city' | 'county' | 'inspector';
/** An expected status, or 'ok' for any answer that is not 401/403 (the route ran), or 'skip' (not asked: e.g. a stream). */
type Expect = number | 'ok' | 'skip';

interface Case {
  request: (ids: Ids) => InjectOptions;
  expect: Record<Role, Expect>;
}

interface Ids {
  liuchengLetter: number;
  luzhaiLetter: number;
  luzhaiBatch: string;
}

const upload = (csv: string): Pick<InjectOptions, 'payload' | 'headers'> => {
  const { payload, headers } = multipartBody('名单.csv', csv);
  return { payload, headers };
};
const LUZHAI_LIST = [BATCH_HEADER, '鹿寨乙家具有限公司,,C2110,鹿寨县,鹿寨镇,甲醛'].join('\n');

/** Every role gets `status` (a route with nothing county-specific), or 401 without a session. */
const everyone = (status: Expect): Record<Role, Expect> => ({ none: 401, city: status, county: status, inspector: status });

/** Every /api route: what a 柳城县 user asking for 鹿寨县's data gets, per role. */
const ROUTES: Record<string, Case> = {
  // The login itself needs no session (an empty body: 400 for anyone).
  'POST /api/session': { request: () => ({ method: 'POST', url: '/api/session', payload: {} }), expect: { ...everyone(400), none: 400 } },
  'GET /api/session': { request: () => ({ method: 'GET', url: '/api/session' }), expect: everyone(200) },
  // Logging out is the user's own session: checked in web-session.test.ts (here it would end the sessions used).
  'DELETE /api/session': { request: () => ({ method: 'DELETE', url: '/api/session' }), expect: everyone('skip') },
  'GET /api/counties': { request: () => ({ method: 'GET', url: '/api/counties' }), expect: everyone(200) },
  'GET /api/industries': { request: () => ({ method: 'GET', url: '/api/industries?q=C3011' }), expect: everyone(200) },
  'GET /api/hazards': { request: () => ({ method: 'GET', url: '/api/hazards?q=噪声' }), expect: everyone(200) },
  'POST /api/letters': {
    request: () => ({ method: 'POST', url: '/api/letters', payload: letter('鹿寨县', '鹿寨丙机械厂') }),
    expect: { none: 401, city: 201, county: 403, inspector: 403 },
  },
  'GET /api/register': {
    request: () => ({ method: 'GET', url: '/api/register?county=鹿寨县' }),
    expect: { none: 401, city: 200, county: 403, inspector: 403 },
  },
  'GET /api/register/:id/:format': {
    request: (ids) => ({ method: 'GET', url: `/api/register/${ids.luzhaiLetter}/pdf` }),
    expect: { none: 401, city: 200, county: 403, inspector: 403 },
  },
  'GET /api/campaign/status': {
    request: () => ({ method: 'GET', url: '/api/campaign/status?county=鹿寨县&asOf=2026-11-29&pending=0' }),
    expect: { none: 401, city: 200, county: 403, inspector: 403 },
  },
  'GET /api/campaign/status.xlsx': {
    request: () => ({ method: 'GET', url: '/api/campaign/status.xlsx?county=450223&asOf=2026-11-29' }),
    expect: { none: 401, city: 200, county: 403, inspector: 403 },
  },
  'GET /api/campaign/status.pdf': {
    request: () => ({ method: 'GET', url: '/api/campaign/status.pdf?county=鹿寨&asOf=2026-11-29' }),
    expect: { none: 401, city: 200, county: 403, inspector: 403 },
  },
  'POST /api/batches': {
    request: () => ({ method: 'POST', url: '/api/batches?date=2026-11-29', ...upload(LUZHAI_LIST) }),
    expect: { none: 401, city: 201, county: 403, inspector: 403 },
  },
  'GET /api/batches/:id': {
    request: (ids) => ({ method: 'GET', url: `/api/batches/${ids.luzhaiBatch}` }),
    expect: { none: 401, city: 200, county: 403, inspector: 403 },
  },
  'POST /api/batches/:id/start': {
    request: (ids) => ({ method: 'POST', url: `/api/batches/${ids.luzhaiBatch}/start` }),
    expect: { none: 401, city: 'skip', county: 403, inspector: 403 }, // the city's start: the batch would run
  },
  'GET /api/batches/:id/events': {
    request: (ids) => ({ method: 'GET', url: `/api/batches/${ids.luzhaiBatch}/events` }),
    expect: { none: 401, city: 'skip', county: 403, inspector: 403 }, // the city's: a stream that stays open
  },
  'GET /api/batches/:id/rejects.csv': {
    request: (ids) => ({ method: 'GET', url: `/api/batches/${ids.luzhaiBatch}/rejects.csv` }),
    expect: { none: 401, city: 'ok', county: 403, inspector: 403 },
  },
  'GET /api/batches/:id/manifest.csv': {
    request: (ids) => ({ method: 'GET', url: `/api/batches/${ids.luzhaiBatch}/manifest.csv` }),
    expect: { none: 401, city: 'ok', county: 403, inspector: 403 },
  },
  'GET /api/batches/:id/counties/:code/volumes/:n': {
    request: (ids) => ({ method: 'GET', url: `/api/batches/${ids.luzhaiBatch}/counties/${LUZHAI}/volumes/1` }),
    expect: { none: 401, city: 'ok', county: 403, inspector: 403 },
  },
  'GET /api/batches/:id/counties/:code/letters.zip': {
    request: (ids) => ({ method: 'GET', url: `/api/batches/${ids.luzhaiBatch}/counties/${LUZHAI}/letters.zip` }),
    expect: { none: 401, city: 'ok', county: 403, inspector: 403 },
  },
};

eachBackend('permissions per role', (backend) => {
  let web: WebApp & { dataDir: string };
  const sessions: Partial<Record<Role, { cookie: string; csrf: string }>> = {};
  let ids: Ids;

  const as = (role: Role, opts: InjectOptions) => {
    const s = sessions[role];
    const headers = { ...(opts.headers as Record<string, string>), ...(s && { cookie: s.cookie, 'x-csrf-token': s.csrf }) };
    return web.app.inject({ ...opts, headers });
  };

  beforeAll(async () => {
    const dataDir = tempDir('permissions');
    web = await webApp({ dataDir, database: (await backend.fresh()) ?? path.join(dataDir, 'register.sqlite') });
    await web.accounts.add('city', '市级管理员', [], '市里的口令-2026');
    await web.accounts.add('liucheng', '县区工作人员', [LIUCHENG], '县里的口令-2026');
    await web.accounts.add('inspector', '执法人员', [LIUCHENG], '执法的口令-2026');
    for (const [role, login, password] of [
      ['city', 'city', '市里的口令-2026'],
      ['county', 'liucheng', '县里的口令-2026'],
      ['inspector', 'inspector', '执法的口令-2026'],
    ] as const) {
      const res = await web.app.inject({ method: 'POST', url: '/api/session', payload: { login, password } });
      expect(res.statusCode).toBe(200);
      sessions[role] = { cookie: sessionCookie(res), csrf: res.json().csrfToken };
    }
    const own = await as('county', { method: 'POST', url: '/api/letters', payload: letter('柳城县', '柳城甲水泥有限公司') });
    const other = await as('city', { method: 'POST', url: '/api/letters', payload: letter('鹿寨县', '鹿寨乙水泥有限公司') });
    const batch = await as('city', { method: 'POST', url: '/api/batches?date=2026-11-29', ...upload(LUZHAI_LIST) });
    expect([own.statusCode, other.statusCode, batch.statusCode]).toEqual([201, 201, 201]);
    ids = { liuchengLetter: own.json().id, luzhaiLetter: other.json().id, luzhaiBatch: batch.json().id };
  });
  afterAll(() => web.app.close());

  test('the table covers every /api route of the app', () => {
    const routes = web.routes.filter((r) => r.url.startsWith('/api/')).map((r) => `${r.method} ${r.url}`);
    expect([...new Set(routes)].sort()).toEqual(Object.keys(ROUTES).sort());
  });

  test.each(Object.keys(ROUTES))('%s', async (key) => {
    const { request, expect: expected } = ROUTES[key];
    for (const role of ['none', 'county', 'inspector', 'city'] as Role[]) {
      const want = expected[role];
      if (want === 'skip') continue;
      const res = await as(role, request(ids));
      if (want === 'ok') expect([role, [401, 403].includes(res.statusCode)]).toEqual([role, false]);
      else expect([role, res.statusCode, res.statusCode >= 400 ? res.json().code : '']).toEqual([role, want, expect.any(String)]);
      if (want === 403) expect(res.json().code).toBe('E_PERMISSION');
    }
  });

  test('own county: a county user issues, lists only theirs and re-downloads; an inspector reads but never issues', async () => {
    const list = (await as('county', { method: 'GET', url: '/api/register' })).json();
    expect(list.items.map((i: { countyCode: string }) => i.countyCode)).toEqual([LIUCHENG]);
    expect(list.items[0].issuedBy).toBe('liucheng');
    const all = (await as('city', { method: 'GET', url: '/api/register' })).json();
    expect(new Set(all.items.map((i: { countyCode: string }) => i.countyCode))).toEqual(new Set([LIUCHENG, LUZHAI]));
    expect((await as('inspector', { method: 'GET', url: `/api/register/${ids.liuchengLetter}/pdf` })).statusCode).toBe(200);
    const issue = await as('inspector', { method: 'POST', url: '/api/letters', payload: letter('柳城县', '柳城丁砖厂') });
    expect([issue.statusCode, issue.json().message]).toEqual([403, expect.stringContaining('执法人员可查看和重新下载告知单，不能出具')]);
    // Progress: a one-county user without a county gets theirs; 全市 is the city's.
    const status = (await as('county', { method: 'GET', url: '/api/campaign/status?asOf=2026-11-29&pending=0' })).json();
    expect([...new Set(status.rows.map((r: { county: string }) => r.county))]).toEqual(['柳城县']); // no 全市 row
  });

  test('a county user uploading a list with another county’s rows: the whole list refused, nothing kept', async () => {
    const csv = [BATCH_HEADER, '柳城戊水泥有限公司,,C3011,柳城县,大埔镇,', '鹿寨己家具有限公司,,C2110,鹿寨县,鹿寨镇,甲醛'].join('\n');
    const res = await as('county', { method: 'POST', url: '/api/batches?date=2026-11-29', ...upload(csv) });
    expect([res.statusCode, res.json().code, res.json().message]).toEqual([403, 'E_PERMISSION', expect.stringContaining('鹿寨县 1 行')]);
  });

  test('a county user’s batch of their county runs; its letters record who uploaded it', async () => {
    const csv = [BATCH_HEADER, '柳城庚水泥有限公司,,C3011,柳城县,大埔镇,'].join('\n');
    const up = await as('county', { method: 'POST', url: '/api/batches?date=2026-11-29', ...upload(csv) });
    expect(up.statusCode).toBe(201);
    expect((await as('county', { method: 'POST', url: `/api/batches/${up.json().id}/start` })).statusCode).toBe(202);
    for (let i = 0; i < 600 && web.batches.get(up.json().id).state !== 'done'; i++) await new Promise((r) => setTimeout(r, 100));
    expect(web.batches.get(up.json().id).state).toBe('done');
    const found = (await as('county', { method: 'GET', url: `/api/register?q=${encodeURIComponent('柳城庚水泥')}` })).json();
    expect(found.items.map((i: { issuedBy: string }) => i.issuedBy)).toEqual(['liucheng']);
  });

  test('the audit log: issues, re-downloads, refusals, with who and what', async () => {
    const log = await web.accounts.auditLog(500);
    const has = (event: string, login: string) => log.some((e) => e.event === event && e.login === login);
    expect(has('issue', 'liucheng')).toBe(true);
    expect(has('issue', 'city')).toBe(true);
    expect(has('download', 'inspector')).toBe(true);
    const denied = log.find((e) => e.event === 'denied' && e.login === 'liucheng');
    expect(denied).toMatchObject({ outcome: 'denied', detail: expect.objectContaining({ counties: [LUZHAI] }) });
  });
});

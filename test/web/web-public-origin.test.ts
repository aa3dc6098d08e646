// Behind nginx (docs/nginx-hazard-notice.conf): requests with the public origin's Host, and state changes from its
// pages, are accepted; any other Host or Origin is refused; the client's address comes from X-Forwarded-For only
// when the proxy is on this machine; the session cookie is Secure for an https origin.

import { tempDir, webApp } from './web-harness';
import type { WebApp } from '../../src/web/server';

const ORIGIN = 'https://zyb.example.gov.cn';
let web: WebApp & { dataDir: string };
beforeAll(async () => {
  web = await webApp({ dataDir: tempDir('public-origin'), publicOrigins: [ORIGIN] });
  await web.accounts.add('city', '市级管理员', [], '市里的口令-2026');
});
afterAll(() => web.app.close());

const login = (headers: Record<string, string>, remoteAddress = '127.0.0.1') =>
  web.app.inject({ method: 'POST', url: '/api/session', payload: { login: 'city', password: '市里的口令-2026' }, headers, remoteAddress });

test('the public Host and Origin are accepted, others refused', async () => {
  const ok = await login({ host: 'zyb.example.gov.cn', origin: ORIGIN, 'x-forwarded-for': '10.1.2.3' });
  expect(ok.statusCode).toBe(200);
  expect(String(ok.headers['set-cookie'])).toMatch(/; Secure/);
  expect((await web.app.inject({ method: 'GET', url: '/', headers: { host: 'zyb.example.gov.cn' } })).statusCode).toBe(200);
  for (const headers of [
    { host: 'evil.example.org', origin: 'https://evil.example.org' },
    { host: 'zyb.example.gov.cn', origin: 'http://zyb.example.gov.cn' }, // not the https origin
    { host: 'zyb.example.gov.cn', origin: 'https://evil.example.org' },
    { host: 'zyb.example.gov.cn:8443', origin: ORIGIN },
  ]) {
    const res = await login(headers);
    expect([headers, res.statusCode, res.json().code]).toEqual([headers, 403, 'E_FORBIDDEN']);
  }
  expect((await login({ host: '127.0.0.1:8080', origin: 'http://127.0.0.1:8080' })).statusCode).toBe(200); // loopback as before
});

test('the client address: X-Forwarded-For from the local proxy only', async () => {
  await login({ host: 'zyb.example.gov.cn', origin: ORIGIN, 'x-forwarded-for': '10.9.8.7' });
  expect((await web.accounts.auditLog(1))[0]).toMatchObject({ event: 'login', client: '10.9.8.7' });
  await login({ host: 'zyb.example.gov.cn', origin: ORIGIN, 'x-forwarded-for': '10.9.8.7' }, '192.168.1.50');
  expect((await web.accounts.auditLog(1))[0]).toMatchObject({ event: 'login', client: '192.168.1.50' }); // not trusted
});

// `hazard-notice serve`: loopback only until accounts exist; on the LAN only with accounts and a public origin.

import { isLoopback } from '../../src/cli/commands/serve';
import { runCli } from '../cli-run';
import { tempDir } from './web-harness';

const LAN_HOSTS = ['0.0.0.0', '192.168.1.10', '::', 'example.org'];
test.each(LAN_HOSTS)('--host %s without accounts is refused in Chinese (E_HOST_NOT_LOOPBACK)', async (host) => {
  const r = await runCli('serve', '--host', host, '--port', '0', '--data-dir', tempDir('serve'));
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /^错误（E_HOST_NOT_LOOPBACK）：--host “.*”不是本机回环地址：尚未配置账户.*请先用 hazard-notice users add 添加用户/,
  );
});

test('with accounts, a LAN --host needs a --public-origin; a malformed one is refused', async () => {
  const dataDir = tempDir('serve-accounts');
  process.env.HAZARD_NOTICE_PASSWORD = '市里的口令-2026';
  try {
    expect((await runCli('users', 'add', 'city', '--role', '市级管理员', '--data-dir', dataDir)).code).toBe(0);
  } finally {
    delete process.env.HAZARD_NOTICE_PASSWORD;
  }
  const r = await runCli('serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir);
  expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/^错误（E_PUBLIC_ORIGIN_MISSING）：/)]);
  for (const bad of ['zyb.example.gov.cn', 'https://zyb.example.gov.cn/path', 'ftp://zyb.example.gov.cn']) {
    const b = await runCli('serve', '--host', '0.0.0.0', '--port', '0', '--data-dir', dataDir, '--public-origin', bad);
    expect([b.code, b.stderr]).toEqual([2, expect.stringContaining('E_ARG_PUBLIC_ORIGIN')]);
  }
});

test('loopback addresses', () => {
  expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
  expect(['10.0.0.1', '::ffff:10.0.0.1', '0.0.0.0', 'localhost.example.org'].some(isLoopback)).toBe(false);
});

test('a bad port is E_ARG_PORT', async () => {
  expect((await runCli('serve', '--port', '70000')).stderr).toContain('E_ARG_PORT');
});

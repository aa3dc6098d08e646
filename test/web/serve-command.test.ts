// `hazard-notice serve`: loopback only until accounts exist.

import { isLoopback } from '../../src/cli/commands/serve';
import { runCli } from '../cli-run';

test.each(['0.0.0.0', '192.168.1.10', '::', 'example.org'])('--host %s is refused in Chinese (E_HOST_NOT_LOOPBACK)', async (host) => {
  const r = await runCli('serve', '--host', host, '--port', '0');
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^错误（E_HOST_NOT_LOOPBACK）：--host “.*”不是本机回环地址/);
});

test('loopback addresses', () => {
  expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
  expect(['10.0.0.1', '::ffff:10.0.0.1', '0.0.0.0', 'localhost.example.org'].some(isLoopback)).toBe(false);
});

test('a bad port is E_ARG_PORT', async () => {
  expect((await runCli('serve', '--port', '70000')).stderr).toContain('E_ARG_PORT');
});

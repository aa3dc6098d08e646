// `users add|list|disable|passwd` on both backends: scrypt hashes with per-user salts, counties checked against the
// region config, the password never an argument, sessions ended by disable / passwd.

import path from 'node:path';
import { Accounts, hashPassword, verifyPassword } from '../src/register/accounts';
import { Register } from '../src/register/register';
import { runCli } from './cli-run';
import { tempDir } from './fixtures/batch/harness';
import { eachBackend } from './postgres';

jest.setTimeout(60_000);

async function withPassword<T>(password: string | undefined, fn: () => Promise<T>): Promise<T> {
  const saved = process.env.HAZARD_NOTICE_PASSWORD;
  if (password === undefined) delete process.env.HAZARD_NOTICE_PASSWORD;
  else process.env.HAZARD_NOTICE_PASSWORD = password;
  try {
    return await fn();
  } finally {
    if (saved === undefined) delete process.env.HAZARD_NOTICE_PASSWORD;
    else process.env.HAZARD_NOTICE_PASSWORD = saved;
  }
}

test('scrypt: parameters and a random salt stored with the hash; only the right password matches', async () => {
  const [a, b] = [await hashPassword('正确的口令123'), await hashPassword('正确的口令123')];
  expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
  expect(a).not.toBe(b);
  expect(await verifyPassword('正确的口令123', a)).toBe(true);
  expect(await verifyPassword('正确的口令124', a)).toBe(false);
  expect(await verifyPassword('正确的口令123', 'plain')).toBe(false);
});

eachBackend('users', (backend) => {
  let database: string;
  const dataDir = tempDir(`users-${backend.kind}`);
  const cli = (...args: string[]) => runCli('users', ...args, '--database', database, '--data-dir', dataDir);

  beforeAll(async () => {
    database = (await backend.fresh()) ?? path.join(dataDir, 'register.sqlite');
  });

  test('add, list, passwd, disable', async () => {
    expect((await cli('list')).stdout).toBe('还没有用户（hazard-notice users add 添加）\n');
    const added = await withPassword('市里的口令-2026', () => cli('add', 'city', '--role', '市级管理员'));
    expect([added.code, added.stdout]).toEqual([0, '已添加用户“city”（市级管理员）\n']);
    const county = await withPassword('县里的口令-2026', () =>
      cli('add', '柳城小王', '--role', '县区工作人员', '--counties', '柳城,450202'),
    );
    expect([county.code, county.stderr]).toEqual([0, '']);

    const list = await cli('list');
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((l) => l.split('\t').slice(0, 4));
    expect(rows).toEqual([
      ['用户名', '角色', '区县', '状态'],
      ['city', '市级管理员', '全市', '正常'],
      ['柳城小王', '县区工作人员', '城中区、柳城县', '正常'],
    ]);

    const reg = await Register.open(database, { dataDir });
    try {
      const accounts = new Accounts(reg.storage);
      expect(await accounts.configured()).toBe(true);
      expect((await accounts.verify('柳城小王', '县里的口令-2026'))?.counties).toEqual(['450202', '450222']);
      expect(await accounts.verify('柳城小王', '县里的口令-2027')).toBeUndefined();
      expect(await accounts.verify('nobody', '县里的口令-2026')).toBeUndefined();
      const session = await accounts.startSession('柳城小王');
      expect((await accounts.session(session.id))?.user.login).toBe('柳城小王');

      const passwd = await withPassword('新的县里口令-2027', () => cli('passwd', '柳城小王'));
      expect([passwd.stderr, passwd.stdout]).toEqual(['', '已更改用户“柳城小王”的口令\n']);
      expect(await accounts.session(session.id)).toBeUndefined(); // a new password ends the sessions
      expect(await accounts.verify('柳城小王', '县里的口令-2026')).toBeUndefined();
      expect((await accounts.verify('柳城小王', '新的县里口令-2027'))?.login).toBe('柳城小王');

      const again = await accounts.startSession('柳城小王');
      expect((await cli('disable', '柳城小王')).stdout).toBe('已停用用户“柳城小王”\n');
      expect(await accounts.session(again.id)).toBeUndefined();
      expect(await accounts.verify('柳城小王', '新的县里口令-2027')).toBeUndefined(); // disabled: the right password no longer logs in
      expect(await accounts.configured()).toBe(true);
    } finally {
      await reg.close();
    }
    expect((await cli('list')).stdout).toContain('柳城小王\t县区工作人员\t城中区、柳城县\t已停用');
  });

  test('refused: unknown county, role, user; duplicates; short, missing passwords; counties for the city role', async () => {
    const unknownCounty = await withPassword('足够长的口令123', () => cli('add', 'x1', '--role', '县区工作人员', '--counties', '南宁市'));
    expect([unknownCounty.code, unknownCounty.stderr]).toEqual([3, expect.stringContaining('错误（E_COUNTY_UNKNOWN）')]); // not found: 3
    expect(unknownCounty.stderr).toContain('柳城县'); // the choices are listed
    const cases: [string[], string | undefined, string][] = [
      [['add', 'x2', '--role', '县区工作人员'], '足够长的口令123', 'E_USER_COUNTIES'],
      [['add', 'x3', '--role', '市级管理员', '--counties', '柳城县'], '足够长的口令123', 'E_USER_COUNTIES'],
      [['add', 'x4', '--role', '管理员'], '足够长的口令123', 'E_USER_ROLE'],
      [['add', 'x5', '--role', '执法人员', '--counties', '柳城县'], 'short', 'E_PASSWORD_WEAK'],
      [['add', 'x6', '--role', '执法人员', '--counties', '柳城县'], undefined, 'E_PASSWORD_MISSING'],
      [['add', 'a b', '--role', '执法人员', '--counties', '柳城县'], '足够长的口令123', 'E_USER_LOGIN'],
      [['add', 'city', '--role', '市级管理员'], '足够长的口令123', 'E_USER_EXISTS'],
      [['disable', 'nobody'], undefined, 'E_USER_UNKNOWN'],
      [['passwd', 'nobody'], '足够长的口令123', 'E_USER_UNKNOWN'],
    ];
    for (const [args, password, code] of cases) {
      const r = await withPassword(password, () => cli(...args));
      expect([args, r.code, r.stderr]).toEqual([args, 2, expect.stringContaining(`错误（${code}）`)]);
    }
    expect((await cli('list')).stdout).not.toMatch(/^x\d/m); // nothing refused was added
  });
});

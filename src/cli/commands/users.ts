// `hazard-notice users add|list|disable|passwd`: the web app's accounts, kept in the register's database (accounts.ts).
// A password is read from the terminal without echo (twice), or from HAZARD_NOTICE_PASSWORD when there is no terminal;
// never from an argument (it would be in the shell history and the process list).

import readline from 'node:readline';
import { Writable } from 'node:stream';
import type { Command } from 'commander';
import { loadRegionConfig } from '../../config/region';
import { HazardNoticeError } from '../../errors';
import { Accounts, CITY_ROLE, parseCounties, parseRole, ROLES, type User } from '../../register/accounts';
import { resolveDataDir } from '../../register/data-dir';
import { Register } from '../../register/register';
import { resolveDatabase } from '../../register/storage';
import { DATABASE_HELP } from '../database-option';

export const PASSWORD_ENV = 'HAZARD_NOTICE_PASSWORD';

interface DatabaseOptions {
  dataDir?: string;
  database?: string;
}

const DATA_DIR_HELP = '数据目录（默认：环境变量 HAZARD_NOTICE_DATA_DIR，否则用户数据目录）';

async function withAccounts<T>(opts: DatabaseOptions, fn: (accounts: Accounts) => Promise<T>): Promise<T> {
  const register = await Register.inDataDir(resolveDataDir(opts.dataDir), { database: resolveDatabase(opts.database) });
  try {
    return await fn(new Accounts(register.storage));
  } finally {
    await register.close();
  }
}

/** One line from the terminal, not echoed. */
function askHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const muted = new Writable({ write: (_chunk, _enc, done) => done() });
  const rl = readline.createInterface({ input: process.stdin, output: muted, terminal: true });
  return new Promise((resolve, reject) => {
    rl.once('line', (line) => {
      process.stderr.write('\n');
      rl.close();
      resolve(line);
    });
    rl.once('SIGINT', () => {
      rl.close();
      reject(new HazardNoticeError('E_PASSWORD_MISSING', '已取消，未设置口令'));
    });
    // Ctrl-D or the end of input before a line: cancelled, said (after a line, the promise is already settled).
    rl.once('close', () => reject(new HazardNoticeError('E_PASSWORD_MISSING', '已取消，未设置口令')));
  });
}

/** The new password: asked twice on a terminal, else HAZARD_NOTICE_PASSWORD. */
async function newPassword(login: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const password = process.env[PASSWORD_ENV];
    if (!password) {
      throw new HazardNoticeError(
        'E_PASSWORD_MISSING',
        `没有终端可输入口令：请在终端中运行，或用环境变量 ${PASSWORD_ENV} 给出用户“${login}”的口令（口令不能写在命令行参数中）`,
      );
    }
    return password;
  }
  const first = await askHidden(`用户“${login}”的口令：`);
  const second = await askHidden('再输入一次：');
  if (first !== second) throw new HazardNoticeError('E_PASSWORD_MISMATCH', '两次输入的口令不一致，未设置');
  return first;
}

function countiesText(user: User, names: Map<string, string>): string {
  return user.role === CITY_ROLE ? '全市' : user.counties.map((c) => names.get(c) ?? c).join('、');
}

export function register(program: Command): void {
  const users = program.command('users').description('网页版的用户：添加、列出、停用、改口令（存于登记簿所在的数据库）');
  const withDb = (cmd: Command) => cmd.option('--data-dir <目录>', DATA_DIR_HELP).option('--database <地址>', DATABASE_HELP);
  const CONFIG_HELP = '区域配置文件，区县名称从中取（默认：随附的柳州市配置）';

  withDb(
    users
      .command('add <用户名>')
      .description(`添加用户；口令在终端中输入（不回显），没有终端时取环境变量 ${PASSWORD_ENV}`)
      .requiredOption('--role <角色>', `角色：${ROLES.join('、')}`)
      .option('--counties <区县,…>', '所属区县（名称、简称或区划代码，逗号分隔；县区工作人员、执法人员必填，市级管理员不填）')
      .option('--config <文件>', CONFIG_HELP),
  ).action(async (login: string, opts: DatabaseOptions & { role: string; counties?: string; config?: string }) => {
    const role = parseRole(opts.role);
    const counties = parseCounties(loadRegionConfig(opts.config), role, opts.counties);
    const password = await newPassword(login);
    await withAccounts(opts, async (accounts) => {
      await accounts.add(login, role, counties, password);
      process.stdout.write(`已添加用户“${login}”（${role}）\n`);
    });
  });

  withDb(users.command('list').description('列出用户（制表符分隔：用户名、角色、区县、状态、添加时间）'))
    .option('--config <文件>', CONFIG_HELP)
    .action(async (opts: DatabaseOptions & { config?: string }) => {
      const region = loadRegionConfig(opts.config);
      const names = new Map(region.counties.map((c) => [c.countyCode, c.countyName]));
      await withAccounts(opts, async (accounts) => {
        const list = await accounts.list();
        if (list.length === 0) {
          process.stdout.write('还没有用户（hazard-notice users add 添加）\n');
          return;
        }
        const lines = list.map((u) => [u.login, u.role, countiesText(u, names), u.disabled ? '已停用' : '正常', u.createdAt].join('\t'));
        process.stdout.write(`${['用户名', '角色', '区县', '状态', '添加时间'].join('\t')}\n${lines.join('\n')}\n`);
      });
    });

  withDb(users.command('disable <用户名>').description('停用用户（立即退出其所有登录）')).action(
    async (login: string, opts: DatabaseOptions) => {
      await withAccounts(opts, async (accounts) => {
        await accounts.disable(login);
        process.stdout.write(`已停用用户“${login}”\n`);
      });
    },
  );

  withDb(
    users.command('passwd <用户名>').description(`改口令（立即退出其所有登录）；口令在终端中输入，没有终端时取 ${PASSWORD_ENV}`),
  ).action(async (login: string, opts: DatabaseOptions) => {
    await withAccounts(opts, async (accounts) => {
      if (!(await accounts.user(login))) {
        throw new HazardNoticeError('E_USER_UNKNOWN', `没有用户“${login}”（hazard-notice users list 列出全部用户）`, { login });
      }
      await accounts.setPassword(login, await newPassword(login));
      process.stdout.write(`已更改用户“${login}”的口令\n`);
    });
  });
}

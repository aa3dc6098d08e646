// `hazard-notice serve`: the officer's desk in the browser (src/web): on loopback only, or on the office LAN (any
// --host) once accounts are configured, reached at the --public-origin addresses (e.g. through nginx with TLS).

import net from 'node:net';
import type { Command } from 'commander';
import { HazardNoticeError } from '../../errors';
import { resolveDataDir } from '../../register/data-dir';
import { resolveDatabase } from '../../register/storage';
import { DATABASE_HELP } from '../database-option';
import { DEFAULT_UPLOAD_LIMIT } from '../../web/desk';
import { buildWebApp } from '../../web/server';

interface ServeOptions {
  port: string;
  host: string;
  dataDir?: string;
  database?: string;
  config?: string;
  template?: string;
  groups?: string;
  uploadLimit: string;
  publicOrigin: string[];
}

/** Whether a host name or address is this machine's loopback (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return net.isIPv6(host) && (host === '::1' || host === '0:0:0:0:0:0:0:1');
}

/** An origin the pages are reached at: http(s)://主机[:端口], nothing more. */
function parseOrigin(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.origin !== value.replace(/\/$/, '')) {
    throw new HazardNoticeError(
      'E_ARG_PUBLIC_ORIGIN',
      `--public-origin “${value}”无效：应为浏览器地址栏中的 协议://主机[:端口]，如 https://zyb.example.gov.cn，不带路径`,
    );
  }
  return url.origin;
}

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new HazardNoticeError('E_ARG_PORT', `--port “${value}”无效：应为 0 到 65535 的整数`);
  return n;
}

function parseMegabytes(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || n <= 0 || n > 1024)
    throw new HazardNoticeError('E_ARG_UPLOAD_LIMIT', `--upload-limit “${value}”无效：应为 0 到 1024 之间的兆字节数`);
  return Math.round(n * 1024 * 1024);
}

export function register(program: Command): void {
  program
    .command('serve')
    .description('启动本机网页版（单份告知单、批量生成、登记簿、查询、申报扩面进度），在浏览器中使用')
    .option('--port <端口>', '监听端口（0 表示任选一个空闲端口）', '8080')
    .option(
      '--host <地址>',
      '监听地址：未配置账户时只能是本机回环地址（127.0.0.1、::1、localhost）；配置账户后可为 0.0.0.0 等',
      '127.0.0.1',
    )
    .option(
      '--public-origin <地址>',
      '网页的对外地址（可多次给出），如经 nginx 提供的 https://主机名：接受以它为 Host 的请求和从它提交的请求',
      (value: string, list: string[]) => [...list, parseOrigin(value)],
      [] as string[],
    )
    .option(
      '--data-dir <目录>',
      '数据目录：登记簿、留存的告知单、上传的名单和网页批次所在（默认：环境变量 HAZARD_NOTICE_DATA_DIR，否则用户数据目录）',
    )
    .option('--database <地址>', DATABASE_HELP)
    .option('--config <文件>', '区域配置文件（默认：随附的柳州市配置）')
    .option('--template <目录>', '模板目录（默认：随附的附件2模板）')
    .option('--groups <文件>', '申报扩面目标组定义文件，“进度”页用（默认：随附的 data/campaign-groups.yaml）')
    .option('--upload-limit <MB>', '批量上传文件的大小上限（兆字节）', String(DEFAULT_UPLOAD_LIMIT / 1024 / 1024))
    .action(async (opts: ServeOptions) => {
      const port = parsePort(opts.port);
      const dataDir = resolveDataDir(opts.dataDir);
      const { app, accounts } = await buildWebApp({
        dataDir,
        database: resolveDatabase(opts.database),
        configFile: opts.config,
        templateDir: opts.template,
        groupsFile: opts.groups,
        uploadLimit: parseMegabytes(opts.uploadLimit),
        publicOrigins: opts.publicOrigin,
      });
      if (!isLoopback(opts.host)) {
        const refusal = !(await accounts.configured())
          ? new HazardNoticeError(
              'E_HOST_NOT_LOOPBACK',
              `--host “${opts.host}”不是本机回环地址：尚未配置账户，网页版只能在本机使用（127.0.0.1、::1 或 localhost），以免名单和告知单被局域网中的其他人访问。` +
                '要在局域网中使用，请先用 hazard-notice users add 添加用户（同一 --data-dir 或 --database），再以 --public-origin 给出对外地址',
            )
          : opts.publicOrigin.length === 0
            ? new HazardNoticeError(
                'E_PUBLIC_ORIGIN_MISSING',
                `--host “${opts.host}”对局域网开放时须用 --public-origin 给出浏览器使用的地址（如 https://zyb.example.gov.cn 或 http://192.168.1.10:8080）`,
              )
            : undefined;
        if (refusal) {
          await app.close();
          throw refusal;
        }
      }
      const address = await app.listen({ port, host: opts.host });
      process.stdout.write(`网页版已启动：${address}/\n数据目录：${dataDir}\n按 Ctrl-C 停止。\n`);
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void app.close().then(() => resolve());
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}

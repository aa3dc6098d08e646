// A throwaway PostgreSQL cluster (tests, `npm run bench -- --postgres`): initdb + pg_ctl in a temporary folder,
// listening on a free loopback port (and a Unix socket in that folder), trust authentication, stopped and removed by
// destroy(). Run as the `postgres` user when run as root (initdb refuses root), else as the current user. The
// binaries are found on PATH or in Debian's /usr/lib/postgresql/<version>/bin (package postgresql).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

const DEBIAN_ROOT = '/usr/lib/postgresql';

/** The folder with initdb and pg_ctl, or undefined. */
function binDir(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'initdb')) && fs.existsSync(path.join(dir, 'pg_ctl'))) return dir;
  }
  const versions = fs.existsSync(DEBIAN_ROOT) ? fs.readdirSync(DEBIAN_ROOT).filter((v) => /^\d+$/.test(v)) : [];
  for (const v of versions.sort((a, b) => Number(b) - Number(a))) {
    const dir = path.join(DEBIAN_ROOT, v, 'bin');
    if (fs.existsSync(path.join(dir, 'initdb'))) return dir;
  }
  return undefined;
}

export const POSTGRES_BIN = binDir();
const AS_ROOT = process.getuid?.() === 0;

function run(program: string, args: string[]): string {
  const bin = path.join(POSTGRES_BIN!, program);
  const [cmd, argv] = AS_ROOT ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const res = spawnSync(cmd, argv, { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${program} ${args.join(' ')} failed (${res.status}):\n${res.stdout}${res.stderr}`);
  return res.stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class PostgresCluster {
  private constructor(
    readonly dir: string,
    readonly port: number,
    /** false (tests): fsync off, faster; a crash of the machine could lose data, a crash of the server cannot. */
    private readonly durable: boolean,
  ) {}

  private get data(): string {
    return path.join(this.dir, 'data');
  }

  /** A new cluster, started. */
  static async create(options: { durable?: boolean } = {}): Promise<PostgresCluster> {
    // As root the `postgres` user must reach the folder: a private TMPDIR (the test run's) is not reachable by it.
    const base = AS_ROOT && spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-w', os.tmpdir()]).status !== 0 ? '/tmp' : os.tmpdir();
    const dir = fs.mkdtempSync(path.join(base, 'hn-pg-'));
    if (AS_ROOT) fs.chownSync(dir, Number(run0('id', ['-u', 'postgres'])), Number(run0('id', ['-g', 'postgres'])));
    const cluster = new PostgresCluster(dir, await freePort(), options.durable === true);
    run('initdb', ['-D', cluster.data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C', '-N']);
    cluster.start();
    return cluster;
  }

  start(): void {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dir}`,
      ...(this.durable ? [] : ['-c fsync=off', '-c full_page_writes=off']),
      '-c max_connections=200',
    ].join(' ');
    run('pg_ctl', ['-D', this.data, '-l', path.join(this.dir, 'server.log'), '-w', '-o', options, 'start']);
  }

  /** Stops the server: `fast` (clean) or `immediate` (as a crash: open transactions are lost). */
  stop(mode: 'fast' | 'immediate' = 'fast'): void {
    run('pg_ctl', ['-D', this.data, '-m', mode, '-w', 'stop']);
  }

  /** The URL of a database on this cluster. */
  url(database = 'postgres'): string {
    return `postgres://postgres@127.0.0.1:${this.port}/${database}`;
  }

  /** A new empty database; its URL. */
  async createDatabase(name = `t${process.pid}_${Math.random().toString(36).slice(2, 8)}`): Promise<string> {
    const client = new Client({ connectionString: this.url() });
    await client.connect();
    try {
      await client.query(`CREATE DATABASE "${name}"`);
    } finally {
      await client.end();
    }
    return this.url(name);
  }

  /** Stops the server and removes its folder. */
  destroy(): void {
    try {
      this.stop('immediate');
    } catch {
      // already stopped
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

function run0(cmd: string, args: string[]): string {
  return spawnSync(cmd, args, { encoding: 'utf8' }).stdout.trim();
}

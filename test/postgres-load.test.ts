// The register on PostgreSQL under load and faults (issue 13):
// - 8 processes at once (6 `batch` runs and 2 web apps issuing through POST /api/letters) for the same bureau against
//   one database: every number distinct, contiguous from 1, every file's SHA-256 in the register. The 4,000
//   letters (≈ 26 s on 2 quiet cores); HN_LOAD_LETTERS=N runs another size.
// - the server stopped mid-batch (pg_ctl stop -m immediate): the batch stops with E_DATABASE_UNAVAILABLE in Chinese,
//   nothing half-written counts as issued, and the same command once the server is back finishes with no number
//   repeated or skipped.

import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { typescriptEntryScript } from '../src/batch/worker-pool';
import { tempDir } from './fixtures/batch/harness';
import { describePostgres, PostgresCluster } from './postgres';

jest.setTimeout(600_000);

const DATE = '2026-11-29';
const BUREAU = '450202'; // 城中区
const CHILD = typescriptEntryScript(path.join(__dirname, 'fixtures', 'register', 'load-child.ts'));
const TOTAL = Number(process.env.HN_LOAD_LETTERS || 4000);

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function child(job: object, onStdout?: (text: string) => void): { done: Promise<Exit> } {
  const p = spawn(process.execPath, ['-e', CHILD], {
    env: { ...process.env, HN_CHILD: JSON.stringify(job) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  p.stdout.on('data', (d) => {
    stdout += d;
    onStdout?.(stdout);
  });
  p.stderr.on('data', (d) => (stderr += d));
  return { done: new Promise((resolve) => p.on('exit', (code) => resolve({ code, stdout, stderr }))) };
}

function csv(dir: string, names: string[]): string {
  const file = path.join(dir, 'employers.csv');
  fs.writeFileSync(
    file,
    ['单位名称,统一社会信用代码,行业,区县,乡镇街道,危害因素', ...names.map((n) => `${n},,C3311,城中区,城中街道,噪声`)].join('\n'),
  );
  return file;
}

const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

async function query<T>(url: string, sql: string): Promise<T[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as T[];
  } finally {
    await c.end();
  }
}

/** The bureau's numbers and letters: seqs sorted, and every letter file's path and SHA-256. */
async function registerState(url: string) {
  const seqs = (await query<{ seq: number }>(url, `SELECT seq FROM numbers WHERE bureau = '${BUREAU}' ORDER BY seq`)).map((r) => r.seq);
  const letters = (await query<{ seq: number }>(url, `SELECT seq FROM letters WHERE bureau = '${BUREAU}' ORDER BY seq`)).map((r) => r.seq);
  const files = await query<{ path: string; sha256: string }>(url, 'SELECT path, sha256 FROM letter_files ORDER BY path');
  return { seqs, letters, files };
}

const upTo = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

describePostgres('PostgreSQL register under load and faults', () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await PostgresCluster.create();
  }, 60_000);
  afterAll(() => cluster?.destroy());

  test(`8 processes (6 batches, 2 web apps) issue ${TOTAL} letters for one bureau at once: contiguous from 1, every file recorded`, async () => {
    const url = await cluster.createDatabase();
    const root = tempDir('pg-load');
    const webEach = Math.max(1, Math.round(TOTAL / 20)); // 5% through the API, each a request of its own
    const batchEach = (TOTAL - 2 * webEach) / 6;
    expect(Number.isInteger(batchEach)).toBe(true);
    const jobs = [
      ...Array.from({ length: 6 }, (_, b) => {
        const dir = path.join(root, `batch${b}`);
        fs.mkdirSync(dir, { recursive: true });
        const input = csv(
          dir,
          Array.from({ length: batchEach }, (_, i) => `柳州批量${b}号第${i + 1}机械厂`),
        );
        const args = ['batch', input, '--out', path.join(dir, 'out'), '--format', 'pdf', '--date', DATE, '--jobs', '1'];
        return { mode: 'cli', args: [...args, '--data-dir', path.join(dir, 'data'), '--database', url] };
      }),
      ...[0, 1].map((w) => ({
        mode: 'web',
        dataDir: path.join(root, `web${w}`),
        database: url,
        names: Array.from({ length: webEach }, (_, i) => `柳州网页${w}号第${i + 1}机械厂`),
        county: '城中区',
        date: DATE,
      })),
    ];
    const started = Date.now();
    const exits = await Promise.all(jobs.map((j) => child(j).done));
    const seconds = (Date.now() - started) / 1000;
    for (const e of exits) expect([e.code, e.stderr.replace(/\r?[^\n]*\r/g, '')]).toEqual([0, expect.any(String)]);
    const state = await registerState(url);
    expect(state.seqs).toEqual(upTo(TOTAL)); // distinct, contiguous from 1
    expect(state.letters).toEqual(upTo(TOTAL));
    expect(state.files).toHaveLength(TOTAL); // PDF only: one file a letter
    for (const f of state.files) expect([f.path, sha(f.path)]).toEqual([f.path, f.sha256]);
    const web = exits.slice(6).flatMap((e) => JSON.parse(e.stdout) as string[]);
    expect(new Set(web).size).toBe(2 * webEach);
    console.log(`${TOTAL} letters by 8 processes in ${seconds.toFixed(1)} s (${(TOTAL / seconds).toFixed(0)} letters/s)`);
  });

  test('the server stopped mid-batch: a clear error, nothing half-recorded; the same command after restart finishes', async () => {
    const url = await cluster.createDatabase();
    const dir = tempDir('pg-fault');
    const ROWS = 300;
    const input = csv(
      dir,
      Array.from({ length: ROWS }, (_, i) => `柳州断库第${i + 1}机械厂`),
    );
    const args = ['batch', input, '--out', path.join(dir, 'out'), '--format', 'pdf', '--date', DATE, '--jobs', '1'];
    const job = { mode: 'cli', args: [...args, '--data-dir', path.join(dir, 'data'), '--database', url] };

    // Stop the server (as a crash) once some letters are recorded and the batch is still going.
    const run = child(job);
    let recorded = 0;
    for (let i = 0; i < 600 && recorded === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      recorded = (await query<{ n: number }>(url, 'SELECT count(*)::int AS n FROM letters').catch(() => [{ n: 0 }]))[0].n;
    }
    expect(recorded).toBeGreaterThan(0);
    cluster.stop('immediate');
    const first = await run.done;
    expect([first.code, first.stderr]).toEqual([2, expect.stringMatching(/E_DATABASE_UNAVAILABLE/)]);
    expect(first.stderr).toMatch(/错误（E_DATABASE_UNAVAILABLE）：无法连接 PostgreSQL 数据库.*连接已中断/);
    cluster.start();

    // What the register holds after the crash: letters only with their files recorded and whole on disk.
    const mid = await registerState(url);
    expect(mid.letters.length).toBeLessThan(ROWS);
    expect(mid.files).toHaveLength(mid.letters.length);
    for (const f of mid.files) expect(sha(f.path)).toBe(f.sha256);
    expect(mid.seqs).toEqual(upTo(mid.seqs.length)); // numbers issued so far: contiguous

    const second = await child(job).done;
    expect([second.code, second.stderr.includes('E_')]).toEqual([0, false]);
    const end = await registerState(url);
    expect(end.seqs).toEqual(upTo(ROWS));
    expect(end.letters).toEqual(upTo(ROWS));
    expect(end.files).toHaveLength(ROWS);
    for (const f of end.files) expect(sha(f.path)).toBe(f.sha256);
  });
});

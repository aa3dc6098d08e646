// Resume: a batch killed with SIGKILL mid-way and run again finishes with every file present and
// verified, numbers contiguous and unique per bureau, no temporary files left.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { typescriptEntryScript } from '../src/batch/worker-pool';
import type { BatchOptions } from '../src/batch/run-batch';
import { batch, dataDirOf, listOutputs, readManifestJson, sha256File, tempDir, writeCsv } from './fixtures/batch/harness';

const LETTERS = 48;
const TOWNSHIPS = ['城中街道', '大埔镇', '雒容镇'];

function rows(): string[][] {
  return Array.from({ length: LETTERS }, (_, i) => [
    `柳州测试${String.fromCharCode(0x4e00 + ((i * 37) % 500))}机械厂${i + 1}`,
    '',
    'C3311',
    i % 3 === 0 ? '柳城县' : '城中区',
    TOWNSHIPS[i % TOWNSHIPS.length],
    '',
    '噪声',
  ]);
}

function countPdfs(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  let n = 0;
  for (const d of fs.readdirSync(dir, { withFileTypes: true })) {
    if (d.isDirectory()) n += fs.readdirSync(path.join(dir, d.name)).filter((f) => /^\d+_.*\.pdf$/.test(f)).length;
  }
  return n;
}

/** Starts the batch in a child process and SIGKILLs it once `after` letter PDFs exist. */
function runAndKill(opts: BatchOptions, after: number): Promise<{ killedAt: number; finished: boolean }> {
  const child = spawn(
    process.execPath,
    ['-e', typescriptEntryScript(path.join(__dirname, 'fixtures', 'batch', 'batch-child.ts')), JSON.stringify(opts)],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      const n = countPdfs(opts.out);
      if (n >= after) {
        clearInterval(timer);
        child.kill('SIGKILL');
        resolve({ killedAt: n, finished: false });
      }
    }, 20);
    child.on('exit', (code, signal) => {
      clearInterval(timer);
      if (signal === 'SIGKILL') return;
      if (code !== 0) reject(new Error(`child failed: ${stderr}`));
      else resolve({ killedAt: countPdfs(opts.out), finished: true });
    });
  });
}

test('kill -9 mid-batch, rerun: all files present and verified, numbers contiguous and unique', async () => {
  const dir = tempDir('resume');
  const input = writeCsv(dir, 'many.csv', rows());
  const out = path.join(dir, 'out');
  const opts: BatchOptions = {
    input,
    out,
    formats: ['pdf', 'docx'],
    date: '2026-11-29',
    jobs: 2,
    dryRun: false,
    force: false,
    volumeSize: 10,
    dataDir: dataDirOf(out),
  };
  const killed = await runAndKill(opts, 24);
  expect(killed.finished).toBe(false);
  expect(killed.killedAt).toBeLessThan(LETTERS);
  expect(fs.existsSync(path.join(out, 'manifest.json'))).toBe(false);

  const s = await batch(input, out, { jobs: 2, volumeSize: 10 });
  expect(s.lettersMade).toBe(LETTERS);
  expect(s.lettersKept).toBeGreaterThan(0);
  expect(s.lettersKept).toBeLessThan(LETTERS);

  const m = readManifestJson(out);
  expect(m.letters).toHaveLength(LETTERS);
  for (const l of m.letters) for (const f of l.files) expect(sha256File(path.join(out, f.path))).toBe(f.sha256);
  expect(listOutputs(out).filter((f) => f.endsWith('.tmp'))).toEqual([]);

  for (const county of ['城中区', '柳城县']) {
    const letters = m.letters.filter((l) => l.county.name === county);
    const seqs = letters.map((l) => Number(/〔2026〕(\d+)号/.exec(l.docNumber)![1]));
    expect(seqs).toEqual(Array.from({ length: letters.length }, (_, i) => i + 1)); // route order = number order
    expect(letters.map((l) => l.seq)).toEqual(seqs);
    const volumes = m.printVolumes.filter((v) => v.county === county);
    expect(volumes).toHaveLength(Math.ceil(letters.length / 10));
    let pages = 0;
    for (const v of volumes) {
      expect(sha256File(path.join(out, v.path))).toBe(v.sha256);
      pages += (await PDFDocument.load(fs.readFileSync(path.join(out, v.path)))).getPageCount();
    }
    expect(pages).toBe(letters.length);
  }
});

// Batch bench: a synthetic 柳州 employer workbook (xlsx) through the whole batch; prints letters/s,
// wall time, peak memory (RSS of the process, which includes its worker threads) and where time goes.
// Usage: npm run bench -- --letters 10000 [--jobs N] [--format pdf,docx] [--annex] [--receipt] [--keep] [--make-only]
//   [--database postgres://… | --postgres]
// (--annex/--receipt: every letter set with its 附件1 / 送达回证 page, as `batch --annex --receipt`; the register is a
// fresh SQLite file under .bench/, or the PostgreSQL database given, or with --postgres a throwaway cluster (fsync on)
// started here and removed after.)

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadRegionConfig } from '../src/config/region';
import { Progress } from '../src/batch/progress';
import { runBatch } from '../src/batch/run-batch';
import { resolveDatabase } from '../src/register/storage';
import { usccCheckCharacter } from '../src/input/uscc';
import type { OutputFormat } from '../src/batch/jobs';
import { bundledPath } from '../src/package-root';
import { PostgresCluster } from '../test/postgres-cluster';

const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

/** A GB 32100 code with valid GB 11714 and GB 32100 check characters, unique per n. */
function uscc(countyCode: string, n: number): string {
  const org8 = String(10000000 + n).slice(-8);
  const orgSum = [...org8].reduce((s, c, i) => s + Number(c) * ORG_WEIGHTS[i], 0);
  const c9 = 11 - (orgSum % 11);
  const org = org8 + (c9 === 10 ? 'X' : c9 === 11 ? '0' : String(c9));
  const body = `91${countyCode}${org}`;
  return body + usccCheckCharacter(body);
}

const TOWNSHIPS = [
  '城中街道',
  '大埔镇',
  '东泉镇',
  '沙埔镇',
  '太平镇',
  '洛埠镇',
  '雒容镇',
  '拉堡镇',
  '里雍镇',
  '进德镇',
  '穿山镇',
  '三都镇',
];
const FIRST = ['柳州市', '广西', '柳州', '桂中', '龙城', '鑫', '宏', '昇', '犇', '喆', '堃', '垚', '瑞', '融', '华', '新'];
const MIDDLE = ['恒通', '金源', '丰泰', '盛达', '永安', '嘉禾', '顺发', '鸿运', '联创', '泰和', '汇鑫', '华兴', '祥瑞', '兴隆'];
const KINDS = ['机械', '建材', '化工', '家具', '电子', '纺织', '冶金', '木业', '塑胶', '五金', '汽车配件', '食品'];
const FORMS = ['有限公司', '有限责任公司', '股份有限公司', '厂'];

/** Class codes (GB/T 4754 小类) whose letters can be made: mapped hazards that map to diseases. */
function usableIndustries(): string[] {
  const kb = loadKnowledgeBase();
  const catalogue = kb.diseaseCatalogueOn('2026-11-29').id;
  const lines = fs.readFileSync(bundledPath('data', 'gbt4754-2017.csv'), 'utf8').split('\n').slice(1);
  const codes: string[] = [];
  for (const line of lines) {
    const [code, level, section] = line.split(',');
    if (level !== 'class') continue;
    const hazards = kb.industryHazards(code);
    if (hazards.length > 0 && hazards.slice(0, 3).some((h) => kb.hazardDiseases(h.hazard.id, catalogue).length > 0)) {
      codes.push(`${section}${code}`);
    }
  }
  return codes;
}

async function makeWorkbook(file: string, letters: number): Promise<void> {
  const counties = loadRegionConfig().counties;
  const industries = usableIndustries();
  if (industries.length === 0) throw new Error('no industry has mapped hazards: the bench needs the industry→hazard mapping in data/');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: false });
  const ws = wb.addWorksheet('用人单位');
  ws.addRow(['单位名称', '统一社会信用代码', '行业', '区县', '乡镇街道', '地址']).commit();
  let seed = 20261129;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < letters; i++) {
    const county = counties[rand(counties.length)];
    const township = TOWNSHIPS[rand(TOWNSHIPS.length)];
    const stem = `${FIRST[rand(FIRST.length)]}${MIDDLE[rand(MIDDLE.length)]}${KINDS[rand(KINDS.length)]}`;
    const name = `${stem}${i + 1}号${FORMS[rand(FORMS.length)]}`;
    ws.addRow([
      name,
      uscc(county.countyCode, i + 1),
      industries[rand(industries.length)],
      county.countyName,
      township,
      `${county.countyName}${township}工业路${rand(300) + 1}号`,
    ]).commit();
  }
  ws.commit();
  await wb.commit();
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function peakRssMb(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : process.memoryUsage().rss / 2 ** 20;
}

async function main(): Promise<void> {
  const letters = Number(arg('letters') ?? 10000);
  const jobs = Number(arg('jobs') ?? os.availableParallelism());
  const formats = (arg('format') ?? 'pdf,docx').split(',') as OutputFormat[];
  const letterSet = { annex: process.argv.includes('--annex'), receipt: process.argv.includes('--receipt') };
  const benchDir = path.join(bundledPath(), '.bench');
  fs.mkdirSync(benchDir, { recursive: true });
  const input = path.join(benchDir, `employers-${letters}.xlsx`);
  if (!fs.existsSync(input)) {
    const t0 = performance.now();
    await makeWorkbook(input, letters);
    process.stdout.write(
      `synthetic workbook: ${input} (${(fs.statSync(input).size / 2 ** 20).toFixed(1)} MB, ` +
        `${((performance.now() - t0) / 1000).toFixed(1)} s)\n`,
    );
  }
  if (process.argv.includes('--make-only')) return; // bench/targets.js runs the CLI on it
  // A folder of this run's own, removed at the end (see bench/disk.js: files made just after deletions cost the disk,
  // not the tool), once new files there cost what they normally do.
  const scratch = fs.mkdtempSync(path.join(benchDir, `letters-${letters}-`));
  const out = path.join(scratch, 'out');
  const dataDir = path.join(scratch, 'data');
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript shared with bench/targets.js and peers.js
  const { settleDisk } = require(path.join(bundledPath(), 'bench', 'disk.js')) as typeof import('./disk');
  const disk = await settleDisk(scratch);
  process.stdout.write(`disk: ${disk.text}\n`);
  const cluster = process.argv.includes('--postgres') ? await PostgresCluster.create({ durable: true }) : undefined;
  const database = cluster ? await cluster.createDatabase('bench') : resolveDatabase(arg('database'), {});
  try {
    await run(input, out, dataDir, database, letters, jobs, formats, letterSet);
  } finally {
    cluster?.destroy();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

async function run(
  input: string,
  out: string,
  dataDir: string,
  database: string | undefined,
  letters: number,
  jobs: number,
  formats: OutputFormat[],
  letterSet: { annex: boolean; receipt: boolean },
): Promise<void> {
  let sampledPeak = 0;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, 100);
  const t0 = performance.now();
  const progress = new Progress(process.stderr);
  const rssSeries: string[] = []; // RSS (MB) at every 10 % of the letters: flat = memory does not grow with rows
  let nextSample = 0.1;
  const summary = await runBatch({
    input,
    out,
    formats,
    render: letterSet,
    date: '2026-11-29',
    jobs,
    dataDir,
    database,
    dryRun: false,
    force: true,
    joinWorkers: true, // as the command line runs a batch
    onProgress: (done, total) => {
      progress.update(done, total);
      if (done >= nextSample * total) {
        rssSeries.push(`${done}:${(process.memoryUsage().rss / 2 ** 20).toFixed(0)}`);
        nextSample += 0.1;
      }
    },
  });
  const wall = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  const pages = ['letter', ...(['annex', 'receipt'] as const).filter((p) => letterSet[p])];

  const fmt = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const lines = [
    `letters: ${summary.lettersMade} made, ${summary.rowsRejected} rejected, of ${summary.rowsRead} rows; ` +
      `formats ${formats.join(',')}; jobs ${jobs}; pages ${pages.join('+')}; register ${database ? 'PostgreSQL' : 'SQLite'}`,
    `wall: ${wall.toFixed(1)} s   rate: ${(summary.lettersMade / wall).toFixed(1)} letters/s${pages.length > 1 ? ' (letter sets/s)' : ''}`,
    `peak RSS (process incl. workers): ${peakRssMb().toFixed(0)} MB (VmHWM); sampled max ${(sampledPeak / 2 ** 20).toFixed(0)} MB`,
    `RSS by letters done (MB): ${rssSeries.join('  ')}`,
    `main thread phases: ${Object.entries(summary.timings.phases)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}`,
    `worker time (summed over ${jobs} workers): ${Object.entries(summary.timings.workers)
      .map(([k, v]) => `${k} ${fmt(v)}`)
      .join(', ')}`,
    `per letter (worker ms): ${Object.entries(summary.timings.workers)
      .map(([k, v]) => `${k} ${(v / Math.max(1, summary.lettersMade)).toFixed(2)}`)
      .join(', ')}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (!process.argv.includes('--keep')) fs.rmSync(out, { recursive: true, force: true });
}

main().catch((e) => {
  process.stderr.write(`${e instanceof Error ? e.stack : e}\n`);
  process.exit(1);
});

// One number sequence for every entry point: a batch, then the `letter` command, then issueLetter as the web app
// calls it, all in one data directory; the register lists them (`register list`) and hands back a batch letter's file.

import fs from 'node:fs';
import path from 'node:path';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadRegionConfig, probeDocNumber } from '../src/config/region';
import type { EmployerRecord } from '../src/input/employer';
import { loadTemplate } from '../src/letter/template';
import { issueLetter } from '../src/register/issue-letter';
import { Register } from '../src/register/register';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { trialLayout } from '../src/render/render-letter';
import { resolveRecord } from '../src/resolve/resolve-record';
import { runCli } from './cli-run';
import { batch, MAIN_ROWS, readManifestJson, sha256File, tempDir, writeCsv } from './fixtures/batch/harness';

const dir = tempDir('register-shared');
const dataDir = path.join(dir, 'data');
const out = path.join(dir, 'out');
const DATE = '2026-11-29';
const numberOf = (stdout: string) => /^文号：(\S+?)（/m.exec(stdout)?.[1];

/** The web app's path: a record resolved, then issueLetter on the data directory's register. */
async function webLetter(name: string, county: string) {
  const template = loadTemplate();
  const region = loadRegionConfig();
  const record: EmployerRecord = { source: { file: '网页', row: 1 }, name, industry: 'C3311', county, hazards: ['噪声'], columns: {} };
  const r = resolveRecord(record, { kb: loadKnowledgeBase(), region, date: DATE, maxHazards: template.maxHazards });
  if (!r.ok) throw new Error(r.errors[0].message);
  const register = await Register.inDataDir(dataDir);
  try {
    return await issueLetter(register, {
      data: r.data,
      template,
      region,
      fonts: loadFontSet(defaultFontsDir(), template.layout),
      formats: ['pdf'],
      source: { kind: 'web' },
    });
  } finally {
    await register.close();
  }
}

const cliLetter = (name: string, county: string) =>
  runCli(
    'letter',
    '--name',
    name,
    '--industry',
    'C3311',
    '--county',
    county,
    '--date',
    DATE,
    '--format',
    'pdf',
    '--out',
    path.join(dir, 'cli'),
    '--data-dir',
    dataDir,
  );

beforeAll(async () => {
  await batch(writeCsv(dir, 'employers.csv', MAIN_ROWS), out, { dataDir }); // 城中区 1–2, …
});

test('batch, CLI and web share one sequence; the same employer + date + template gets the same number back', async () => {
  const batchNumbers = readManifestJson(out)
    .letters.filter((l) => l.county.name === '城中区')
    .map((l) => l.docNumber);
  expect(batchNumbers).toEqual(['城中卫职告〔2026〕1号', '城中卫职告〔2026〕2号']);

  const cli = await cliLetter('柳州市新来机械厂', '城中区');
  expect(cli.stderr).toBe('');
  expect(numberOf(cli.stdout)).toBe('城中卫职告〔2026〕3号');
  const web = await webLetter('柳州市网页申报机械厂', '城中区');
  expect(web.docNumber).toBe('城中卫职告〔2026〕4号');

  // Again: the CLI for the web's employer, the web for the CLI's, the CLI for a batch employer: their numbers back.
  expect(numberOf((await cliLetter('柳州市网页申报机械厂', '城中区')).stdout)).toBe('城中卫职告〔2026〕4号');
  expect((await webLetter('柳州市新来机械厂', '城中区')).docNumber).toBe('城中卫职告〔2026〕3号');
  const batchEmployer = MAIN_ROWS[1]; // 柳州鑫源建材厂, 城中区, no USCC
  expect(numberOf((await cliLetter(batchEmployer[0], '城中区')).stdout)).toBe('城中卫职告〔2026〕2号');
  expect((await webLetter('柳城县又一家机械厂', '柳城县')).docNumber).toBe('柳城卫职告〔2026〕2号'); // the batch made 柳城 1

  const register = await Register.inDataDir(dataDir);
  try {
    const rows = (await register.search({ county: '城中区', pageSize: 200 })).rows;
    expect(rows.map((r) => r.docNumber).sort()).toEqual([1, 2, 3, 4].map((n) => `城中卫职告〔2026〕${n}号`));
    const byNumber = Object.fromEntries(rows.map((r) => [r.docNumber, r.source.kind]));
    expect(byNumber).toEqual({
      '城中卫职告〔2026〕1号': 'batch',
      '城中卫职告〔2026〕2号': 'cli', // issued again by the CLI: the latest letter under that number
      '城中卫职告〔2026〕3号': 'web',
      '城中卫职告〔2026〕4号': 'cli',
    });
  } finally {
    await register.close();
  }
});

test('a batch letter is recorded with its source row and files; deleted, fileFor remakes it byte-identical', async () => {
  const m = readManifestJson(out).letters.find((l) => l.county.name === '柳南区')!;
  const register = await Register.inDataDir(dataDir);
  try {
    const [row] = (await register.search({ q: m.docNumber })).rows;
    expect(row).toMatchObject({
      name: m.employer.name,
      source: { kind: 'batch', row: m.source.row, batchId: readManifestJson(out).batchId },
    });
    expect(row.source.kind === 'batch' && path.basename(row.source.file)).toBe('employers.csv');
    const pdf = m.files.find((f) => f.format === 'pdf')!;
    const file = path.join(out, pdf.path);
    expect(row.files.find((f) => f.format === 'pdf')).toEqual({ format: 'pdf', sha256: pdf.sha256, path: file });
    const original = fs.readFileSync(file);
    fs.rmSync(file);
    const remade = await register.fileFor(row.id, 'pdf');
    expect(remade.remade).toBe(true);
    expect(Buffer.from(remade.bytes).equals(original)).toBe(true); // drawn with the full faces: the batch's bytes
    expect(sha256File(remade.path)).toBe(pdf.sha256);
    expect(remade.path.startsWith(path.join(dataDir, 'letters', '柳南区') + path.sep)).toBe(true);
  } finally {
    await register.close();
  }
});

test('register list: Chinese headers, filters, JSON', async () => {
  const list = await runCli('register', 'list', '--data-dir', dataDir, '--county', '城中区');
  expect(list.code).toBe(0);
  const lines = list.stdout.trimEnd().split('\n');
  expect(lines[0]).toBe('编号\t文号\t单位名称\t统一社会信用代码\t区县\t日期\t来源\t登记时间');
  expect(lines.at(-1)).toBe('共 4 份，第 1/1 页');
  expect(lines.slice(1, -1).every((l) => l.split('\t')[4] === '城中区')).toBe(true);
  expect(list.stdout).toMatch(/批量（.*employers\.csv 第 2 行）/);

  const json = JSON.parse((await runCli('register', 'list', '--data-dir', dataDir, '--q', '新来', '--json')).stdout);
  expect(json).toMatchObject({
    total: 1,
    rows: [{ name: '柳州市新来机械厂', docNumber: '城中卫职告〔2026〕3号', source: { kind: 'web' } }],
  });

  expect((await runCli('register', 'list', '--data-dir', dataDir, '--from', '2027-01-01')).stdout).toBe('登记簿中没有符合条件的告知单\n');
  const bad = await runCli('register', 'list', '--data-dir', dataDir, '--to', '2026-02-30');
  expect([bad.code, bad.stderr]).toEqual([2, expect.stringMatching(/E_DATE_INVALID/)]);
  const empty = await runCli('register', 'list', '--data-dir', path.join(dir, 'no-such-data'));
  expect(empty.stdout).toBe('登记簿中没有符合条件的告知单\n');
  expect(fs.existsSync(path.join(dir, 'no-such-data'))).toBe(false); // listing creates nothing
});

test('an output folder with an older version’s .ledger.sqlite: told to name it with --ledger, which then resumes it', async () => {
  const old = path.join(dir, 'old-out');
  fs.mkdirSync(old);
  fs.copyFileSync(path.join(__dirname, 'fixtures', 'register', 'ledger-v0.sqlite'), path.join(old, '.ledger.sqlite'));
  const input = writeCsv(dir, 'small.csv', [MAIN_ROWS[0]]);
  await expect(batch(input, old, { dataDir })).rejects.toMatchObject({
    code: 'E_LEDGER_LEGACY',
    message: expect.stringContaining('--ledger'),
  });
  const s = await batch(input, old, { ledgerFile: path.join(old, '.ledger.sqlite') });
  expect(s.lettersMade).toBe(1);
  expect(readManifestJson(old).letters[0].docNumber).toBe('城中卫职告〔2026〕2号'); // the old ledger had 城中区 1 (another template)
});

test('a letter that fits only without its number line is refused before it takes a number (no gap in the register)', async () => {
  const template = loadTemplate();
  const region = loadRegionConfig();
  const fonts = loadFontSet(defaultFontsDir(), template.layout);
  const kb = loadKnowledgeBase();
  const resolve = (name: string) => {
    const record: EmployerRecord = {
      source: { file: '网页', row: 1 },
      name,
      industry: 'C3311',
      county: '柳城县',
      hazards: ['噪声'],
      columns: {},
    };
    const r = resolveRecord(record, { kb, region, date: DATE, maxHazards: template.maxHazards });
    if (!r.ok) throw new Error(r.errors[0].message);
    return r.data;
  };
  // The shortest name whose letter overflows with the widest number; it must still fit with no number at all.
  const probe = probeDocNumber(region.numbering, region.counties.find((c) => c.countyName === '柳城县')!.numberPrefix, 2026);
  let n = 100;
  while (trialLayout(template, { ...resolve('柳'.repeat(n)), docNumber: probe }, fonts).ok) n += 4;
  const data = resolve('柳'.repeat(n));
  expect(trialLayout(template, data, fonts).ok).toBe(true);
  const register = await Register.inDataDir(path.join(dir, 'probe-data'));
  try {
    await expect(issueLetter(register, { data, template, region, fonts, formats: ['pdf'], source: { kind: 'web' } })).rejects.toMatchObject(
      {
        code: 'E_LAYOUT_OVERFLOW',
      },
    );
    expect((await register.search({})).total).toBe(0);
    // The next letter of that bureau is number 1: none was taken by the refused one.
    const ok = await issueLetter(register, {
      data: resolve('柳城县某机械厂'),
      template,
      region,
      fonts,
      formats: ['pdf'],
      source: { kind: 'web' },
    });
    expect(ok.seq).toBe(1);
  } finally {
    await register.close();
  }
});

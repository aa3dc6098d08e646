// Batch validation: rows read = letters made + rows rejected; every rule lands in rejects.csv with
// row, column, value, code and a Chinese reason; reader errors pass through unchanged; dry run and CLI.

import fs from 'node:fs';
import path from 'node:path';
import { readEmployers } from '../src/input/read-employers';
import type { RowError } from '../src/input/employer';
import * as batchRunner from '../src/batch/run-batch';
import type { BatchSummary } from '../src/batch/run-batch';
import { main } from '../src/cli/main';
import { batch, MAIN_EXPECTED, MAIN_ROWS, readCsvFile, tempDir, writeCsv } from './fixtures/batch/harness';

const dir = tempDir('validation');
const input = writeCsv(dir, 'employers.csv', MAIN_ROWS);

async function readerErrors(file: string): Promise<RowError[]> {
  const errors: RowError[] = [];
  for await (const item of readEmployers(file, {})) if (item.kind === 'error') errors.push(item.error);
  return errors;
}

/** The batch command in-process: exit code and everything it printed. */
async function run(...args: string[]): Promise<{ code: number; text: string }> {
  const writes: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    writes.push(String(s));
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    writes.push(String(s));
    return true;
  });
  try {
    const code = await main(['node', 'hazard-notice', 'batch', ...args]);
    return { code, text: writes.join('') };
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
}

describe('dry run over the main fixture', () => {
  const out = path.join(dir, 'dry');
  const ledgerFile = path.join(dir, 'dry-ledger.sqlite');
  let cli: { code: number; text: string };
  let summary: BatchSummary;
  let rejects: string[][];

  // One run through the batch command: its exit code and text, and the summary runBatch gave it.
  beforeAll(async () => {
    const runs = jest.spyOn(batchRunner, 'runBatch');
    try {
      cli = await run(input, '--out', out, '--dry-run', '--date', '2026-11-29', '--ledger', ledgerFile);
      expect(runs).toHaveBeenCalledTimes(1);
      summary = await runs.mock.results[0].value;
    } finally {
      runs.mockRestore();
    }
    rejects = readCsvFile(path.join(out, 'rejects.csv')).rows;
  });

  test('exit 1 when some rows are rejected, with a Chinese summary', () => {
    expect(cli.code).toBe(1);
    expect(cli.text).toContain(`读取 ${MAIN_EXPECTED.read} 行，可生成告知单 ${MAIN_EXPECTED.made} 份，拒绝 ${MAIN_EXPECTED.rejected} 行`);
    expect(cli.text).toContain('城中区：2 份');
  });

  test('read = made + rejected, per county counts', () => {
    expect(summary.rowsRead).toBe(MAIN_EXPECTED.read);
    expect(summary.lettersMade).toBe(MAIN_EXPECTED.made);
    expect(summary.rowsRejected).toBe(MAIN_EXPECTED.rejected);
    expect(summary.lettersMade + summary.rowsRejected).toBe(summary.rowsRead);
    expect(Object.fromEntries(summary.counties.map((c) => [c.name, c.letters]))).toEqual({
      城中区: 2,
      鱼峰区: 2,
      柳南区: 1,
      柳北区: 1,
      柳城县: 1,
    });
  });

  test('each rule rejects its row with code, column, value and a reason naming the file and row', () => {
    const header = rejects[0];
    expect(header).toEqual(['文件', '工作表', '行号', '列', '值', '错误代码', '原因']);
    const byRow = new Map<string, string[][]>();
    for (const r of rejects.slice(1)) byRow.set(r[2], [...(byRow.get(r[2]) ?? []), r]);
    const codeOf = (row: number) => byRow.get(String(row))?.map((r) => r[5]);
    expect(codeOf(8)).toEqual(['E_INDUSTRY_UNKNOWN']);
    expect(codeOf(9)).toEqual(['E_COUNTY_UNKNOWN']);
    expect(codeOf(10)).toEqual(['E_HAZARD_UNKNOWN']);
    expect(codeOf(11)).toEqual(['E_DUPLICATE_USCC']);
    expect(codeOf(12)).toEqual(['E_DUPLICATE_NAME']);
    expect(byRow.size).toBe(MAIN_EXPECTED.rejected);

    const [dupUscc] = byRow.get('11')!;
    expect(dupUscc[3]).toBe('统一社会信用代码');
    expect(dupUscc[4]).toBe('914502021000000169');
    expect(dupUscc[6]).toContain('第 2 行');
    expect(dupUscc[6]).toContain('employers.csv 第 11 行');
    const [dupName] = byRow.get('12')!;
    expect(dupName[3]).toBe('单位名称');
    expect(dupName[6]).toContain('第 3 行');
    const [industry] = byRow.get('8')!;
    expect(industry[3]).toBe('行业');
    expect(industry[4]).toBe('X9999');
    expect(industry[6]).toMatch(/无法识别的行业/);
    const [county] = byRow.get('9')!;
    expect(county[4]).toBe('南宁市');
    const [hazard] = byRow.get('10')!;
    expect(hazard[4]).toBe('不存在的因素');
  });

  test('reader errors pass through to rejects.csv unchanged', async () => {
    const fromReader = await readerErrors(input);
    expect(fromReader.length).toBeGreaterThan(0);
    for (const e of fromReader) {
      const line = rejects.find((r) => r[2] === String(e.source.row) && r[5] === e.code);
      expect(line).toEqual([e.source.file, e.source.sheet ?? '', String(e.source.row), e.column ?? '', e.value ?? '', e.code, e.message]);
    }
    expect(new Set(fromReader.map((e) => e.source.row))).toEqual(new Set([14, 15]));
  });

  test('dry run issues no numbers and writes no letters', () => {
    expect(fs.existsSync(ledgerFile)).toBe(false);
    expect(fs.readdirSync(out)).toEqual(['rejects.csv']);
  });

  test('dry run does not write into a folder holding other files', async () => {
    const busy = path.join(dir, 'busy');
    fs.mkdirSync(busy);
    fs.writeFileSync(path.join(busy, 'manifest.json'), '{}');
    await expect(batch(input, busy, { dryRun: true })).rejects.toMatchObject({ code: 'E_OUT_EXISTS' });
    expect(fs.readdirSync(busy)).toEqual(['manifest.json']);
  });
});

test('a letter that would not fit one page is rejected before it gets a number', async () => {
  const d = tempDir('overflow');
  const long = `柳州${'特别长的单位名称'.repeat(60)}有限公司`;
  const file = writeCsv(d, 'long.csv', [[long, '', 'C3311', '城中区', '', '', '噪声'], MAIN_ROWS[1]]);
  const s = await batch(file, path.join(d, 'out'), { dryRun: true });
  expect([s.rowsRead, s.lettersMade, s.rowsRejected]).toEqual([2, 1, 1]);
  const rows = readCsvFile(path.join(d, 'out', 'rejects.csv')).rows;
  expect(rows[1].slice(2, 6)).toEqual(['2', '', '', 'E_LAYOUT_OVERFLOW']);
  expect(rows[1][6]).toMatch(/^.*long\.csv 第 2 行：.*超出一页/);
});

test('characters no font has: one rejects line per character, even in a letter too long for a page', async () => {
  const d = tempDir('glyphs');
  const long = `柳州${'特别长的单位名称'.repeat(60)}有限公司😀`;
  const file = writeCsv(d, 'glyphs.csv', [
    ['柳州😀机械กข厂😀', '', 'C3311', '城中区', '', '', '噪声'], // 2
    [long, '', 'C3311', '城中区', '', '', '噪声'], // 3
    MAIN_ROWS[1],
  ]);
  const s = await batch(file, path.join(d, 'out'), { dryRun: true });
  expect([s.rowsRead, s.lettersMade, s.rowsRejected]).toEqual([3, 1, 2]);
  const rows = readCsvFile(path.join(d, 'out', 'rejects.csv')).rows.slice(1);
  expect(rows.map((r) => [r[2], r[4], r[5]])).toEqual([
    ['2', '😀', 'E_GLYPH_MISSING'],
    ['2', 'ก', 'E_GLYPH_MISSING'],
    ['2', 'ข', 'E_GLYPH_MISSING'],
    ['3', '😀', 'E_GLYPH_MISSING'],
  ]);
  expect(rows[1][6]).toMatch(/^.*glyphs\.csv 第 2 行：字符“ก”（U\+0E01）在随附字体中均无字形/);
});

describe('rejects.csv is safe to open in a spreadsheet', () => {
  test('BOM, quoted commas and quotes, neutralised formula cells', async () => {
    const d = tempDir('rejects');
    const file = writeCsv(d, 'bad.csv', [
      ['=HYPERLINK("http://x")', '', '+1', '城中区', '', '', ''],
      ['-1 公司', '', '@SUM(A1)', '城中区', '', '', ''],
      ['名称, "引号"', '', '未知"行业",X', '城中区', '', '', ''],
    ]);
    const out = path.join(d, 'out');
    const s = await batch(file, out, { dryRun: true });
    expect(s.lettersMade).toBe(0);
    expect(s.rowsRejected).toBe(3);
    const { raw, rows } = readCsvFile(path.join(out, 'rejects.csv'));
    expect(raw.startsWith('\uFEFF')).toBe(true);
    for (const r of rows.slice(1)) for (const cell of r) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    const values = rows.slice(1).map((r) => r[4]);
    expect(values).toEqual(expect.arrayContaining(["'+1", "'@SUM(A1)", '未知"行业",X']));
    expect(raw).toContain('"未知""行业"",X"');
  });
});

describe('the batch command', () => {
  test('exit 3 when nothing can be made, 0 when everything can', async () => {
    const none = writeCsv(dir, 'none.csv', [MAIN_ROWS[6]]);
    expect((await run(none, '--out', path.join(dir, 'cli-none'), '--dry-run')).code).toBe(3);
    const all = writeCsv(dir, 'all.csv', [MAIN_ROWS[0], MAIN_ROWS[1]]);
    expect((await run(all, '--out', path.join(dir, 'cli-all'), '--dry-run')).code).toBe(0);
  });

  test('exit 2 on usage errors, in Chinese', async () => {
    const bad = await run(input, '--jobs', '0', '--dry-run');
    expect(bad.code).toBe(2);
    expect(bad.text).toContain('--jobs');
    const date = await run(input, '--date', '2026-02-30', '--dry-run');
    expect(date.code).toBe(2);
    expect(date.text).toContain('E_DATE_INVALID');
    const missing = await run(path.join(dir, 'nope.csv'), '--out', path.join(dir, 'cli-missing'), '--dry-run');
    expect(missing.code).toBe(2);
  });
});

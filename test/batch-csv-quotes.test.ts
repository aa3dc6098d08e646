// A CSV quote left open: the whole file is refused with the line where the quote opened, before any number is issued;
// never rows merged into one. A quoted field that really spans lines still reads: every physical line is accounted for.

import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from './cli-run';
import { batch, listOutputs, readCsvFile, readManifestJson, tempDir, writeCsv } from './fixtures/batch/harness';

const ROWS: string[][] = [
  ['柳州市恒通机械有限公司', '', 'C3311', '城中区', '城中街道', '', '噪声'], // line 2
  ['柳州鑫源建材厂', '', 'C3011', '城中区', '大埔镇', '', '矽尘'], // line 3
  ['柳州宏达化工有限公司', '', 'C2614', '鱼峰区', '', '', '苯'], // line 4
  ['柳州某某科技公司', '', 'X9999', '城中区', '', '', '噪声'], // line 5: E_INDUSTRY_UNKNOWN
  ['柳州市永固门窗厂', '', 'C3311', '柳南区', '', '', '噪声'], // line 6
];

test('a stray quote on line 3: the file is refused naming line 3, nothing issued or written', async () => {
  const dir = tempDir('csv-quote');
  const file = writeCsv(dir, 'list.csv', ROWS);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[2] = `"${lines[2]}`; // 柳州鑫源建材厂 → "柳州鑫源建材厂: opens a quote nothing closes
  fs.writeFileSync(file, lines.join('\n'));
  const out = path.join(dir, 'out');

  const data = path.join(dir, 'data');
  const r = await runCli('batch', file, '--out', out, '--date', '2026-11-29', '--jobs', '1', '--data-dir', data);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /^错误（E_CSV_QUOTE）：“[^”]*list\.csv”第 3 行.*没有闭合.*请修改第 3 行.*整个文件未处理（未生成告知单、未编文号）/,
  );
  // Nothing issued: no number in the register, no letter, no manifest, no rejects.csv (which would claim some rows were read).
  const ledger = new Database(path.join(data, 'register.sqlite'), { readonly: true });
  try {
    expect(ledger.prepare('SELECT count(*) AS n FROM numbers').get()).toEqual({ n: 0 });
  } finally {
    ledger.close();
  }
  expect(listOutputs(out)).toEqual([]);
});

test('a quoted field over two lines: read = made + rejected, every physical data line in a letter or in rejects.csv', async () => {
  const dir = tempDir('csv-multiline');
  const rows = ROWS.map((r) => [...r]);
  rows[1][5] = '柳州市城中区\n大埔镇某路 1 号'; // a real line break inside a quoted cell (Alt-Enter in Excel)
  const file = writeCsv(dir, 'list.csv', rows);
  const physicalDataLines = fs.readFileSync(file, 'utf8').trimEnd().split('\n').length - 1;
  expect(physicalDataLines).toBe(ROWS.length + 1);
  const out = path.join(dir, 'out');

  const s = await batch(file, out);
  expect(s.rowsRead).toBe(ROWS.length);
  expect(s.lettersMade + s.rowsRejected).toBe(s.rowsRead);
  // Each record covers its lines up to the next record's first line; made ∪ rejected starts cover every physical line.
  const made = readManifestJson(out).letters.map((l) => l.source.row);
  const rejected = readCsvFile(path.join(out, 'rejects.csv'))
    .rows.slice(1)
    .map((r) => Number(r[2]));
  const starts = [...made, ...rejected].sort((a, b) => a - b);
  expect(starts).toEqual([2, 3, 5, 6, 7]);
  const covered = starts.flatMap((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : physicalDataLines + 2;
    return Array.from({ length: end - start }, (_, k) => start + k);
  });
  expect(covered).toEqual(Array.from({ length: physicalDataLines }, (_, k) => k + 2));
  expect(rejected).toEqual([6]);
});

test('two stray quotes that pair up (lines 3 and 5): the merged record is rejected for its line breaks, never printed', async () => {
  const dir = tempDir('csv-paired-quotes');
  const file = writeCsv(dir, 'list.csv', ROWS);
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines[2] = `"${lines[2]}`; // opens a quote before 柳州鑫源建材厂 …
  lines[4] = lines[4].replace('柳州某某科技公司', '柳州某某科技公司"'); // … and this one closes it: lines 3–5 read as one cell
  fs.writeFileSync(file, lines.join('\n'));
  const out = path.join(dir, 'out');

  const s = await batch(file, out);
  expect(s.lettersMade + s.rowsRejected).toBe(s.rowsRead);
  const made = readManifestJson(out).letters.map((l) => l.employer.name);
  expect(made.join()).not.toMatch(/鑫源|宏达|科技/); // no letter carries the merged text
  const rejects = readCsvFile(path.join(out, 'rejects.csv')).rows.slice(1);
  const merged = rejects.find((r) => Number(r[2]) === 3)!;
  expect(merged).toBeDefined();
  expect(merged.join('|')).toMatch(/E_CELL_LINE_BREAK/);
  expect(merged.join('|')).toMatch(/多了一个引号/);
});

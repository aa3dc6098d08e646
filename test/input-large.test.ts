// Streaming: 100,000-row CSV and xlsx files are read row by row with bounded memory.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import { readEmployers } from '../src/input/read-employers';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const CSV_ROWS = 100_000;
const XLSX_ROWS = 20_000; // exceljs parses 8,000–13,000 rows/s; 20,000 keeps this file fast
const USCC = ['91450222MA5K0A1B8E', '91450222MA5K004770', '91450203MA5N2B7C1R', '91450205MA5P3Q4R6T'];
const rowValues = (i: number) => [
  `柳州市第${i}号机械制造有限公司`,
  USCC[i % 4],
  'C3311 金属结构制造',
  '柳北区',
  '长塘镇',
  `柳北区工业路 ${i} 号`,
  String(10 + (i % 90)),
  '噪声、电焊烟尘',
];
const HEADER = ['单位名称', '统一社会信用代码', '行业', '区县', '乡镇', '地址', '劳动者人数', '危害因素'];

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-input-large-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * Reads the file; returns counts, rows/s, the peak heap growth, and the growth of the heap retained
 * (after GC) between 25 % and 75 % of the rows: near zero when rows are not kept.
 */
async function measure(file: string, rows: number) {
  gc();
  const base = process.memoryUsage().heapUsed;
  let records = 0;
  let errors = 0;
  const retained: number[] = [];
  let lastName = '';
  let peak = 0;
  const start = process.hrtime.bigint();
  for await (const item of readEmployers(file)) {
    if (item.kind === 'record') {
      records++;
      lastName = item.record.name ?? '';
    } else errors++;
    if (records % 1000 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed - base);
    if (records === rows / 4 || records === (rows * 3) / 4) {
      gc();
      retained.push(process.memoryUsage().heapUsed);
    }
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  return {
    records,
    errors,
    lastName,
    rowsPerSecond: Math.round(rows / seconds),
    retainedGrowth: retained[1] - retained[0],
    peak,
    fileSize: fs.statSync(file).size,
  };
}

test(`${CSV_ROWS}-row UTF-8 CSV streams with bounded memory`, async () => {
  const file = path.join(dir, 'large.csv');
  const out = fs.createWriteStream(file);
  out.write(HEADER.join(',') + '\n');
  for (let i = 1; i <= CSV_ROWS; i++) out.write(rowValues(i).join(',') + '\n');
  await new Promise((resolve) => out.end(resolve));
  const m = await measure(file, CSV_ROWS);
  console.log(
    `csv: ${m.rowsPerSecond} rows/s, file ${(m.fileSize / 1e6).toFixed(1)} MB, ` +
      `retained growth 25→75 % ${(m.retainedGrowth / 1e6).toFixed(2)} MB, peak heap growth ${(m.peak / 1e6).toFixed(1)} MB`,
  );
  expect(m).toMatchObject({ records: CSV_ROWS, errors: 0, lastName: `柳州市第${CSV_ROWS}号机械制造有限公司` });
  expect(m.retainedGrowth).toBeLessThan(1e6); // half the rows are 8 MB of text
});

test(`${XLSX_ROWS}-row xlsx streams with bounded memory`, async () => {
  const file = path.join(dir, 'large.xlsx');
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const ws = wb.addWorksheet('名单');
  ws.addRow(HEADER).commit();
  for (let i = 1; i <= XLSX_ROWS; i++) ws.addRow(rowValues(i)).commit();
  ws.commit();
  await wb.commit();
  const m = await measure(file, XLSX_ROWS);
  console.log(
    `xlsx: ${m.rowsPerSecond} rows/s, file ${(m.fileSize / 1e6).toFixed(1)} MB, ` +
      `retained growth 25→75 % ${(m.retainedGrowth / 1e6).toFixed(2)} MB, peak heap growth ${(m.peak / 1e6).toFixed(1)} MB`,
  );
  expect(m).toMatchObject({ records: XLSX_ROWS, errors: 0, lastName: `柳州市第${XLSX_ROWS}号机械制造有限公司` });
  expect(m.retainedGrowth).toBeLessThan(1e6); // half the rows are ~1.6 MB of text
});

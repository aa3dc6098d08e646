// xlsx input: first sheet or --sheet, title row, numeric USCC, rich text, formulas, dates.

import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { collect, readFailure, tempDir } from './fixtures/input/collect';

let dir: string;
let file: string;

beforeAll(async () => {
  dir = tempDir('xlsx');
  file = path.join(dir, '柳城县名单.xlsx');
  const wb = new ExcelJS.Workbook();
  const first = wb.addWorksheet('第一批');
  first.addRow(['柳城县未申报用人单位名单']);
  first.mergeCells('A1:F1');
  first.addRow([]);
  first.addRow(['序号', '用人单位名称', '统一社会信用代码', '行业代码', '所在区县', '在册职工总数', '主要危害因素', '申报日期']);
  first.addRow([1, '柳城县永盛水泥有限公司', '91450222MA5K0A1B8E', 'C3011', '柳城县', 120, '矽尘、噪声', new Date(Date.UTC(2026, 10, 1))]);
  first.addRow([2, { richText: [{ text: '柳城县', font: { bold: true } }, { text: '恒达木业厂' }] }, 914502220000000000, 'C2110', '柳城县', { formula: 'B1*0+35', result: 35 }, { formula: '"木粉尘"&"、噪声"', result: '木粉尘、噪声' }]);
  first.addRow([3, '柳城县某砖厂', '91450222MA5K004770', { text: 'C3031', hyperlink: 'https://example.org' }, '柳城县', '', '']);
  first.getCell('H4').numFmt = 'yyyy-mm-dd';
  const second = wb.addWorksheet('第二批');
  second.addRow(['企业名称', '社会信用代码', '区县']);
  second.addRow(['柳城县第二批某厂', '91450222MA5K0B2C3W', '柳城县']);
  await wb.xlsx.writeFile(file);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('first sheet: title row skipped, values as text, numeric USCC rejected', async () => {
  const { records, errors, headers, rows } = await collect(file);
  expect(headers[0]).toMatchObject({ row: 3, ignored: ['序号', '申报日期'] });
  expect(rows).toEqual([4, 5, 6]);
  expect(records[0]).toEqual({
    source: { file, row: 4, sheet: '第一批' },
    name: '柳城县永盛水泥有限公司',
    uscc: '91450222MA5K0A1B8E',
    industry: 'C3011',
    county: '柳城县',
    workers: '120',
    hazards: ['矽尘', '噪声'],
    columns: { name: '用人单位名称', uscc: '统一社会信用代码', industry: '行业代码', county: '所在区县', workers: '在册职工总数', hazards: '主要危害因素' },
  });
  expect(errors).toEqual([
    {
      code: 'E_USCC_EXCEL',
      source: { file, row: 5, sheet: '第一批' },
      column: '统一社会信用代码',
      value: '914502220000000000',
      message: expect.stringContaining(`${file}（工作表“第一批”） 第 5 行“统一社会信用代码”列（值：914502220000000000）：Excel 把这个代码存成了数字`),
    },
  ]);
  expect(errors[0].message).toContain('“文本”格式');
  expect(records[1]).toMatchObject({ source: { row: 6 }, name: '柳城县某砖厂', industry: 'C3031' }); // hyperlink cell → its text
});

test('rich text, formula results and dates become plain text', async () => {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('名单');
  ws.addRow(['单位名称', '区县', '劳动者人数', '危害因素', '地址']);
  ws.addRow([{ richText: [{ text: '柳城县', font: { bold: true } }, { text: '恒达木业厂' }] }, '柳城县', { formula: 'B1*0+35', result: 35 }, { formula: '"木粉尘"&"、噪声"', result: '木粉尘、噪声' }, new Date(Date.UTC(2026, 10, 1))]);
  ws.getCell('E2').numFmt = 'yyyy-mm-dd';
  const rich = path.join(dir, 'rich.xlsx');
  await wb.xlsx.writeFile(rich);
  const { records } = await collect(rich);
  expect(records[0]).toMatchObject({ name: '柳城县恒达木业厂', workers: '35', hazards: ['木粉尘', '噪声'], address: '2026-11-01' });
});

test('--sheet picks another sheet', async () => {
  const { records, headers } = await collect(file, { sheet: '第二批' });
  expect(headers[0].row).toBe(1);
  expect(records).toEqual([
    {
      source: { file, row: 2, sheet: '第二批' },
      name: '柳城县第二批某厂',
      uscc: '91450222MA5K0B2C3W',
      county: '柳城县',
      columns: { name: '企业名称', uscc: '社会信用代码', county: '区县' },
    },
  ]);
});

test('unknown --sheet lists the sheets', async () => {
  const e = await readFailure(file, { sheet: '第三批' });
  expect(e.code).toBe('E_INPUT_SHEET');
  expect(e.message).toBe(`Excel 文件“${file}”中没有名为“第三批”的工作表（共有：“第一批”、“第二批”）`);
});

test('a file that is not a zip', async () => {
  const broken = path.join(dir, 'broken.xlsx');
  fs.writeFileSync(broken, '单位名称,区县\n');
  expect(await readFailure(broken)).toMatchObject({ code: 'E_INPUT_READ', message: expect.stringContaining(broken) });
});

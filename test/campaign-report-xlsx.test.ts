// The progress workbook, read back with exceljs, and opened by LibreOffice (headless, every sheet to CSV).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { statusWorkbook, writeStatusWorkbook } from '../src/campaign/report-xlsx';
import { COUNTIES, sampleStatus } from './fixtures/campaign-status-sample';
import { hasTool } from './tools';
import { workbookAsCsv } from './libreoffice-csv';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-status-xlsx-'));
const file = path.join(dir, '进度.xlsx');
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
  await writeStatusWorkbook(sampleStatus(), file);
  workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const values = (row: ExcelJS.Row): unknown[] => (row.values as unknown[]).slice(1);

test('sheets: 汇总, one per county in the config order, 无法归类; no temporary file left', () => {
  expect(workbook.worksheets.map((s) => s.name)).toEqual(['汇总', ...COUNTIES.map(([, name]) => name), '无法归类']);
  expect(fs.readdirSync(dir)).toEqual(['进度.xlsx']);
});

test('summary: title, 3-row frozen header with goals, every county and 全市 with real numbers and a percent format', () => {
  const sheet = workbook.getWorksheet('汇总')!;
  expect(sheet.getCell('A1').value).toBe('柳州市职业病危害项目申报扩面行动进度（截至2025年11月30日）');
  expect(sheet.getCell('A2').value).toMatch(/^统计日期：2025-11-30　区域：柳州市/);
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', xSplit: 1, ySplit: 5 });
  expect(sheet.autoFilter).toBe('A5:Q16');
  expect(sheet.getCell(3, 2).value).toBe('A　严重行业（矿山、冶金、化工、建材）');
  expect(sheet.getCell(4, 2).value).toBe('目标 100%，2024年12月31日前');
  expect(sheet.getCell(4, 10).value).toBe('目标 100%，2025年12月31日前');
  expect(sheet.getCell(4, 14).value).toBe('—'); // ALL has no goal
  expect(values(sheet.getRow(5))).toEqual(['区县', ...Array(4).fill(['应报', '已告知', '已申报', '申报率']).flat()]);

  const byCounty = new Map<string, unknown[]>();
  for (let r = 6; r <= 16; r++) byCounty.set(String(sheet.getCell(r, 1).value), values(sheet.getRow(r)));
  expect([...byCounty.keys()]).toEqual([...COUNTIES.map(([, n]) => n), '全市']);
  // Hand-checked against the fixture: 柳城县 A 8/6/4, B 4/2/1, C 10/6/3, ALL 95/40/25.
  expect(byCounty.get('柳城县')).toEqual(['柳城县', 8, 6, 4, 0.5, 4, 2, 1, 0.25, 10, 6, 3, 0.3, 95, 40, 25, 25 / 95]);
  // 城中区 has no A employer: rate “—”, not 0 and not 100%.
  expect(byCounty.get('城中区')!.slice(1, 5)).toEqual([0, 0, 0, '—']);
  // 全市 A: due 6+4+9+12+8+15+3+2 = 59, notified 6+4+9+12+6+13+3+1 = 54, declared 6+3+7+12+4+9+3+0 = 44.
  expect(byCounty.get('全市')!.slice(1, 5)).toEqual([59, 54, 44, 44 / 59]);
  expect(sheet.getRow(16).font).toMatchObject({ bold: true });
  expect(sheet.getCell(7, 5).numFmt).toBe('0.0%');
  expect(sheet.getCell(11, 17).numFmt).toBe('0.0%');
  // The county column fits 三江侗族自治县 (7 characters × 2 units).
  expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual(14);

  const notes: string[] = [];
  sheet.eachRow((row, n) => {
    if (n > 16) notes.push(values(row).join('|'));
  });
  expect(notes).toContain('目标组');
  expect(notes.find((n) => n.startsWith('C|'))).toMatch(/^C\|严重行业10人及以上；目标 100%，2025年12月31日前；依据：2025年底，/);
  expect(notes.find((n) => n.startsWith('无法归类'))).toMatch(/^无法归类：2 家/);
});

test('county sheet: 未申报 sorted by group, risk (严重 first), workers (larger first); notified date and 文号', () => {
  const sheet = workbook.getWorksheet('柳城县')!;
  expect(sheet.getCell('A1').value).toBe('柳城县未申报用人单位（截至2025年11月30日，共 5 家）');
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
  expect(sheet.autoFilter).toBe('A2:K7');
  const rows = [3, 4, 5, 6, 7].map((r) => values(sheet.getRow(r)));
  expect(rows.map((r) => [r[0], r[1], r[8]])).toEqual([
    ['A、C', '柳城县某某化工厂', 300],
    ['A、C', '柳城县某某水泥有限公司', 120],
    ['A、C', '柳城县某某石料厂', 35],
    ['B', '柳城县某某木器加工厂', 18],
    ['—', '柳城县某某汽车修理厂', undefined],
  ]);
  expect(rows[1][9]).toEqual(new Date('2025-10-09T00:00:00Z'));
  expect(rows[1][10]).toBe('柳城卫职告〔2025〕12号');
  expect(sheet.getCell(4, 10).numFmt).toBe('yyyy-mm-dd');
  expect(rows[0][9]).toBeUndefined(); // not notified: empty, not a made-up date
  // The name column fits the longest name (CJK counts two).
  expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(2 * '柳城县某某水泥有限公司'.length);
  expect(workbook.getWorksheet('城中区')!.getCell('A1').value).toBe('城中区未申报用人单位（截至2025年11月30日，共 0 家）');
});

test('无法归类 sheet lists each employer with the groups it could not be placed in and why', () => {
  const sheet = workbook.getWorksheet('无法归类')!;
  expect(values(sheet.getRow(2))).toEqual(['区县', '单位名称', '统一社会信用代码', '无法判断的目标组', '原因']);
  expect(values(sheet.getRow(3))).toEqual(['鹿寨县', '鹿寨县某某建材厂', undefined, 'A、C', '缺少行业']);
  expect(values(sheet.getRow(4))).toEqual(['柳城县', '柳城县某某陶瓷有限公司', '91450222MA5K004770', 'C', '缺少劳动者人数']);
});

test('same status → same bytes (workbook dates are the as-of date)', async () => {
  const again = await statusWorkbook(sampleStatus());
  expect(Buffer.from(again).equals(fs.readFileSync(file))).toBe(true);
  expect(workbook.created).toEqual(new Date('2025-11-30T00:00:00Z'));
  const later = await statusWorkbook(sampleStatus({ asOf: '2025-12-31' }));
  expect(Buffer.from(later).equals(fs.readFileSync(file))).toBe(false);
});

const testLo = hasTool('soffice', ['--version'], 'libreoffice-calc-nogui') ? test : test.skip;

testLo(
  'LibreOffice opens it: every sheet converts to CSV, rates shown as percentages',
  () => {
    const sheets = workbookAsCsv(file, dir);
    expect(Object.keys(sheets)).toHaveLength(12);
    const summary = sheets['进度-汇总.csv'];
    expect(summary).toContain('柳州市职业病危害项目申报扩面行动进度（截至2025年11月30日）');
    const lines = summary.split('\n');
    expect(lines.find((l) => l.startsWith('柳城县,'))).toBe('柳城县,8,6,4,50.0%,4,2,1,25.0%,10,6,3,30.0%,95,40,25,26.3%');
    expect(lines.find((l) => l.startsWith('城中区,'))).toMatch(/^城中区,0,0,0,—,/);
    const liucheng = sheets['进度-柳城县.csv'];
    expect(liucheng).toContain('柳城县某某水泥有限公司,91450222MA5K0A1B8E,大埔镇');
    expect(liucheng).toContain('2025-10-09,柳城卫职告〔2025〕12号');
  },
  150_000,
);

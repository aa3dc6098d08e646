// `catalog review`: the industry → hazard → disease workbook, read back with exceljs.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { runCli } from './cli-run';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-review-'));

async function review(name: string, ...args: string[]): Promise<{ file: string; sheet: ExcelJS.Worksheet }> {
  const file = path.join(dir, name);
  const r = await runCli('catalog', 'review', '--out', file, '--date', '2026-01-05', ...args);
  expect([r.code, r.stderr, r.stdout]).toEqual([0, '', `已生成：${file}\n`]);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(fs.readFileSync(file) as unknown as ArrayBuffer);
  return { file, sheet: workbook.worksheets[0] };
}

/** Row values by header, for the row whose 代码 is `code`. */
function row(sheet: ExcelJS.Worksheet, code: string): Record<string, string> {
  const header = (sheet.getRow(1).values as string[]).slice(1);
  let found: Record<string, string> | undefined;
  sheet.eachRow((r) => {
    const values = (r.values as string[]).slice(1);
    if (values[0] === code) found = Object.fromEntries(header.map((h, i) => [h, values[i] ?? '']));
  });
  if (!found) throw new Error(`no row ${code}`);
  return found;
}

test('one row per 小类 under a frozen, filtered header; known rows; same bytes for the same date', async () => {
  const { file, sheet } = await review('审阅表.xlsx');
  expect((sheet.getRow(1).values as string[]).slice(1)).toEqual([
    '代码',
    '门类',
    '大类',
    '中类',
    '小类',
    '风险分类（2021）',
    '处理方式',
    '危害因素',
    '职业病（2013年版）',
    '职业病（2024年版，2026-01-05 适用）',
    '依据',
    '本地调整',
  ]);
  expect(sheet.rowCount).toBe(1 + 1381);
  expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  expect(sheet.autoFilter).toBeTruthy();
  expect(sheet.getColumn(8).width).toBeGreaterThan(20);

  const battery = row(sheet, 'C3843');
  expect(battery).toMatchObject({
    门类: 'C 制造业',
    中类: 'C384 电池制造',
    小类: '铅蓄电池制造',
    '风险分类（2021）': '严重',
    危害因素: '铅及其化合物、硫酸及三氧化硫、噪声、高温',
    本地调整: '',
  });
  expect(battery.处理方式).toMatch(/^专门清单（C3843）/);
  expect(battery['职业病（2024年版，2026-01-05 适用）'].split('\n')[0]).toBe('铅及其化合物：铅及其化合物中毒（不包括四乙基铅）');
  expect(battery.依据.split('\n')).toHaveLength(4);

  const hospital = row(sheet, 'Q8411');
  expect(hospital.小类).toBe('综合医院');
  expect(hospital['职业病（2024年版，2026-01-05 适用）']).toMatch(/^X射线（电离辐射）：外照射慢性放射病、/m);

  const internet = row(sheet, 'I6410');
  expect(internet.处理方式).toMatch(/^无典型职业病危害（I\d*）：.+/);
  expect([internet.危害因素, internet.依据]).toEqual(['', '']);

  const again = await review('审阅表2.xlsx');
  expect(fs.readFileSync(again.file).equals(fs.readFileSync(file))).toBe(true);
});

test('with a region config, the local overrides show in 危害因素, 依据 and 本地调整', async () => {
  const config = path.join(dir, 'region.yaml');
  fs.copyFileSync(path.join(__dirname, '..', 'examples', 'industry-overrides.yaml'), path.join(dir, 'ov.yaml'));
  const bundled = fs.readFileSync(path.join(__dirname, '..', 'config', 'liuzhou.yaml'), 'utf8');
  fs.writeFileSync(config, `${bundled}industryOverrides: ov.yaml\n`);
  const battery = row((await review('本地.xlsx', '--config', config)).sheet, 'C3843');
  expect(battery.危害因素).toBe('铅及其化合物、硫酸及三氧化硫、锑及其化合物、噪声、高温');
  expect(battery.依据).toMatch(/^锑及其化合物：本地调整（C3843）本市铅蓄电池企业/m);
  expect(battery.本地调整).toMatch(/^C3843（本市铅蓄电池企业板栅使用铅锑合金/);
});

test('refuses an --out that is not .xlsx', async () => {
  const r = await runCli('catalog', 'review', '--out', path.join(dir, 'a.csv'));
  expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/E_ARG_OUT/)]);
});

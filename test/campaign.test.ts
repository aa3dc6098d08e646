// The campaign loop end to end through the CLI: import (rejected rows, re-import, --prune), declarations (USCC,
// name-only, unmatched report), letters from the register (batch and letter), and every count of the status table
// against hand-computed expectations per county and group at two dates; then the follow-up letters.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { loadCampaignGroups } from '../src/campaign/groups';
import { campaignTrend, monthEndsBefore } from '../src/campaign/status';
import type { CampaignStatus, TrendPoint } from '../src/campaign/status-model';
import { parseDeclarationDate } from '../src/campaign/import-declarations';
import { CampaignStore, nameKey } from '../src/campaign/store';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadRegionConfig } from '../src/config/region';
import { runCli } from './cli-run';
import { pdfFonts, pdfInfo, pdfText } from './poppler';
import { eachBackend } from './postgres';
import { hasTool } from './tools';
import { workbookAsCsv } from './libreoffice-csv';
import { BAD, LETTERS_2024, V1, V2, byId, declaredCsv, employersCsv, lettersCsv, uscc } from './fixtures/campaign/fixture';

jest.setTimeout(120_000);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-campaign-'));
const file = (name: string, text: string) => {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
};
const v1 = file('employers-v1.csv', employersCsv([...V1, ...BAD]));
const v2 = file('employers-v2.csv', employersCsv(V2));
const declared = file('declared.csv', declaredCsv());

interface ManifestJson {
  letters: { employer: { name: string }; docNumber: string; files: { path: string; sha256: string }[] }[];
}
const readManifest = (lettersDir: string) => JSON.parse(fs.readFileSync(path.join(lettersDir, 'manifest.json'), 'utf8')) as ManifestJson;

/** county → group → [due, notified, declared]. */
type Counts = Record<string, Record<string, [number, number, number]>>;

function countsOf(s: CampaignStatus, counties: string[]): Counts {
  const out: Counts = {};
  for (const r of s.rows.filter((x) => counties.includes(x.county))) {
    (out[r.county] ??= {})[r.group] = [r.due, r.notified, r.declared];
    expect(r.rate).toBe(r.due === 0 ? null : r.declared / r.due);
  }
  return out;
}

const COUNTIES = ['柳城县', '城中区', '鹿寨县', '全市'];

/** By hand from the fixture: the first list, the letters of 2024-07-01, the declarations up to 2024-12-31. */
const COUNTS_2024_12_31: Counts = {
  柳城县: { A: [5, 3, 2], B: [4, 3, 2], C: [4, 3, 2], ALL: [10, 5, 3] },
  城中区: { A: [3, 2, 0], B: [2, 2, 0], C: [2, 1, 0], ALL: [7, 3, 0] },
  鹿寨县: { A: [3, 1, 1], B: [2, 1, 0], C: [4, 2, 1], ALL: [6, 2, 1] },
  全市: { A: [11, 6, 3], B: [8, 6, 2], C: [10, 6, 3], ALL: [23, 10, 4] },
};

/**
 * By hand: 2025-06-30 (the second list with E25, E20 pruned) less what came after 2025-03-31 — E25's letter of
 * 2025-04-01 (城中区 A, C) and E07's declaration of 2025-05-01 (柳城县 B).
 */
const COUNTS_2025_03_31: Counts = {
  柳城县: { A: [6, 3, 2], B: [4, 3, 2], C: [6, 4, 2], ALL: [10, 5, 3] },
  城中区: { A: [4, 2, 0], B: [2, 2, 1], C: [3, 2, 0], ALL: [7, 4, 1] },
  鹿寨县: { A: [3, 1, 2], B: [2, 1, 1], C: [4, 2, 2], ALL: [6, 2, 2] },
  全市: { A: [13, 6, 4], B: [8, 6, 4], C: [13, 8, 4], ALL: [23, 11, 6] },
};

// The store's statements run on both backends: the whole loop once on SQLite, once on PostgreSQL.
eachBackend('campaign', (backend) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hn-campaign-${backend.kind}-`));
  const dataDir = path.join(dir, 'data');
  let database: string | undefined;
  beforeAll(async () => {
    database = await backend.fresh();
  });
  const cli = (...args: string[]) => runCli(...args, '--data-dir', dataDir, ...(database ? ['--database', database] : []));

  async function status(asOf: string, ...more: string[]): Promise<CampaignStatus> {
    const r = await cli('campaign', 'status', '--as-of', asOf, '--json', ...more);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout) as CampaignStatus;
  }

  test('import: good rows go in, bad rows are rejected with file, row, column, value and code', async () => {
    const r = await cli('campaign', 'import', v1, '--date', '2024-06-01');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('读取 26 行（名单日期 2024-06-01）：新增 23，更新 0，未变 0，拒绝 3');
    const rejects = r.stderr.trim().split('\n');
    expect(rejects).toEqual([
      `拒绝（E_CAMPAIGN_FLAG）：${v1} 第 26 行“工作场所职业病危害因素监测”列（值：有）：应为 是/否、Y/N、1/0 或 ✓（空白为否）`,
      `拒绝（E_WORKERS_INVALID）：${v1} 第 27 行“劳动者人数”列（值：约30）：劳动者人数应为不小于 0 的整数`,
      expect.stringMatching(new RegExp(`^拒绝（E_USCC_CHECK）：${v1} 第 28 行“统一社会信用代码”列（值：${BAD[2].uscc}）：校验码错误`)),
    ]);
  });

  test('re-importing the same file changes nothing; an earlier date is refused', async () => {
    const again = await cli('campaign', 'import', v1, '--date', '2024-06-01');
    expect(again.stdout).toContain('新增 0，更新 0，未变 23，拒绝 3');
    const back = await cli('campaign', 'import', v1, '--date', '2024-05-01');
    expect(back.code).toBe(2);
    expect(back.stderr).toContain('E_CAMPAIGN_DATE_ORDER');
  });

  test('letters from the register: a batch in 2024, one letter by name only and another batch in 2025', async () => {
    const letters = file('letters-2024.csv', lettersCsv(LETTERS_2024));
    const batch = await cli('batch', letters, '--out', path.join(dir, 'out-2024'), '--date', '2024-07-01', '--jobs', '1');
    expect(batch.stdout).toContain('生成告知单 10 份');
    const e13 = byId('E13');
    const one = await cli('letter', '--name', e13.name, '--industry', 'C1711', '--county', '城中区', '--date', '2025-01-15', '--out', dir);
    expect(one.code).toBe(0);
    const later = file('letters-2025.csv', lettersCsv(['E25']));
    const e25 = await cli('batch', later, '--out', path.join(dir, 'out-2025'), '--date', '2025-04-01');
    expect(e25.stdout).toContain('生成告知单 1 份');
  });

  test('declarations: by USCC, by normalised name + county; unmatched rows reported with the reason', async () => {
    const r = await cli('campaign', 'declared', declared);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('读取 13 行：匹配 9 行（按统一社会信用代码 7，按区县和名称 2；其中 0 行此前已记录），未匹配 4 行');
    const report = fs
      .readFileSync(path.join(path.dirname(declared), 'declared_未匹配.csv'), 'utf8')
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(report[0]).toBe('行号,单位名称,统一社会信用代码,区县,申报日期,申报类型,错误码,原因');
    expect(report.slice(1).map((l) => l.split(',').slice(0, 7))).toEqual([
      ['9', '柳州不存在有限公司', uscc(41), '柳江区', '2024-09-01', '首次申报', 'E_DECLARED_NO_MATCH'],
      ['10', '城中丁纺织有限公司', uscc(13), '城中区', '2024-13-01', '首次申报', 'E_DECLARED_DATE'],
      ['11', '柳城丙家具厂', '', '城中区', '2024-09-09', '首次申报', 'E_DECLARED_NO_MATCH'],
      ['14', '城中甲玻璃有限公司', uscc(42), '城中区', '2024-09-01', '首次申报', 'E_DECLARED_USCC_CONFLICT'],
    ]);
    const again = await cli('campaign', 'declared', declared);
    expect(again.stdout).toContain('匹配 9 行（按统一社会信用代码 7，按区县和名称 2；其中 9 行此前已记录），未匹配 4 行');
  });

  test('the new list a year on: missing employers listed, removed only with --prune', async () => {
    const listed = await cli('campaign', 'import', v2, '--date', '2025-03-01');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain('读取 23 行（名单日期 2025-03-01）：新增 1，更新 3，未变 19，拒绝 0');
    expect(listed.stdout).toContain('数据库中有、本次名单中没有的单位 1 家，仍保留（加 --prune 删除）：\n  城中区  城中己软件有限公司\n');
    const kept = await status('2025-03-01');
    expect(countsOf(kept, ['城中区'])['城中区'].ALL[0]).toBe(8);
    const pruned = await cli('campaign', 'import', v2, '--date', '2025-03-01', '--prune');
    expect(pruned.stdout).toContain('新增 0，更新 0，未变 23，拒绝 0');
    expect(pruned.stdout).toContain('1 家，已删除（记为 2025-03-01 删除）');
  });

  test('status as of 2024-12-31: every count by hand', async () => {
    const s = await status('2024-12-31');
    expect(s.asOf).toBe('2024-12-31');
    expect(s.groups.map((g) => [g.id, g.goal?.by])).toEqual([
      ['A', '2024-12-31'],
      ['B', '2024-12-31'],
      ['C', '2025-12-31'],
      ['ALL', undefined],
    ]);
    expect(countsOf(s, COUNTIES)).toEqual(COUNTS_2024_12_31);
    // The other seven counties: rows with nothing due.
    const others = s.rows.filter((r) => !COUNTIES.includes(r.county));
    expect(others).toHaveLength(7 * 4);
    expect(others.every((r) => r.due === 0 && r.rate === null)).toBe(true);
    expect(s.rows.map((r) => r.county).slice(-4)).toEqual(['全市', '全市', '全市', '全市']);
    expect(s.unclassified.map((u) => [u.name, u.groups, u.reason])).toEqual([
      ['城中丙建材有限公司', ['A', 'C'], '行业“C30 非金属矿物制品业”只到大类，无法确定2021年风险分类'],
      ['城中庚煤矿有限公司', ['C'], '缺少劳动者人数'],
      ['柳城己化工有限公司', ['C'], '缺少劳动者人数'],
      [
        '柳城戊天然气有限公司',
        ['A', 'C'],
        '行业“B0721 陆地天然气开采”的2021年风险分类为“严重或一般（视是否开采含硫天然气）”，须按实际情形判定',
      ],
      ['柳城辛商贸有限公司', ['A', 'C'], '缺少行业'],
      ['鹿寨己天然气有限公司', ['A'], '行业“B0721 陆地天然气开采”的2021年风险分类为“严重或一般（视是否开采含硫天然气）”，须按实际情形判定'],
    ]);
  });

  test('status as of 2025-06-30: the second list, later letters and declarations', async () => {
    const s = await status('2025-06-30');
    expect(countsOf(s, COUNTIES)).toEqual({
      柳城县: { A: [6, 3, 2], B: [4, 3, 3], C: [6, 4, 2], ALL: [10, 5, 4] },
      城中区: { A: [4, 3, 0], B: [2, 2, 1], C: [3, 3, 0], ALL: [7, 5, 1] },
      鹿寨县: { A: [3, 1, 2], B: [2, 1, 1], C: [4, 2, 2], ALL: [6, 2, 2] },
      全市: { A: [13, 7, 4], B: [8, 6, 5], C: [13, 9, 4], ALL: [23, 12, 7] },
    });
    expect(s.unclassified.map((u) => u.name)).toEqual([
      '城中丙建材有限公司',
      '城中庚煤矿有限公司',
      '柳城己化工有限公司',
      '柳城戊天然气有限公司',
      '鹿寨己天然气有限公司',
    ]);
    // Not declared: sorted by county, group, risk, size; each with its newest letter.
    const lz = s.pending.filter((p) => p.county === '鹿寨县');
    expect(lz.map((p) => [p.name, p.groups, p.notified?.date])).toEqual([
      ['鹿寨丁水泥有限公司', ['A', 'C', 'ALL'], undefined],
      ['鹿寨己天然气有限公司', ['B', 'ALL'], undefined],
      ['鹿寨乙家具有限公司', ['C', 'ALL'], '2024-07-01'],
      ['鹿寨丙屠宰场', ['ALL'], undefined],
    ]);
    expect(s.pending.find((p) => p.name === '城中丁纺织有限公司')?.notified?.date).toBe('2025-01-15');
  });

  test('an employer is not due before the day it was imported', async () => {
    const before = countsOf(await status('2025-02-28'), ['城中区'])['城中区'];
    const after = countsOf(await status('2025-03-01'), ['城中区'])['城中区'];
    expect([before.A[0], before.ALL[0]]).toEqual([3, 7]); // E20 still there, E25 not yet
    expect([after.A[0], after.ALL[0]]).toEqual([4, 7]); // E20 removed, E25 added
    expect((await status('2024-05-31')).rows.every((r) => r.due === 0)).toBe(true);
  });

  test('--county and the terminal table', async () => {
    const one = await status('2025-06-30', '--county', '鹿寨');
    expect(one.rows.map((r) => r.county)).toEqual(['鹿寨县', '鹿寨县', '鹿寨县', '鹿寨县']);
    expect(one.unclassified.map((u) => u.name)).toEqual(['鹿寨己天然气有限公司']);
    const table = await cli('campaign', 'status', '--as-of', '2024-12-31', '--county', '柳城县');
    const lines = table.stdout.split('\n');
    expect(lines[0]).toBe('柳州市职业病危害项目申报进度（截至 2024-12-31）');
    expect(lines.slice(2, 7)).toEqual([
      '区县    组   应报  已告知  已申报  申报率  目标',
      '柳城县  A       5       3       2   40.0%  100.0%（2024-12-31 前）',
      '柳城县  B       4       3       2   50.0%  100.0%（2024-12-31 前）',
      '柳城县  C       4       3       2   50.0%  100.0%（2025-12-31 前）',
      '柳城县  ALL    10       5       3   30.0%',
    ]);
    const bad = await cli('campaign', 'status', '--county', '柳州县');
    expect(bad.code).toBe(3);
    expect(bad.stderr).toContain('E_COUNTY_UNKNOWN');
  });

  test('trend: a point per month end since the first import, each what `status --as-of` gives that day', async () => {
    const store = await CampaignStore.inDataDir(dataDir, { database });
    let trend: TrendPoint[];
    try {
      trend = await campaignTrend(store, loadKnowledgeBase(), loadRegionConfig(), loadCampaignGroups(), { asOf: '2025-06-30' });
    } finally {
      await store.close();
    }
    // The first list is dated 2024-06-01: no point before 2024-06-30; the as-of date itself is the report's own status.
    expect(trend.map((p) => p.asOf)).toEqual(monthEndsBefore('2025-06-30', 12));
    expect(trend[0].asOf).toBe('2024-06-30');
    const at = (date: string) => trend.find((p) => p.asOf === date)! as CampaignStatus;
    expect(countsOf(at('2024-12-31'), COUNTIES)).toEqual(COUNTS_2024_12_31);
    expect(countsOf(at('2025-03-31'), COUNTIES)).toEqual(COUNTS_2025_03_31);
    for (const point of trend) expect([point.asOf, point.rows]).toEqual([point.asOf, (await status(point.asOf)).rows]);
    expect(monthEndsBefore('2024-03-15', 3)).toEqual(['2023-12-31', '2024-01-31', '2024-02-29']);
  });

  test('status --out x.pdf: the as-of figures, the trend by month, the issuer; fonts embedded', async () => {
    const pdf = path.join(dir, 'reports', '进度.pdf');
    const r = await cli('campaign', 'status', '--as-of', '2025-06-30', '--out', pdf);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain(`进度报告：${pdf}`);
    const bytes = fs.readFileSync(pdf);
    expect(pdfInfo(bytes).Pages).toBe('2');
    for (const f of pdfFonts(bytes)) expect(f).toMatchObject({ embedded: true, subset: true, unicode: true });
    const [page1, page2] = pdfText(bytes)
      .split('\f')
      .map((p) => p.replace(/[ \t]+/g, ' '));
    expect(page1).toContain('柳州市卫生健康委员会 数据截至2025年6月30日');
    const rows = page1.split('\n').map((l) => l.trim());
    // 2025-06-30 (see the status test): A, B then C, ALL.
    expect(rows.filter((l) => l.startsWith('全市 '))).toEqual(['全市 13 7 4 30.8% 8 6 5 62.5%', '全市 13 9 4 30.8% 23 12 7 30.4%']);
    expect(rows.filter((l) => l.startsWith('柳城县 '))).toEqual(['柳城县 6 3 2 33.3% 4 3 3 75.0%', '柳城县 6 4 2 33.3% 10 5 4 40.0%']);
    expect(page2).toContain('图2 柳州市申报率变化');
    // 13 points (2024-06-30 … 2025-06-30), every other one labelled, the year under its first label.
    const labels = page2.split('\n').find((l) => l.includes('8月') && l.includes('10月'))!;
    expect(labels.trim().split(' ')).toEqual(['6月', '8月', '10月', '12月', '2月', '4月', '6月']);
    expect(page2).toMatch(/2024年 2025年/);
    // One county: its bureau issues it, and the trend is the county's.
    const one = path.join(dir, 'reports', '柳城县.pdf');
    expect((await cli('campaign', 'status', '--as-of', '2025-06-30', '--county', '柳城县', '--out', one)).code).toBe(0);
    const text = pdfText(fs.readFileSync(one)).replace(/[ \t]+/g, ' ');
    expect(text).toContain('柳城县职业病危害项目申报扩面行动进度');
    expect(text).toContain('柳城县卫生健康局 数据截至2025年6月30日');
    expect(text).toContain('图2 柳城县申报率变化');
    // Same data, same date: the same bytes.
    await cli('campaign', 'status', '--as-of', '2025-06-30', '--out', pdf);
    expect(fs.readFileSync(pdf).equals(bytes)).toBe(true);
  });

  test('status --out x.xlsx --json: both; LibreOffice opens the workbook with the figures', async () => {
    const xlsx = path.join(dir, 'reports', '进度.xlsx');
    const r = await cli('campaign', 'status', '--as-of', '2025-06-30', '--json', '--out', xlsx);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as CampaignStatus).asOf).toBe('2025-06-30');
    expect(fs.readdirSync(path.dirname(xlsx)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    if (!hasTool('soffice', ['--version'], 'libreoffice-calc-nogui')) return;
    const sheets = workbookAsCsv(xlsx, path.join(dir, 'reports'));
    const summary = sheets['进度-汇总.csv'].split('\n');
    expect(summary.find((l) => l.startsWith('柳城县,'))).toBe('柳城县,6,3,2,33.3%,4,3,3,75.0%,6,4,2,33.3%,10,5,4,40.0%');
    expect(summary.find((l) => l.startsWith('全市,'))).toBe('全市,13,7,4,30.8%,8,6,5,62.5%,13,9,4,30.8%,23,12,7,30.4%');
    const luzhai = sheets['进度-鹿寨县.csv'];
    expect(luzhai).toContain('鹿寨丁水泥有限公司');
    expect(luzhai).not.toContain('鹿寨甲铁矿有限公司'); // declared 2025-02-01
  }, 150_000);

  test('status --out with another extension: an error with its code, nothing written', async () => {
    const r = await cli('campaign', 'status', '--out', path.join(dir, 'reports', '进度.csv'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('错误（E_REPORT_FORMAT）：--out');
    expect(r.stderr).toContain('只能写成 .xlsx');
    expect(fs.existsSync(path.join(dir, 'reports', '进度.csv'))).toBe(false);
  });

  test('followup: notified 30 days before and not declared → letters through the batch and a work sheet', async () => {
    const out = path.join(dir, 'followup');
    const args = ['campaign', 'followup', '--date', '2025-06-30', '--template', 'templates/default', '--out', out, '--jobs', '1'];
    const r = await cli(...args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('告知满 30 天仍未申报的单位：7 家（截至 2025-06-30）');
    expect(r.stdout).toContain('生成催报告知单 7 份（其中 0 份为上次已完成、校验后保留），拒绝 0 行');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, '催报告知单', 'manifest.json'), 'utf8')) as {
      letters: { employer: { name: string }; docNumber: string; date: string }[];
    };
    expect(manifest.letters.map((l) => l.date)).toEqual(new Array(7).fill('2025-06-30'));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path.join(out, '入户指导工作表.xlsx'));
    const sheet = wb.worksheets[0];
    const col = (header: string) => (sheet.getRow(1).values as string[]).indexOf(header);
    const rows = Array.from({ length: sheet.rowCount - 1 }, (_, i) => sheet.getRow(i + 2));
    const names = ['E10', 'E25', 'E23', 'E13', 'E02', 'E03', 'E16'].map((id) => byId(id).name);
    expect(rows.map((row) => row.getCell(col('单位名称')).value)).toEqual(names);
    const numbers = rows.map((row) => String(row.getCell(col('催报告知单文号')).value));
    expect(new Set(numbers)).toEqual(new Set(manifest.letters.map((l) => l.docNumber)));
    expect(rows[0].getCell(col('告知后天数')).value).toBe(364);
    // The same command again: the same list, the same numbers, the same work sheet bytes.
    const sheetBytes = fs.readFileSync(path.join(out, '入户指导工作表.xlsx'));
    const again = await cli(...args);
    expect(again.stdout).toContain('7 份（其中 7 份为上次已完成');
    expect(fs.readFileSync(path.join(out, '入户指导工作表.xlsx')).equals(sheetBytes)).toBe(true);
  });

  test('followup: --days counts back from the date; no template and no bundled reminder is an error', async () => {
    const out = path.join(dir, 'followup-100');
    const r = await cli('campaign', 'followup', '--date', '2025-06-30', '--days', '100', '--template', 'templates/default', '--out', out);
    expect(r.stdout).toContain('6 家'); // E25's letter of 2025-04-01 is 90 days old
    if (!fs.existsSync('templates/reminder')) {
      const none = await cli('campaign', 'followup', '--out', path.join(dir, 'followup-none'));
      expect(none.stderr).toContain('E_CAMPAIGN_TEMPLATE');
    }
  });

  test('followup with the bundled reminder: each letter names the previous notice; --deadline prints 申报期限', async () => {
    const before = await status('2025-06-29');
    const noticeOf = (id: string) => before.pending.find((p) => p.name === byId(id).name)!.notified!;
    const run = (out: string, ...more: string[]) =>
      cli('campaign', 'followup', '--date', '2025-06-30', '--format', 'pdf', '--jobs', '1', '--out', path.join(dir, out), ...more);
    const r = await run('reminder', '--deadline', '2025-07-31');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lettersDir = path.join(dir, 'reminder', '催报告知单');
    const manifest = (out = 'reminder') => readManifest(path.join(dir, out, '催报告知单')).letters;
    const letters = manifest();
    expect(letters).toHaveLength(7);
    const textOf = (id: string) => {
      const letter = letters.find((l) => l.employer.name === byId(id).name)!;
      return pdfText(fs.readFileSync(path.join(lettersDir, letter.files[0].path))).replace(/\s+/g, '');
    };
    // E13: the single letter of 2025-01-15; E25: the batch of 2025-04-01; E10: the batch of 2024-07-01.
    for (const [id, date] of [
      ['E13', '2025年1月15日'],
      ['E25', '2025年4月1日'],
      ['E10', '2024年7月1日'],
    ]) {
      const text = textOf(id);
      expect(text).toContain('职业病危害项目申报催报告知单');
      expect(text).toContain(`我局已于${date}以《职业病危害项目申报告知单》（${noticeOf(id).docNumber}）告知你单位`);
      expect(text).toContain('请你单位于2025年7月31日前完成职业病危害项目申报');
    }
    expect(noticeOf('E13').date).toBe('2025-01-15');
    // Again: the same numbers, the same bytes.
    const again = await run('reminder', '--deadline', '2025-07-31');
    expect(again.stdout).toContain('7 份（其中 7 份为上次已完成');
    expect(manifest()).toEqual(letters);
    // Without --deadline: a blank to fill by hand, the previous notice still named.
    await run('reminder-blank');
    const blank = manifest('reminder-blank').find((l) => l.employer.name === byId('E13').name)!;
    const blankText = pdfText(fs.readFileSync(path.join(dir, 'reminder-blank', '催报告知单', blank.files[0].path))).replace(/\s+/g, '');
    expect(blankText).toContain('请你单位于年月日前完成');
    expect(blankText).toContain(noticeOf('E13').docNumber);
    const late = await run('reminder-late', '--deadline', '2025-06-30');
    expect(late.code).toBe(2);
    expect(late.stderr).toContain('E_ARG_DEADLINE');
  });
});

describe('campaign units', () => {
  test('prune is not applied when rows were rejected', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-campaign-prune-'));
    await runCli('campaign', 'import', v1, '--date', '2024-06-01', '--data-dir', data);
    const without = file('v1-without-e01.csv', employersCsv([...V1.slice(1), ...BAD]));
    const r = await runCli('campaign', 'import', without, '--date', '2024-07-01', '--prune', '--data-dir', data);
    expect(r.stdout).toContain('1 家，仍保留（加 --prune 删除）');
    expect(r.stdout).toContain('有被拒绝的行，未执行 --prune');
  });

  test('declaration dates and name normalisation', () => {
    expect(parseDeclarationDate('2024/9/3 08:15:00')).toBe('2024-09-03');
    expect(parseDeclarationDate('２０２４年９月３日')).toBe('2024-09-03');
    expect(parseDeclarationDate('2024-02-30')).toBeUndefined();
    expect(parseDeclarationDate('去年')).toBeUndefined();
    expect(nameKey('柳州市 某某（柳江）有限公司')).toBe(nameKey('柳州市某某(柳江)有限公司'));
    expect(nameKey('柳州ＡＢＣ【柳北】公司')).toBe(nameKey('柳州abc(柳北)公司'));
    expect(nameKey('柳州甲公司')).not.toBe(nameKey('柳州乙公司'));
  });
});

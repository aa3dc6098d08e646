// The campaign loop end to end through the CLI: import (rejected rows, re-import, --prune), declarations (USCC,
// name-only, unmatched report), letters from the register (batch and letter), and every count of the status table
// against hand-computed expectations per county and group at two dates; then the follow-up letters.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { CampaignStatus } from '../src/campaign/status-model';
import { parseDeclarationDate } from '../src/campaign/import-declarations';
import { nameKey } from '../src/campaign/store';
import { runCli } from './cli-run';
import { eachBackend } from './postgres';
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
    expect(countsOf(s, COUNTIES)).toEqual({
      柳城县: { A: [5, 3, 2], B: [4, 3, 2], C: [4, 3, 2], ALL: [10, 5, 3] },
      城中区: { A: [3, 2, 0], B: [2, 2, 0], C: [2, 1, 0], ALL: [7, 3, 0] },
      鹿寨县: { A: [3, 1, 1], B: [2, 1, 0], C: [4, 2, 1], ALL: [6, 2, 1] },
      全市: { A: [11, 6, 3], B: [8, 6, 2], C: [10, 6, 3], ALL: [23, 10, 4] },
    });
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

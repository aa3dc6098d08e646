// The curated data/industry-hazards.yaml, resolved through the real knowledge base.

import fs from 'node:fs';
import path from 'node:path';
import { parseCsv } from '../src/csv/parse';
import { loadKnowledgeBase } from '../src/catalog/load';
import type { IndustryHazard, KnowledgeBase } from '../src/catalog/types';

const DATA_DIR = path.join(__dirname, '..', 'data');
const BENZENE_SERIES = ['苯', '甲苯', '二甲苯'];

/** Rows of a data/ CSV as objects keyed by the header. */
function readCsv(file: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(fs.readFileSync(path.join(DATA_DIR, file), 'utf8'), file);
  return rows.map((r) => Object.fromEntries(header.fields.map((name, i) => [name, r.fields[i] ?? ''])));
}

const industries = readCsv('gbt4754-2017.csv');
const severeRows = readCsv('industry-risk-2021.csv').filter((r) => r.risk === '严重');

let kb: KnowledgeBase;
beforeAll(() => {
  kb = loadKnowledgeBase();
});

/** Effective hazards of a code that must exist in GB/T 4754-2017. */
function hazardsOf(code: string): IndustryHazard[] {
  expect(kb.industry(code)).toBeDefined();
  return kb.industryHazards(code);
}
const namesOf = (code: string) => hazardsOf(code).map((h) => h.hazard.name);
const shortNamesOf = (code: string) => hazardsOf(code).map((h) => h.hazard.shortName);
const top3 = (code: string) => namesOf(code).slice(0, 3);

describe('focus sectors: the first three hazards are the characteristic ones', () => {
  test.each([
    // code, name (as in GB/T 4754-2017), hazards that must all be among the first three
    ['B0610', '烟煤和无烟煤开采洗选', ['煤尘']],
    ['B0810', '铁矿采选', ['矽尘（游离SiO2含量≥10%）']],
    ['B0911', '铜矿采选', ['矽尘（游离SiO2含量≥10%）', '噪声']],
    ['B1019', '粘土及其他土砂石开采', ['矽尘（游离SiO2含量≥10%）']],
    ['C3011', '水泥制造', ['水泥粉尘', '矽尘（游离SiO2含量≥10%）', '噪声']],
    ['C3032', '建筑用石加工', ['矽尘（游离SiO2含量≥10%）', '大理石粉尘', '噪声']],
    ['C3110', '炼铁', ['高温', '一氧化碳', '噪声']],
    ['C3140', '铁合金冶炼', ['高温', '锰及其化合物']],
    ['C3212', '铅锌冶炼', ['铅及其化合物（不包括四乙基铅）', '二氧化硫']],
    ['C2611', '无机酸制造', ['硫酸及三氧化硫', '二氧化硫']],
    ['C2612', '无机碱制造', ['氯气', '氢氧化钠']],
    ['C2511', '原油加工及石油制品制造', ['硫化氢', '苯', '噪声']],
    ['C2521', '炼焦', ['焦炉逸散物', '煤尘', '高温']],
    ['C2110', '木质家具制造', ['木粉尘', '苯']],
    ['C2311', '书、报刊印刷', BENZENE_SERIES],
    ['C1952', '皮鞋制造', ['苯', '正己烷', '二氯乙烷']],
    ['C1951', '纺织面料鞋制造', ['苯', '正己烷', '二氯乙烷']],
    ['C3311', '金属结构制造', ['电焊烟尘', '噪声']],
    ['C3399', '其他未列明金属制品制造', ['电焊烟尘']],
    ['C3391', '黑色金属铸造', ['铸造粉尘', '高温', '噪声']],
    ['C3421', '金属切削机床制造', ['电焊烟尘', '噪声', '砂轮磨尘']],
    ['C3611', '汽柴油车整车制造', ['电焊烟尘', '噪声']],
    ['C3670', '汽车零部件及配件制造', ['电焊烟尘', '噪声']],
    ['C3843', '铅蓄电池制造', ['铅及其化合物（不包括四乙基铅）', '硫酸及三氧化硫']],
    ['C3911', '计算机整机制造', ['铅及其化合物（不包括四乙基铅）', '正己烷', '三氯乙烯']],
    ['C1711', '棉纺纱加工', ['棉尘', '噪声']],
    ['C1340', '制糖业', ['噪声', '高温', '二氧化硫']],
    ['D4411', '火力发电', ['煤尘', '噪声', '高温']],
    ['E4710', '住宅房屋建筑', ['矽尘（游离SiO2含量≥10%）', '水泥粉尘', '噪声']],
    ['Q8411', '综合医院', ['X射线装置（含CT机）产生的电离辐射', '艾滋病病毒']],
    ['A0311', '牛的饲养', ['布鲁氏菌']],
    ['A0314', '羊的饲养', ['布鲁氏菌']],
  ])('%s %s', (code, name, expected) => {
    expect(kb.industry(code)?.name).toBe(name);
    expect(top3(code)).toEqual(expect.arrayContaining(expected));
  });

  test('painting trades list the benzene series first and their other processes after it', () => {
    for (const code of ['C2311', 'E5012', 'O8111']) expect(top3(code)).toEqual(BENZENE_SERIES);
    expect(top3('C2110')).toEqual(['木粉尘', '苯', '甲苯']);
    expect(namesOf('O8111')).toEqual(expect.arrayContaining(['汽油', '电焊烟尘', '噪声']));
    expect(namesOf('C2110')).toEqual(expect.arrayContaining(['二甲苯', '甲醛', '噪声']));
  });

  test('every 大类 of manufacturing resolves to at least one specific hazard besides 噪声', () => {
    // C41 其他制造业 (brushes, nuclear irradiation, unlisted) has nothing in common at 大类 level.
    const divisions = industries.filter((r) => r.section === 'C' && r.level === 'division' && r.code !== '41');
    expect(divisions).toHaveLength(30);
    for (const d of divisions) {
      const specific = hazardsOf(d.code).filter((h) => h.hazard.name !== '噪声');
      expect({ code: d.code, specific: specific.length > 0 }).toEqual({ code: d.code, specific: true });
    }
  });

  test('hospitals list ionising radiation before everything else; village clinics without X-ray equipment do not', () => {
    expect(hazardsOf('Q8411')[0].hazard.category).toBe('放射性因素');
    expect(shortNamesOf('Q8424').length).toBeGreaterThan(0);
    expect(hazardsOf('Q8424').map((h) => h.hazard.category)).not.toContain('放射性因素');
  });
});

describe('inheritance and override', () => {
  test('a 小类 without its own entry inherits its 中类, 大类 and 门类 lists in that order', () => {
    const hazards = hazardsOf('A0311');
    expect(hazards.map((h) => [h.hazard.name, h.fromCode])).toEqual([
      ['布鲁氏菌', 'A031'],
      ['炭疽芽孢杆菌', 'A031'],
      ['氨', 'A03'],
      ['硫化氢', 'A03'],
      ['高温', 'A'],
    ]);
  });

  test('a 小类 of metal structures takes its 中类 list (override: the generic C33 list does not follow)', () => {
    const hazards = hazardsOf('C3312');
    expect(hazards[0]).toMatchObject({ fromCode: 'C331', hazard: { name: '电焊烟尘' } });
    expect(new Set(hazards.map((h) => h.fromCode))).toEqual(new Set(['C331']));
  });

  test('own entries come first, the parent list follows without repeating a hazard', () => {
    const hazards = hazardsOf('C3252'); // 铝压延加工: own list, then C325, C32, C
    expect(hazards[0]).toMatchObject({ fromCode: 'C3252', hazard: { name: '铝尘' } });
    expect(hazards.map((h) => h.fromCode)).toEqual(expect.arrayContaining(['C3252', 'C325', 'C32']));
    const ids = hazards.map((h) => h.hazard.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('override stops inheritance: pig farming gets no anthrax, a nuclear plant no coal dust', () => {
    expect(namesOf('A0313')).not.toContain('炭疽芽孢杆菌');
    expect(hazardsOf('A0313').every((h) => h.fromCode === 'A0313')).toBe(true);
    expect(namesOf('D4414')).not.toContain('煤尘');
    expect(namesOf('D4414')).toContain('非密封放射性物质');
    expect(namesOf('D4412')).toContain('煤尘'); // 热电联产 keeps the coal-fired 中类 list
  });

  test('no effective list repeats a hazard', () => {
    for (const row of industries) {
      const ids = kb.industryHazards(row.code).map((h) => h.hazard.id);
      expect({ code: row.code, unique: new Set(ids).size === ids.length }).toEqual({ code: row.code, unique: true });
    }
  });
});

describe('coverage of the 2021 目录 ratings', () => {
  test('all 146 industries rated 严重 resolve to at least one hazard', () => {
    expect(severeRows).toHaveLength(146);
    const empty = severeRows.filter((r) => kb.industryHazards(r.code).length === 0).map((r) => `${r.code} ${r.name}`);
    expect(empty).toEqual([]);
  });

  test.each([
    ['A031', '布鲁氏菌'],
    ['A053', '布鲁氏菌'],
    ['B072', '硫化氢'],
    ['C243', '矽尘（游离SiO2含量≥10%）'],
    ['D441', '煤尘'],
    ['D443', '煤尘'],
    ['D451', '一氧化碳'],
    ['N772', '铅及其化合物（不包括四乙基铅）'],
  ])('中类 %s split by the 目录 resolves to its 严重 sub-case first (%s)', (code, first) => {
    expect(namesOf(code)[0]).toBe(first);
  });

  test('every 小类 of 采矿业, 制造业, 电力燃气水 and 建筑业 resolves to at least one hazard', () => {
    const classes = industries.filter((r) => r.level === 'class' && 'BCDE'.includes(r.section));
    const empty = classes.filter((r) => kb.industryHazards(r.code).length === 0).map((r) => r.code);
    expect(empty).toEqual([]);
    expect(classes.length).toBeGreaterThan(600);
  });

  test.each([
    ['C3011', 'C3011'],
    ['C3110', 'C311'],
    ['C2311', 'C231'],
    ['C1952', 'C195'],
    ['E4710', 'E471'],
  ])('each basis %s takes from the 严重-rated entry %s cites the 2021 目录', (code, entry) => {
    const own = hazardsOf(code).filter((h) => h.fromCode === entry);
    expect(own.length).toBeGreaterThan(0);
    for (const h of own) expect(h.basis).toMatch(/2021目录：(严重|所属中类均为严重)/);
  });
});

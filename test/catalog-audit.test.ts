// Issue 9, definite errors 1–9: letters a county occupational-health professional signs unchanged.

import fs from 'node:fs';
import path from 'node:path';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadRegionConfig } from '../src/config/region';
import type { EmployerRecord } from '../src/input/employer';
import { resolveRecord, type ResolveContext } from '../src/resolve/resolve-record';
import { parseCsv } from '../src/csv/parse';

const kb = loadKnowledgeBase();
const region = loadRegionConfig();
const ctx = (date: string): ResolveContext => ({ kb, region, date, maxHazards: 3 });
const DATES = ['2025-07-31', '2025-08-01']; // last day of the 2013 catalogue, first of the 2024 one

function letter(industry: string, date = '2026-01-05', hazards?: string[], maxHazards = 3) {
  const record: EmployerRecord = {
    source: { file: '名单.xlsx', row: 2 },
    name: '柳州市某某有限公司',
    industry,
    county: '柳城县',
    ...(hazards ? { hazards } : {}),
    columns: { name: '单位名称', industry: '行业代码', county: '区县', hazards: '危害因素' },
  };
  const r = resolveRecord(record, { ...ctx(date), maxHazards });
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return { hazards: r.data.hazards.slice(0, 3).map((h) => h.name), diseases: r.data.diseases.slice(0, 3).map((d) => d.name), data: r.data };
}
const shortNames = (code: string) => kb.industryHazards(code).map((h) => h.hazard.shortName);

describe('1. each 严重 industry has a list of its own; no 镍 in lead-acid batteries', () => {
  test('C3843 铅蓄电池制造: 铅, 硫酸, 噪声; no nickel, cobalt or cadmium anywhere in the list', () => {
    expect(shortNames('C3843').slice(0, 3)).toEqual(['铅及其化合物', '硫酸及三氧化硫', '噪声']);
    expect(shortNames('C3843')).not.toEqual(expect.arrayContaining(['镍及其化合物']));
    expect(kb.industryHazards('C3843').every((h) => h.fromCode === 'C3843')).toBe(true);
  });

  test('C3849 其他电池制造 and C3841 锂离子电池 do not inherit the lead of lead-acid batteries', () => {
    for (const code of ['C3849', 'C3841', 'C3842', 'C3844']) {
      expect(kb.industryHazards(code).every((h) => h.fromCode === code)).toBe(true);
      expect(shortNames(code)).not.toContain('铅及其化合物');
    }
  });

  test('C3587 眼镜制造 no longer leads with 电焊烟尘 from the generic C35 list', () => {
    expect(shortNames('C3587')[0]).not.toBe('电焊烟尘');
    expect(kb.industryHazards('C3587').every((h) => h.fromCode === 'C3587')).toBe(true);
  });

  test('all 146 严重 rows take at least one hazard from a 中类 or 小类 entry, each basis citing the 2021 目录', () => {
    const [header, ...rows] = parseCsv(
      fs.readFileSync(path.join(__dirname, '..', 'data', 'industry-risk-2021.csv'), 'utf8'),
      'industry-risk-2021.csv',
    );
    const col = (name: string) => header.fields.indexOf(name);
    const severe = rows.filter((r) => r.fields[col('risk')] === '严重');
    expect(severe).toHaveLength(146);
    const genericOnly = severe
      .map((r) => r.fields[col('code')])
      .filter((code) => !kb.industryHazards(code).some((h) => ['group', 'class'].includes(kb.industry(h.fromCode)?.level ?? '')));
    expect(genericOnly).toEqual([]);
  });
});

describe('2. 爆震聋 only where there is blasting or explosions', () => {
  test.each(['D4415', 'C1512', 'G5413', 'M7452', 'C3011'])('%s: no 爆震聋 on the letter or in its hazards’ diseases', (code) => {
    expect(letter(code).diseases).not.toContain('爆震聋');
    for (const h of kb.industryHazards(code)) {
      expect(kb.hazardDiseases(h.hazard.id, '2024', code).map((d) => d.disease.name)).not.toContain('爆震聋');
    }
  });

  test.each(['B0610', 'B1011', 'E5021', 'C2672'])('%s (blasting or explosives) keeps 爆震聋 for 噪声', (code) => {
    expect(kb.hazardDiseases('phys-1', '2024', code).map((d) => d.disease.name)).toEqual(['噪声聋', '爆震聋']);
  });

  test('the hazard look-up without an industry still lists 爆震聋 as a disease of noise', () => {
    expect(kb.hazardDiseases('phys-1', '2024').map((d) => d.disease.name)).toContain('爆震聋');
  });
});

describe('3. ionising radiation leads with what medical and testing workplaces risk', () => {
  test.each(['Q8411', 'Q8421', 'Q8423', 'M7452'])('%s: no acute radiation sickness among the printed diseases', (code) => {
    for (const date of DATES) {
      const { diseases, data } = letter(code, date);
      expect(data.hazards.slice(0, 3).some((h) => h.id.startsWith('rad-'))).toBe(true);
      expect(diseases.join('、')).not.toMatch(/急性放射病|亚急性放射病/);
    }
  });

  test('rad-1, rad-3, rad-4, rad-5 lead with 外照射慢性放射病, then 放射性白内障 and 放射性肿瘤', () => {
    for (const id of ['rad-1', 'rad-3', 'rad-4', 'rad-5']) {
      expect(
        kb
          .hazardDiseases(id, '2024')
          .slice(0, 3)
          .map((d) => d.disease.name),
      ).toEqual(['外照射慢性放射病', '放射性白内障', '放射性肿瘤（含矿工高氡暴露所致肺癌）']);
    }
  });
});

describe('4. radiation hazards print the hazard, not the device', () => {
  test('Q8411 prints X射线（电离辐射）; the device names stay usable as input', () => {
    expect(letter('Q8411').hazards.join('、')).not.toMatch(/X射线装置|密封放射源|加速器|中子发生器/);
    expect(letter('Q8411').hazards).toContain('X射线（电离辐射）');
    for (const [alias, id] of [
      ['X射线装置', 'rad-3'],
      ['密封放射源', 'rad-1'],
      ['加速器', 'rad-4'],
      ['中子发生器', 'rad-5'],
    ]) {
      const found = kb.findHazard(alias);
      expect(found.ok && found.hazard.id).toBe(id);
      expect(found.ok && found.hazard.shortName).toMatch(/（电离辐射）$/);
    }
  });
});

describe('5. catch-all diseases: readable print names, named diseases preferred, exact names kept', () => {
  test('no letter prints a catch-all verbatim; catch-alls never precede a named disease', () => {
    for (const code of ['C2651', 'C3011', 'C2110', 'O8111', 'C3670', 'C2614']) {
      const { diseases, data } = letter(code);
      expect(diseases.join('、')).not.toMatch(/上述条目未提及|根据《/);
      const firstCatchAll = data.diseases.findIndex((d) => d.name.startsWith('其他'));
      if (firstCatchAll >= 0) expect(data.diseases.slice(firstCatchAll).every((d) => d.name.startsWith('其他'))).toBe(true);
    }
  });

  test('the letter data keeps the catalogue’s exact name next to the print name', () => {
    const { data } = letter('C2651', '2026-01-05', ['乙酸丁酯']);
    const d = data.diseases.find((x) => x.name === '其他职业性化学中毒');
    expect(d).toMatchObject({ catalogueName: '上述条目未提及的与职业有害因素接触之间存在直接因果联系的其他化学中毒' });
  });
});

describe('6. grain and flour dust lists 哮喘 first', () => {
  test('dust-21 → 哮喘, 过敏性肺炎 in both catalogues', () => {
    for (const c of ['2013', '2024'] as const) {
      expect(kb.hazardDiseases('dust-21', c).map((d) => d.disease.name)).toEqual(['哮喘', '过敏性肺炎']);
    }
  });
});

describe('7. 全身振动 never prints 手臂振动病', () => {
  test('an employer declaring 全身振动 gets 振动 without hand-arm vibration disease', () => {
    const { hazards, diseases } = letter('G5411', '2026-01-05', ['全身振动', '噪声']);
    expect(hazards.slice(0, 2)).toEqual(['全身振动', '噪声']);
    expect(diseases).not.toContain('手臂振动病');
  });

  test('手传振动 still prints 手臂振动病', () => {
    expect(letter('G5411', '2026-01-05', ['手传振动']).diseases[0]).toBe('手臂振动病');
  });

  test('drivers, machine operators, ship crews and forge hammers list 全身振动, never 手臂振动病', () => {
    for (const code of ['G5421', 'G5422', 'A0421', 'C3393', 'E5030', 'G5511', 'G5532', 'G5910', 'G5990']) {
      const { data } = letter(code);
      expect([code, data.hazards.find((h) => h.id === 'phys-6')?.name]).toEqual([code, '全身振动']);
      const all = letter(code, '2026-01-05', undefined, 99).data.diseases.map((d) => d.name);
      expect([code, all]).not.toEqual([code, expect.arrayContaining(['手臂振动病'])]);
    }
  });

  test('every 小类 listing vibration: whole-body (basis says 全身振动) prints 全身振动, hand-arm (手传振动) prints 振动', () => {
    const classes = (
      kb as unknown as { data: { industries: { all: { code: string; level: string; section: string }[] } } }
    ).data.industries.all.filter((i) => i.level === 'class');
    let wholeBody = 0;
    for (const i of classes) {
      const vib = kb.industryHazards(`${i.section}${i.code}`).find((h) => h.hazard.id === 'phys-6');
      if (!vib) continue;
      const whole = vib.basis.includes('全身振动') && !vib.basis.includes('手传振动');
      if (whole) wholeBody++;
      const expected = whole ? ['全身振动', ['手臂振动病']] : [undefined, undefined];
      expect([i.code, vib.basis, vib.alias, vib.without]).toEqual([i.code, vib.basis, ...expected]);
    }
    expect(wholeBody).toBeGreaterThan(10);
  });
});

describe('8. risk rating by the 小类’s own sub-case; undecided says so', () => {
  test.each([
    ['4413', '一般'],
    ['4415', '一般'],
    ['4416', '一般'],
    ['4419', '一般'],
    ['4411', '严重'],
    ['4417', '严重'],
    ['0313', '一般'],
    ['0315', '一般'],
    ['0319', '一般'],
    ['0311', '严重'],
    ['0314', '严重'],
    ['7721', '一般'],
    ['7722', '一般'],
    ['7723', '一般'],
    ['7726', '一般'],
    ['7727', '一般'],
    ['7729', '一般'],
    ['7724', '严重'],
    ['2434', '一般'],
    ['2435', '一般'],
    ['2436', '一般'],
    ['2437', '一般'],
    ['2438', '严重'],
  ])('%s → %s', (code, rating) => {
    expect(kb.industryRisk(code).rating).toBe(rating);
  });

  test('a 小类 whose sub-case the code cannot tell is 严重或一般（视…）', () => {
    expect(kb.industryRisk('0721').rating).toBe('严重或一般（视是否开采含硫天然气）');
    expect(kb.industryRisk('4430').rating).toMatch(/^严重或一般（视.+）$/);
    expect(letter('D4415').data.industry.risk).toBe('一般');
  });
});

describe('9. half-width brackets: the catalogue text is kept, letters print full-width', () => {
  // The project's read-only reference folder, beside the checkout (../shared); without it the test is a visible skip.
  const REFERENCE = path.join(__dirname, '..', '..', 'shared', 'reference');
  const withReference = fs.existsSync(REFERENCE) ? test : test.skip;
  withReference.each(['diseases-2013.csv', 'diseases-2024.csv'])(
    'data/%s equals the reference copy (brackets as in the source)',
    (file) => {
      const reference = path.join(REFERENCE, file);
      expect(fs.readFileSync(path.join(__dirname, '..', 'data', file), 'utf8')).toBe(fs.readFileSync(reference, 'utf8'));
    },
  );

  test('苯的氨基及硝基化合物 poisoning prints with full-width brackets', () => {
    for (const date of DATES) {
      const { data } = letter('C2631', date, ['苯胺']);
      const d = data.diseases.find((x) => x.name.startsWith('苯的氨基'));
      expect(d?.name).toBe('苯的氨基及硝基化合物（不包括三硝基甲苯）中毒');
    }
    for (const c of kb.diseaseCatalogues()) for (const d of c.diseases) expect(d.printName).not.toMatch(/[()]/);
  });
});

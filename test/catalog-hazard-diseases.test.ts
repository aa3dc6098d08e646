// The curated data/hazard-names.yaml and data/hazard-diseases.yaml, loaded through the real knowledge base.

import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadCatalogKnowledgeBase, loadKnowledgeBase } from '../src/catalog/load';
import { matchKey } from '../src/catalog/text-match';
import type { DiseaseCatalogueId, Hazard, KnowledgeBase } from '../src/catalog/types';

const CATALOGUES: DiseaseCatalogueId[] = ['2013', '2024'];
const OTHER_CHEMICAL_POISONING = '上述条目未提及的与职业有害因素接触之间存在直接因果联系的其他化学中毒';

interface RawDiseaseItem {
  id: string;
  diseases: Record<DiseaseCatalogueId, string[]>;
  basis: string;
}
const rawItems: RawDiseaseItem[] = YAML.parse(fs.readFileSync(path.join(__dirname, '..', 'data', 'hazard-diseases.yaml'), 'utf8')).items;

let kb: KnowledgeBase;
beforeAll(() => {
  kb = loadKnowledgeBase();
});

function hazardNamed(input: string): Hazard {
  const found = kb.findHazard(input);
  if (!found.ok) throw new Error(`${input}: ${found.reason}`);
  return found.hazard;
}

function diseaseNames(input: string, catalogue: DiseaseCatalogueId): string[] {
  return kb.hazardDiseases(hazardNamed(input).id, catalogue).map((d) => d.disease.name);
}

describe.each(CATALOGUES)('known cases in the %s catalogue', (catalogue) => {
  test.each([
    ['矽尘', ['矽肺']],
    ['煤尘', ['煤工尘肺']],
    ['石棉粉尘', ['石棉肺', '石棉所致肺癌、间皮瘤']],
    ['炭黑粉尘', ['碳黑尘肺']],
    ['苯', ['苯中毒', '苯所致白血病']],
    ['铅', ['铅及其化合物中毒（不包括四乙基铅）']],
    ['噪声', ['噪声聋', '爆震聋']],
    ['高温', ['中暑']],
    ['手传振动', ['手臂振动病']],
    ['布鲁氏菌', ['布鲁氏菌病']],
    ['金属烟', ['金属烟热']],
    ['刮研作业', ['股静脉血栓综合征、股动脉闭塞症或淋巴管闭塞症（限于刮研作业人员）']],
    ['氯仿', [OTHER_CHEMICAL_POISONING]],
  ])('%s → %j', (hazard, expected) => {
    expect(diseaseNames(hazard, catalogue)).toEqual(expected);
  });

  test('the catalogue lists no disease for electromagnetic fields or the 其他生物因素 catch-all', () => {
    for (const hazard of ['工频电磁场', '高频电磁场', '超高频电磁场', '其他生物因素']) expect(diseaseNames(hazard, catalogue)).toEqual([]);
  });
});

test('铀及其化合物中毒 is a chemical poisoning in 2013 and a radiation disease in 2024', () => {
  for (const id of ['chem-11', 'rad-7']) {
    const in2013 = kb.hazardDiseases(id, '2013').find((d) => d.disease.name === '铀及其化合物中毒');
    const in2024 = kb.hazardDiseases(id, '2024').find((d) => d.disease.name === '铀及其化合物中毒');
    expect(in2013?.disease.category).toBe('职业性化学中毒');
    expect(in2024?.disease.category).toBe('职业性放射性疾病');
  }
});

test('滑囊炎 moves from 其他职业病 (2013) to 职业性肌肉骨骼疾病 (2024)', () => {
  const [in2013] = kb.hazardDiseases(hazardNamed('井下不良作业条件').id, '2013');
  const [in2024] = kb.hazardDiseases(hazardNamed('井下不良作业条件').id, '2024');
  expect([in2013.disease.name, in2013.disease.category]).toEqual(['滑囊炎（限于井下工人）', '其他职业病']);
  expect([in2024.disease.name, in2024.disease.category]).toEqual(['滑囊炎（限于井下工人）', '职业性肌肉骨骼疾病']);
});

test('radiation cataract: the 眼病 item in 2013, the separate 放射性疾病 item in 2024', () => {
  expect(diseaseNames('X射线', '2013')).toContain('白内障（含放射性白内障、三硝基甲苯白内障）');
  expect(diseaseNames('X射线', '2024')).toContain('放射性白内障');
  expect(diseaseNames('X射线', '2024')).not.toContain('白内障（含三硝基甲苯白内障）');
  expect(diseaseNames('三硝基甲苯', '2024')).toEqual(['三硝基甲苯中毒', '白内障（含三硝基甲苯白内障）']);
});

test('every one of the 459 factors has an explicit list in both catalogues', () => {
  const entries = loadCatalogKnowledgeBase().data.hazardDiseases.entries;
  expect(kb.allHazards()).toHaveLength(459);
  const incomplete = kb.allHazards().filter((h) => CATALOGUES.some((c) => entries.get(h.id)?.diseases[c] === undefined));
  expect(incomplete.map((h) => h.id)).toEqual([]);
});

test('every disease named in the file exists in its catalogue (none dropped on load)', () => {
  expect(rawItems).toHaveLength(459);
  for (const item of rawItems) {
    for (const catalogue of CATALOGUES) {
      const resolved = kb.hazardDiseases(item.id, catalogue);
      expect([item.id, resolved.map((d) => d.disease.name)]).toEqual([item.id, item.diseases[catalogue]]);
      expect(resolved.every((d) => d.disease.catalogue === catalogue)).toBe(true);
    }
  }
});

test('an empty list is explained as "not listed" in its basis; a mapped one cites the catalogue', () => {
  const none = rawItems.filter((i) => i.diseases['2013'].length === 0 || i.diseases['2024'].length === 0);
  expect(none.map((i) => i.id)).toEqual([
    'dust-25',
    'dust-26',
    'dust-27',
    'dust-28',
    'chem-131',
    'chem-310',
    'phys-12',
    'phys-13',
    'phys-14',
    'phys-15',
    'bio-6',
  ]);
  for (const item of none) expect(item.basis).toContain('未列该因素所致职业病');
  for (const item of rawItems.filter((i) => !none.includes(i))) expect(item.basis).toMatch(/^《职业病分类和目录》/);
});

describe('short names and aliases', () => {
  test('curated short names are what letters print', () => {
    expect(hazardNamed('矽尘（游离SiO2含量≥10%）').shortName).toBe('矽尘');
    expect(hazardNamed('氯仿（三氯甲烷）').shortName).toBe('三氯甲烷');
    expect(hazardNamed('以上未提及的可导致职业病的其他粉尘').shortName).toBe('其他粉尘');
    expect(hazardNamed('噪声').shortName).toBe('噪声');
  });

  test('every short name and alias leads to exactly its own factor', () => {
    for (const hazard of kb.allHazards()) {
      for (const name of [hazard.shortName, ...hazard.aliases]) expect([name, hazardNamed(name).id]).toEqual([name, hazard.id]);
    }
  });

  test('the two factors named 铀及其化合物 are told apart by their short names', () => {
    const uranium = kb.findHazard('铀及其化合物');
    expect(uranium.ok).toBe(false);
    expect(kb.hazard('chem-11')?.shortName).toBe('铀及其化合物（化学毒性）');
    expect(kb.hazard('rad-7')?.shortName).toBe('铀及其化合物（放射性）');
  });

  test('no short name equals another factor’s catalogue name', () => {
    const names = new Map(kb.allHazards().map((h) => [matchKey(h.name), h.id]));
    const clashes = kb.allHazards().filter((h) => (names.get(matchKey(h.shortName)) ?? h.id) !== h.id);
    expect(clashes.map((h) => h.id)).toEqual([]);
  });
});

import { HazardNoticeError } from '../errors';
import { loadKnowledgeBase } from './load';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

afterAll(removeDataDirs);

const kb = loadKnowledgeBase(makeDataDir());

test('both catalogues with their counts and validity', () => {
  expect(kb.diseaseCatalogues().map((c) => [c.id, c.docNumber, c.diseases.length, c.validFrom, c.validUntil])).toEqual([
    ['2013', '国卫疾控发〔2013〕48号', 132, '2013-12-23', '2025-07-31'],
    ['2024', '国卫职健发〔2024〕39号', 135, '2025-08-01', undefined],
  ]);
});

test('2013 catalogue up to and including 2025-07-31, 2024 from 2025-08-01', () => {
  expect(kb.diseaseCatalogueOn('2025-07-31').id).toBe('2013');
  expect(kb.diseaseCatalogueOn('2025-08-01').id).toBe('2024');
  expect(kb.diseaseCatalogueOn('2013-12-23').id).toBe('2013');
  expect(kb.diseaseCatalogueOn('2030-01-01').id).toBe('2024');
});

test('a date before 2013-12-23 has no catalogue', () => {
  expect(() => kb.diseaseCatalogueOn('2013-12-22')).toThrow(HazardNoticeError);
  try {
    kb.diseaseCatalogueOn('2013-12-22');
  } catch (err) {
    expect((err as HazardNoticeError).code).toBe('E_DATE_NO_CATALOGUE');
  }
});

test('hazardDiseases per catalogue; [] when the mapping says none', () => {
  expect(kb.hazardDiseases('chem-28', '2024').map((d) => d.disease.name)).toEqual(['苯中毒', '苯所致白血病']);
  expect(kb.hazardDiseases('chem-28', '2024')[0]).toMatchObject({ basis: '《职业病分类和目录》；GBZ 68' });
  expect(kb.hazardDiseases('chem-28', '2013')[0].disease).toMatchObject({ catalogue: '2013', category: '职业性化学中毒', seq: 28 });
  const tiny = loadKnowledgeBase(TINY_DATA_DIR);
  expect(tiny.hazardDiseases('phys-1', '2013').map((d) => d.disease.name)).toEqual(['噪声聋']);
  expect(tiny.hazardDiseases('phys-1', '2024')).toEqual([]);
});

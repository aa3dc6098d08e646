import { loadKnowledgeBase } from './load';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

afterAll(removeDataDirs);

const ids = (list: { hazard: { id: string }; fromCode: string }[]) => list.map((h) => `${h.hazard.id}@${h.fromCode}`);

describe('industryHazards (tiny data)', () => {
  const kb = loadKnowledgeBase(TINY_DATA_DIR);

  test('own hazards first, then inherited from each ancestor, first occurrence wins', () => {
    expect(ids(kb.industryHazards('3011'))).toEqual(['chem-1@C3011', 'phys-1@C301', 'dust-1@C301']);
    expect(kb.industryHazards('C3011')[2].basis).toBe('中类矽尘依据');
  });

  test('a code without an entry inherits its parent’s list', () => {
    expect(ids(kb.industryHazards('3012'))).toEqual(['phys-1@C301', 'dust-1@C301']);
    expect(ids(kb.industryHazards('0111'))).toEqual(['phys-1@A011']); // A011's own entry (coverage) comes first; A's phys-1 is not repeated
  });

  test('override: true stops inheritance', () => {
    expect(ids(kb.industryHazards('302'))).toEqual(['dust-2@C302']);
    expect(ids(kb.industryHazards('3021'))).toEqual(['dust-2@C302']);
  });

  test('unknown code → no hazards', () => {
    expect(kb.industryHazards('9999')).toEqual([]);
  });
});

describe('industryHazards (bundled CSVs, sample mappings)', () => {
  const kb = loadKnowledgeBase(makeDataDir());

  test('C3011 inherits from C30; dedup keeps the class entry', () => {
    expect(ids(kb.industryHazards('C3011'))).toEqual(['dust-7@C3011', 'dust-1@C3011', 'phys-1@C30']);
  });

  test('override on 中类 212 applies to its 小类 2120', () => {
    expect(ids(kb.industryHazards('2120'))).toEqual(['phys-1@C212']);
    expect(ids(kb.industryHazards('2110'))).toEqual(['chem-28@C21', 'phys-1@C21']);
  });
});

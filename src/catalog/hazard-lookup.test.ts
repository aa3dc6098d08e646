import { loadKnowledgeBase } from './load';
import type { HazardLookup } from './types';
import { makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

afterAll(removeDataDirs);

const kb = loadKnowledgeBase(makeDataDir());

function idOf(result: HazardLookup): string {
  if (!result.ok) throw new Error(`not found: ${result.input} (${result.reason})`);
  return result.hazard.id;
}

test('2015 catalogue: 459 factors, ids by category prefix and seq', () => {
  const all = kb.allHazards();
  expect(all).toHaveLength(459);
  const count = (prefix: string) => all.filter((h) => h.id.startsWith(`${prefix}-`)).length;
  expect(['dust', 'chem', 'phys', 'rad', 'bio', 'other'].map(count)).toEqual([52, 375, 15, 8, 6, 3]);
  expect(kb.hazard('dust-1')).toMatchObject({ name: '矽尘（游离SiO2含量≥10%）', category: '粉尘', seq: 1, cas: '14808-60-7' });
});

test('curated short name and aliases; uncurated factors keep their name', () => {
  expect(kb.hazard('dust-1')).toMatchObject({ shortName: '矽尘', aliases: ['砂尘', '石英粉尘'] });
  expect(kb.hazard('dust-2')).toMatchObject({ shortName: '煤尘', aliases: [] });
});

test.each([
  ['矽尘（游离SiO2含量≥10%）', 'dust-1'],
  ['矽尘(游离sio2含量≥10%)', 'dust-1'],
  ['矽尘', 'dust-1'],
  ['石英粉尘', 'dust-1'],
  [' 砂尘 ', 'dust-1'],
  ['14808-60-7', 'dust-1'],
  ['１４８０８－６０－７', 'dust-1'],
  ['7803-51-2', 'chem-22'],
  ['20859-73-8', 'chem-22'],
  ['7803-51-2、1314-84-7、20859-73-8', 'chem-22'],
  ['7439-92-1', 'chem-1'],
  ['纯苯', 'chem-28'],
  ['噪声', 'phys-1'],
])('findHazard %s → %s', (input, id) => {
  expect(idOf(kb.findHazard(input))).toBe(id);
});

test('a name printed in two categories is ambiguous', () => {
  const result = kb.findHazard('铀及其化合物');
  expect(result.ok).toBe(false);
  expect(!result.ok && result.reason).toBe('ambiguous');
  expect(!result.ok && result.suggestions.map((h) => h.id)).toEqual(['chem-11', 'rad-7']);
});

test('unknown → up to five suggestions', () => {
  const result = kb.findHazard('矽粉');
  expect(result.ok).toBe(false);
  const ids = !result.ok ? result.suggestions.map((h) => h.id) : [];
  expect(ids.length).toBeGreaterThan(0);
  expect(ids.length).toBeLessThanOrEqual(5);
  expect(ids).toContain('dust-1');
  const cas = kb.findHazard('7803-51-9');
  expect(!cas.ok && cas.suggestions.map((h) => h.id)).toEqual(['chem-22']);
});

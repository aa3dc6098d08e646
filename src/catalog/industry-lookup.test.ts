import { industryCode } from './industries';
import { loadKnowledgeBase } from './load';
import type { IndustryLookup } from './types';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

afterAll(removeDataDirs);

const kb = loadKnowledgeBase(makeDataDir());

function codeOf(result: IndustryLookup): string {
  if (!result.ok) throw new Error(`not found: ${result.input} (${result.reason})`);
  return industryCode(result.industry);
}

function suggestionCodes(result: IndustryLookup): string[] {
  if (result.ok) throw new Error(`unexpectedly found ${industryCode(result.industry)}`);
  return result.suggestions.map(industryCode);
}

describe('findIndustry accepted forms', () => {
  test.each([
    ['C3011', 'C3011'],
    ['3011', 'C3011'],
    ['C30', 'C30'],
    ['30', 'C30'],
    ['301', 'C301'],
    ['C', 'C'],
    ['c3011', 'C3011'],
    ['水泥制造', 'C3011'],
    ['C3011 水泥制造', 'C3011'],
    ['3011水泥制造', 'C3011'],
    ['C3011　水泥制造', 'C3011'],
    ['Ｃ３０１１', 'C3011'],
    ['  ｃ ３０１１　水泥制造 ', 'C3011'],
    ['C 制造业', 'C'],
    ['非金属矿物制品业', 'C30'],
  ])('%s → %s', (input, expected) => {
    expect(codeOf(kb.findIndustry(input))).toBe(expected);
  });

  test('path runs from 门类 down to the industry', () => {
    const result = kb.findIndustry('3011');
    expect(result.ok && result.path.map(industryCode)).toEqual(['C', 'C30', 'C301', 'C3011']);
  });

  test('a 中类 whose only 小类 has the same name resolves to the 小类', () => {
    expect(codeOf(kb.findIndustry('木质家具制造'))).toBe('C2110');
    expect(codeOf(kb.findIndustry('房地产业'))).toBe('K70');
  });
});

describe('findIndustry unknown input', () => {
  test('a wrong section letter → unknown, the code’s own entry suggested first', () => {
    const result = kb.findIndustry('B3011');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe('unknown');
    expect(suggestionCodes(result)[0]).toBe('C3011');
  });

  test('code and name that disagree → unknown, code’s entry then the name’s', () => {
    const codes = suggestionCodes(kb.findIndustry('C3011 玻璃制造'));
    expect(codes.slice(0, 2)).toEqual(['C3011', 'C304']);
  });

  test('C9999 → up to five suggestions by code prefix', () => {
    const codes = suggestionCodes(kb.findIndustry('C9999'));
    expect(codes).toHaveLength(5);
    for (const c of codes) expect(c.slice(1)).toMatch(/^9/);
  });

  test('30111 → the 小类 sharing the longest prefix first', () => {
    expect(suggestionCodes(kb.findIndustry('30111'))[0]).toBe('C3011');
  });

  test('水泥 → 水泥制造 first', () => {
    const codes = suggestionCodes(kb.findIndustry('水泥'));
    expect(codes[0]).toBe('C3011');
    expect(codes).toContain('C301');
    expect(codes.length).toBeLessThanOrEqual(5);
  });

  test('家具 and the misspelling 家俱 → 家具制造业 first', () => {
    expect(suggestionCodes(kb.findIndustry('家具'))[0]).toBe('C21');
    expect(suggestionCodes(kb.findIndustry('家俱'))[0]).toBe('C21');
  });

  test('nothing in common → no suggestions', () => {
    expect(suggestionCodes(kb.findIndustry('Ω'))).toEqual([]);
  });
});

describe('findIndustry ambiguity (tiny data)', () => {
  const tiny = loadKnowledgeBase(TINY_DATA_DIR);

  test('one name on two chains → ambiguous with the deepest of each chain', () => {
    const result = tiny.findIndustry('其他制品');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe('ambiguous');
    expect(suggestionCodes(result)).toEqual(['A0190', 'C3021']);
  });

  test('the code disambiguates', () => {
    expect(codeOf(tiny.findIndustry('302 其他制品'))).toBe('C302');
  });
});

import { loadKnowledgeBase } from './load';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

afterAll(removeDataDirs);

const kb = loadKnowledgeBase(makeDataDir());

test('C3011 takes its 中类 C301 rating (严重 in the 2021 目录)', () => {
  expect(kb.industryRisk('C3011')).toEqual({ rating: '严重', fromCode: 'C301', subcases: [] });
  expect(kb.industryRisk('301')).toEqual({ rating: '严重', fromCode: 'C301', subcases: [] });
});

test('A031 with sub-cases is undecided (not the higher rating) and lists them', () => {
  const risk = kb.industryRisk('A031');
  expect(risk.rating).toBe('严重或一般（视细分情形：牲畜饲养（牛、羊）为严重）');
  expect(risk.fromCode).toBe('A031');
  expect(risk.subcases).toEqual([
    { name: '牲畜饲养（牛、羊）', rating: '严重' },
    { name: '牲畜饲养（其他）', rating: '一般' },
  ]);
  expect(kb.industryRisk('0312').subcases).toHaveLength(2);
});

test('the 目录 footnote is carried', () => {
  expect(kb.industryRisk('C2110').note).toMatch(/^目录注：\*不使用含苯/);
});

test('classes rated on their own (F5265) and a split 中类 without a rating of its own', () => {
  expect(kb.industryRisk('F5265')).toMatchObject({ rating: '一般', fromCode: 'F5265' });
  expect(kb.industryRisk('F5261').rating).toBe('未分级');
});

test('unlisted industries, 大类 and 门类 → 未分级, never 一般', () => {
  expect(kb.industryRisk('I6511')).toEqual({ rating: '未分级', subcases: [] });
  expect(kb.industryRisk('C30').rating).toBe('未分级');
  expect(kb.industryRisk('C').rating).toBe('未分级');
  expect(kb.industryRisk('9999').rating).toBe('未分级');
});

test('a 小类 of a split 中类 with no sub-case assignment is undecided, not the higher rating (tiny data)', () => {
  const tiny = loadKnowledgeBase(TINY_DATA_DIR);
  expect(tiny.industryRisk('3021')).toMatchObject({ rating: '严重或一般（视细分情形：其他制品（石材）为严重）', fromCode: 'C302' });
  expect(tiny.industryRisk('0111')).toMatchObject({ rating: '一般', fromCode: 'A011' });
});

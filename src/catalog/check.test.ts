import fs from 'node:fs';
import path from 'node:path';
import { checkKnowledgeBase } from './check';
import { loadCatalogKnowledgeBase } from './load';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

afterAll(removeDataDirs);

const tinyFile = (name: string) => fs.readFileSync(path.join(TINY_DATA_DIR, name), 'utf8');
const tinyWith = (overrides: Record<string, string>) => makeDataDir(overrides, TINY_DATA_DIR);
const messages = (dir: string) => checkKnowledgeBase(dir).problems.map((p) => `${p.file}:${p.line ?? ''} ${p.message}`);

test('the tiny fixture passes, with counts and coverage', () => {
  const report = checkKnowledgeBase(TINY_DATA_DIR);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
  expect(report.summary).toMatchObject({
    industries: { section: 2, division: 2, group: 4, class: 6 },
    riskRatings: { 严重: 2, 一般: 2 },
    coverage: {
      mappedCodes: { section: 1, division: 1, group: 4, class: 1 },
      severeIndustries: 2,
      severeCovered: 2,
      hazardsWithDiseases: 4,
      hazardsReached: 4,
      classes: { specific: 5, none: 1, generic: 0, unmapped: 0 },
    },
  });
});

test('accepts a loaded knowledge base too', () => {
  expect(checkKnowledgeBase(loadCatalogKnowledgeBase(TINY_DATA_DIR)).ok).toBe(true);
});

test('counts differing from catalog.yaml are problems', () => {
  const manifest = tinyFile('catalog.yaml').replace('rows: 14', 'rows: 15');
  expect(messages(tinyWith({ 'catalog.yaml': manifest }))).toEqual(['data/gbt4754-2017.csv: 行业总数应为 15，实际 14（见 catalog.yaml）']);
});

test('a factor missing from hazard-diseases.yaml, a reached factor without a 2024 answer, an uncovered 严重 industry', () => {
  const diseases = tinyFile('hazard-diseases.yaml')
    .replace(/ {2}- id: dust-2\n(.*\n){3}/, '')
    .replace("diseases: { '2013': [噪声聋], '2024': [] }", "diseases: { '2013': [噪声聋] }");
  const industries = tinyFile('industry-hazards.yaml')
    .replace(/ {2}- code: C30\n(.*\n){3}/, '')
    .replace(/ {2}- code: '302'\n(.*\n){4}/, '');
  expect(messages(tinyWith({ 'hazard-diseases.yaml': diseases, 'industry-hazards.yaml': industries }))).toEqual([
    'data/hazard-diseases.yaml: 缺少危害因素 dust-2 水泥粉尘（每个因素须出现一次）',
    'data/industry-risk-2021.csv:9 严重行业 C302 其他制品（石材） 没有中类或小类层级的危害因素清单（不能只靠门类、大类的通用清单）',
    'data/industry-hazards.yaml: 小类 C3021 其他制品 既没有危害因素清单，也未标为无典型职业病危害（noTypicalHazard）',
    'data/hazard-diseases.yaml:11 phys-1 被行业映射引用，但未给出 2024 年版的职业病（无则写 []）',
  ]);
});

test('all problems of a mapping are listed, not only the first', () => {
  const names = tinyFile('hazard-names.yaml').replace('aliases: [砂尘]', 'aliases: [砂尘, 噪声]') + '  - id: dust-9\n    name: 无\n';
  expect(messages(tinyWith({ 'hazard-names.yaml': names }))).toEqual([
    'data/hazard-names.yaml:7 危害因素编号 dust-9 不存在',
    'data/hazard-names.yaml: dust-1 的简称或别名“噪声”也是 phys-1 的名称',
  ]);
});

test('an unreadable file is one problem', () => {
  const report = checkKnowledgeBase(tinyWith({ 'diseases-2024.csv': 'category,seq\n' }));
  expect(report.ok).toBe(false);
  expect(report.summary).toBeUndefined();
  expect(report.problems).toEqual([
    { file: 'data/diseases-2024.csv', line: 1, message: '表头应为 category,seq,name,subcategory，实际为 category,seq' },
  ]);
});

test('the bundled data/ passes the check (needs the curated mappings of data/)', () => {
  const report = checkKnowledgeBase();
  expect(report.problems).toEqual([]);
  expect(report.summary?.industries).toEqual({ section: 20, division: 97, group: 473, class: 1381 });
  expect(report.summary?.coverage.severeCovered).toBe(146);
});

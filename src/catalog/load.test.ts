import fs from 'node:fs';
import path from 'node:path';
import { HazardNoticeError } from '../errors';
import { loadKnowledgeBase } from './load';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

afterAll(removeDataDirs);

function loadError(dir: string): HazardNoticeError {
  try {
    loadKnowledgeBase(dir);
  } catch (err) {
    if (err instanceof HazardNoticeError) return err;
    throw err;
  }
  throw new Error('loadKnowledgeBase did not fail');
}

const tinyFile = (name: string) => fs.readFileSync(path.join(TINY_DATA_DIR, name), 'utf8');
const tinyWith = (overrides: Record<string, string>) => makeDataDir(overrides, TINY_DATA_DIR);

test('a CSV row with a bad value names the file and the line', () => {
  const csv = tinyFile('hazards-2015.csv').replace('粉尘,2,水泥粉尘', '粉尘,x,水泥粉尘');
  const err = loadError(tinyWith({ 'hazards-2015.csv': csv }));
  expect(err.code).toBe('E_DATA_INVALID');
  expect(err.message).toBe('数据文件 data/hazards-2015.csv 第 3 行：seq 格式不符，实际为“x”');
  expect(err.details).toMatchObject({ file: 'data/hazards-2015.csv', line: 3 });
});

test('a CSV row with a missing column', () => {
  const csv = tinyFile('gbt4754-2017.csv').replace('0112,class,A,小麦种植,011,', '0112,class,A,小麦种植');
  expect(loadError(tinyWith({ 'gbt4754-2017.csv': csv })).message).toBe('数据文件 data/gbt4754-2017.csv 第 6 行：应有 6 列，实际 4 列');
});

test('an unknown key in a mapping names the YAML line and column of that key', () => {
  const yaml = tinyFile('hazard-names.yaml').replace('    short: 矽尘', '    short: 矽尘\n    shortname: 矽');
  const err = loadError(tinyWith({ 'hazard-names.yaml': yaml }));
  expect(err.message).toBe(
    '数据文件 data/hazard-names.yaml 第 6 行第 5 列：items.0 有不认识的键“shortname”（可用的键：id、name、short、aliases、without）',
  );
  expect(err.details).toMatchObject({ file: 'data/hazard-names.yaml', line: 6, column: 5 });
});

test('a mapping naming a factor by the wrong name', () => {
  const yaml = tinyFile('industry-hazards.yaml').replace('{ id: dust-2, name: 水泥粉尘', '{ id: dust-2, name: 水泥尘');
  const err = loadError(tinyWith({ 'industry-hazards.yaml': yaml }));
  expect(err.message).toBe('数据文件 data/industry-hazards.yaml 第 24 行：dust-2 的名称应为“水泥粉尘”，实际为“水泥尘”');
});

test('a disease name not in the catalogue, an unknown industry code', () => {
  const diseases = tinyFile('hazard-diseases.yaml')
    .replace("'2024': [噪声聋]", "'2024': [噪声性耳聋]")
    .replace("'2024': []", "'2024': [噪声性耳聋]");
  expect(loadError(tinyWith({ 'hazard-diseases.yaml': diseases })).message).toMatch(
    /第 \d+ 行：职业病“噪声性耳聋”不在 2024 年版《职业病分类和目录》中/,
  );
  const industries = tinyFile('industry-hazards.yaml').replace("code: '302'", "code: '309'");
  expect(loadError(tinyWith({ 'industry-hazards.yaml': industries })).message).toMatch(/第 20 行：行业代码 309 不存在/);
});

test('a missing file', () => {
  const dir = tinyWith({});
  fs.unlinkSync(path.join(dir, 'industry-hazards.yaml'));
  expect(loadError(dir).message).toBe('数据文件 data/industry-hazards.yaml：文件不存在或无法读取');
});

test('the bundled directory is found from src/ by default', () => {
  // Loads data/ (needs the curated mappings to be present) or fails naming a data/ file, never another path.
  try {
    expect(loadKnowledgeBase().allHazards()).toHaveLength(459);
  } catch (err) {
    expect((err as HazardNoticeError).details.file).toMatch(/^data\//);
  }
});

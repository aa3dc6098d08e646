import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { checkKnowledgeBase } from './check';
import { type CompiledKnowledgeBase, compileKnowledgeBase, decodeKnowledgeBase } from './compiled';
import {
  CatalogKnowledgeBase,
  type KnowledgeBaseData,
  defaultDataDir,
  loadCatalogKnowledgeBase,
  readKnowledgeBaseData,
  writePrebuiltKnowledgeBase,
} from './load';
import { industryCode } from './industries';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-compiled-'));
afterAll(() => {
  removeDataDirs();
  fs.rmSync(scratch, { recursive: true, force: true });
});
let images = 0;
const imageFile = () => path.join(scratch, `image-${++images}.bin`);

/** Everything a load answers from, each industry's and factor's entry with its references, as plain values. */
function everything(data: KnowledgeBaseData) {
  return {
    manifest: data.manifest,
    files: data.files,
    industries: data.industries.all,
    industryLines: data.industries.lines,
    descriptions: data.industries.all.map((i) => data.industries.description(i.code)),
    hazards: data.hazards,
    catalogues: data.catalogues,
    risk: data.risk.rows,
    riskSubcases: data.risk.subcases(),
    hazardDiseases: data.hazardDiseases,
    industryHazards: [...data.industryHazards.entries],
    problems: data.mappingProblems,
  };
}

/** Every answer of the KnowledgeBase interface, for every industry and factor on both catalogues. */
function answers(kb: CatalogKnowledgeBase) {
  return {
    industries: kb.allIndustries().map((i) => {
      const code = industryCode(i);
      return {
        code,
        found: kb.findIndustry(`${code} ${i.name}`),
        description: kb.industryDescription(code),
        path: kb.industryPath(code),
        risk: kb.industryRisk(code),
        hazards: kb.industryHazards(code),
        coverage: kb.industryCoverage(code),
      };
    }),
    hazards: kb.allHazards().map((h) => ({
      found: [h.name, h.shortName, ...h.aliases].map((name) => kb.findHazard(name)),
      diseases: kb.diseaseCatalogues().map((c) => [kb.hazardDiseases(h.id, c.id), kb.hazardDiseases(h.id, c.id, 'B0610')]),
    })),
    names: ['水泥', '矿', '铅'].map((name) => [kb.findIndustry(name), kb.findHazard(name)]),
    catalogues: ['2014-01-01', '2025-07-31', '2025-08-01'].map((date) => kb.diseaseCatalogueOn(date).id),
  };
}

/** Both through v8's form: JSON.parse inside the compiled module makes objects of another realm than jest's. */
const plain = <T>(value: T): T => v8.deserialize(v8.serialize(value)) as T;

for (const [name, dir] of [
  ['the bundled data', defaultDataDir()],
  ['the tiny fixture', TINY_DATA_DIR],
] as const) {
  test(`${name}: the compiled knowledge base is the fresh read, value for value and answer for answer`, () => {
    const fresh = readKnowledgeBaseData(dir);
    const decoded = decodeKnowledgeBase(compileKnowledgeBase(fresh), dir);
    expect(plain(everything(decoded))).toStrictEqual(plain(everything(fresh)));
    expect(plain(answers(new CatalogKnowledgeBase(decoded)))).toStrictEqual(plain(answers(new CatalogKnowledgeBase(fresh))));
    // Shared objects stay shared: an industry's list holds the very factor objects of the catalogue.
    const entry = [...decoded.industryHazards.entries.values()].find((e) => e.hazards.length > 0);
    expect(decoded.hazards).toContain(entry?.hazards[0].hazard);
  });
}

/** The image with one factor's short name changed in its compiled knowledge base only. */
function tamperedImage(dir: string): string {
  const image = imageFile();
  writePrebuiltKnowledgeBase(dir, image);
  const read = v8.deserialize(fs.readFileSync(image)) as { payload: { compiled: CompiledKnowledgeBase } };
  const { compiled } = read.payload;
  compiled.core = compiled.core.replace('"shortName":"矽尘"', '"shortName":"矽尘（编译）"');
  fs.writeFileSync(image, v8.serialize(read));
  return image;
}

const silicaShortName = (kb: CatalogKnowledgeBase) => kb.hazard('dust-1')?.shortName;

test('a start uses the compiled knowledge base only while every data file has the build’s bytes', () => {
  const dir = makeDataDir({}, TINY_DATA_DIR);
  const image = tamperedImage(dir);
  // The tampered value shows: the compiled knowledge base was used.
  expect(silicaShortName(loadCatalogKnowledgeBase(dir, image))).toBe('矽尘（编译）');
  // One file changed (not the one holding short names): read again, each unchanged file's value from the image.
  const csv = fs
    .readFileSync(path.join(dir, 'gbt4754-2017.csv'), 'utf8')
    .replace('0112,class,A,小麦种植,011,', '0112,class,A,小麦种植,011,说明');
  fs.writeFileSync(path.join(dir, 'gbt4754-2017.csv'), csv);
  const kb = loadCatalogKnowledgeBase(dir, image);
  expect(silicaShortName(kb)).toBe('矽尘');
  expect(kb.industryDescription('A0112')).toBe('说明');
});

test('catalog check: a compiled knowledge base that is not what the data compiles to is a problem', () => {
  const image = tamperedImage(TINY_DATA_DIR);
  const report = checkKnowledgeBase(TINY_DATA_DIR, image);
  expect(report.ok).toBe(false);
  expect(report.problems).toEqual([{ file: image, message: '预编译知识库的整体索引与数据文件不一致，请运行 npm run build 重新生成' }]);
  writePrebuiltKnowledgeBase(TINY_DATA_DIR, image);
  expect(checkKnowledgeBase(TINY_DATA_DIR, image)).toMatchObject({ ok: true, prebuilt: { kind: 'fresh' } });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { HazardNoticeError } from '../errors';
import { checkKnowledgeBase } from './check';
import { compileKnowledgeBase } from './compiled';
import { type KnowledgeBaseData, readKnowledgeBaseData, writePrebuiltKnowledgeBase } from './load';
import { PrebuiltRecorder, prebuiltFor } from './prebuilt';
import { TINY_DATA_DIR, makeDataDir, removeDataDirs } from '../../test/fixtures/catalog/data-dir';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-prebuilt-'));
afterAll(() => {
  removeDataDirs();
  fs.rmSync(scratch, { recursive: true, force: true });
});

const tinyFile = (name: string) => fs.readFileSync(path.join(TINY_DATA_DIR, name), 'utf8');
let images = 0;
const imageFile = () => path.join(scratch, `image-${++images}.bin`);

/** What a load answers from, without the files' bookkeeping (which says where values came from). */
function answers(data: KnowledgeBaseData) {
  return {
    manifest: data.manifest,
    industries: data.industries.all,
    hazards: data.hazards,
    catalogues: data.catalogues,
    risk: data.risk.rows,
    hazardDiseases: data.hazardDiseases.entries,
    industryHazards: [...data.industryHazards.entries.values()].map(({ industry, ...entry }) => ({ code: industry.code, ...entry })),
    problems: data.mappingProblems,
  };
}

const sameRealm = <T>(value: T): T => v8.deserialize(v8.serialize(value)) as T;

/** Reads `dir` with the image, counting the files read from the image and from the data directory. */
function readWith(dir: string, image: string) {
  const prebuilt = prebuiltFor(dir, image);
  const served: string[] = [];
  const source = prebuilt && {
    prebuilt: {
      valueOf: (name: string, bytes: Uint8Array) => {
        const value = prebuilt.valueOf(name, bytes);
        if (value !== undefined) served.push(name);
        return value;
      },
    },
  };
  return { data: readKnowledgeBaseData(dir, source), served, usable: prebuilt !== undefined };
}

test('the image gives exactly what reading the data directory gives, every file from the image', () => {
  const image = imageFile();
  writePrebuiltKnowledgeBase(TINY_DATA_DIR, image);
  const { data, served } = readWith(TINY_DATA_DIR, image);
  expect(served).toHaveLength(fs.readdirSync(TINY_DATA_DIR).length);
  const fresh = readKnowledgeBaseData(TINY_DATA_DIR);
  // Both through v8's form: the image's objects come from outside jest's realm.
  expect(sameRealm(answers(data))).toStrictEqual(sameRealm(answers(fresh)));
});

test('problems found while reading keep their lines when the values come from the image', () => {
  // A mapping naming an unknown factor: a problem with a line, recorded without the cross-file validation.
  const yaml = tinyFile('industry-hazards.yaml').replace(/id: chem-\d+/, 'id: chem-999');
  const dir = makeDataDir({ 'industry-hazards.yaml': yaml }, TINY_DATA_DIR);
  const recorder = new PrebuiltRecorder();
  const fresh = readKnowledgeBaseData(dir, { recorder });
  const image = imageFile();
  recorder.write(undefined, image);
  expect(fresh.mappingProblems).toEqual([expect.objectContaining({ file: 'data/industry-hazards.yaml', line: expect.any(Number) })]);
  const { data, served } = readWith(dir, image);
  expect(served).toContain('industry-hazards.yaml');
  expect(sameRealm(data.mappingProblems)).toStrictEqual(sameRealm(fresh.mappingProblems));
});

test('a file changed after the build is read from the data directory, the others from the image', () => {
  const dir = makeDataDir({}, TINY_DATA_DIR);
  const image = imageFile();
  writePrebuiltKnowledgeBase(dir, image);
  const csv = tinyFile('hazards-2015.csv').replace('水泥粉尘', '水泥粉尘（改）');
  fs.writeFileSync(path.join(dir, 'hazards-2015.csv'), csv);
  const { data, served } = readWith(dir, image);
  expect(served).not.toContain('hazards-2015.csv');
  expect(served).toContain('industry-hazards.yaml');
  expect(data.hazards.map((h) => h.name)).toContain('水泥粉尘（改）');
  expect(checkKnowledgeBase(dir, image).prebuilt).toEqual({ kind: 'stale', files: ['hazards-2015.csv'] });
});

test('a file made invalid after the build fails with its position, as without an image', () => {
  const dir = makeDataDir({}, TINY_DATA_DIR);
  const image = imageFile();
  writePrebuiltKnowledgeBase(dir, image);
  const yaml = tinyFile('hazard-names.yaml').replace('    short: 矽尘', '    short: 矽尘\n    shortname: 矽');
  fs.writeFileSync(path.join(dir, 'hazard-names.yaml'), yaml);
  const error = (() => {
    try {
      readWith(dir, image);
    } catch (e) {
      return e as HazardNoticeError;
    }
  })();
  expect(error?.code).toBe('E_DATA_INVALID');
  expect(error?.details).toMatchObject({ file: 'data/hazard-names.yaml', line: 6, column: 5 });
});

test('a changed catalog.yaml makes the whole image unusable for the directory', () => {
  const dir = makeDataDir({}, TINY_DATA_DIR);
  const image = imageFile();
  writePrebuiltKnowledgeBase(dir, image);
  fs.appendFileSync(path.join(dir, 'catalog.yaml'), '\n# 注释\n');
  expect(readWith(dir, image).usable).toBe(false);
  expect(checkKnowledgeBase(dir, image).prebuilt).toMatchObject({ kind: 'stale', files: expect.arrayContaining(['catalog.yaml']) });
});

test('catalog check: fresh, absent, or values that differ from the data (a problem)', () => {
  const image = imageFile();
  expect(checkKnowledgeBase(TINY_DATA_DIR, image).prebuilt).toEqual({ kind: 'absent' });
  fs.writeFileSync(image, 'not an image');
  expect(checkKnowledgeBase(TINY_DATA_DIR, image).prebuilt).toEqual({ kind: 'absent' });
  writePrebuiltKnowledgeBase(TINY_DATA_DIR, image);
  expect(checkKnowledgeBase(TINY_DATA_DIR, image)).toMatchObject({ ok: true, prebuilt: { kind: 'fresh' } });
  // An image whose recorded value for unchanged bytes is not what the data gives.
  const recorder = new PrebuiltRecorder();
  const compiled = compileKnowledgeBase(readKnowledgeBaseData(TINY_DATA_DIR, { recorder }));
  const rows = recorder.files['hazards-2015.csv'].value as { name: string }[];
  rows[0].name = '别的名称';
  recorder.write(compiled, image);
  const report = checkKnowledgeBase(TINY_DATA_DIR, image);
  expect(report.ok).toBe(false);
  expect(report.problems).toEqual([expect.objectContaining({ file: image, message: expect.stringContaining('hazards-2015.csv') })]);
});

test('an image made by other code is not used', () => {
  const image = imageFile();
  writePrebuiltKnowledgeBase(TINY_DATA_DIR, image);
  // Other code: another fingerprint, and a stamp other than the compiled files' (see build-image.test.ts).
  const read = v8.deserialize(fs.readFileSync(image)) as { code: string; stamp: { files: string } };
  fs.writeFileSync(image, v8.serialize({ ...read, code: 'other', stamp: { ...read.stamp, files: 'other' } }));
  expect(readWith(TINY_DATA_DIR, image).usable).toBe(false);
});

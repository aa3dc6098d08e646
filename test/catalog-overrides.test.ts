// Local overrides of the industry → hazard lists (issue 9): the file's checks, resolve, letter text, manifest, look-up.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadIndustryOverrides, overriddenHazards } from '../src/catalog/overrides';
import { loadRegionConfig } from '../src/config/region';
import { HazardNoticeError } from '../src/errors';
import type { EmployerRecord } from '../src/input/employer';
import { resolveRecord } from '../src/resolve/resolve-record';
import { runCli } from './cli-run';
import { batch, readCsvFile, readManifestJson, writeCsv } from './fixtures/batch/harness';
import { pdfText } from './poppler';

const kb = loadKnowledgeBase();
const EXAMPLE = path.join(__dirname, '..', 'examples', 'industry-overrides.yaml');
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hn-overrides-'));
const flat = (s: string) => s.replace(/\s+/g, '');

/** A copy of the bundled region config that references `overrides` (written beside it as 本地调整.yaml). */
function configWith(overrides: string): string {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, '本地调整.yaml'), overrides);
  const config = path.join(dir, 'region.yaml');
  const bundled = fs.readFileSync(path.join(__dirname, '..', 'config', 'liuzhou.yaml'), 'utf8');
  fs.writeFileSync(config, `${bundled}industryOverrides: 本地调整.yaml\n`);
  return config;
}

function loadError(text: string): HazardNoticeError {
  const file = path.join(tmp(), 'ov.yaml');
  fs.writeFileSync(file, text);
  try {
    loadIndustryOverrides(file, kb);
  } catch (e) {
    expect(e).toBeInstanceOf(HazardNoticeError);
    expect((e as HazardNoticeError).message).toContain(`本地调整文件“${file}”`);
    return e as HazardNoticeError;
  }
  throw new Error('no error');
}

describe('the override file is checked against the knowledge base, errors name file, line and column', () => {
  test.each<[string, string, string, RegExp]>([
    ['syntax', 'C3843:\n  reason: x\n  add: [锑\n', 'E_OVERRIDE_INVALID', /第 4 行第 1 列：YAML 语法错误：方括号或花括号没有闭合/],
    ['missing reason', 'C3843:\n  add: [锑及其化合物]\n', 'E_OVERRIDE_INVALID', /第 2 行第 3 列：.*reason/],
    ['unknown key', 'C3843:\n  reason: x\n  adds: [锑]\n', 'E_OVERRIDE_INVALID', /第 3 行第 3 列：.*adds/],
    ['code without section letter', '3843:\n  reason: x\n  add: [锑]\n', 'E_OVERRIDE_INDUSTRY', /第 1 行第 1 列：“3843”不是带门类字母/],
    ['nothing to change', 'C3843:\n  reason: x\n', 'E_OVERRIDE_INVALID', /第 1 行第 1 列：C3843 没有调整内容/],
    ['unknown industry', 'C3848:\n  reason: x\n  add: [锑]\n', 'E_OVERRIDE_INDUSTRY', /第 1 行第 1 列：行业代码“C3848”不在/],
    [
      'wrong section letter',
      'A3843:\n  reason: x\n  add: [锑]\n',
      'E_OVERRIDE_INDUSTRY',
      /第 1 行第 1 列：.*代码 3843 是“C3843 铅蓄电池制造”/,
    ],
    [
      'unknown hazard',
      'C3843:\n  reason: x\n  add: [锑, 不存在的物质]\n',
      'E_OVERRIDE_HAZARD',
      /第 3 行第 12 列：C3843\.add（增加）中“不存在的物质”不是/,
    ],
    [
      'replace with add',
      'C3843:\n  reason: x\n  replace: [铅]\n  add: [锑]\n',
      'E_OVERRIDE_CONFLICT',
      /第 4 行第 8 列：C3843 已用 replace/,
    ],
    ['same hazard twice', 'C3843:\n  reason: x\n  add: [锑, 锑及其化合物]\n', 'E_OVERRIDE_CONFLICT', /第 3 行第 12 列：.*重复/],
    [
      'adding a listed hazard',
      'C3843:\n  reason: x\n  add: [噪声]\n',
      'E_OVERRIDE_ADD',
      /第 3 行第 9 列：C3843 的清单已有“噪声”.*现有：铅及其化合物/,
    ],
    [
      'removing an unlisted hazard',
      'C3843:\n  reason: x\n  remove: [镍]\n',
      'E_OVERRIDE_REMOVE',
      /第 3 行第 12 列：C3843 的清单中没有“镍及其化合物”/,
    ],
    [
      'ordering an unlisted hazard',
      'C3843:\n  reason: x\n  order: [苯]\n',
      'E_OVERRIDE_ORDER',
      /第 3 行第 11 列：C3843 调整后的清单中没有“苯”/,
    ],
    ['list left empty', 'G5411:\n  reason: x\n  remove: [噪声]\n', 'E_OVERRIDE_EMPTY', /第 1 行第 1 列：G5411 调整后危害因素清单为空/],
    [
      'checked after the ancestor',
      'C384:\n  reason: x\n  remove: [镍]\nC3841:\n  reason: y\n  remove: [镍]\n',
      'E_OVERRIDE_REMOVE',
      /第 6 行/,
    ],
  ])('%s → %s', (_, text, code, message) => {
    const e = loadError(text);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });

  test('an unreadable file', () => {
    const config = configWith('');
    fs.rmSync(path.join(path.dirname(config), '本地调整.yaml'));
    const region = loadRegionConfig(config);
    expect(region.industryOverrides).toBe(path.join(path.dirname(config), '本地调整.yaml'));
    expect(() => loadIndustryOverrides(region.industryOverrides!, kb)).toThrow(expect.objectContaining({ code: 'E_OVERRIDE_READ' }));
  });

  test('the shipped example loads; the bundled config does not enable it', () => {
    expect(loadIndustryOverrides(EXAMPLE, kb).entries.size).toBe(4);
    expect(loadRegionConfig().industryOverrides).toBeUndefined();
  });
});

describe('applying overrides', () => {
  const overrides = loadIndustryOverrides(EXAMPLE, kb);
  const names = (code: string) => overriddenHazards(kb, overrides, code).hazards.map((h) => h.alias ?? h.hazard.shortName);

  test('add, remove, order; a 中类 entry reaches its 小类; an alias keeps its meaning', () => {
    expect(names('C3843')).toEqual(['铅及其化合物', '硫酸及三氧化硫', '锑及其化合物', '噪声', '高温']);
    expect(names('C2110')).not.toContain('苯');
    expect(names('H6210')[0]).toBe('一氧化碳');
    expect(overriddenHazards(kb, overrides, 'H6210').applied).toEqual([{ code: 'H621', reason: expect.stringContaining('燃气灶具') }]);
    const vib = overriddenHazards(kb, overrides, 'G5411').hazards.find((h) => h.hazard.id === 'phys-6')!;
    expect(vib).toMatchObject({ alias: '全身振动', without: ['手臂振动病'], local: true, fromCode: 'G5411' });
    expect(names('C3841')).toEqual(kb.industryHazards('C3841').map((h) => h.hazard.shortName));
  });

  test('replace gives the whole list, keeping the bundled basis of hazards it keeps', () => {
    const file = path.join(tmp(), 'ov.yaml');
    fs.writeFileSync(file, 'C3843:\n  reason: 本地专家组意见\n  replace: [噪声, 铅]\n');
    const list = overriddenHazards(kb, loadIndustryOverrides(file, kb), 'C3843').hazards;
    expect(list.map((h) => [h.hazard.shortName, h.local ?? false])).toEqual([
      ['噪声', false],
      ['铅及其化合物', false],
    ]);
  });

  test('resolve: the added hazard is printed and its diseases taken; the letter data records the override', () => {
    const record: EmployerRecord = {
      source: { file: '名单.xlsx', row: 2 },
      name: '柳州市某某蓄电池有限公司',
      industry: 'C3843',
      county: '柳城县',
      columns: { name: '单位名称', industry: '行业代码', county: '区县' },
    };
    const region = loadRegionConfig();
    const r = resolveRecord(record, { kb, region, date: '2026-01-05', maxHazards: 3, overrides });
    if (!r.ok) throw new Error(r.errors[0].message);
    expect(r.data.hazards.slice(0, 3).map((h) => h.name)).toEqual(['铅及其化合物', '硫酸及三氧化硫', '锑及其化合物']);
    const antimony = '金属及其化合物粉尘肺沉着病（锡、铁、锑、钡及其化合物等）';
    expect(r.data.diseases.map((d) => d.name)).toContain(antimony);
    expect(r.data.localOverrides).toEqual([{ code: 'C3843', reason: expect.stringContaining('铅锑合金') }]);
    const plain = resolveRecord(record, { kb, region, date: '2026-01-05', maxHazards: 3 });
    expect(plain.ok && [plain.data.hazards[2].name, plain.data.localOverrides]).toEqual(['噪声', undefined]);
    expect(plain.ok && plain.data.diseases.map((d) => d.name)).not.toContain(antimony);
  });
});

describe('through the command line and the batch', () => {
  const config = configWith(fs.readFileSync(EXAMPLE, 'utf8'));

  test('letter --config: the added hazard is in the PDF text', async () => {
    const dir = tmp();
    const r = await runCli(
      'letter',
      '--name',
      '柳州市某某蓄电池有限公司',
      '--industry',
      'C3843',
      '--county',
      '柳城县',
      '--date',
      '2026-01-05',
      '--format',
      'pdf',
      '--config',
      config,
      '--out',
      dir,
    );
    expect(r.stderr).toBe('');
    const text = flat(pdfText(fs.readFileSync(path.join(dir, '职业病危害项目申报告知单_柳州市某某蓄电池有限公司.pdf'))));
    expect(text).toContain('可能存在铅及其化合物、硫酸及三氧化硫、锑及其化合物等职业病危害');
  });

  test('industry --config shows the override; without it, the bundled list', async () => {
    const withConfig = await runCli('industry', 'C3843', '--date', '2026-01-05', '--config', config);
    expect(withConfig.stdout).toContain('本地调整：C3843（依据：本市铅蓄电池企业板栅使用铅锑合金');
    expect(withConfig.stdout).toMatch(/3\. 锑及其化合物〔化学因素，本地调整 C3843〕/);
    const json = JSON.parse((await runCli('industry', 'C3843', '--json', '--config', config)).stdout);
    expect(json.localOverrides).toEqual([{ code: 'C3843', reason: expect.any(String) }]);
    expect(json.hazards[2]).toMatchObject({ name: '锑及其化合物', local: true });
    expect((await runCli('industry', 'C3843')).stdout).not.toContain('本地调整');
  });

  test('batch: manifest.csv 本地调整 column and manifest.json localOverrides', async () => {
    const dir = tmp();
    const input = writeCsv(dir, 'employers.csv', [
      ['柳州市某某蓄电池有限公司', '', 'C3843', '柳城县', '', '', ''],
      ['柳州市某某水泥有限公司', '', 'C3011', '柳城县', '', '', ''],
    ]);
    const out = path.join(dir, 'out');
    await batch(input, out, { configFile: config, formats: ['pdf'] });
    const { rows } = readCsvFile(path.join(out, 'manifest.csv'));
    const col = rows[0].indexOf('本地调整');
    expect(col).toBeGreaterThan(0);
    const byName = new Map(rows.slice(1).map((r) => [r[rows[0].indexOf('单位名称')], r]));
    expect(byName.get('柳州市某某蓄电池有限公司')![col]).toMatch(/^C3843（本市铅蓄电池企业板栅使用铅锑合金/);
    expect(byName.get('柳州市某某蓄电池有限公司')![rows[0].indexOf('危害因素')]).toBe('铅及其化合物、硫酸及三氧化硫、锑及其化合物');
    expect(byName.get('柳州市某某水泥有限公司')![col]).toBe('');
    const letters = readManifestJson(out).letters as unknown as { employer: { name: string }; localOverrides: unknown[] }[];
    expect(letters.find((l) => l.employer.name === '柳州市某某蓄电池有限公司')!.localOverrides).toEqual([
      { code: 'C3843', reason: expect.stringContaining('铅锑合金') },
    ]);
    expect(letters.find((l) => l.employer.name === '柳州市某某水泥有限公司')!.localOverrides).toEqual([]);
  });
});

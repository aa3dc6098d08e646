import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HazardNoticeError } from '../errors';
import { findCounty, findCountyInAddress, formatDocNumber, loadRegionConfig } from './region';

describe('bundled 柳州 region config', () => {
  const region = loadRegionConfig();

  it('lists the 10 county-level divisions of 柳州 with their bureaus', () => {
    expect(region.counties.map((c) => `${c.countyCode} ${c.countyName}`)).toEqual([
      '450202 城中区',
      '450203 鱼峰区',
      '450204 柳南区',
      '450205 柳北区',
      '450206 柳江区',
      '450222 柳城县',
      '450223 鹿寨县',
      '450224 融安县',
      '450225 融水苗族自治县',
      '450226 三江侗族自治县',
    ]);
    expect(findCounty(region, '柳城县')?.name).toBe('柳城县卫生健康局');
    expect(region.counties.filter((c) => c.verified).map((c) => c.countyName)).toEqual(['城中区']);
  });

  it('finds a county by code, name, short name, alias or with the city prefix', () => {
    for (const input of ['450222', '柳城县', '柳城', '柳州市柳城县', '广西壮族自治区柳州市柳城县', ' 柳城县 ']) {
      expect(findCounty(region, input)?.countyCode).toBe('450222');
    }
    expect(findCounty(region, '融水县')?.countyCode).toBe('450225');
    expect(findCounty(region, '融水')?.countyCode).toBe('450225');
    expect(findCounty(region, '南宁市青秀区')).toBeUndefined();
  });

  it('finds the county inside an address only when it is unambiguous', () => {
    expect(findCountyInAddress(region, '广西柳州市鹿寨县鹿寨镇工业园区8号')?.countyName).toBe('鹿寨县');
    expect(findCountyInAddress(region, '柳州市某路1号')).toBeUndefined();
  });

  it('formats document numbers per GB/T 9704 by default, with padding and brackets as options', () => {
    expect(formatDocNumber(region.numbering, '柳城卫职告', 2026, 1)).toBe('柳城卫职告〔2026〕1号');
    expect(formatDocNumber({ pattern: '{代字}{年号}{序号}号', yearBrackets: '[]', padding: 3 }, '柳城卫职告', 2026, 7)).toBe(
      '柳城卫职告[2026]007号',
    );
  });
});

describe('config errors', () => {
  const write = (text: string) => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hn-cfg-')), 'region.yaml');
    fs.writeFileSync(f, text);
    return f;
  };

  const failure = (f: string) => {
    try {
      loadRegionConfig(f);
    } catch (e) {
      return e as HazardNoticeError;
    }
    throw new Error(`${f} was accepted`);
  };
  const county = '  - code: "450001"\n    name: 甲县\n    bureau: 甲县卫生健康局\n    prefix: 甲卫职告\n';

  it('a bad value: the file, its line and column, what was expected and what was found', () => {
    const f = write(`region: 测试市\nnumbering:\n  padding: "3"\ncounties:\n${county}`);
    const e = failure(f);
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toBe(`区域配置文件“${f}”第 3 行第 12 列：numbering.padding 应为数字，实际为文字“3”`);
    expect(e.details).toMatchObject({ file: f, line: 3, column: 12, key: 'numbering.padding' });
  });

  it.each([
    [
      'a rule of the schema',
      'region: 测试市\ncounties:\n  - code: "4502"\n    name: 甲县\n    bureau: 甲局\n    prefix: 甲\n',
      '第 3 行第 11 列：counties.0.code 区划代码应为 6 位数字，实际为“4502”',
    ],
    [
      'a missing key',
      'region: 测试市\ncounties:\n  - code: "450001"\n    name: 甲县\n    prefix: 甲\n',
      '第 3 行第 5 列：counties.0 缺少必填的键“bureau”',
    ],
    [
      'an unknown key',
      `region: 测试市\ncounties:\n${county}    phone: 123\n`,
      '第 7 行第 5 列：counties.0 有不认识的键“phone”（可用的键：code、name、aliases、bureau、verified、prefix、seal、sealDiameterMm、contact）',
    ],
    [
      'a yes for a boolean',
      `region: 测试市\ncounties:\n${county}    verified: yes\n`,
      '第 7 行第 15 列：counties.0.verified 应为布尔值（true 或 false），实际为文字“yes”',
    ],
    [
      'a number too large',
      `region: 测试市\nnumbering: {padding: 9}\ncounties:\n${county}`,
      '第 2 行第 22 列：numbering.padding 不能大于 6，实际为 9',
    ],
    ['an empty list', 'region: 测试市\ncounties: []\n', '第 2 行第 11 列：counties 不能为空（至少 1 项）'],
    ['a list for the whole file', '- region: 测试市\n', '第 1 行第 1 列：文件内容应为映射（“键: 值”），实际为列表'],
    [
      'a YAML syntax error',
      'region: 测试市\ncounties:\n\t- code: "450001"\n',
      '第 3 行第 1 列：YAML 语法错误：不能用 Tab 缩进，请改用空格',
    ],
    [
      'a duplicate key',
      `region: 测试市\nregion: 乙市\ncounties:\n${county}`,
      '第 2 行第 1 列：YAML 语法错误：键重复（同一层的键只能出现一次）',
    ],
    ['an alias without anchor', `region: *city\ncounties:\n${county}`, '第 1 行第 9 列：别名“*city”之前没有定义锚点“&city”'],
  ])('%s', (_, text, where) => {
    const f = write(text);
    const e = failure(f);
    expect(e.code).toBe('E_CONFIG_INVALID');
    expect(e.message).toBe(`区域配置文件“${f}”${where}`);
  });

  it('reads a file saved with a byte-order mark, and merges << keys', () => {
    const counties = '  - &a {code: "450001", name: 甲县, bureau: 甲局, prefix: 甲}\n  - {<<: *a, code: "450002", name: 乙县}\n';
    const f = write(`\ufeffregion: 测试市\ncounties:\n${counties}`);
    expect(loadRegionConfig(f).counties.map((c) => [c.countyCode, c.countyName, c.name])).toEqual([
      ['450001', '甲县', '甲局'],
      ['450002', '乙县', '甲局'],
    ]);
  });

  it('strips the city prefix of each region', () => {
    const other = loadRegionConfig(write('region: 测试市\ncounties:\n  - {code: "450001", name: 甲县, bureau: 甲局, prefix: 甲}\n'));
    expect(findCounty(other, '测试市甲县')?.countyCode).toBe('450001');
    expect(findCounty(other, '柳州市甲县')).toBeUndefined();
    expect(findCounty(loadRegionConfig(), '柳州市柳城县')?.countyCode).toBe('450222');
  });

  it('rejects duplicate counties and unreadable seals', () => {
    const dup = write(
      'region: 测试市\ncounties:\n' +
        '  - {code: "450001", name: 甲县, bureau: 甲局, prefix: 甲}\n  - {code: "450002", name: 甲县, bureau: 乙局, prefix: 乙}\n',
    );
    expect(() => loadRegionConfig(dup)).toThrow(/”第 4 行第 5 列：“甲县”在 counties\.0 和 counties\.1 中重复/);
    const seal = write('region: 测试市\ncounties:\n  - {code: "450001", name: 甲县, bureau: 甲局, prefix: 甲, seal: nope.png}\n');
    expect(() => loadRegionConfig(seal)).toThrow(/无法读取印章图片/);
  });
});

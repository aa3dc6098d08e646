import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findCounty, findCountyInAddress, formatDocNumber, loadRegionConfig } from './region';

describe('bundled 柳州 region config', () => {
  const region = loadRegionConfig();

  it('lists the 10 county-level divisions of 柳州 with their bureaus', () => {
    expect(region.counties.map((c) => `${c.countyCode} ${c.countyName}`)).toEqual([
      '450202 城中区', '450203 鱼峰区', '450204 柳南区', '450205 柳北区', '450206 柳江区',
      '450222 柳城县', '450223 鹿寨县', '450224 融安县', '450225 融水苗族自治县', '450226 三江侗族自治县',
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
    expect(formatDocNumber({ pattern: '{代字}{年号}{序号}号', yearBrackets: '[]', padding: 3 }, '柳城卫职告', 2026, 7)).toBe('柳城卫职告[2026]007号');
  });
});

describe('config errors', () => {
  const write = (text: string) => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hn-cfg-')), 'region.yaml');
    fs.writeFileSync(f, text);
    return f;
  };

  it('names the file and the item', () => {
    const f = write('region: 测试市\ncounties:\n  - code: "4502"\n    name: 甲县\n    bureau: 甲县卫生健康局\n    prefix: 甲卫职告\n');
    expect(() => loadRegionConfig(f)).toThrow(new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}”第 counties\\.0\\.code 项有误：区划代码应为 6 位数字`));
  });

  it('strips the city prefix of each region', () => {
    const other = loadRegionConfig(write('region: 测试市\ncounties:\n  - {code: "450001", name: 甲县, bureau: 甲局, prefix: 甲}\n'));
    expect(findCounty(other, '测试市甲县')?.countyCode).toBe('450001');
    expect(findCounty(other, '柳州市甲县')).toBeUndefined();
    expect(findCounty(loadRegionConfig(), '柳州市柳城县')?.countyCode).toBe('450222');
  });

  it('rejects duplicate counties and unreadable seals', () => {
    const dup = write('region: 测试市\ncounties:\n  - {code: "450001", name: 甲县, bureau: 甲局, prefix: 甲}\n  - {code: "450002", name: 甲县, bureau: 乙局, prefix: 乙}\n');
    expect(() => loadRegionConfig(dup)).toThrow(/“甲县”在 counties\.0 和 counties\.1 中重复/);
    const seal = write('region: 测试市\ncounties:\n  - {code: "450001", name: 甲县, bureau: 甲局, prefix: 甲, seal: nope.png}\n');
    expect(() => loadRegionConfig(seal)).toThrow(/无法读取印章图片/);
  });
});

import { loadKnowledgeBase } from '../catalog/load';
import { loadRegionConfig } from '../config/region';
import type { EmployerRecord } from '../input/employer';
import { resolveRecord, type ResolveContext } from './resolve-record';

const kb = loadKnowledgeBase();
const region = loadRegionConfig();
const ctx = (date = '2026-11-29'): ResolveContext => ({ kb, region, date, maxHazards: 3 });

function record(over: Partial<EmployerRecord>): EmployerRecord {
  return {
    source: { file: '名单.xlsx', row: 5 },
    name: '柳州市某某水泥有限公司',
    industry: 'C3011',
    county: '柳城县',
    columns: { name: '单位名称', industry: '行业代码', county: '区县', hazards: '危害因素', address: '地址' },
    ...over,
  };
}

function ok(r: ReturnType<typeof resolveRecord>) {
  if (!r.ok) throw new Error(r.errors.map((e) => e.message).join('\n'));
  return r.data;
}

describe('resolveRecord', () => {
  it('resolves the industry path, bureau, hazards and diseases', () => {
    const data = ok(resolveRecord(record({}), ctx()));
    expect(data.industry.section).toEqual({ code: 'C', name: '制造业' });
    expect(data.industry.division).toEqual({ code: 'C30', name: '非金属矿物制品业' });
    expect(data.industry.group.code).toBe('C301');
    expect(data.industry.class).toEqual({ code: 'C3011', name: '水泥制造' });
    expect(data.industry.risk).toBe('严重');
    expect(data.bureau).toMatchObject({ countyCode: '450222', name: '柳城县卫生健康局', numberPrefix: '柳城卫职告' });
    expect(data.hazards.slice(0, 3).map((h) => h.name)).toEqual(expect.arrayContaining(['矽尘', '噪声']));
    expect(data.hazards.every((h) => h.origin === 'industry')).toBe(true);
    expect(data.diseases.map((d) => d.name)).toEqual(expect.arrayContaining(['矽肺', '噪声聋']));
    expect(data.diseaseCatalogue).toEqual({ id: '2024', docNumber: '国卫职健发〔2024〕39号' });
  });

  it('puts the record’s own hazards first and takes diseases from each printed hazard in turn', () => {
    const data = ok(resolveRecord(record({ hazards: ['苯', '噪声'] }), ctx()));
    expect(data.hazards.slice(0, 3).map((h) => [h.name, h.origin])).toEqual([
      ['苯', 'record'],
      ['噪声', 'record'],
      [expect.any(String), 'industry'],
    ]);
    const third = kb.hazardDiseases(data.hazards[2].id, '2024')[0].disease.name;
    expect(data.diseases.slice(0, 4).map((d) => d.name)).toEqual(['苯中毒', '噪声聋', third, '苯所致白血病']);
  });

  it('chooses the disease catalogue in force on the letter date', () => {
    expect(ok(resolveRecord(record({}), ctx('2025-07-31'))).diseaseCatalogue.id).toBe('2013');
    expect(ok(resolveRecord(record({}), ctx('2025-08-01'))).diseaseCatalogue.id).toBe('2024');
  });

  it('finds the county in the address when there is no county column', () => {
    const data = ok(resolveRecord(record({ county: undefined, address: '柳州市鹿寨县鹿寨镇飞鹿大道8号' }), ctx()));
    expect(data.bureau.name).toBe('鹿寨县卫生健康局');
  });

  it('reports every problem of a row with code, column, value and a Chinese reason', () => {
    const r = resolveRecord(record({ industry: '水泥制', county: '南宁市', hazards: ['苯', '不存在的物质'] }), ctx());
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => [e.code, e.column, e.value])).toEqual([
      ['E_INDUSTRY_UNKNOWN', '行业代码', '水泥制'],
      ['E_COUNTY_UNKNOWN', '区县', '南宁市'],
      ['E_HAZARD_UNKNOWN', '危害因素', '不存在的物质'],
    ]);
    expect(r.errors[0].message).toMatch(/^名单\.xlsx 第 5 行“行业代码”列（值：水泥制）：无法识别的行业；可能是：.*水泥制造/);
  });

  it('asks for at least the 中类 the form prints', () => {
    const r = resolveRecord(record({ industry: 'C30' }), ctx());
    expect(!r.ok && r.errors[0].code).toBe('E_INDUSTRY_TOO_BROAD');
  });

  it('makes no letter for a no-typical-hazard industry without the employer’s own hazards, saying why', () => {
    const r = resolveRecord(record({ industry: 'I6410' }), ctx()); // 互联网接入及相关服务
    expect(!r.ok && r.errors.map((e) => e.code)).toEqual(['E_HAZARD_NEEDED']);
  });
});

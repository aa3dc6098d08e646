// Record → LetterData: industry path, county bureau, hazards and diseases for the letter's date.

import { industryCode } from '../catalog/industries';
import { printedAs } from '../catalog/industry-hazards';
import { type IndustryOverrides, overriddenHazards } from '../catalog/overrides';
import type { HazardDisease, Industry, KnowledgeBase } from '../catalog/types';
import { findCounty, findCountyInAddress, type County, type RegionConfig } from '../config/region';
import { fieldError, type EmployerField, type EmployerRecord, type RowError } from '../input/employer';
import type { CodeName, LetterData, LetterDisease, LetterHazard } from './letter-data';

export interface ResolveContext {
  kb: KnowledgeBase;
  region: RegionConfig;
  date: string; // YYYY-MM-DD
  /** How many hazards the letter prints; diseases are those of the printed hazards. */
  maxHazards: number;
  /** The region's local overrides of the industry lists (region config `industryOverrides`), if any. */
  overrides?: IndustryOverrides;
}

export type ResolveResult = { ok: true; data: LetterData } | { ok: false; errors: RowError[] };

function codeName(i: Industry): CodeName {
  return { code: industryCode(i), name: i.name };
}

function suggestionText(suggestions: string[]): string {
  return suggestions.length > 0 ? `；可能是：${suggestions.join('、')}` : '';
}

/**
 * Round-robin over the printed hazards (each one's most characteristic disease first), so the letter's few disease
 * blanks speak for all of its hazards; catch-all items (其他化学中毒 …) only after every named disease.
 */
function letterDiseases(perHazard: HazardDisease[][]): LetterDisease[] {
  const diseases: LetterDisease[] = [];
  const seen = new Set<string>();
  for (const catchAll of [false, true]) {
    const lists = perHazard.map((list) => list.filter((hd) => hd.disease.catchAll === catchAll));
    for (let rank = 0; lists.some((list) => rank < list.length); rank++) {
      for (const list of lists) {
        const d = list[rank]?.disease;
        if (!d || seen.has(d.name)) continue;
        seen.add(d.name);
        diseases.push({ name: d.printName, catalogueName: d.name, category: d.category });
      }
    }
  }
  return diseases;
}

/** The record's industry in GB/T 4754-2017 (at any level, 门类 to 小类), or why not. */
export function findRecordIndustry(
  record: EmployerRecord,
  kb: KnowledgeBase,
): { ok: true; path: Industry[] } | { ok: false; error: RowError } {
  if (!record.industry?.trim()) {
    return {
      ok: false,
      error: fieldError(record, 'industry', 'E_INDUSTRY_MISSING', record.industry, '缺少行业（国民经济行业分类代码或名称）'),
    };
  }
  const found = kb.findIndustry(record.industry);
  if (found.ok) return { ok: true, path: found.path };
  const what = found.reason === 'ambiguous' ? '行业名称对应多个行业，请填写行业代码' : '无法识别的行业';
  const code = found.reason === 'ambiguous' ? 'E_INDUSTRY_AMBIGUOUS' : 'E_INDUSTRY_UNKNOWN';
  const reason = `${what}${suggestionText(found.suggestions.map((i) => `${industryCode(i)} ${i.name}`))}`;
  return { ok: false, error: fieldError(record, 'industry', code, record.industry, reason) };
}

/** The record's county: its own column, else the one named in its address; or why not. */
export function findRecordCounty(
  record: EmployerRecord,
  region: RegionConfig,
): { ok: true; county: County } | { ok: false; error: RowError } {
  const fail = (code: string, field: EmployerField, value: string | undefined, reason: string) => ({
    ok: false as const,
    error: fieldError(record, field, code, value, reason),
  });
  if (record.county?.trim()) {
    const county = findCounty(region, record.county);
    if (county) return { ok: true, county };
    const known = region.counties.map((c) => c.countyName).join('、');
    return fail('E_COUNTY_UNKNOWN', 'county', record.county, `区县不在区域配置“${region.file}”中（可选：${known}）`);
  }
  if (record.address?.trim()) {
    const county = findCountyInAddress(region, record.address);
    return county ? { ok: true, county } : fail('E_COUNTY_MISSING', 'address', record.address, '没有区县列，且无法从地址中唯一确定区县');
  }
  return fail('E_COUNTY_MISSING', 'county', record.county, '缺少区县（可填写区县列，或在地址中写明区县）');
}

export function resolveRecord(record: EmployerRecord, ctx: ResolveContext): ResolveResult {
  const errors: RowError[] = [];
  const fail = (code: string, field: EmployerField, value: string | undefined, reason: string) => {
    errors.push(fieldError(record, field, code, value, reason));
  };

  const name = record.name?.trim();
  if (!name) fail('E_NAME_MISSING', 'name', record.name, '缺少单位名称');

  // Industry: resolved to at least the 中类 the form prints.
  let path: Industry[] | undefined;
  const industry = findRecordIndustry(record, ctx.kb);
  if (!industry.ok) errors.push(industry.error);
  else if (industry.path.length < 3) {
    const broad = industry.path[industry.path.length - 1];
    fail(
      'E_INDUSTRY_TOO_BROAD',
      'industry',
      record.industry,
      `行业“${broad.name}”只到${industry.path.length === 1 ? '门类' : '大类'}，告知单须写明中类，请细化到中类或小类代码`,
    );
  } else {
    path = industry.path;
  }

  const inCounty = findRecordCounty(record, ctx.region);
  const county = inCounty.ok ? inCounty.county : undefined;
  if (!inCounty.ok) errors.push(inCounty.error);

  // Hazards: the record's own first, then the industry's, most important first.
  const hazards: LetterHazard[] = [];
  const seen = new Set<string>();
  for (const typed of record.hazards ?? []) {
    const found = ctx.kb.findHazard(typed);
    if (!found.ok) {
      fail(
        'E_HAZARD_UNKNOWN',
        'hazards',
        typed,
        `不是《职业病危害因素分类目录》中的危害因素${suggestionText(found.suggestions.map((h) => h.name))}`,
      );
    } else if (!seen.has(found.hazard.id)) {
      seen.add(found.hazard.id);
      const { alias, without } = printedAs(found.hazard, found.alias);
      const printed = without ? alias! : found.hazard.shortName;
      hazards.push({
        id: found.hazard.id,
        name: printed,
        category: found.hazard.category,
        origin: 'record',
        ...(without ? { without } : {}),
      });
    }
  }
  const industryList = path ? overriddenHazards(ctx.kb, ctx.overrides, path[path.length - 1].code) : undefined;
  if (industryList) {
    for (const ih of industryList.hazards) {
      if (seen.has(ih.hazard.id)) continue;
      seen.add(ih.hazard.id);
      hazards.push({
        id: ih.hazard.id,
        name: ih.alias ?? ih.hazard.shortName,
        category: ih.hazard.category,
        origin: 'industry',
        fromCode: ih.fromCode,
        ...(ih.without ? { without: ih.without } : {}),
      });
    }
  }

  if (errors.length > 0 || !path || !county || !name) return { ok: false, errors };

  if (hazards.length === 0) {
    const industry = path[path.length - 1];
    const coverage = ctx.kb.industryCoverage(industry.code);
    if (coverage.kind === 'none') {
      fail(
        'E_HAZARD_NEEDED',
        'hazards',
        undefined,
        `行业“${industry.name}”无典型职业病危害（${coverage.reason}），请在危害因素一栏（或 --hazards）写明本单位存在的职业病危害因素后再生成告知单`,
      );
    } else {
      fail(
        'E_NO_HAZARD',
        'industry',
        record.industry,
        `行业“${industry.name}”在行业—危害因素对照中没有危害因素，记录也未列出危害因素，不生成告知单`,
      );
    }
    return { ok: false, errors };
  }

  const catalogue = ctx.kb.diseaseCatalogueOn(ctx.date);
  const leaf = path[path.length - 1].code;
  const diseases = letterDiseases(hazards.slice(0, ctx.maxHazards).map((h) => ctx.kb.hazardDiseases(h.id, catalogue.id, leaf, h.without)));
  // No disease in the catalogue (e.g. 工频电磁场): still a hazard to declare; the template leaves the disease clause out.

  const [section, division, group, cls] = path;
  return {
    ok: true,
    data: {
      source: record.source,
      employer: {
        name,
        uscc: record.uscc || undefined,
        township: record.township?.trim() || undefined,
        address: record.address?.trim() || undefined,
      },
      industry: {
        section: codeName(section),
        division: codeName(division),
        group: codeName(group),
        class: cls ? codeName(cls) : undefined,
        risk: ctx.kb.industryRisk(path[path.length - 1].code).rating,
      },
      hazards,
      diseases,
      diseaseCatalogue: { id: catalogue.id, docNumber: catalogue.docNumber },
      ...(industryList && industryList.applied.length > 0 ? { localOverrides: industryList.applied } : {}),
      bureau: {
        countyCode: county.countyCode,
        countyName: county.countyName,
        name: county.name,
        numberPrefix: county.numberPrefix,
        seal: county.seal,
        contact: county.contact,
      },
      date: ctx.date,
    },
  };
}

// The answers of the industry and hazard look-ups as data (docs/lookup.md): the CLI prints them (`--json`, or as
// text), the web app's 查询 page and /api/industries, /api/hazards serve the same objects.

import { HazardNoticeError } from '../errors';
import { LEVEL_NAMES, industryCode } from './industries';
import { printedAs } from './industry-hazards';
import { overriddenHazards, type AppliedOverride, type IndustryOverrides } from './overrides';
import type { DiseaseCatalogue, Hazard, HazardDisease, Industry, IndustryCoverage, IndustryRisk, KnowledgeBase } from './types';

export function industryJson(i: Industry) {
  return { code: industryCode(i), level: i.level, levelName: LEVEL_NAMES[i.level], name: i.name };
}

export function catalogueJson(c: DiseaseCatalogue) {
  return { id: c.id, docNumber: c.docNumber, title: c.title, validFrom: c.validFrom, validUntil: c.validUntil ?? null };
}

export function diseaseJson({ disease, basis }: HazardDisease) {
  return { name: disease.name, category: disease.category, subcategory: disease.subcategory ?? null, seq: disease.seq, basis };
}

export function hazardJson(h: Hazard) {
  return {
    id: h.id,
    name: h.name,
    shortName: h.shortName,
    aliases: h.aliases,
    category: h.category,
    seq: h.seq,
    cas: h.cas ?? null,
    note: h.note ?? null,
  };
}

/** A look-up that found nothing (or too much): the error and its suggestions, as data and as lines of text. */
export interface LookupMiss {
  ok: false;
  error: HazardNoticeError;
  suggestions: { json: object[]; text: string[] };
}

export interface IndustryReport {
  ok: true;
  industry: Industry;
  path: Industry[];
  risk: IndustryRisk;
  coverage: IndustryCoverage;
  hazards: (ReturnType<typeof overriddenHazards>['hazards'][number] & { diseases: HazardDisease[] })[];
  /** Local adjustments of the region config that applied. */
  applied: AppliedOverride[];
  catalogue: DiseaseCatalogue;
  /** The `industry --json` answer. */
  json: object;
}

/** `hazard-notice industry <input>` on a date: the industry's path, risk, coverage, hazards (local overrides applied) and diseases. */
export function industryReport(kb: KnowledgeBase, input: string, date: string, overrides?: IndustryOverrides): IndustryReport | LookupMiss {
  const catalogue = kb.diseaseCatalogueOn(date);
  const result = kb.findIndustry(input);
  if (!result.ok) {
    const what = result.reason === 'ambiguous' ? '对应多个行业，请写出代码' : '未找到';
    const error = new HazardNoticeError(
      result.reason === 'ambiguous' ? 'E_INDUSTRY_AMBIGUOUS' : 'E_INDUSTRY_UNKNOWN',
      `行业“${input}”${what}（国民经济行业分类 GB/T 4754-2017）`,
      { reason: result.reason, input },
    );
    return {
      ok: false,
      error,
      suggestions: {
        json: result.suggestions.map(industryJson),
        text: result.suggestions.map((i) => `${industryCode(i)} ${i.name}（${LEVEL_NAMES[i.level]}）`),
      },
    };
  }
  const { industry, path } = result;
  const code = industryCode(industry);
  const risk = kb.industryRisk(code);
  const listed = overriddenHazards(kb, overrides, code);
  const hazards = listed.hazards.map((h) => ({
    ...h,
    diseases: kb.hazardDiseases(h.hazard.id, catalogue.id, code, h.without),
  }));
  const coverage = kb.industryCoverage(code);
  const json = {
    input,
    date,
    industry: { ...industryJson(industry), description: kb.industryDescription(code) ?? null },
    path: path.map(industryJson),
    risk: { rating: risk.rating, fromCode: risk.fromCode ?? null, subcases: risk.subcases, note: risk.note ?? null },
    localOverrides: listed.applied,
    coverage: {
      kind: coverage.kind,
      fromCode: 'fromCode' in coverage ? coverage.fromCode : null,
      reason: 'reason' in coverage ? coverage.reason : null,
    },
    diseaseCatalogue: catalogueJson(catalogue),
    hazards: hazards.map((h) => ({
      ...hazardJson(h.hazard),
      fromCode: h.fromCode,
      fromLevel: kb.industry(h.fromCode)?.level ?? null,
      alias: h.alias ?? null,
      local: h.local ?? false,
      basis: h.basis,
      diseases: h.diseases.map(diseaseJson),
    })),
  };
  return { ok: true, industry, path, risk, coverage, hazards, applied: listed.applied, catalogue, json };
}

export interface HazardReport {
  ok: true;
  hazard: Hazard;
  diseases: HazardDisease[];
  catalogue: DiseaseCatalogue;
  /** The `hazard --json` answer. */
  json: object;
}

/** `hazard-notice hazard <input>` on a date: the factor and the diseases it may cause in that day's catalogue. */
export function hazardReport(kb: KnowledgeBase, input: string, date: string): HazardReport | LookupMiss {
  const catalogue = kb.diseaseCatalogueOn(date);
  const result = kb.findHazard(input);
  if (!result.ok) {
    const what = result.reason === 'ambiguous' ? '对应多个危害因素' : '未找到';
    const error = new HazardNoticeError(
      result.reason === 'ambiguous' ? 'E_HAZARD_AMBIGUOUS' : 'E_HAZARD_UNKNOWN',
      `危害因素“${input}”${what}`,
      { reason: result.reason, input },
    );
    return {
      ok: false,
      error,
      suggestions: {
        json: result.suggestions.map((h) => ({ id: h.id, name: h.name, category: h.category })),
        text: result.suggestions.map((h) => `${h.name}〔${h.category}〕`),
      },
    };
  }
  const { hazard } = result;
  const diseases = kb.hazardDiseases(hazard.id, catalogue.id, undefined, printedAs(hazard, result.alias).without);
  const json = { input, date, hazard: hazardJson(hazard), diseaseCatalogue: catalogueJson(catalogue), diseases: diseases.map(diseaseJson) };
  return { ok: true, hazard, diseases, catalogue, json };
}

// The campaign's progress as of a date (CampaignStatus): who is in the database then (应报), notified by a letter of the
// register dated on or before it (已告知), declared on or before it (已申报), per county and group, as the groups file
// defines them. Employers a group's rule cannot decide for are listed as 无法归类 for it, never counted in or out.

import type { KnowledgeBase } from '../catalog/types';
import { findCounty, type County, type RegionConfig } from '../config/region';
import { HazardNoticeError } from '../errors';
import { evaluate, type CampaignGroups, type EmployerFacts } from './groups';
import type { CampaignStatus, PendingEmployer, StatusRow, UnclassifiedEmployer } from './status-model';
import { nameKey, type CampaignStore, type EmployerState, type NoticeRow } from './store';

export const CITY = '全市';

export interface StatusOptions {
  asOf: string;
  /** Only this county (name, alias or code); default: every county and the whole city. */
  county?: string;
}

/** An employer of the database as of the date, with what the status needs. */
export interface EmployerStatus {
  id: number;
  state: EmployerState;
  facts: EmployerFacts;
  /** Group ids it is in (ALL-like groups included). */
  groups: string[];
  notified?: NoticeRow;
  declared?: string;
}

/** The newest letter for each employer: by USCC, and by county + name for letters or employers without one. */
function letterFinder(notices: NoticeRow[]): (s: EmployerState) => NoticeRow | undefined {
  const byUscc = new Map<string, NoticeRow>();
  const byNameNoUscc = new Map<string, NoticeRow>();
  const byName = new Map<string, NoticeRow>();
  for (const n of notices) {
    // Oldest first: the last one set is the newest.
    const key = `${n.countyCode}|${nameKey(n.name)}`;
    if (n.uscc) byUscc.set(n.uscc.toUpperCase(), n);
    else byNameNoUscc.set(key, n);
    byName.set(key, n);
  }
  return (s) => {
    const key = `${s.countyCode}|${nameKey(s.name)}`;
    const candidates = s.uscc ? [byUscc.get(s.uscc), byNameNoUscc.get(key)] : [byName.get(key)];
    return candidates.reduce<NoticeRow | undefined>((a, b) => (!b || (a && a.date >= b.date) ? a : b), undefined);
  };
}

function factsFinder(kb: KnowledgeBase): (s: EmployerState) => EmployerFacts {
  const industries = new Map<string, EmployerFacts['industry']>();
  const industryOf = (code: string, name: string) => {
    let found = industries.get(code);
    if (!found) {
      const level = kb.industry(code)?.level;
      const rated = level === 'group' || level === 'class';
      found = { code, name, ...(rated ? { risk: kb.industryRisk(code).rating } : {}) };
      industries.set(code, found);
    }
    return found;
  };
  return (s) => ({
    ...(s.industry ? { industry: industryOf(s.industry.code, s.industry.name) } : {}),
    ...(s.workers !== undefined ? { workers: s.workers } : {}),
    flags: new Set(s.flags),
  });
}

/**
 * Employers of the database as of the date (one county's, when given), classified, with their newest letter (dated on
 * or before `lettersUpTo`, default asOf) and first declaration.
 */
export async function employerStatuses(
  store: CampaignStore,
  kb: KnowledgeBase,
  groups: CampaignGroups,
  asOf: string,
  countyCode?: string,
  lettersUpTo: string = asOf,
): Promise<{ employers: EmployerStatus[]; unclassified: UnclassifiedEmployer[] }> {
  const letterOf = letterFinder(await store.notices(lettersUpTo));
  const declared = await store.firstDeclarations(asOf);
  const factsOf = factsFinder(kb);
  const employers: EmployerStatus[] = [];
  const unclassified: UnclassifiedEmployer[] = [];
  for (const [id, state] of await store.employersAsOf(asOf)) {
    if (countyCode && state.countyCode !== countyCode) continue;
    const facts = factsOf(state);
    const member: string[] = [];
    const undecided: string[] = [];
    const reasons: string[] = [];
    for (const g of groups.groups) {
      const v = evaluate(g.rule, facts);
      if (v.in === true) member.push(g.id);
      else if (v.in === 'unknown') {
        undecided.push(g.id);
        reasons.push(...v.reasons.filter((r) => !reasons.includes(r)));
      }
    }
    if (undecided.length > 0) {
      const uscc = state.uscc ? { uscc: state.uscc } : {};
      unclassified.push({ county: state.countyName, name: state.name, ...uscc, groups: undecided, reason: reasons.join('；') });
    }
    const notified = letterOf(state);
    const dates = { ...(notified ? { notified } : {}), ...(declared.has(id) ? { declared: declared.get(id) } : {}) };
    employers.push({ id, state, facts, groups: member, ...dates });
  }
  return { employers, unclassified };
}

const RISK_ORDER = (risk: string | undefined) => (risk === '严重' ? 0 : risk?.startsWith('严重或一般') ? 1 : risk === '一般' ? 2 : 3);

/** By county (the given order), then group (the groups file's order), risk (严重 first), size (larger first), name. */
export function sortPending(
  employers: EmployerStatus[],
  countyOrder: Map<string, number>,
  groupIndex: Map<string, number>,
): EmployerStatus[] {
  const keyed = employers.map((e) => {
    const firstGroup = Math.min(...e.groups.map((g) => groupIndex.get(g) ?? groupIndex.size), groupIndex.size);
    const key = [countyOrder.get(e.state.countyCode) ?? 0, firstGroup, RISK_ORDER(e.facts.industry?.risk), -(e.state.workers ?? -1)];
    return { e, key };
  });
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) if (a.key[i] !== b.key[i]) return a.key[i] - b.key[i];
    const [x, y] = [a.e.state, b.e.state];
    return x.name < y.name ? -1 : x.name > y.name ? 1 : (x.uscc ?? '') < (y.uscc ?? '') ? -1 : 1;
  });
  return keyed.map((k) => k.e);
}

export function pendingOf(e: EmployerStatus): PendingEmployer {
  const s = e.state;
  const risk = e.facts.industry?.risk;
  return {
    county: s.countyName,
    countyCode: s.countyCode,
    name: s.name,
    ...(s.uscc ? { uscc: s.uscc } : {}),
    ...(s.address ? { address: s.address } : {}),
    ...(s.township ? { township: s.township } : {}),
    ...(s.industry ? { industry: { code: s.industry.code, name: s.industry.name } } : {}),
    ...(risk ? { risk } : {}),
    ...(s.workers !== undefined ? { workers: s.workers } : {}),
    groups: e.groups,
    ...(e.notified ? { notified: { date: e.notified.date, docNumber: e.notified.docNumber } } : {}),
  };
}

/** Every county of the region, or the one `--county` names. */
export function countiesFor(region: RegionConfig, county: string | undefined): County[] {
  if (county === undefined) return region.counties;
  const found = findCounty(region, county);
  if (found) return [found];
  const known = region.counties.map((c) => c.countyName).join('、');
  throw new HazardNoticeError('E_COUNTY_UNKNOWN', `--county “${county}”不在区域配置“${region.file}”中（可选：${known}）`);
}

export async function campaignStatus(
  store: CampaignStore,
  kb: KnowledgeBase,
  region: RegionConfig,
  groups: CampaignGroups,
  opts: StatusOptions,
): Promise<CampaignStatus> {
  const counties = countiesFor(region, opts.county);
  const { employers, unclassified } = await employerStatuses(
    store,
    kb,
    groups,
    opts.asOf,
    opts.county ? counties[0].countyCode : undefined,
  );
  const order = new Map(counties.map((c, i) => [c.countyCode, i]));
  const groupIndex = new Map(groups.groups.map((g, i) => [g.id, i]));

  const rows: StatusRow[] = [];
  const tally = (county: string, countyCode: string | undefined, inCounty: EmployerStatus[]) => {
    for (const g of groups.groups) {
      const of = inCounty.filter((e) => e.groups.includes(g.id));
      const due = of.length;
      const declared = of.filter((e) => e.declared).length;
      rows.push({
        county,
        ...(countyCode ? { countyCode } : {}),
        group: g.id,
        due,
        notified: of.filter((e) => e.notified).length,
        declared,
        rate: due === 0 ? null : declared / due,
      });
    }
  };
  const byCounty = new Map<string, EmployerStatus[]>(counties.map((c) => [c.countyCode, []]));
  for (const e of employers) byCounty.get(e.state.countyCode)?.push(e);
  for (const c of counties) tally(c.countyName, c.countyCode, byCounty.get(c.countyCode)!);
  if (opts.county === undefined) tally(CITY, undefined, employers);

  const pending = sortPending(
    employers.filter((e) => !e.declared),
    order,
    groupIndex,
  ).map((e) => pendingOf(e));
  const countyRank = new Map(counties.map((c, i) => [c.countyName, i]));
  unclassified.sort((a, b) => countyRank.get(a.county)! - countyRank.get(b.county)! || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    asOf: opts.asOf,
    region: region.region,
    groups: groups.groups.map(({ rule: _rule, ...g }) => g),
    rows,
    unclassified,
    pending,
  };
}

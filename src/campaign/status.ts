// The campaign's progress as of a date (CampaignStatus): who is in the database then (应报), notified by a letter of the
// register dated on or before it (已告知), declared on or before it (已申报), per county and group, as the groups file
// defines them. Employers a group's rule cannot decide for are listed as 无法归类 for it, never counted in or out.

import type { KnowledgeBase } from '../catalog/types';
import { findCounty, type County, type RegionConfig } from '../config/region';
import { HazardNoticeError } from '../errors';
import { evaluate, type CampaignGroups, type EmployerFacts } from './groups';
import type { CampaignStatus, PendingEmployer, StatusRow, TrendPoint, UnclassifiedEmployer } from './status-model';
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

/**
 * Each employer's newest (or oldest) letter: by USCC, and by county + name for letters or employers without one.
 * `notices` come oldest first.
 */
function letterFinder(notices: NoticeRow[], pick: 'newest' | 'oldest' = 'newest'): (s: EmployerState) => NoticeRow | undefined {
  const byUscc = new Map<string, NoticeRow>();
  const byNameNoUscc = new Map<string, NoticeRow>();
  const byName = new Map<string, NoticeRow>();
  const put = (map: Map<string, NoticeRow>, key: string, n: NoticeRow) => {
    if (pick === 'newest' || !map.has(key)) map.set(key, n);
  };
  for (const n of notices) {
    const key = `${n.countyCode}|${nameKey(n.name)}`;
    if (n.uscc) put(byUscc, n.uscc.toUpperCase(), n);
    else put(byNameNoUscc, key, n);
    put(byName, key, n);
  }
  const better = pick === 'newest' ? (a: NoticeRow, b: NoticeRow) => a.date >= b.date : (a: NoticeRow, b: NoticeRow) => a.date <= b.date;
  return (s) => {
    const key = `${s.countyCode}|${nameKey(s.name)}`;
    const candidates = s.uscc ? [byUscc.get(s.uscc), byNameNoUscc.get(key)] : [byName.get(key)];
    return candidates.reduce<NoticeRow | undefined>((a, b) => (!b || (a && better(a, b)) ? a : b), undefined);
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

/** An employer's groups: those it is in, those its data cannot decide (and why). */
interface Classified {
  facts: EmployerFacts;
  member: string[];
  undecided: string[];
  reasons: string[];
}

function classifier(kb: KnowledgeBase, groups: CampaignGroups): (state: EmployerState) => Classified {
  const factsOf = factsFinder(kb);
  return (state) => {
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
    return { facts, member, undecided, reasons };
  };
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
  const classify = classifier(kb, groups);
  const employers: EmployerStatus[] = [];
  const unclassified: UnclassifiedEmployer[] = [];
  for (const [id, state] of await store.employersAsOf(asOf)) {
    if (countyCode && state.countyCode !== countyCode) continue;
    const { facts, member, undecided, reasons } = classify(state);
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

/** The status rows' counts: each county (the given order), then the whole city (every employer) when `withCity`, per group. */
class Tally {
  private readonly countyIndex: Map<string, number>;
  private readonly groupIndex: Map<string, number>;
  /** [due, notified, declared] per (county or city) × group. */
  private readonly counts: number[];

  constructor(
    private readonly counties: County[],
    private readonly groups: CampaignGroups,
    private readonly withCity: boolean,
  ) {
    this.countyIndex = new Map(counties.map((c, i) => [c.countyCode, i]));
    this.groupIndex = new Map(groups.groups.map((g, i) => [g.id, i]));
    this.counts = new Array<number>((counties.length + 1) * groups.groups.length * 3).fill(0);
  }

  add(countyCode: string, groups: readonly string[], notified: boolean, declared: boolean): void {
    const c = this.countyIndex.get(countyCode);
    for (const id of groups) {
      const g = this.groupIndex.get(id)!;
      if (c !== undefined) this.count(c, g, notified, declared);
      if (this.withCity) this.count(this.counties.length, g, notified, declared);
    }
  }

  private count(at: number, g: number, notified: boolean, declared: boolean): void {
    const k = (at * this.groups.groups.length + g) * 3;
    this.counts[k]++;
    if (notified) this.counts[k + 1]++;
    if (declared) this.counts[k + 2]++;
  }

  rows(): StatusRow[] {
    const n = this.groups.groups.length;
    const places: { county: string; countyCode?: string }[] = this.counties.map((c) => ({
      county: c.countyName,
      countyCode: c.countyCode,
    }));
    if (this.withCity) places.push({ county: CITY });
    return places.flatMap((p, at) =>
      this.groups.groups.map((g, gi) => {
        const [due, notified, declared] = this.counts.slice((at * n + gi) * 3, (at * n + gi) * 3 + 3);
        return { ...p, group: g.id, due, notified, declared, rate: due === 0 ? null : declared / due };
      }),
    );
  }
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

  const tally = new Tally(counties, groups, opts.county === undefined);
  for (const e of employers) tally.add(e.state.countyCode, e.groups, e.notified !== undefined, e.declared !== undefined);
  const rows = tally.rows();

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

/** The trend shows the month ends of at most this many months before the as-of date's (the plan runs two years). */
export const TREND_MONTHS = 24;

/** The last day of each of the `months` months before `date`'s month, oldest first (2025-06-15 → …, 2025-05-31). */
export function monthEndsBefore(date: string, months: number): string[] {
  const [y, m] = date.split('-').map(Number);
  const ends: string[] = [];
  // Day 0 of month m (1-based) is the last day of month m − 1.
  for (let k = months - 1; k >= 0; k--) ends.push(new Date(Date.UTC(y, m - 1 - k, 0)).toISOString().slice(0, 10));
  return ends;
}

/**
 * The status table at each month end before the as-of date (up to TREND_MONTHS), from the first month end at which
 * the database had any employer; what `campaignStatus` gives for that date, rows only. Every event is dated, so one
 * read of the letters and declarations serves all points, the states are read once for all month ends after the
 * latest import, and an employer's state is parsed and classified once per distinct state, not once per month.
 */
export async function campaignTrend(
  store: CampaignStore,
  kb: KnowledgeBase,
  region: RegionConfig,
  groups: CampaignGroups,
  opts: StatusOptions,
): Promise<TrendPoint[]> {
  const counties = countiesFor(region, opts.county);
  const countyCode = opts.county === undefined ? undefined : counties[0].countyCode;
  const firstLetter = letterFinder(await store.notices(opts.asOf), 'oldest');
  const firstDeclared = await store.firstDeclarations(opts.asOf);
  const classify = classifier(kb, groups);
  const known = new Map<number, { data: string; state: EmployerState; groups: string[]; letter?: string }>();
  // States are dated by their import: after the latest import, every month end sees the same states (read once).
  const lastImport = await store.latestImportDate('employers');
  let latest: ReturnType<CampaignStore['statesAsOf']> | undefined;
  const statesAt = (end: string): ReturnType<CampaignStore['statesAsOf']> =>
    lastImport !== undefined && end >= lastImport ? (latest ??= store.statesAsOf(end)) : store.statesAsOf(end);
  const points: TrendPoint[] = [];
  for (const end of monthEndsBefore(opts.asOf, TREND_MONTHS).reverse()) {
    const states = await statesAt(end);
    // No state at all (removals included): nothing was imported yet, nor before.
    if (states.size === 0) break;
    const tally = new Tally(counties, groups, opts.county === undefined);
    for (const [id, s] of states) {
      if (s.removed) continue;
      let e = known.get(id);
      if (e?.data !== s.data) {
        const state = JSON.parse(s.data) as EmployerState;
        e = { data: s.data, state, groups: classify(state).member, letter: firstLetter(state)?.date };
        known.set(id, e);
      }
      if (countyCode && e.state.countyCode !== countyCode) continue;
      const declared = firstDeclared.get(id);
      tally.add(e.state.countyCode, e.groups, e.letter !== undefined && e.letter <= end, declared !== undefined && declared <= end);
    }
    points.push({ asOf: end, rows: tally.rows() });
  }
  return points.reverse();
}

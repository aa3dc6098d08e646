// What every progress report prints the same way: title, rates, goals, the county order.

import { formatChineseDate } from '../calendar/date';
import type { CampaignGroup, CampaignStatus, StatusRow } from './status-model';

export const CITY = '全市';
/** Shown for a rate of a group with no employer due (rate null), and for a missing value. */
export const NO_VALUE = '—';

/** The report's title: “柳州市职业病危害项目申报扩面行动进度（截至2025年11月30日）”; a county's own status names the county. */
export function reportTitle(status: CampaignStatus): string {
  const counties = countiesOf(status);
  const place = counties.length === 1 && counties[0] !== CITY ? counties[0] : status.region;
  return `${place}职业病危害项目申报扩面行动进度（截至${formatChineseDate(status.asOf)}）`;
}

/** “目标 100%，2024年12月31日前” or “—” for a group without a goal. */
export function goalText(group: CampaignGroup): string {
  return group.goal ? `目标 ${goalRate(group.goal.rate)}，${formatChineseDate(group.goal.by)}前` : NO_VALUE;
}

/** A rate as the tables print it, with one decimal (87.5%, 100.0%), or “—”. */
export function formatRate(rate: number | null): string {
  if (rate === null) return NO_VALUE;
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`;
}

/** A goal's rate as the plan words it: 100%. */
export function goalRate(rate: number): string {
  return `${String(Math.round(rate * 1000) / 10)}%`;
}

/** Counties in the order of the status rows (the region config's), 全市 last. */
export function countiesOf(status: CampaignStatus): string[] {
  const seen = [...new Set(status.rows.map((r) => r.county))];
  return [...seen.filter((c) => c !== CITY), ...seen.filter((c) => c === CITY)];
}

export function rowOf(status: Pick<CampaignStatus, 'rows'>, county: string, group: string): StatusRow | undefined {
  return status.rows.find((r) => r.county === county && r.group === group);
}

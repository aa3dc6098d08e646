// The campaign's progress as of a date: what `campaign status` computes from the campaign store and the register,
// and what every report (terminal table, JSON, workbook, PDF, web page) draws. Plain data, no behaviour.

/** A target group of the action plan, defined in data (data/campaign-groups.yaml), not in code. */
export interface CampaignGroup {
  /** 'A', 'B', 'C' or 'ALL' for the bundled plan; another region may define its own ids. */
  id: string;
  /** Short name shown in tables and charts, e.g. “2024年目标：严重风险的矿山、冶金、化工、建材”. */
  name: string;
  /** The plan's own wording this group rests on (quoted from the seed). */
  basis: string;
  /** The plan's goal: the 申报率 to reach by a date (YYYY-MM-DD); none for ALL. */
  goal?: { rate: number; by: string };
}

/** One line of the status table: a county (or the whole city, county '全市') and a group. */
export interface StatusRow {
  county: string;
  /** GB/T 2260 code; absent for '全市'. */
  countyCode?: string;
  group: string;
  /** 应报: employers of the group in the database. */
  due: number;
  /** 已告知: of those, with a letter dated on or before asOf. */
  notified: number;
  /** 已申报: of those, declared on or before asOf (whether or not a letter came first). */
  declared: number;
  /** 申报率 = declared / due; null when due is 0. */
  rate: number | null;
}

/** An employer that could not be placed in or out of a group (missing industry or worker count). */
export interface UnclassifiedEmployer {
  county: string;
  name: string;
  uscc?: string;
  /** The groups it could not be decided for. */
  groups: string[];
  /** Why, in Chinese, e.g. “缺少劳动者人数”. */
  reason: string;
}

/** An employer of the database not declared as of asOf: the work list per county. */
export interface PendingEmployer {
  county: string;
  countyCode: string;
  name: string;
  uscc?: string;
  address?: string;
  township?: string;
  industry?: { code: string; name: string };
  /** The 2021 risk rating of its industry when known ('严重', '一般', …). */
  risk?: string;
  workers?: number;
  /** The groups it belongs to (ids), ALL included. */
  groups: string[];
  /** The newest letter dated on or before asOf, if any. */
  notified?: { date: string; docNumber: string };
}

export interface CampaignStatus {
  asOf: string;
  /** The region (city) name, e.g. 柳州市. */
  region: string;
  groups: CampaignGroup[];
  /** Per county (in the region config's order) then '全市', each for every group. */
  rows: StatusRow[];
  unclassified: UnclassifiedEmployer[];
  /** Not declared as of asOf, sorted by county, then group, risk (严重 first) and size (workers, larger first). */
  pending: PendingEmployer[];
}

/** The status table at a past date (a month end), for the report's trend: what `CampaignStatus` gives then, rows only. */
export type TrendPoint = Pick<CampaignStatus, 'asOf' | 'rows'>;

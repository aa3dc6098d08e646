// The 进度 page's API: the campaign's progress as of a date (the CampaignStatus of `campaign status --json`) and its
// workbook and PDF report as downloads. Parameters are checked here (400 naming the parameter and value); the store
// is the data directory's, opened per request as the CLI does; no client text reaches the file system.

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parseLetterDate, todayInChina } from '../calendar/date';
import { findCounty } from '../config/region';
import { loadCampaignGroups, type CampaignGroups } from '../campaign/groups';
import { campaignStatus, campaignTrend } from '../campaign/status';
import type { CampaignStatus } from '../campaign/status-model';
import { CampaignStore } from '../campaign/store';
import { ApiError } from './api-error';
import { queryText } from './query';
import type { Desk } from './desk';
import { sendDownload } from './download';
import type { Permissions } from './permissions';

export interface ProgressOptions {
  /** The target groups file (default: the bundled data/campaign-groups.yaml), as `campaign --groups`. */
  groupsFile?: string;
}

interface StatusQuery {
  asOf: string;
  /** The county's code, when one is asked for. */
  county?: string;
  pending: boolean;
}

const QUERY_KEYS = ['asOf', 'county', 'pending'];

function parseQuery(desk: Desk, query: unknown): StatusQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  const text = (name: string): string => queryText(q, name).trim();
  const unknown = Object.keys(q).find((k) => !QUERY_KEYS.includes(k));
  if (unknown !== undefined) {
    throw new ApiError(400, 'E_REQUEST_FIELD', `不认识的参数“${unknown}”（可用：${QUERY_KEYS.join('、')}）`, { field: unknown });
  }
  const asOfText = text('asOf');
  let asOf = todayInChina();
  if (asOfText) {
    try {
      asOf = parseLetterDate(asOfText);
    } catch {
      throw new ApiError(400, 'E_DATE_INVALID', `参数 asOf（统计日期）“${asOfText}”无效：应为 YYYY-MM-DD 格式的真实日期，例如 2024-12-31`, {
        field: 'asOf',
      });
    }
  }
  const countyText = text('county');
  let county: string | undefined;
  if (countyText) {
    const found = findCounty(desk.region, countyText);
    if (!found) {
      const known = desk.region.counties.map((c) => c.countyName).join('、');
      throw new ApiError(400, 'E_COUNTY_UNKNOWN', `参数 county（区县）“${countyText}”不在区域配置中（可选：${known}）`, {
        field: 'county',
      });
    }
    county = found.countyCode;
  }
  const pendingText = text('pending');
  if (pendingText !== '' && pendingText !== '0' && pendingText !== '1') {
    throw new ApiError(400, 'E_REQUEST_FIELD', `参数 pending“${pendingText}”无效：应为 0 或 1`, { field: 'pending' });
  }
  return { asOf, county, pending: pendingText !== '0' };
}

/** The download's name: 柳州市申报扩面进度_柳城县_2024-12-31.xlsx. */
function reportName(status: CampaignStatus, query: StatusQuery, ext: string): string {
  const county = query.county ? `${status.rows[0]?.county ?? query.county}_` : '';
  return `${status.region}申报扩面进度_${county}${status.asOf}.${ext}`;
}

export function registerProgressRoutes(app: FastifyInstance, desk: Desk, perms: Permissions, options: ProgressOptions = {}): void {
  // Read at start, so a broken groups file stops `serve` with its file, line and column.
  const groups: CampaignGroups = loadCampaignGroups(options.groupsFile);
  // The campaign store lives in the desk's register (SQLite file or PostgreSQL), open for the server's life.
  const store = CampaignStore.over(desk.register);
  const statusOf = (query: StatusQuery): Promise<CampaignStatus> =>
    campaignStatus(store, desk.kb, desk.region, groups, { asOf: query.asOf, county: query.county });
  /**
   * The query, within the user's counties: a county user asking for none gets their county when they have one; 全市
   * (no county) is for the city role only; another county is refused.
   */
  const allowed = async (request: FastifyRequest): Promise<StatusQuery> => {
    const query = parseQuery(desk, request.query);
    const scope = perms.scope(request);
    if (scope && query.county === undefined && scope.length === 1) return { ...query, county: scope[0] };
    if (query.county === undefined) await perms.requireCity(request, '申报扩面进度');
    else await perms.requireCounties(request, '申报扩面进度', [query.county]);
    return query;
  };

  app.get('/api/campaign/status', async (request) => {
    const query = await allowed(request);
    const status = await statusOf(query);
    if (query.pending) return status;
    const { pending: _pending, ...rest } = status;
    return rest;
  });
  app.get('/api/campaign/status.xlsx', async (request, reply) => {
    const query = await allowed(request);
    const status = await statusOf(query);
    const { statusWorkbook } = await import('../campaign/report-xlsx');
    const bytes = await statusWorkbook(status);
    return sendDownload(reply, reportName(status, query, 'xlsx'), XLSX_TYPE, Buffer.from(bytes));
  });
  app.get('/api/campaign/status.pdf', async (request, reply) => {
    const query = await allowed(request);
    const status = await statusOf(query);
    const trend = await campaignTrend(store, desk.kb, desk.region, groups, { asOf: query.asOf, county: query.county });
    const { renderStatusReport } = await import('../campaign/report-pdf');
    // The issuer, as `campaign status --out`: the county's bureau for one county, else the region's health commission.
    const bureau = query.county ? desk.region.counties.find((c) => c.countyCode === query.county)?.name : desk.region.bureau;
    const bytes = renderStatusReport(status, { trend, bureau });
    return sendDownload(reply, reportName(status, query, 'pdf'), 'application/pdf', Buffer.from(bytes));
  });
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

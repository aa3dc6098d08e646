// `campaign import`: the county or city employer database into the campaign store, read by the batch's readers
// (same header recognition) plus 劳动者人数 and the plan's flags. Re-imports match by USCC, else by county + name;
// every change is a dated state, nothing is deleted silently (missing employers are listed, removed only with prune).

import path from 'node:path';
import { parseLetterDate } from '../calendar/date';
import { industryCode } from '../catalog/industries';
import type { KnowledgeBase } from '../catalog/types';
import type { RegionConfig } from '../config/region';
import { HazardNoticeError } from '../errors';
import { fieldError, type EmployerRecord, type RowError } from '../input/employer';
import { readEmployers } from '../input/read-employers';
import { fileSha256 } from '../output-files/atomic-file';
import { findRecordCounty, findRecordIndustry } from '../resolve/resolve-record';
import type { CampaignGroups } from './groups';
import { IdentityIndex, nameKey, type CampaignStore, type EmployerState } from './store';

export interface ImportOptions {
  file: string;
  /** The date the database is as of: every change is dated by it (YYYY-MM-DD, validated). */
  date: string;
  prune: boolean;
  sheet?: string;
  columnsFile?: string;
}

export interface ListedEmployer {
  county: string;
  name: string;
  uscc?: string;
}

export interface ImportSummary {
  file: string;
  date: string;
  rowsRead: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: RowError[];
  /** In the database before, not in this import (removed when `removed` is true). */
  missing: ListedEmployer[];
  removed: boolean;
  /** --prune asked for but not applied because rows were rejected. */
  pruneSkipped: boolean;
  /** Flags with no column in the file (every employer is read as not flagged for them). */
  flagsWithoutColumn: string[];
}

const YES = new Set(['是', 'Y', 'YES', '1', '✓', '✔', '√']);
const NO = new Set(['否', 'N', 'NO', '0']);

/** 是/否, Y/N, 1/0, ✓ (✔ √ alike); a blank cell is 否; anything else is the row's error. */
function flagValue(record: EmployerRecord, flag: string): boolean | RowError {
  const cell = record.extra?.[flag];
  if (!cell) return false;
  const v = cell.value.normalize('NFKC').toUpperCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  const message = `${record.source.file} 第 ${record.source.row} 行“${cell.column}”列（值：${cell.value}）：应为 是/否、Y/N、1/0 或 ✓（空白为否）`;
  return { code: 'E_CAMPAIGN_FLAG', source: record.source, column: cell.column, value: cell.value, message };
}

function workersValue(record: EmployerRecord): number | undefined | RowError {
  if (record.workers === undefined) return undefined;
  const v = record.workers.normalize('NFKC').trim();
  if (/^\d{1,7}$/.test(v)) return Number(v);
  return fieldError(record, 'workers', 'E_WORKERS_INVALID', record.workers, '劳动者人数应为不小于 0 的整数');
}

/** The state a record gives, or its first problem. */
function stateOf(record: EmployerRecord, kb: KnowledgeBase, region: RegionConfig, groups: CampaignGroups): EmployerState | RowError {
  let industry: EmployerState['industry'];
  if (record.industry !== undefined) {
    const found = findRecordIndustry(record, kb);
    if (!found.ok) return found.error;
    const leaf = found.path[found.path.length - 1];
    industry = { code: industryCode(leaf), name: leaf.name };
  }
  const county = findRecordCounty(record, region);
  if (!county.ok) return county.error;
  const workers = workersValue(record);
  if (typeof workers === 'object') return workers;
  const flags: string[] = [];
  for (const flag of Object.keys(groups.flags)) {
    const v = flagValue(record, flag);
    if (typeof v === 'object') return v;
    if (v) flags.push(flag);
  }
  // Keys in a fixed order: a re-import compares states as JSON text.
  const state: EmployerState = { name: record.name!, countyCode: county.county.countyCode, countyName: county.county.countyName, flags };
  if (record.uscc) state.uscc = record.uscc;
  if (record.township) state.township = record.township;
  if (record.address) state.address = record.address;
  if (industry) state.industry = industry;
  if (workers !== undefined) state.workers = workers;
  if (record.hazards) state.hazards = record.hazards;
  return state;
}

export async function importEmployers(
  store: CampaignStore,
  opts: ImportOptions,
  kb: KnowledgeBase,
  region: RegionConfig,
  groups: CampaignGroups,
): Promise<ImportSummary> {
  const date = parseLetterDate(opts.date);
  const latest = await store.latestImportDate('employers');
  if (latest && date < latest) {
    throw new HazardNoticeError(
      'E_CAMPAIGN_DATE_ORDER',
      `导入日期 ${date} 早于上次导入的日期 ${latest}：名单的变化按日期记载，不能补记到过去；请用 --date 给出 ${latest} 或以后的日期`,
      { date, latest },
    );
  }
  const summary: ImportSummary = {
    file: opts.file,
    date,
    rowsRead: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    missing: [],
    removed: false,
    pruneSkipped: false,
    flagsWithoutColumn: [],
  };
  const records: { record: EmployerRecord; state: EmployerState }[] = [];
  let mapped: Record<string, string> = {};
  const reader = readEmployers(opts.file, {
    sheet: opts.sheet,
    columnsFile: opts.columnsFile,
    extraColumns: groups.flags,
    onHeader: (h) => (mapped = h.mapped),
  });
  for await (const item of reader) {
    summary.rowsRead++;
    if (item.kind === 'error') {
      summary.rejected.push(item.error);
      continue;
    }
    const state = stateOf(item.record, kb, region, groups);
    if ('code' in state) summary.rejected.push(state);
    else records.push({ record: item.record, state });
  }
  const labels = new Set(Object.values(mapped));
  summary.flagsWithoutColumn = Object.keys(groups.flags).filter((f) => !labels.has(f));

  await store.transaction(async () => {
    const importId = await store.addImport('employers', date, path.resolve(opts.file), fileSha256(opts.file) ?? '');
    const index = new IdentityIndex(await store.identities());
    const current = await store.statesAsOf();
    const seen = new Map<number, number>(); // employer id → row
    for (const { record, state } of records) {
      const key = nameKey(state.name);
      const found = index.find(state.uscc, state.countyCode, key);
      if (found === 'ambiguous') {
        const reason = `${state.countyName}有多家名为“${state.name}”的单位（统一社会信用代码不同），本行没有统一社会信用代码，无法确定是哪一家`;
        summary.rejected.push(fieldError(record, 'uscc', 'E_CAMPAIGN_AMBIGUOUS', record.uscc, reason));
        continue;
      }
      if (found && seen.has(found.id)) {
        const reason = `与第 ${seen.get(found.id)} 行是同一单位（统一社会信用代码相同，或同一区县内名称相同）`;
        summary.rejected.push(fieldError(record, state.uscc ? 'uscc' : 'name', 'E_DUPLICATE_EMPLOYER', state.uscc ?? state.name, reason));
        continue;
      }
      const identity = { uscc: state.uscc ?? found?.uscc, countyCode: state.countyCode, nameKey: key };
      const data = JSON.stringify(state);
      let id: number;
      if (!found) {
        id = await store.addEmployer(identity);
        index.add({ id, ...identity });
        summary.added++;
      } else {
        id = found.id;
        if (found.uscc !== identity.uscc || found.countyCode !== identity.countyCode || found.nameKey !== identity.nameKey) {
          index.remove(found);
          await store.setIdentity({ id, ...identity });
          index.add({ id, ...identity });
        }
        const before = current.get(id);
        if (before && !before.removed && before.data === data) {
          summary.unchanged++;
          seen.set(id, record.source.row);
          continue;
        }
        if (before && !before.removed) summary.updated++;
        else summary.added++;
      }
      seen.set(id, record.source.row);
      await store.addState(id, date, importId, false, data);
    }
    const prune = opts.prune && summary.rejected.length === 0;
    summary.pruneSkipped = opts.prune && !prune;
    summary.removed = prune;
    for (const [id, s] of current) {
      if (s.removed || seen.has(id)) continue;
      const state = JSON.parse(s.data) as EmployerState;
      summary.missing.push({ county: state.countyName, name: state.name, uscc: state.uscc });
      if (prune) await store.addState(id, date, importId, true, s.data);
    }
    await store.setImportSummary(importId, {
      rowsRead: summary.rowsRead,
      added: summary.added,
      updated: summary.updated,
      unchanged: summary.unchanged,
      rejected: summary.rejected.length,
      missing: summary.missing.length,
      removed: summary.removed,
    });
  });
  return summary;
}

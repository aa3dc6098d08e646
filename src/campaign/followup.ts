// `campaign followup`: employers notified at least N days before the follow-up date and still not declared. Their
// records go through the batch path (numbers from the register, letters per county, print volumes, manifest) with
// the reminder template, and the same list is written as a work sheet for 入户指导 and inspection. Each reminder
// names the employer's newest letter before the follow-up date (前次告知文号/日期) and the deadline when given
// (申报期限): passed to the batch per input row (BatchOptions.followUps), so they are staged, numbered, recorded
// in the register and printed like any other letter data.
//
// <out>/催报名单.csv        the batch's input (the employers' records from the campaign store)
// <out>/催报告知单/         the batch's output (letters, print volumes, manifest.json, rejects.csv)
// <out>/入户指导工作表.xlsx  the work list, with the letters' numbers and blank columns for the visit

import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { BatchOptions, BatchSummary } from '../batch/run-batch';
import type { KnowledgeBase } from '../catalog/types';
import type { RegionConfig } from '../config/region';
import type { FollowUp } from '../resolve/letter-data';
import { CSV_BOM, csvRow } from '../csv/write';
import { HazardNoticeError } from '../errors';
import { writeFileAtomic } from '../output-files/atomic-file';
import { withFileErrors } from '../output-files/fs-error';
import { workbookBytes } from '../output-files/workbook-bytes';
import { bundledPath } from '../package-root';
import type { CampaignGroups } from './groups';
import { countiesFor, employerStatuses, sortPending, type EmployerStatus } from './status';
import type { CampaignStore } from './store';

export const REMINDER_TEMPLATE = 'templates/reminder';
export const FOLLOWUP_LIST = '催报名单.csv';
export const FOLLOWUP_LETTERS = '催报告知单';
export const WORK_SHEET = '入户指导工作表.xlsx';

export interface FollowupOptions {
  out: string;
  /** The follow-up letters' date, and the day the N days count back from (YYYY-MM-DD, validated). */
  date: string;
  days: number;
  county?: string;
  templateDir?: string;
  /** 申报期限 printed in the reminders (YYYY-MM-DD, validated); without it the template leaves a blank to fill by hand. */
  deadline?: string;
  formats: BatchOptions['formats'];
  jobs: number;
  configFile?: string;
  dataDir?: string;
  /** The register's database (resolveDatabase), for the reminder letters' numbers. */
  database?: string;
}

export interface FollowupSummary {
  employers: number;
  listFile: string;
  workSheet: string;
  batch?: BatchSummary;
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const dateOfDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The template: --template, else the bundled reminder template; never silently the ordinary notice. */
export function reminderTemplate(templateDir: string | undefined): string {
  if (templateDir !== undefined) return templateDir;
  const bundled = bundledPath(REMINDER_TEMPLATE);
  if (fs.existsSync(path.join(bundled, 'template.hbs'))) return bundled;
  throw new HazardNoticeError(
    'E_CAMPAIGN_TEMPLATE',
    `没有随附的催报告知单模板（${REMINDER_TEMPLATE}/），请用 --template <目录> 指定催报告知单的模板`,
  );
}

/**
 * Not declared as of the date, and the newest letter dated before it is at least `days` old (a follow-up letter of
 * the same day does not count, so running the same follow-up again gives the same list and the same letters).
 */
export async function followupList(
  store: CampaignStore,
  kb: KnowledgeBase,
  region: RegionConfig,
  groups: CampaignGroups,
  opts: Pick<FollowupOptions, 'date' | 'days' | 'county'>,
): Promise<EmployerStatus[]> {
  const counties = countiesFor(region, opts.county);
  const dayBefore = dateOfDay(dayNumber(opts.date) - 1);
  const cutoff = dateOfDay(dayNumber(opts.date) - opts.days);
  const county = opts.county === undefined ? undefined : counties[0].countyCode;
  const { employers } = await employerStatuses(store, kb, groups, opts.date, county, dayBefore);
  const due = employers.filter((e) => !e.declared && e.notified && e.notified.date <= cutoff);
  return sortPending(due, new Map(counties.map((c, i) => [c.countyCode, i])), new Map(groups.groups.map((g, i) => [g.id, i])));
}

const LIST_HEADER = ['单位名称', '统一社会信用代码', '行业代码', '区县', '乡镇街道', '地址', '劳动者人数', '危害因素'];

/** The batch's input, and the row number (as the CSV reader counts it: a record's first line) of each list entry. */
function listCsv(list: EmployerStatus[]): { text: string; rows: number[] } {
  const records = list.map(({ state: s }) =>
    csvRow([s.name, s.uscc, s.industry?.code, s.countyName, s.township, s.address, s.workers, s.hazards?.join('、')]),
  );
  const rows: number[] = [];
  let line = 2;
  for (const r of records) {
    rows.push(line);
    // A quoted cell may hold line breaks: the next record starts that many lines further down.
    line += r.split('\n').length - 1;
  }
  return { text: CSV_BOM + csvRow(LIST_HEADER) + records.join(''), rows };
}

/** Per list row: the employer's newest letter before the follow-up date (the notice the reminder refers to) and the deadline. */
function followUpsOf(list: EmployerStatus[], rows: number[], deadline: string | undefined): Record<number, FollowUp> {
  const followUps: Record<number, FollowUp> = {};
  list.forEach((e, i) => {
    const previous = e.notified ? { previous: { docNumber: e.notified.docNumber, date: e.notified.date } } : {};
    followUps[rows[i]] = { ...previous, ...(deadline ? { deadline } : {}) };
  });
  return followUps;
}

/** The work sheet's columns: header, width, value. */
const SHEET_COLUMNS: [string, number, (e: EmployerStatus, date: string, reminder: string) => string | number | undefined][] = [
  ['区县', 12, (e) => e.state.countyName],
  ['乡镇（街道）', 14, (e) => e.state.township],
  ['单位名称', 36, (e) => e.state.name],
  ['统一社会信用代码', 22, (e) => e.state.uscc],
  ['地址', 36, (e) => e.state.address],
  ['行业', 28, (e) => e.state.industry && `${e.state.industry.code} ${e.state.industry.name}`],
  ['风险分类（2021）', 14, (e) => e.facts.industry?.risk],
  ['劳动者人数', 10, (e) => e.state.workers],
  ['所属组', 10, (e) => e.groups.join('、')],
  ['告知日期', 12, (e) => e.notified?.date],
  ['告知文号', 24, (e) => e.notified?.docNumber],
  ['告知后天数', 10, (e, date) => e.notified && dayNumber(date) - dayNumber(e.notified.date)],
  ['催报告知单文号', 24, (_e, _date, reminder) => reminder],
  ['入户指导日期', 14, () => undefined],
  ['指导人员', 12, () => undefined],
  ['指导结果', 24, () => undefined],
  ['备注', 24, () => undefined],
];

async function workSheetBytes(list: EmployerStatus[], reminders: string[], date: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('入户指导', { views: [{ state: 'frozen', xSplit: 0, ySplit: 1 }] });
  sheet.columns = SHEET_COLUMNS.map(([header, width]) => ({ header, width }));
  list.forEach((e, i) => sheet.addRow(SHEET_COLUMNS.map(([, , value]) => value(e, date, reminders[i]) ?? '')));
  sheet.getRow(1).font = { bold: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: SHEET_COLUMNS.length } };
  return workbookBytes(workbook, date);
}

/** Each list row's follow-up letter number, from the batch's manifest; else why there is none. */
function reminderNumbers(lettersDir: string, rows: number[], made: boolean): string[] {
  const numbers: string[] = new Array<string>(rows.length).fill(made ? '未生成（见 rejects.csv）' : '');
  const manifest = path.join(lettersDir, 'manifest.json');
  if (!made || !fs.existsSync(manifest)) return numbers;
  const letters = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { letters: { docNumber: string; source: { row: number } }[] }).letters;
  const index = new Map(rows.map((row, i) => [row, i]));
  for (const l of letters) {
    const i = index.get(l.source.row);
    if (i !== undefined) numbers[i] = l.docNumber;
  }
  return numbers;
}

export async function runFollowup(
  store: CampaignStore,
  kb: KnowledgeBase,
  region: RegionConfig,
  groups: CampaignGroups,
  opts: FollowupOptions,
): Promise<FollowupSummary> {
  const templateDir = reminderTemplate(opts.templateDir);
  const list = await followupList(store, kb, region, groups, opts);
  const out = path.resolve(opts.out);
  withFileErrors(out, () => fs.mkdirSync(out, { recursive: true }));
  const listFile = path.join(out, FOLLOWUP_LIST);
  const csv = listCsv(list);
  writeFileAtomic(listFile, csv.text);
  let batch: BatchSummary | undefined;
  const lettersDir = path.join(out, FOLLOWUP_LETTERS);
  if (list.length > 0) {
    const { runBatch } = require('../batch/run-batch') as typeof import('../batch/run-batch');
    batch = await runBatch({
      input: listFile,
      out: lettersDir,
      formats: opts.formats,
      date: opts.date,
      templateDir,
      configFile: opts.configFile,
      jobs: opts.jobs,
      joinWorkers: true,
      dataDir: opts.dataDir,
      database: opts.database,
      dryRun: false,
      force: false,
      followUps: followUpsOf(list, csv.rows, opts.deadline),
    });
  }
  const workSheet = path.join(out, WORK_SHEET);
  writeFileAtomic(workSheet, await workSheetBytes(list, reminderNumbers(lettersDir, csv.rows, batch !== undefined), opts.date));
  return { employers: list.length, listFile, workSheet, batch };
}

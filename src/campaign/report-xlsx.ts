// The progress workbook (`campaign status --out x.xlsx`): one summary sheet (county × group table, the groups'
// goals, as-of date and region), one sheet per county listing the employers not yet declared, and the employers
// that could not be classified. Drawn from the status model only; same status → same bytes.

import ExcelJS from 'exceljs';
import { formatChineseDate } from '../calendar/date';
import { writeFileAtomic } from '../output-files/atomic-file';
import { workbookBytes } from '../output-files/workbook-bytes';
import { CITY, countiesOf, goalText, NO_VALUE, reportTitle, rowOf } from './report-text';
import type { CampaignStatus, PendingEmployer } from './status-model';

const RATE_FORMAT = '0.0%';
const DATE_FORMAT = 'yyyy-mm-dd';
const MAX_WIDTH = 60;
const BOLD: Partial<ExcelJS.Font> = { bold: true };
const TITLE_FONT: Partial<ExcelJS.Font> = { bold: true, size: 14 };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7EEF7' } };
/** Printed on A4 landscape, as wide as the page, the header rows repeated on every page. */
function printSetup(sheet: ExcelJS.Worksheet, titleRows: string): void {
  sheet.pageSetup = {
    paperSize: 9,
    orientation: 'landscape',
    fitToPage: true,
    fitToWidth: 1,
    fitToHeight: 0,
    printTitlesRow: titleRows,
  };
}

const THIN: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};

/** East Asian wide and full-width characters (CJK, kana, hangul, full-width forms, the supplementary ideographs). */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u;

/** Display width in Excel's character units: a CJK or full-width character counts two. */
function textWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += WIDE.test(ch) ? 2 : 1;
  return w;
}

/** Sets each column's width to fit its widest cell in rows `fromRow`–`toRow` (titles and notes are left out). */
function fitColumns(sheet: ExcelJS.Worksheet, fromRow: number, toRow = sheet.rowCount, minWidth = 8): void {
  sheet.columns.forEach((column, i) => {
    let width = minWidth;
    sheet.eachRow((row, n) => {
      if (n < fromRow || n > toRow) return;
      const cell = row.getCell(i + 1);
      const v = cell.value;
      const text = v instanceof Date ? '2025-01-01' : typeof v === 'number' && cell.numFmt === RATE_FORMAT ? '100.0%' : String(v ?? '');
      width = Math.max(width, textWidth(text) + 2);
    });
    column.width = Math.min(width, MAX_WIDTH);
  });
}

function styleHeader(row: ExcelJS.Row): void {
  row.eachCell((cell) => {
    cell.font = BOLD;
    cell.fill = HEADER_FILL;
    cell.border = THIN;
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
  });
}

const METRICS = ['应报', '已告知', '已申报', '申报率'] as const;

/** The summary sheet: title, a 3-row header (group, goal, metric), one row per county and 全市, then the groups' basis. */
function addSummary(workbook: ExcelJS.Workbook, status: CampaignStatus): void {
  const width = 1 + status.groups.length * METRICS.length;
  const sheet = workbook.addWorksheet('汇总', { views: [{ state: 'frozen', xSplit: 1, ySplit: 5 }] });
  sheet.getCell(1, 1).value = reportTitle(status);
  sheet.getCell(1, 1).font = TITLE_FONT;
  sheet.mergeCells(1, 1, 1, width);
  sheet.getCell(2, 1).value = `统计日期：${status.asOf}　区域：${status.region}　申报率 = 已申报 ÷ 应报；应报为 0 时申报率记“${NO_VALUE}”`;
  sheet.mergeCells(2, 1, 2, width);

  sheet.getCell(3, 1).value = '区县';
  sheet.mergeCells(3, 1, 5, 1);
  status.groups.forEach((g, i) => {
    const first = 2 + i * METRICS.length;
    const last = first + METRICS.length - 1;
    sheet.getCell(3, first).value = `${g.id}　${g.name}`;
    sheet.mergeCells(3, first, 3, last);
    sheet.getCell(4, first).value = goalText(g);
    sheet.mergeCells(4, first, 4, last);
    METRICS.forEach((m, k) => (sheet.getCell(5, first + k).value = m));
  });
  for (const r of [3, 4, 5]) styleHeader(sheet.getRow(r));
  printSetup(sheet, '3:5');
  // Merged header cells are styled through their master cell only; the rest of the merge needs its border too.
  for (let r = 3; r <= 5; r++) for (let c = 1; c <= width; c++) sheet.getCell(r, c).border = THIN;

  for (const county of countiesOf(status)) {
    const values: ExcelJS.CellValue[] = [county];
    for (const g of status.groups) {
      const row = rowOf(status, county, g.id);
      values.push(row?.due ?? NO_VALUE, row?.notified ?? NO_VALUE, row?.declared ?? NO_VALUE, row?.rate ?? NO_VALUE);
    }
    const row = sheet.addRow(values);
    row.eachCell((cell, c) => {
      cell.border = THIN;
      if (c > 1 && (c - 1) % METRICS.length === 0 && typeof cell.value === 'number') cell.numFmt = RATE_FORMAT;
      if (cell.value === NO_VALUE) cell.alignment = { horizontal: 'center' };
    });
    if (county === CITY) row.font = BOLD;
  }
  const lastRow = sheet.rowCount;
  sheet.autoFilter = { from: { row: 5, column: 1 }, to: { row: lastRow, column: width } };

  sheet.addRow([]);
  sheet.addRow(['目标组']).font = BOLD;
  const notes = status.groups.map((g) => {
    const row = sheet.addRow([g.id, `${g.name}；${goalText(g)}；依据：${g.basis}`]);
    sheet.mergeCells(row.number, 2, row.number, width);
    row.getCell(1).alignment = { vertical: 'top' };
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
    return row;
  });
  if (status.unclassified.length > 0) {
    sheet.addRow([]);
    sheet.addRow([`无法归类：${status.unclassified.length} 家（缺少行业或劳动者人数，未计入相应目标组），名单见“无法归类”工作表`]);
  }
  fitColumns(sheet, 5, lastRow);
  // Spreadsheet programs do not grow a merged cell's row to its wrapped text: the height is set from the text.
  let mergedWidth = 0;
  for (let c = 2; c <= width; c++) mergedWidth += sheet.getColumn(c).width ?? 8;
  for (const row of notes) row.height = 15 * Math.ceil(textWidth(String(row.getCell(2).value)) / (mergedWidth * 0.95));
  // The county names and figures decide the widths; the long group titles wrap in their merged cells.
  sheet.getRow(3).height = 36;
}

function groupIndex(status: CampaignStatus, employer: PendingEmployer): number {
  const i = status.groups.findIndex((g) => g.goal && employer.groups.includes(g.id));
  return i < 0 ? status.groups.length : i;
}

/** Group (first target group it belongs to), risk (严重 first), workers (more first, unknown last), then name. */
export function sortPending(status: CampaignStatus, list: readonly PendingEmployer[]): PendingEmployer[] {
  return [...list].sort(
    (a, b) =>
      groupIndex(status, a) - groupIndex(status, b) ||
      Number(b.risk === '严重') - Number(a.risk === '严重') ||
      (b.workers ?? -1) - (a.workers ?? -1) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

/** Target groups (those with a goal) an employer belongs to, e.g. “A、C”; “—” when none. */
function targetGroups(status: CampaignStatus, employer: PendingEmployer): string {
  const ids = status.groups.filter((g) => g.goal && employer.groups.includes(g.id)).map((g) => g.id);
  return ids.length > 0 ? ids.join('、') : NO_VALUE;
}

const PENDING_HEADER = [
  '目标组',
  '单位名称',
  '统一社会信用代码',
  '乡镇（街道）',
  '地址',
  '行业代码',
  '行业',
  '风险分类',
  '劳动者人数',
  '已告知日期',
  '告知单文号',
];

/** A sheet name Excel accepts: no []:*?/\, at most 31 characters, unique in the workbook. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '_').slice(0, 28);
  let out = base;
  for (let n = 2; taken.has(out); n++) out = `${base}_${n}`;
  taken.add(out);
  return out;
}

function addCountySheet(workbook: ExcelJS.Workbook, status: CampaignStatus, county: string, name: string): void {
  const list = sortPending(
    status,
    status.pending.filter((p) => p.county === county),
  );
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 2, ySplit: 2 }] });
  sheet.getCell(1, 1).value = `${county}未申报用人单位（截至${formatChineseDate(status.asOf)}，共 ${list.length} 家）`;
  sheet.getCell(1, 1).font = TITLE_FONT;
  sheet.mergeCells(1, 1, 1, PENDING_HEADER.length);
  styleHeader(sheet.addRow(PENDING_HEADER));
  printSetup(sheet, '2:2');
  for (const p of list) {
    const row = sheet.addRow([
      targetGroups(status, p),
      p.name,
      p.uscc ?? null,
      p.township ?? null,
      p.address ?? null,
      p.industry?.code ?? null,
      p.industry?.name ?? null,
      p.risk ?? null,
      p.workers ?? null,
      p.notified ? new Date(`${p.notified.date}T00:00:00Z`) : null,
      p.notified?.docNumber ?? null,
    ]);
    row.getCell(10).numFmt = DATE_FORMAT;
    row.eachCell({ includeEmpty: true }, (cell) => (cell.border = THIN));
  }
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: Math.max(2, sheet.rowCount), column: PENDING_HEADER.length } };
  fitColumns(sheet, 2);
}

function addUnclassified(workbook: ExcelJS.Workbook, status: CampaignStatus, name: string): void {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 2 }] });
  sheet.getCell(1, 1).value = `无法归类的用人单位（截至${formatChineseDate(status.asOf)}，共 ${status.unclassified.length} 家）`;
  sheet.getCell(1, 1).font = TITLE_FONT;
  sheet.mergeCells(1, 1, 1, 5);
  styleHeader(sheet.addRow(['区县', '单位名称', '统一社会信用代码', '无法判断的目标组', '原因']));
  printSetup(sheet, '2:2');
  for (const u of status.unclassified) {
    const row = sheet.addRow([u.county, u.name, u.uscc ?? null, u.groups.join('、'), u.reason]);
    row.eachCell({ includeEmpty: true }, (c) => (c.border = THIN));
  }
  sheet.autoFilter = { from: { row: 2, column: 1 }, to: { row: Math.max(2, sheet.rowCount), column: 5 } };
  fitColumns(sheet, 2);
}

/** The workbook's bytes: 汇总, one sheet per county (未申报 list), 无法归类. */
export async function statusWorkbook(status: CampaignStatus): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  addSummary(workbook, status);
  const taken = new Set(['汇总', '无法归类']);
  for (const county of countiesOf(status).filter((c) => c !== CITY)) addCountySheet(workbook, status, county, sheetName(county, taken));
  addUnclassified(workbook, status, '无法归类');
  return workbookBytes(workbook, status.asOf);
}

/** Writes the workbook to `file` atomically (the folder must exist). */
export async function writeStatusWorkbook(status: CampaignStatus, file: string): Promise<void> {
  writeFileAtomic(file, await statusWorkbook(status));
}

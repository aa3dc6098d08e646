// `hazard-notice catalog review`: the industry → hazard → disease table as an Excel workbook for review.

import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { writeFileAtomic } from '../../output-files/atomic-file';
import { xlsxBytes } from '../../output-files/xlsx-bytes';
import { loadKnowledgeBase } from '../../catalog/load';
import { loadIndustryOverrides } from '../../catalog/overrides';
import { reviewRows } from '../../catalog/review';
import type { KnowledgeBase } from '../../catalog/types';
import { parseLetterDate, todayInChina } from '../../calendar/date';
import { loadRegionConfig } from '../../config/region';
import { HazardNoticeError } from '../../errors';

export interface ReviewOptions {
  out: string;
  date?: string;
  config?: string;
}

/** Column header, width (characters) and the row field it shows. */
type Column = [string, number, (r: ReturnType<typeof reviewRows>[number]) => string];

function columns(kb: KnowledgeBase, date: string): Column[] {
  const inForce = kb.diseaseCatalogueOn(date).id;
  return [
    ['代码', 8, (r) => r.code],
    ['门类', 18, (r) => r.section],
    ['大类', 22, (r) => r.division],
    ['中类', 22, (r) => r.group],
    ['小类', 22, (r) => r.class],
    ['风险分类（2021）', 14, (r) => r.risk],
    ['处理方式', 30, (r) => r.handling],
    ['危害因素', 36, (r) => r.hazards],
    ...kb
      .diseaseCatalogues()
      .map((c): Column => [`职业病（${c.id}年版${c.id === inForce ? `，${date} 适用` : ''}）`, 50, (r) => r.diseases[c.id]]),
    ['依据', 60, (r) => r.basis],
    ['本地调整', 30, (r) => r.overrides],
  ];
}

/** The workbook's bytes (xlsxBytes: the same data and date give the same file). */
export async function reviewWorkbook(kb: KnowledgeBase, rows: ReturnType<typeof reviewRows>, date: string): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('行业危害因素审阅表', { views: [{ state: 'frozen', xSplit: 1, ySplit: 1 }] });
  const cols = columns(kb, date);
  sheet.columns = cols.map(([header, width]) => ({ header, width }));
  for (const r of rows) sheet.addRow(cols.map(([, , value]) => value(r)));
  sheet.getRow(1).font = { bold: true };
  sheet.eachRow((row) => {
    row.alignment = { vertical: 'top', wrapText: true };
  });
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: cols.length } };
  return xlsxBytes(workbook, date);
}

export async function writeReview(opts: ReviewOptions): Promise<string> {
  const date = opts.date ? parseLetterDate(opts.date) : todayInChina();
  const out = path.resolve(opts.out);
  if (path.extname(out).toLowerCase() !== '.xlsx') {
    throw new HazardNoticeError('E_ARG_OUT', `--out “${opts.out}”应为 .xlsx 文件`);
  }
  const kb = loadKnowledgeBase();
  const overridesFile = opts.config ? loadRegionConfig(opts.config).industryOverrides : undefined;
  const rows = reviewRows(kb, overridesFile ? loadIndustryOverrides(overridesFile, kb) : undefined);
  const bytes = await reviewWorkbook(kb, rows, date);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  writeFileAtomic(out, bytes);
  return out;
}

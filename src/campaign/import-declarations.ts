// `campaign declared`: the provincial platform's export of employers that have declared, matched to the database by
// USCC, then by county + normalised name (nameKey). Every row is either recorded (with its declaration date) or written
// to the unmatched report with the reason; none is dropped. Recording the same declaration again changes nothing.

import fs from 'node:fs';
import path from 'node:path';
import { parseLetterDate } from '../calendar/date';
import type { RegionConfig } from '../config/region';
import { CSV_BOM, csvRow } from '../csv/write';
import type { EmployerRecord, RowError } from '../input/employer';
import { readEmployers } from '../input/read-employers';
import { fileSha256, writeFileAtomic } from '../output-files/atomic-file';
import { withFileErrors } from '../output-files/fs-error';
import { findRecordCounty } from '../resolve/resolve-record';
import { IdentityIndex, nameKey, type CampaignStore, type EmployerIdentity } from './store';

/** The platform export's own columns, by label → headers. */
const DECLARATION_COLUMNS = {
  申报日期: ['申报日期', '申报时间', '申报完成日期', '申报完成时间', '首次申报日期', '最近申报日期', '提交日期', '提交时间'],
  申报类型: ['申报类型', '申报方式'],
};

export interface DeclaredOptions {
  file: string;
  /** The unmatched report (.csv); default: beside the input, <name>_未匹配.csv. */
  unmatchedFile?: string;
  sheet?: string;
  columnsFile?: string;
}

export interface UnmatchedRow {
  row: number;
  name?: string;
  uscc?: string;
  county?: string;
  date?: string;
  kind?: string;
  code: string;
  reason: string;
}

export interface DeclaredSummary {
  rowsRead: number;
  byUscc: number;
  byName: number;
  /** Of the matched rows, those recorded before (same employer, date and type). */
  alreadyRecorded: number;
  unmatched: UnmatchedRow[];
  unmatchedFile: string;
}

/** YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日, optionally followed by a time (platform exports add one). */
export function parseDeclarationDate(text: string): string | undefined {
  const s = text.normalize('NFKC').trim();
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/.exec(s);
  if (!m) return undefined;
  try {
    return parseLetterDate(`${m[1]}-${m[2]}-${m[3]}`);
  } catch {
    return undefined;
  }
}

function defaultUnmatchedFile(input: string): string {
  const parsed = path.parse(path.resolve(input));
  return path.join(parsed.dir, `${parsed.name}_未匹配.csv`);
}

type Match = { employer: EmployerIdentity; by: 'uscc' | 'name' } | { code: string; reason: string };

function match(record: EmployerRecord, region: RegionConfig, index: IdentityIndex): Match {
  if (record.uscc) {
    const hit = index.withUscc(record.uscc);
    if (hit) return { employer: hit, by: 'uscc' };
  }
  const noUscc = record.uscc ? '数据库中没有这个统一社会信用代码；' : '';
  if (!record.name) return { code: 'E_DECLARED_NO_MATCH', reason: `${noUscc}没有单位名称，无法按名称匹配` };
  const county = findRecordCounty(record, region);
  if (!county.ok) return { code: county.error.code, reason: `${noUscc}无法按名称和区县匹配：${county.error.message}` };
  const named = index.named(county.county.countyCode, nameKey(record.name));
  if (named.length === 0) {
    return {
      code: 'E_DECLARED_NO_MATCH',
      reason: `${noUscc}数据库中${county.county.countyName}没有名称相同的单位（名称按全角半角、空格、括号统一后比较）`,
    };
  }
  const open = named.filter((e) => !record.uscc || !e.uscc);
  if (open.length === 0) {
    const theirs = named.map((e) => e.uscc).join('、');
    return {
      code: 'E_DECLARED_USCC_CONFLICT',
      reason: `${county.county.countyName}有同名单位，但其统一社会信用代码（${theirs}）与本行不同，未匹配`,
    };
  }
  if (open.length > 1) {
    return {
      code: 'E_DECLARED_AMBIGUOUS',
      reason: `${county.county.countyName}有 ${open.length} 家同名单位，本行没有可区分的统一社会信用代码`,
    };
  }
  return { employer: open[0], by: 'name' };
}

const REPORT_HEADER = ['行号', '单位名称', '统一社会信用代码', '区县', '申报日期', '申报类型', '错误码', '原因'];

export async function importDeclarations(store: CampaignStore, opts: DeclaredOptions, region: RegionConfig): Promise<DeclaredSummary> {
  const unmatchedFile = path.resolve(opts.unmatchedFile ?? defaultUnmatchedFile(opts.file));
  const summary: DeclaredSummary = { rowsRead: 0, byUscc: 0, byName: 0, alreadyRecorded: 0, unmatched: [], unmatchedFile };
  const rows: { record: EmployerRecord; date: string; kind: string }[] = [];
  const unmatched = (record: EmployerRecord | undefined, error: Pick<RowError, 'code' | 'message'> & { row: number }) => {
    summary.unmatched.push({
      row: error.row,
      name: record?.name,
      uscc: record?.uscc,
      county: record?.county,
      date: record?.extra?.申报日期?.value,
      kind: record?.extra?.申报类型?.value,
      code: error.code,
      reason: error.message,
    });
  };
  for await (const item of readEmployers(opts.file, {
    sheet: opts.sheet,
    columnsFile: opts.columnsFile,
    extraColumns: DECLARATION_COLUMNS,
    nameOptional: true,
  })) {
    summary.rowsRead++;
    if (item.kind === 'error') {
      unmatched(undefined, { ...item.error, row: item.error.source.row });
      continue;
    }
    const record = item.record;
    const typed = record.extra?.申报日期;
    const date = typed && parseDeclarationDate(typed.value);
    if (!date) {
      const at = `${record.source.file} 第 ${record.source.row} 行${typed ? `“${typed.column}”列（值：${typed.value}）` : ''}`;
      const message = typed ? `${at}：申报日期应为真实日期，如 2024-09-30、2024/9/30 或 2024年9月30日` : `${at}：缺少申报日期`;
      unmatched(record, { code: 'E_DECLARED_DATE', message, row: record.source.row });
      continue;
    }
    rows.push({ record, date, kind: record.extra?.申报类型?.value ?? '' });
  }

  await store.transaction(async () => {
    const latest = rows.reduce((d, r) => (r.date > d ? r.date : d), '');
    const importId = await store.addImport('declarations', latest, path.resolve(opts.file), fileSha256(opts.file) ?? '');
    const index = new IdentityIndex(await store.identities());
    for (const { record, date, kind } of rows) {
      const m = match(record, region, index);
      if ('code' in m) {
        unmatched(record, {
          code: m.code,
          message: `${record.source.file} 第 ${record.source.row} 行：${m.reason}`,
          row: record.source.row,
        });
        continue;
      }
      if (m.by === 'uscc') summary.byUscc++;
      else summary.byName++;
      const added = await store.addDeclaration({
        employerId: m.employer.id,
        date,
        kind,
        matchedBy: m.by,
        importId,
        row: record.source.row,
      });
      if (!added) summary.alreadyRecorded++;
    }
    await store.setImportSummary(importId, {
      rowsRead: summary.rowsRead,
      byUscc: summary.byUscc,
      byName: summary.byName,
      alreadyRecorded: summary.alreadyRecorded,
      unmatched: summary.unmatched.length,
    });
  });

  summary.unmatched.sort((a, b) => a.row - b.row);
  const text =
    CSV_BOM +
    csvRow(REPORT_HEADER) +
    summary.unmatched.map((u) => csvRow([u.row, u.name, u.uscc, u.county, u.date, u.kind, u.code, u.reason])).join('');
  withFileErrors(unmatchedFile, () => fs.mkdirSync(path.dirname(unmatchedFile), { recursive: true }));
  writeFileAtomic(unmatchedFile, Buffer.from(text, 'utf8'));
  return summary;
}

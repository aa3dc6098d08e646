// The 2021 建设项目职业病危害风险分类管理目录 (国卫办职健发〔2021〕5号): risk ratings per industry.

import { z } from 'zod';
import type { Industry, IndustryRisk } from './types';
import { type CsvRow, type DataFile, type DataProblem, readCsvFile } from './data-file';
import { type IndustryTable, industryCode } from './industries';

const COLUMNS = ['code', 'name', 'risk', 'section', 'level', 'source_code', 'catalogue_seq', 'note'] as const;

const rowSchema = z
  .object({
    code: z.string().regex(/^([A-Z]|\d{2,4})$/),
    name: z.string().min(1),
    risk: z.enum(['严重', '一般', '']),
    section: z.string().regex(/^[A-Z]$/),
    level: z.enum(['section', 'division', 'group', 'class', 'subitem']),
    source_code: z.string(),
    catalogue_seq: z.string().min(1),
    note: z.string(),
  })
  .strict();

type RiskRow = CsvRow<z.infer<typeof rowSchema>>;

const UNRATED: IndustryRisk = { rating: '未分级', subcases: [] };

export class RiskTable {
  private readonly coded = new Map<string, RiskRow>();
  private readonly subitems = new Map<string, RiskRow[]>();

  private constructor(
    readonly file: DataFile,
    readonly rows: RiskRow[],
  ) {
    for (const row of rows) {
      if (row.level === 'subitem') this.subitems.set(row.code, [...(this.subitems.get(row.code) ?? []), row]);
      else this.coded.set(row.code, row);
    }
  }

  static read(file: DataFile): RiskTable {
    return new RiskTable(file, readCsvFile(file, COLUMNS, rowSchema));
  }

  /** The industry's own row, else (for a 小类) its 中类's; never reads a missing row as 一般. */
  riskOf(industry: Industry, table: IndustryTable): IndustryRisk {
    const own = this.ratingOfRow(industry);
    if (own || industry.level !== 'class' || !industry.parent) return own ?? UNRATED;
    const group = table.byExactCode(industry.parent);
    return (group && this.ratingOfRow(group)) ?? UNRATED;
  }

  private ratingOfRow(industry: Industry): IndustryRisk | undefined {
    const row = this.coded.get(industry.code);
    if (!row) return undefined;
    const withNote = (risk: IndustryRisk): IndustryRisk => (row.note ? { ...risk, note: row.note } : risk);
    const fromCode = industryCode(industry);
    if (row.risk) return withNote({ rating: row.risk, fromCode, subcases: [] });
    const subcases = (this.subitems.get(row.code) ?? []).map((s) => ({ name: s.name, rating: s.risk as '严重' | '一般' }));
    if (subcases.length === 0) return undefined;
    const rating = subcases.some((s) => s.rating === '严重') ? '严重' : '一般';
    return withNote({ rating, fromCode, subcases });
  }

  /** Every row names a GB/T code of its level and section; ratings sit where the 目录 puts them. */
  problems(table: IndustryTable): DataProblem[] {
    const problems: DataProblem[] = [];
    for (const row of this.rows) {
      const problem = (message: string) => problems.push({ file: this.file.label, line: row.line, message });
      const industry = table.byExactCode(row.code);
      const level = row.level === 'subitem' ? 'group' : row.level;
      if (!industry) problem(`行业代码 ${row.code} 不在 GB/T 4754-2017 中`);
      else if (industry.level !== level || industry.section !== row.section) {
        problem(`${row.code} 的层级或门类与 GB/T 4754-2017 不符`);
      }
      const rated = row.risk !== '';
      if (row.level === 'subitem' && !rated) problem(`细分情形“${row.name}”缺少风险等级`);
      if ((row.level === 'section' || row.level === 'division') && rated) problem(`${row.code} 是门类或大类标题，不应有风险等级`);
      if (row.level === 'subitem' && this.coded.get(row.code)?.risk) problem(`${row.code} 已有风险等级，不应再有细分情形`);
      if (row.level === 'group' && !rated) {
        const split = this.subitems.has(row.code) || this.rows.some((r) => r.level === 'class' && r.code.startsWith(row.code));
        if (!split) problem(`中类 ${row.code} 既无风险等级也无细分情形`);
      }
    }
    return problems;
  }
}

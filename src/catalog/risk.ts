// The 2021 建设项目职业病危害风险分类管理目录 (国卫办职健发〔2021〕5号): risk ratings per industry.

import type { z } from 'zod';
import { lazySchema } from '../yaml-file/lazy-schema';
import type { Industry, IndustryRisk, RiskRating } from './types';
import { type CsvRow, type DataFile, type DataProblem, readCsvFile, readYamlFile } from './data-file';
import { type IndustryTable, industryCode } from './industries';

const COLUMNS = ['code', 'name', 'risk', 'section', 'level', 'source_code', 'catalogue_seq', 'note'] as const;

const rowSchema = lazySchema((z) =>
  z
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
    .strict(),
);

export type RiskRow = CsvRow<z.infer<ReturnType<typeof rowSchema>>>;

// data/industry-risk-subcases.yaml: the sub-case each 小类 of a split 中类 falls in, or why the code cannot tell.
const subcaseSchema = lazySchema((z) =>
  z
    .object({
      source: z.string().min(1),
      classes: z.array(
        z
          .object({
            code: z.string().regex(/^\d{4}$/),
            name: z.string().min(1),
            subcase: z.string().min(1).optional(),
            undecided: z.string().min(1).optional(),
          })
          .strict()
          .refine((c) => (c.subcase === undefined) !== (c.undecided === undefined), {
            message: '须有 subcase 或 undecided 之一（不能同时有）',
          }),
      ),
    })
    .strict(),
);

export interface SubcaseOfClass {
  line?: number;
  name: string;
  subcase?: string;
  /** What the rating depends on, e.g. 是否开采含硫天然气. */
  undecided?: string;
}

const undecided = (on: string): RiskRating => `严重或一般（视${on}）`;

const UNRATED: IndustryRisk = { rating: '未分级', subcases: [] };

export class RiskTable {
  private readonly coded = new Map<string, RiskRow>();
  private readonly subitems = new Map<string, RiskRow[]>();
  private readonly subcaseOf = new Map<string, SubcaseOfClass>();
  private subcaseFile?: DataFile;

  constructor(
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

  /** Reads which sub-case each 小类 of a split 中类 falls in (checked by subcaseProblems). */
  readSubcases(file: DataFile): void {
    const { value, lineOf } = readYamlFile(file, subcaseSchema);
    this.setSubcases(
      file,
      value.classes.map((c, i) => [c.code, { line: lineOf(['classes', i]), name: c.name, subcase: c.subcase, undecided: c.undecided }]),
    );
  }

  setSubcases(file: DataFile, classes: [code: string, subcase: SubcaseOfClass][]): void {
    this.subcaseFile = file;
    for (const [code, c] of classes) this.subcaseOf.set(code, c);
  }

  /** The sub-case file and its classes, as setSubcases takes them. */
  subcases(): { file: DataFile; classes: [code: string, subcase: SubcaseOfClass][] } | undefined {
    return this.subcaseFile && { file: this.subcaseFile, classes: [...this.subcaseOf] };
  }

  /** The industry's own row, else (for a 小类) its 中类's; never reads a missing row as 一般. */
  riskOf(industry: Industry, table: IndustryTable): IndustryRisk {
    const own = this.ratingOfRow(industry);
    if (own || industry.level !== 'class' || !industry.parent) return own ?? UNRATED;
    const group = table.byExactCode(industry.parent);
    return (group && this.ratingOfRow(group, industry)) ?? UNRATED;
  }

  /** A split 中类 rates a 小类 by its own sub-case; where the code cannot tell (or for the 中类 itself) says so. */
  private ratingOfRow(industry: Industry, cls?: Industry): IndustryRisk | undefined {
    const row = this.coded.get(industry.code);
    if (!row) return undefined;
    const withNote = (risk: IndustryRisk): IndustryRisk => (row.note ? { ...risk, note: row.note } : risk);
    const fromCode = industryCode(industry);
    if (row.risk) return withNote({ rating: row.risk, fromCode, subcases: [] });
    const subcases = (this.subitems.get(row.code) ?? []).map((s) => ({ name: s.name, rating: s.risk as '严重' | '一般' }));
    if (subcases.length === 0) return undefined;
    const ratings = new Set(subcases.map((s) => s.rating));
    const assigned = cls && this.subcaseOf.get(cls.code);
    const chosen = assigned?.subcase ? subcases.find((s) => s.name === assigned.subcase) : undefined;
    let rating: RiskRating;
    if (ratings.size === 1) rating = subcases[0].rating;
    else if (chosen) rating = chosen.rating;
    else if (assigned?.undecided) rating = undecided(assigned.undecided);
    else
      rating = undecided(
        `细分情形：${subcases
          .filter((s) => s.rating === '严重')
          .map((s) => s.name)
          .join('、')}为严重`,
      );
    return withNote({ rating, fromCode, subcases });
  }

  /** Every 小类 of a split 中类 is assigned, to an existing sub-case, under its own name. */
  subcaseProblems(table: IndustryTable): DataProblem[] {
    const file = this.subcaseFile;
    if (!file) return [];
    const problems: DataProblem[] = [];
    for (const [code, c] of this.subcaseOf) {
      const problem = (message: string) => problems.push({ file: file.label, line: c.line, message });
      const industry = table.byExactCode(code);
      if (!industry || industry.level !== 'class') problem(`${code} 不是 GB/T 4754-2017 的小类`);
      else if (industry.name !== c.name) problem(`${code} 的名称应为“${industry.name}”，实际为“${c.name}”`);
      else if (!this.subitems.has(industry.parent ?? '')) problem(`${code} 所在中类在目录中没有细分情形`);
      else if (c.subcase && !this.subitems.get(industry.parent ?? '')?.some((s) => s.name === c.subcase)) {
        problem(`细分情形“${c.subcase}”不在目录 ${industry.parent} 之下`);
      }
    }
    for (const group of this.subitems.keys()) {
      for (const cls of table.all.filter((i) => i.level === 'class' && i.parent === group)) {
        if (!this.subcaseOf.has(cls.code))
          problems.push({ file: file.label, message: `小类 ${cls.code} ${cls.name} 未指明属于哪个细分情形` });
      }
    }
    return problems;
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

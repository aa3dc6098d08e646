// GB/T 4754-2017 industries: the code table, parent chains and code normalisation.

import { lazySchema } from '../yaml-file/lazy-schema';
import type { Industry, IndustryLevel } from './types';
import { type DataFile, type DataProblem, dataError, readCsvFile } from './data-file';
import { matchKey } from './text-match';

const COLUMNS = ['code', 'level', 'section', 'name', 'parent', 'description'] as const;

const rowSchema = lazySchema((z) =>
  z
    .object({
      code: z.string().regex(/^([A-Z]|\d{2,4})$/),
      level: z.enum(['section', 'division', 'group', 'class']),
      section: z.string().regex(/^[A-Z]$/),
      name: z.string().min(1),
      parent: z.string(),
      description: z.string(),
    })
    .strict(),
);

export const LEVEL_NAMES: Record<IndustryLevel, string> = { section: '门类', division: '大类', group: '中类', class: '小类' };
const LEVEL_DEPTH: Record<IndustryLevel, number> = { section: 0, division: 1, group: 2, class: 3 };
const CODE_LENGTH: Record<IndustryLevel, number> = { section: 1, division: 2, group: 3, class: 4 };

/** Code as printed: the section letter before numeric codes (C3011, C30, C). */
export function industryCode(industry: Industry): string {
  return industry.level === 'section' ? industry.code : `${industry.section}${industry.code}`;
}

export function levelDepth(level: IndustryLevel): number {
  return LEVEL_DEPTH[level];
}

/** A code as written in data or by callers: optional section letter, then digits; or a bare section letter. */
export interface CodeParts {
  letter?: string;
  digits?: string;
}

export function parseCode(text: string): CodeParts | undefined {
  const m = /^([A-Za-z])?(\d+)?$/.exec(text.normalize('NFKC').replace(/\s+/g, ''));
  if (!m || (!m[1] && !m[2])) return undefined;
  return { letter: m[1]?.toUpperCase(), digits: m[2] };
}

export class IndustryTable {
  private readonly byCode = new Map<string, Industry>();
  /** Made on the first name look-up (a letter whose industry is given by code never needs them). */
  private nameKeys?: Map<Industry, string>;

  constructor(
    readonly file: DataFile,
    readonly all: Industry[],
    /** Each industry's line in the file, as `all` lists them. */
    readonly lines: number[],
    /** The 说明 by code (only codes that have one), made when first asked for. */
    private readonly descriptionsOf: () => ReadonlyMap<string, string>,
  ) {
    all.forEach((industry, i) => {
      if (this.byCode.has(industry.code)) throw dataError(file, lines[i], `行业代码 ${industry.code} 重复`);
      this.byCode.set(industry.code, industry);
    });
  }

  static read(file: DataFile): IndustryTable {
    const rows = readCsvFile(file, COLUMNS, rowSchema);
    const industries = rows.map((r) => {
      if (r.code.length !== CODE_LENGTH[r.level]) {
        throw dataError(file, r.line, `代码 ${r.code} 与层级 ${r.level}（${LEVEL_NAMES[r.level]}）不符`);
      }
      const industry: Industry = { code: r.code, level: r.level, section: r.section, name: r.name };
      if (r.parent) industry.parent = r.parent;
      return industry;
    });
    const descriptions = new Map(rows.filter((r) => r.description).map((r) => [r.code, r.description]));
    return new IndustryTable(
      file,
      industries,
      rows.map((r) => r.line),
      () => descriptions,
    );
  }

  /** The 说明 of the row with this table code (no section letter for numeric levels). */
  description(code: string): string | undefined {
    return this.descriptionsOf().get(code);
  }

  /** Accepts '3011', 'C3011', 'c3011', 'C'; a letter that is not the code's section gives undefined. */
  get(code: string): Industry | undefined {
    const parts = parseCode(code);
    if (!parts) return undefined;
    if (!parts.digits) return this.byCode.get(parts.letter as string);
    const industry = this.byCode.get(parts.digits);
    if (!industry || (parts.letter && parts.letter !== industry.section)) return undefined;
    return industry;
  }

  /** The name as compared with user input (see matchKey). */
  nameKey(industry: Industry): string {
    this.nameKeys ??= new Map(this.all.map((i) => [i, matchKey(i.name)]));
    return this.nameKeys.get(industry) ?? matchKey(industry.name);
  }

  byExactCode(code: string): Industry | undefined {
    return this.byCode.get(code);
  }

  /** From 门类 down to the industry itself; [] for an unknown code. */
  path(industry: Industry): Industry[] {
    const out: Industry[] = [];
    let current: Industry | undefined = industry;
    while (current && out.length <= 4) {
      out.unshift(current);
      current = current.parent ? this.byCode.get(current.parent) : undefined;
    }
    return out;
  }

  isAncestorOrSelf(ancestor: Industry, industry: Industry): boolean {
    return this.path(industry).includes(ancestor);
  }

  /** Each row's parent exists, is one level up, shares the section, and the chain ends at the section. */
  problems(): DataProblem[] {
    const problems: DataProblem[] = [];
    this.all.forEach((industry, i) => {
      const problem = (message: string) => problems.push({ file: this.file.label, line: this.lines[i], message });
      if (industry.level === 'section') {
        if (industry.parent) problem(`门类 ${industry.code} 不应有上级代码`);
        if (industry.code !== industry.section) problem(`门类 ${industry.code} 的 section 列应为 ${industry.code}`);
        return;
      }
      const parent = industry.parent ? this.byCode.get(industry.parent) : undefined;
      if (!parent) {
        problem(`${industryCode(industry)} 的上级代码“${industry.parent ?? ''}”不存在`);
      } else if (LEVEL_DEPTH[parent.level] !== LEVEL_DEPTH[industry.level] - 1) {
        problem(`${industryCode(industry)} 的上级 ${parent.code} 不是上一层级`);
      } else if (parent.section !== industry.section) {
        problem(`${industryCode(industry)} 与上级 ${parent.code} 的门类不同`);
      } else if (parent.level !== 'section' && !industry.code.startsWith(parent.code)) {
        problem(`${industryCode(industry)} 的代码不以上级代码 ${parent.code} 开头`);
      }
    });
    return problems;
  }
}

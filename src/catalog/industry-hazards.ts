// data/industry-hazards.yaml: hazards per industry code, inherited down the GB/T tree unless overridden;
// or a mark that the industry has no typical occupational hazard (the employer names its own).

import { lazySchema } from '../yaml-file/lazy-schema';
import type { Hazard, Industry, IndustryCoverage, IndustryHazard } from './types';
import { type DataFile, type DataProblem, readYamlFile } from './data-file';
import { hazardReferenceProblem } from './hazards';
import { type IndustryTable, industryCode } from './industries';

const schema = lazySchema((z) =>
  z
    .object({
      source: z.string().min(1),
      entries: z.array(
        z
          .object({
            code: z.string().min(1),
            name: z.string().min(1),
            override: z.boolean().optional(),
            /** Reason the industry (and its sub-codes without an entry) has no typical occupational hazard. */
            noTypicalHazard: z.string().min(1).optional(),
            hazards: z
              .array(
                z
                  .object({
                    id: z.string().min(1),
                    name: z.string().min(1),
                    /** An alias of the factor printed instead (全身振动), with its `without` diseases left out. */
                    alias: z.string().min(1).optional(),
                    basis: z.string().min(1),
                  })
                  .strict(),
              )
              .default([]),
          })
          .strict(),
      ),
    })
    .strict(),
);

export interface IndustryHazardEntry {
  industry: Industry;
  line?: number;
  override: boolean;
  noTypicalHazard?: string;
  hazards: { hazard: Hazard; basis: string; alias?: string }[];
}

/** The alias an entry prints and the diseases it leaves out (全身振动 → not 手臂振动病). */
export function printedAs(hazard: Hazard, alias: string | undefined): { alias?: string; without?: string[] } {
  if (!alias) return {};
  const without = hazard.aliasesWithout?.[alias];
  return without ? { alias, without } : { alias };
}

export class IndustryHazardMap {
  constructor(
    readonly file: DataFile,
    /** Keyed by the table's code (no section letter for numeric levels). */
    readonly entries: Map<string, IndustryHazardEntry>,
    readonly problems: DataProblem[],
    private readonly table: IndustryTable,
  ) {}

  static read(file: DataFile, table: IndustryTable, hazards: Hazard[]): IndustryHazardMap {
    const { value, lineOf } = readYamlFile(file, schema);
    const byId = new Map(hazards.map((h) => [h.id, h]));
    const entries = new Map<string, IndustryHazardEntry>();
    const problems: DataProblem[] = [];
    value.entries.forEach((entry, i) => {
      const line = lineOf(['entries', i]);
      const problem = (message: string, at: number | undefined = line) => problems.push({ file: file.label, line: at, message });
      const industry = table.get(entry.code);
      if (!industry) return problem(`行业代码 ${entry.code} 不存在`);
      if (industry.name !== entry.name) return problem(`${industryCode(industry)} 的名称应为“${industry.name}”，实际为“${entry.name}”`);
      if (entries.has(industry.code)) return problem(`${industryCode(industry)} 重复出现`);
      if (entry.noTypicalHazard !== undefined && entry.hazards.length > 0) {
        return problem(`${industryCode(industry)} 标为“无典型职业病危害”，不应再列危害因素`);
      }
      if (entry.noTypicalHazard === undefined && entry.hazards.length === 0) {
        return problem(`${industryCode(industry)} 没有危害因素；无典型职业病危害的行业请写 noTypicalHazard 及理由`);
      }
      const seen = new Set<string>();
      const mapped = entry.hazards.flatMap((h, j) => {
        const at = lineOf(['entries', i, 'hazards', j]);
        const reference = hazardReferenceProblem(byId, h.id, h.name);
        if (reference) {
          problem(reference, at);
          return [];
        }
        if (seen.has(h.id)) {
          problem(`${industryCode(industry)} 中 ${h.id} 重复`, at);
          return [];
        }
        const hazard = byId.get(h.id) as Hazard;
        if (h.alias !== undefined && !hazard.aliases.includes(h.alias)) {
          problem(`${industryCode(industry)} 中 ${h.id} 的 alias “${h.alias}”不是该因素的别名`, at);
          return [];
        }
        seen.add(h.id);
        return [{ hazard, basis: h.basis, ...(h.alias ? { alias: h.alias } : {}) }];
      });
      const noTypical = entry.noTypicalHazard;
      entries.set(industry.code, {
        industry,
        line,
        override: entry.override ?? false,
        hazards: mapped,
        ...(noTypical ? { noTypicalHazard: noTypical } : {}),
      });
    });
    return new IndustryHazardMap(file, entries, problems, table);
  }

  /** Own hazards, then (unless override) the parent's effective list; first occurrence wins. */
  effective(industry: Industry): IndustryHazard[] {
    const out: IndustryHazard[] = [];
    const seen = new Set<string>();
    let current: Industry | undefined = industry;
    while (current) {
      const entry = this.entries.get(current.code);
      for (const { hazard, basis, alias } of entry?.hazards ?? []) {
        if (seen.has(hazard.id)) continue;
        seen.add(hazard.id);
        out.push({ hazard, fromCode: industryCode(current), basis, ...printedAs(hazard, alias) });
      }
      if (entry?.override || entry?.noTypicalHazard) break;
      current = current.parent ? this.table.byExactCode(current.parent) : undefined;
    }
    return out;
  }

  /** Specific (a 中类/小类 entry supplies hazards), marked no-typical-hazard, generic (门类/大类 only) or unmapped. */
  coverage(industry: Industry): IndustryCoverage {
    let generic: string | undefined;
    for (let current: Industry | undefined = industry; current;) {
      const entry = this.entries.get(current.code);
      const code = industryCode(current);
      if (entry && entry.hazards.length > 0) {
        if (current.level === 'group' || current.level === 'class') return { kind: 'specific', fromCode: code };
        generic ??= code;
      }
      if (entry?.noTypicalHazard)
        return generic ? { kind: 'generic', fromCode: generic } : { kind: 'none', fromCode: code, reason: entry.noTypicalHazard };
      if (entry?.override) break;
      current = current.parent ? this.table.byExactCode(current.parent) : undefined;
    }
    return generic ? { kind: 'generic', fromCode: generic } : { kind: 'unmapped' };
  }
}

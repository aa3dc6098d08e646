// data/industry-hazards.yaml: hazards per industry code, inherited down the GB/T tree unless overridden.

import { z } from 'zod';
import type { Hazard, Industry, IndustryHazard } from './types';
import { type DataFile, type DataProblem, readYamlFile } from './data-file';
import { hazardReferenceProblem } from './hazards';
import { type IndustryTable, industryCode } from './industries';

const schema = z
  .object({
    source: z.string().min(1),
    entries: z.array(
      z
        .object({
          code: z.string().min(1),
          name: z.string().min(1),
          override: z.boolean().optional(),
          hazards: z.array(
            z.object({ id: z.string().min(1), name: z.string().min(1), basis: z.string().min(1) }).strict(),
          ),
        })
        .strict(),
    ),
  })
  .strict();

export interface IndustryHazardEntry {
  industry: Industry;
  line?: number;
  override: boolean;
  hazards: { hazard: Hazard; basis: string }[];
}

export class IndustryHazardMap {
  private constructor(
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
        seen.add(h.id);
        return [{ hazard: byId.get(h.id) as Hazard, basis: h.basis }];
      });
      entries.set(industry.code, { industry, line, override: entry.override ?? false, hazards: mapped });
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
      for (const { hazard, basis } of entry?.hazards ?? []) {
        if (seen.has(hazard.id)) continue;
        seen.add(hazard.id);
        out.push({ hazard, fromCode: industryCode(current), basis });
      }
      if (entry?.override) break;
      current = current.parent ? this.table.byExactCode(current.parent) : undefined;
    }
    return out;
  }
}

// data/hazard-names.yaml: short names printed on letters and aliases users may type.

import { lazySchema } from '../yaml-file/lazy-schema';
import type { Hazard } from './types';
import { type DataFile, type DataProblem, readYamlFile } from './data-file';
import { hazardItemsSchema, hazardReferenceProblem } from './hazards';

const schema = lazySchema((z) =>
  hazardItemsSchema(z, {
    short: z.string().min(1).optional(),
    aliases: z.array(z.string().min(1)).optional(),
    /** alias → diseases of the factor that do not apply when the input names it (e.g. 全身振动: [手臂振动病]). */
    without: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).optional(),
  }),
);

export interface NamedHazards {
  hazards: Hazard[];
  problems: DataProblem[];
}

/** The catalogue's factors with curated short names and aliases applied. */
export function applyHazardNames(file: DataFile, hazards: Hazard[]): NamedHazards {
  const { value, lineOf } = readYamlFile(file, schema);
  const byId = new Map(hazards.map((h) => [h.id, h]));
  const named = new Map<string, { short?: string; aliases: string[]; without?: Record<string, string[]> }>();
  const problems: DataProblem[] = [];
  value.items.forEach((item, i) => {
    const problem = (message: string) => problems.push({ file: file.label, line: lineOf(['items', i]), message });
    const reference = hazardReferenceProblem(byId, item.id, item.name);
    if (reference) return problem(reference);
    if (named.has(item.id)) return problem(`${item.id} 重复出现`);
    const aliases = item.aliases ?? [];
    if (new Set(aliases).size !== aliases.length) problem(`${item.id} 的别名有重复`);
    for (const alias of Object.keys(item.without ?? {}))
      if (!aliases.includes(alias)) problem(`${item.id} 的 without 中“${alias}”不是它的别名`);
    named.set(item.id, { short: item.short, aliases, without: item.without });
  });
  return {
    hazards: hazards.map((h) => {
      const entry = named.get(h.id);
      if (!entry) return h;
      return {
        ...h,
        shortName: entry.short ?? h.name,
        aliases: entry.aliases,
        ...(entry.without ? { aliasesWithout: entry.without } : {}),
      };
    }),
    problems,
  };
}

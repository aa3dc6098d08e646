// data/hazard-diseases.yaml: the occupational diseases each factor may cause, per disease catalogue.

import { lazySchema } from '../yaml-file/lazy-schema';
import type { DiseaseCatalogue, DiseaseCatalogueId, Hazard, HazardDisease } from './types';
import { type DataFile, type DataProblem, readYamlFile } from './data-file';
import { hazardItemsSchema, hazardReferenceProblem } from './hazards';

const schema = lazySchema((z) =>
  hazardItemsSchema(z, {
    diseases: z.object({ '2013': z.array(z.string().min(1)).optional(), '2024': z.array(z.string().min(1)).optional() }).strict(),
    /** Diseases caused only in some industries (爆震聋: blasting), with the GB/T codes (any level, e.g. B06, E5021). */
    onlyIn: z.record(z.string().min(1), z.array(z.string().regex(/^[A-T](\d{2,4})?$/)).min(1)).optional(),
    basis: z.string().min(1),
  }),
);

export interface HazardDiseaseEntry {
  line?: number;
  /** Per catalogue; a missing key means the mapping does not say, [] means "none". */
  diseases: Partial<Record<DiseaseCatalogueId, HazardDisease[]>>;
}

export interface HazardDiseaseMap {
  file: DataFile;
  entries: Map<string, HazardDiseaseEntry>;
  problems: DataProblem[];
}

export function readHazardDiseases(file: DataFile, hazards: Hazard[], catalogues: DiseaseCatalogue[]): HazardDiseaseMap {
  const { value, lineOf } = readYamlFile(file, schema);
  const byId = new Map(hazards.map((h) => [h.id, h]));
  const entries = new Map<string, HazardDiseaseEntry>();
  const problems: DataProblem[] = [];
  value.items.forEach((item, i) => {
    const line = lineOf(['items', i]);
    const problem = (message: string, at: number | undefined = line) => problems.push({ file: file.label, line: at, message });
    const reference = hazardReferenceProblem(byId, item.id, item.name);
    if (reference) return problem(reference);
    if (entries.has(item.id)) return problem(`${item.id} 重复出现`);
    const entry: HazardDiseaseEntry = { line, diseases: {} };
    for (const catalogue of catalogues) {
      const names = item.diseases[catalogue.id];
      if (!names) continue;
      const at = lineOf(['items', i, 'diseases', catalogue.id]);
      if (new Set(names).size !== names.length) problem(`${item.id} 在 ${catalogue.id} 年版中的职业病有重复`, at);
      entry.diseases[catalogue.id] = names.flatMap((name) => {
        const disease = catalogue.diseases.find((d) => d.name === name);
        if (!disease) {
          problem(`职业病“${name}”不在 ${catalogue.id} 年版《${catalogue.title}》中`, at);
          return [];
        }
        const onlyIn = item.onlyIn?.[name];
        return [onlyIn ? { disease, basis: item.basis, onlyIn } : { disease, basis: item.basis }];
      });
    }
    for (const name of Object.keys(item.onlyIn ?? {})) {
      if (!catalogues.some((c) => item.diseases[c.id]?.includes(name))) problem(`onlyIn 中的“${name}”不在该因素的职业病中`);
    }
    entries.set(item.id, entry);
  });
  return { file, entries, problems };
}

// data/disease-names.yaml: names for letters of catalogue diseases whose own name does not read well in a sentence.

import { lazySchema } from '../yaml-file/lazy-schema';
import type { DiseaseCatalogue } from './types';
import { type DataFile, type DataProblem, readYamlFile } from './data-file';

const schema = lazySchema((z) =>
  z
    .object({
      source: z.string().min(1),
      items: z.array(
        z
          .object({ name: z.string().min(1), print: z.string().min(1), catchAll: z.boolean().optional(), basis: z.string().min(1) })
          .strict(),
      ),
    })
    .strict(),
);

/** The catalogue's own name with half-width brackets made full-width, as the letter's text uses. */
export function defaultPrintName(name: string): string {
  return name.replace(/\(/g, '（').replace(/\)/g, '）');
}

/** Applies curated print names and catch-all marks to every catalogue (names are shared between editions). */
export function applyDiseaseNames(
  file: DataFile,
  catalogues: DiseaseCatalogue[],
): { catalogues: DiseaseCatalogue[]; problems: DataProblem[] } {
  const { value, lineOf } = readYamlFile(file, schema);
  const problems: DataProblem[] = [];
  const curated = new Map<string, { print: string; catchAll: boolean }>();
  const known = new Set(catalogues.flatMap((c) => c.diseases.map((d) => d.name)));
  value.items.forEach((item, i) => {
    const problem = (message: string) => problems.push({ file: file.label, line: lineOf(['items', i]), message });
    if (!known.has(item.name)) return problem(`职业病“${item.name}”不在任何一版《职业病分类和目录》中`);
    if (curated.has(item.name)) return problem(`职业病“${item.name}”重复出现`);
    if (/[()]/.test(item.print)) problem(`“${item.print}”含半角括号，告知单用全角括号（）`);
    curated.set(item.name, { print: item.print, catchAll: item.catchAll ?? false });
  });
  return {
    catalogues: catalogues.map((c) => ({
      ...c,
      diseases: c.diseases.map((d) => {
        const entry = curated.get(d.name);
        return entry ? { ...d, printName: entry.print, catchAll: entry.catchAll } : d;
      }),
    })),
    problems,
  };
}

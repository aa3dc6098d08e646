// The 2015 hazard catalogue (国卫疾控发〔2015〕92号): factors with stable ids.

import type { z } from 'zod';
import { lazySchema, type ZodBuilders } from '../yaml-file/lazy-schema';
import type { Hazard, HazardCategory } from './types';
import { type DataFile, dataError, readCsvFile } from './data-file';

const COLUMNS = ['category', 'seq', 'name', 'cas', 'note'] as const;

export const HAZARD_CATEGORIES: HazardCategory[] = ['粉尘', '化学因素', '物理因素', '放射性因素', '生物因素', '其他因素'];

const ID_PREFIX: Record<HazardCategory, string> = {
  粉尘: 'dust',
  化学因素: 'chem',
  物理因素: 'phys',
  放射性因素: 'rad',
  生物因素: 'bio',
  其他因素: 'other',
};

const rowSchema = lazySchema((z) =>
  z
    .object({
      category: z.enum(HAZARD_CATEGORIES as [HazardCategory, ...HazardCategory[]]),
      seq: z
        .string()
        .regex(/^[1-9]\d*$/)
        .transform(Number),
      name: z.string().min(1),
      cas: z.string(),
      note: z.string(),
    })
    .strict(),
);

/** Every CAS number inside a cell such as `7803-51-2、1314-84-7、20859-73-8` or `7439-92-1（铅）`. */
export function casNumbers(cas: string | undefined): string[] {
  return cas ? (cas.match(/\d{2,7}-\d{2}-\d{1,2}/g) ?? []) : [];
}

export function readHazards(file: DataFile): Hazard[] {
  const ids = new Set<string>();
  const names = new Set<string>(); // unique per category: 铀及其化合物 is both 化学因素 and 放射性因素
  const hazards = readCsvFile(file, COLUMNS, rowSchema).map((r) => {
    const id = `${ID_PREFIX[r.category]}-${r.seq}`;
    if (ids.has(id)) throw dataError(file, r.line, `${r.category} 序号 ${r.seq} 重复`);
    if (names.has(`${r.category}/${r.name}`)) throw dataError(file, r.line, `${r.category}中因素名称“${r.name}”重复`);
    ids.add(id);
    names.add(`${r.category}/${r.name}`);
    const hazard: Hazard = { id, category: r.category, seq: r.seq, name: r.name, shortName: r.name, aliases: [] };
    if (r.cas) hazard.cas = r.cas;
    if (r.note) hazard.note = r.note;
    return hazard;
  });
  return hazards;
}

/** Why a mapping's `id` + `name` pair does not name a catalogue factor, or undefined when it does. */
export function hazardReferenceProblem(byId: Map<string, Hazard>, id: string, name: string): string | undefined {
  const hazard = byId.get(id);
  if (!hazard) return `危害因素编号 ${id} 不存在`;
  if (hazard.name !== name) return `${id} 的名称应为“${hazard.name}”，实际为“${name}”`;
  return undefined;
}

/** Schema of a curated file keyed by hazard (`source`, then `items` of {id, name, ...fields}). */
export function hazardItemsSchema<T extends z.ZodRawShape>(z: ZodBuilders, fields: T) {
  return z
    .object({
      source: z.string().min(1),
      items: z.array(z.object({ id: z.string().min(1), name: z.string().min(1), ...fields }).strict()),
    })
    .strict();
}

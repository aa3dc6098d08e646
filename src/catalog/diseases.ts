// The 职业病分类和目录 catalogues (2013, 2024) and which one is in force on a date.

import { lazySchema } from '../yaml-file/lazy-schema';
import { HazardNoticeError } from '../errors';
import { parseLetterDate } from '../calendar/date';
import type { Disease, DiseaseCatalogue } from './types';
import { type DataFile, dataError, readCsvFile } from './data-file';
import type { Manifest } from './manifest';
import { defaultPrintName } from './disease-names';

const COLUMNS = ['category', 'seq', 'name', 'subcategory'] as const;

const rowSchema = lazySchema((z) =>
  z
    .object({
      category: z.string().min(1),
      seq: z
        .string()
        .regex(/^[1-9]\d*$/)
        .transform(Number),
      name: z.string().min(1),
      subcategory: z.string(),
    })
    .strict(),
);

type CatalogueEntry = Manifest['diseaseCatalogues'][number];

export function readDiseaseCatalogue(file: DataFile, entry: CatalogueEntry): DiseaseCatalogue {
  const names = new Set<string>();
  const diseases = readCsvFile(file, COLUMNS, rowSchema).map((r) => {
    if (names.has(r.name)) throw dataError(file, r.line, `职业病名称“${r.name}”重复`);
    names.add(r.name);
    const disease: Disease = {
      catalogue: entry.id,
      category: r.category,
      seq: r.seq,
      name: r.name,
      printName: defaultPrintName(r.name),
      catchAll: false,
    };
    if (r.subcategory) disease.subcategory = r.subcategory;
    return disease;
  });
  const catalogue: DiseaseCatalogue = {
    id: entry.id,
    docNumber: entry.docNumber,
    title: entry.title,
    validFrom: entry.validFrom,
    diseases,
  };
  if (entry.validUntil) catalogue.validUntil = entry.validUntil;
  return catalogue;
}

/** The catalogue whose validity (validFrom..validUntil, inclusive) contains the date. */
export function catalogueOn(catalogues: DiseaseCatalogue[], date: string): DiseaseCatalogue {
  const day = parseLetterDate(date);
  const inForce = catalogues.find((c) => c.validFrom <= day && (!c.validUntil || day <= c.validUntil));
  if (inForce) return inForce;
  const earliest = [...catalogues].sort((a, b) => a.validFrom.localeCompare(b.validFrom))[0];
  throw new HazardNoticeError(
    'E_DATE_NO_CATALOGUE',
    `日期 ${day} 没有施行中的《职业病分类和目录》（本工具收录的最早版本 ${earliest?.docNumber ?? ''} 自 ${earliest?.validFrom ?? ''} 起适用）`,
    { date: day },
  );
}

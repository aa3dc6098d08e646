// data/catalog.yaml: which file holds what, its provenance, and the counts `catalog check` enforces.

import type { z } from 'zod';
import { lazySchema } from '../yaml-file/lazy-schema';
import { type DataFile, type DataSource, dataFile, readYamlFile } from './data-file';

const manifestSchema = lazySchema((z) => {
  const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
  const count = z.number().int().nonnegative();
  const described = { file: z.string().min(1), title: z.string().min(1), source: z.string().min(1), rows: count };
  return z
    .object({
      industries: z
        .object({
          ...described,
          levels: z.object({ section: count, division: count, group: count, class: count }).strict(),
        })
        .strict(),
      hazards: z
        .object({
          ...described,
          docNumber: z.string().min(1),
          categories: z
            .object({ 粉尘: count, 化学因素: count, 物理因素: count, 放射性因素: count, 生物因素: count, 其他因素: count })
            .strict(),
        })
        .strict(),
      diseaseCatalogues: z
        .array(
          z
            .object({
              ...described,
              id: z.enum(['2013', '2024']),
              docNumber: z.string().min(1),
              validFrom: date,
              validUntil: date.optional(),
            })
            .strict(),
        )
        .min(1),
      industryRisk: z
        .object({ ...described, docNumber: z.string().min(1), ratings: z.object({ 严重: count, 一般: count }).strict() })
        .strict(),
      mappings: z
        .object({
          hazardNames: z.string().min(1),
          hazardDiseases: z.string().min(1),
          industryHazards: z.string().min(1),
          /** Optional: print names of diseases (data/disease-names.yaml). */
          diseaseNames: z.string().min(1).optional(),
          /** Optional: which 2021 目录 sub-case each 小类 of a split 中类 falls in. */
          riskSubcases: z.string().min(1).optional(),
        })
        .strict(),
    })
    .strict();
});

export type Manifest = z.infer<ReturnType<typeof manifestSchema>>;

const MANIFEST_FILE = 'catalog.yaml';

export function readManifest(dataDir: string, source?: DataSource): Manifest {
  return readYamlFile(dataFile(dataDir, MANIFEST_FILE, source), manifestSchema).value;
}

/** The files a load keeps by name (for messages and the prebuilt image), as the manifest names them. */
export interface NamedFiles {
  hazards: DataFile;
  hazardNames: DataFile;
  diseaseCatalogues: DataFile[];
}

export function filesNamedBy(manifest: Manifest, file: (name: string) => DataFile): NamedFiles {
  return {
    hazards: file(manifest.hazards.file),
    hazardNames: file(manifest.mappings.hazardNames),
    diseaseCatalogues: manifest.diseaseCatalogues.map((entry) => file(entry.file)),
  };
}

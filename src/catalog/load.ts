// loadKnowledgeBase: reads data/ (manifest, catalogues, curated mappings), validates it, answers lookups.

import { bundledPath } from '../package-root';
import type {
  DiseaseCatalogue,
  DiseaseCatalogueId,
  Hazard,
  HazardDisease,
  HazardLookup,
  Industry,
  IndustryCoverage,
  IndustryHazard,
  IndustryLookup,
  IndustryRisk,
  KnowledgeBase,
} from './types';
import { compileKnowledgeBase, decodeKnowledgeBase } from './compiled';
import { type DataProblem, type DataSource, dataFile, problemError } from './data-file';
import { catalogueOn, readDiseaseCatalogue } from './diseases';
import { applyDiseaseNames } from './disease-names';
import { type HazardDiseaseMap, readHazardDiseases } from './hazard-diseases';
import { HazardIndex } from './hazard-lookup';
import { applyHazardNames } from './hazard-names';
import { readHazards } from './hazards';
import { IndustryHazardMap } from './industry-hazards';
import { findIndustry } from './industry-lookup';
import { IndustryTable, industryCode as industryCodeOf } from './industries';
import { type Manifest, type NamedFiles, filesNamedBy, readManifest } from './manifest';
import { PrebuiltRecorder, prebuiltFor } from './prebuilt';
import { RiskTable } from './risk';

/** Everything read from one data directory, before any cross-file check. */
export interface KnowledgeBaseData {
  dataDir: string;
  manifest: Manifest;
  files: NamedFiles;
  industries: IndustryTable;
  hazards: Hazard[];
  catalogues: DiseaseCatalogue[];
  risk: RiskTable;
  hazardDiseases: HazardDiseaseMap;
  industryHazards: IndustryHazardMap;
  /** Problems found while reading the curated mappings (unknown ids, names that differ, duplicates). */
  mappingProblems: DataProblem[];
}

/** The bundled data/, unless HAZARD_NOTICE_DATA names another data directory (same files and formats). */
export function defaultDataDir(): string {
  return process.env.HAZARD_NOTICE_DATA || bundledPath('data');
}

/**
 * Reads and schema-validates every file; throws E_DATA_INVALID on the first malformed file. `source`: take values
 * from the prebuilt knowledge base where its bytes match, and/or record the values read.
 */
export function readKnowledgeBaseData(dataDir: string = defaultDataDir(), source?: DataSource): KnowledgeBaseData {
  const manifest = readManifest(dataDir, source);
  const file = (name: string) => dataFile(dataDir, name, source);
  const files = filesNamedBy(manifest, file);
  const industries = IndustryTable.read(file(manifest.industries.file));
  const named = applyHazardNames(files.hazardNames, readHazards(files.hazards));
  const read = manifest.diseaseCatalogues.map((entry, i) => readDiseaseCatalogue(files.diseaseCatalogues[i], entry));
  const diseaseNames = manifest.mappings.diseaseNames
    ? applyDiseaseNames(file(manifest.mappings.diseaseNames), read)
    : { catalogues: read, problems: [] };
  const catalogues = diseaseNames.catalogues;
  const risk = RiskTable.read(file(manifest.industryRisk.file));
  if (manifest.mappings.riskSubcases) risk.readSubcases(file(manifest.mappings.riskSubcases));
  const hazardDiseases = readHazardDiseases(file(manifest.mappings.hazardDiseases), named.hazards, catalogues);
  const industryHazards = IndustryHazardMap.read(file(manifest.mappings.industryHazards), industries, named.hazards);
  return {
    dataDir,
    manifest,
    files,
    industries,
    hazards: named.hazards,
    catalogues,
    risk,
    hazardDiseases,
    industryHazards,
    mappingProblems: [...named.problems, ...diseaseNames.problems, ...hazardDiseases.problems, ...industryHazards.problems],
  };
}

/** Cross-file consistency every use of the knowledge base relies on. */
export function integrityProblems(data: KnowledgeBaseData): DataProblem[] {
  return [
    ...data.industries.problems(),
    ...data.risk.problems(data.industries),
    ...data.risk.subcaseProblems(data.industries),
    ...data.mappingProblems,
  ];
}

export class CatalogKnowledgeBase implements KnowledgeBase {
  /** Made on the first name look-up. */
  private hazardIndex?: HazardIndex;
  private readonly hazardsById: Map<string, Hazard>;
  /** A batch asks for its date's catalogue once per row. */
  private readonly cataloguesByDate = new Map<string, DiseaseCatalogue>();

  constructor(readonly data: KnowledgeBaseData) {
    this.hazardsById = new Map(data.hazards.map((h) => [h.id, h]));
  }

  industry(code: string): Industry | undefined {
    return this.data.industries.get(code);
  }

  allIndustries(): Industry[] {
    return this.data.industries.all;
  }

  industryPath(code: string): Industry[] {
    const industry = this.industry(code);
    return industry ? this.data.industries.path(industry) : [];
  }

  industryDescription(code: string): string | undefined {
    const industry = this.industry(code);
    return industry && this.data.industries.description(industry.code);
  }

  findIndustry(input: string): IndustryLookup {
    return findIndustry(this.data.industries, input);
  }

  industryRisk(code: string): IndustryRisk {
    const industry = this.industry(code);
    return industry ? this.data.risk.riskOf(industry, this.data.industries) : { rating: '未分级', subcases: [] };
  }

  industryHazards(code: string): IndustryHazard[] {
    const industry = this.industry(code);
    return industry ? this.data.industryHazards.effective(industry) : [];
  }

  industryCoverage(code: string): IndustryCoverage {
    const industry = this.industry(code);
    return industry ? this.data.industryHazards.coverage(industry) : { kind: 'unmapped' };
  }

  hazard(id: string): Hazard | undefined {
    return this.hazardsById.get(id);
  }

  findHazard(input: string): HazardLookup {
    this.hazardIndex ??= new HazardIndex(this.data.hazards);
    return this.hazardIndex.find(input);
  }

  allHazards(): Hazard[] {
    return this.data.hazards;
  }

  diseaseCatalogues(): DiseaseCatalogue[] {
    return this.data.catalogues;
  }

  diseaseCatalogueOn(date: string): DiseaseCatalogue {
    let catalogue = this.cataloguesByDate.get(date);
    if (!catalogue) this.cataloguesByDate.set(date, (catalogue = catalogueOn(this.data.catalogues, date)));
    return catalogue;
  }

  hazardDiseases(hazardId: string, catalogue: DiseaseCatalogueId, industryCode?: string, without?: readonly string[]): HazardDisease[] {
    const listed = this.data.hazardDiseases.entries.get(hazardId)?.diseases[catalogue] ?? [];
    const all = without?.length ? listed.filter((hd) => !without.includes(hd.disease.name)) : listed;
    if (industryCode === undefined || !all.some((hd) => hd.onlyIn)) return all;
    const path = new Set(this.industryPath(industryCode).map((i) => industryCodeOf(i)));
    return all.filter((hd) => !hd.onlyIn || hd.onlyIn.some((code) => path.has(code)));
  }
}

/** Loads and validates a data directory (default: the bundled data/); throws E_DATA_INVALID when broken. */
export function loadKnowledgeBase(dataDir?: string): KnowledgeBase {
  return loadCatalogKnowledgeBase(dataDir);
}

/**
 * Loads a data directory: the compiled knowledge base when every file has the build's bytes, else each file from the
 * prebuilt image where its bytes match, the rest read and checked (see prebuilt.ts).
 */
export function loadCatalogKnowledgeBase(dataDir: string = defaultDataDir(), prebuiltFile?: string): CatalogKnowledgeBase {
  const prebuilt = prebuiltFor(dataDir, prebuiltFile);
  if (prebuilt?.compiled !== undefined) return new CatalogKnowledgeBase(decodeKnowledgeBase(prebuilt.compiled, dataDir));
  return validated(readKnowledgeBaseData(dataDir, { prebuilt }));
}

function validated(data: KnowledgeBaseData): CatalogKnowledgeBase {
  const problems = integrityProblems(data);
  if (problems.length > 0) throw problemError(problems[0], problems.length);
  return new CatalogKnowledgeBase(data);
}

/** `npm run build`: reads the data directory afresh, checks it as a load does, and writes the prebuilt image. */
export function writePrebuiltKnowledgeBase(dataDir: string = defaultDataDir(), file?: string): void {
  const recorder = new PrebuiltRecorder();
  const kb = validated(readKnowledgeBaseData(dataDir, { recorder }));
  recorder.write(compileKnowledgeBase(kb.data), file);
}

// The compiled knowledge base: the whole of data/ as a load leaves it (validated, names applied, every reference
// resolved), in a compact JSON form the build makes once. A start whose data files are all the build's bytes parses it
// in a few milliseconds instead of reading each file's value, resolving references and checking them again (~50 ms).
// Objects are stored as they are used (JSON.parse makes them); shared ones (a factor, a disease, a basis text) once,
// referred to by their index. The industries' 说明, a third of the text, are a part of their own, parsed when asked for.

import type { Disease, DiseaseCatalogue, DiseaseCatalogueId, Hazard, HazardDisease, Industry } from './types';
import { dataFile } from './data-file';
import type { HazardDiseaseEntry } from './hazard-diseases';
import { IndustryTable } from './industries';
import { type IndustryHazardEntry, IndustryHazardMap } from './industry-hazards';
import type { KnowledgeBaseData } from './load';
import { filesNamedBy, type Manifest } from './manifest';
import { type RiskRow, RiskTable, type SubcaseOfClass } from './risk';

/** The two JSON texts the image keeps. */
export interface CompiledKnowledgeBase {
  core: string;
  /** [code, 说明][] of the industries that have one. */
  descriptions: string;
}

/** '' and 0 stand for an absent value; null for an unknown line. */
interface Core {
  manifest: Manifest;
  industries: Industry[];
  industryLines: number[];
  hazards: Hazard[];
  catalogues: DiseaseCatalogue[];
  risk: RiskRow[];
  /** code, line, name, subcase, undecided */
  riskSubcases?: [string, number | null, string, string, string][];
  /** The mappings' basis texts (a factor's diseases share one). */
  bases: string[];
  /** factor id, line, per catalogue: [catalogue id, [disease index, basis index, onlyIn][]] */
  hazardDiseases: [string, number | null, [DiseaseCatalogueId, [number, number, string[] | 0][]][]][];
  /** industry code, line, override, no typical hazard, [factor index, basis index, alias][] */
  industryHazards: [string, number | null, 0 | 1, string, [number, number, string][]][];
}

const lineOf = (line: number | undefined) => line ?? null;
const lineFrom = (line: number | null) => line ?? undefined;

/** The knowledge base just read and validated (no problem left), as the build writes it. */
export function compileKnowledgeBase(data: KnowledgeBaseData): CompiledKnowledgeBase {
  if (data.mappingProblems.length > 0) throw new Error('compileKnowledgeBase: the data has problems');
  const hazardIndex = new Map(data.hazards.map((h, i) => [h, i]));
  const diseaseIndex = new Map(data.catalogues.flatMap((c) => c.diseases.map((d, i) => [d, i] as const)));
  const indexOf = <T>(index: Map<T, number>, value: T) => {
    const i = index.get(value);
    if (i === undefined) throw new Error('compileKnowledgeBase: a reference outside the knowledge base');
    return i;
  };
  const bases: string[] = [];
  const basisIndex = new Map<string, number>();
  const basis = (text: string) => {
    let i = basisIndex.get(text);
    if (i === undefined) basisIndex.set(text, (i = bases.push(text) - 1));
    return i;
  };
  const subcases = data.risk.subcases();
  const core: Core = {
    manifest: data.manifest,
    industries: data.industries.all,
    industryLines: data.industries.lines,
    hazards: data.hazards,
    catalogues: data.catalogues,
    risk: data.risk.rows,
    ...(subcases && {
      riskSubcases: subcases.classes.map(([code, c]) => [code, lineOf(c.line), c.name, c.subcase ?? '', c.undecided ?? '']),
    }),
    hazardDiseases: [...data.hazardDiseases.entries].map(([id, entry]) => [
      id,
      lineOf(entry.line),
      (Object.entries(entry.diseases) as [DiseaseCatalogueId, HazardDisease[]][]).map(([catalogue, list]) => [
        catalogue,
        list.map((hd) => [indexOf(diseaseIndex, hd.disease), basis(hd.basis), hd.onlyIn ?? 0]),
      ]),
    ]),
    industryHazards: [...data.industryHazards.entries].map(([code, entry]) => [
      code,
      lineOf(entry.line),
      entry.override ? 1 : 0,
      entry.noTypicalHazard ?? '',
      entry.hazards.map((h) => [indexOf(hazardIndex, h.hazard), basis(h.basis), h.alias ?? '']),
    ]),
    bases,
  };
  const descriptions = data.industries.all.flatMap((i) => {
    const text = data.industries.description(i.code);
    return text ? [[i.code, text]] : [];
  });
  return { core: JSON.stringify(core), descriptions: JSON.stringify(descriptions) };
}

// Decoding runs once per start, before V8 optimises anything: plain loops and index access (no destructuring, which
// the interpreter runs through the iterator protocol).

/** The knowledge base of `dataDir` from its compiled form: the same values, the same shapes, as a fresh read. */
export function decodeKnowledgeBase(compiled: CompiledKnowledgeBase, dataDir: string): KnowledgeBaseData {
  const c = JSON.parse(compiled.core) as Core;
  const { manifest, hazards, bases } = c;
  const file = (name: string) => dataFile(dataDir, name);
  let descriptions: Map<string, string> | undefined;
  const industries = new IndustryTable(
    file(manifest.industries.file),
    c.industries,
    c.industryLines,
    () => (descriptions ??= new Map(JSON.parse(compiled.descriptions) as [string, string][])),
  );
  const risk = new RiskTable(file(manifest.industryRisk.file), c.risk);
  if (c.riskSubcases && manifest.mappings.riskSubcases) {
    const classes: [string, SubcaseOfClass][] = [];
    for (const r of c.riskSubcases) {
      classes.push([r[0], { line: lineFrom(r[1]), name: r[2], subcase: r[3] || undefined, undecided: r[4] || undefined }]);
    }
    risk.setSubcases(file(manifest.mappings.riskSubcases), classes);
  }
  const diseasesOf = new Map<DiseaseCatalogueId, Disease[]>();
  for (const catalogue of c.catalogues) diseasesOf.set(catalogue.id, catalogue.diseases);
  const hazardDiseases = new Map<string, HazardDiseaseEntry>();
  for (const row of c.hazardDiseases) {
    const entry: HazardDiseaseEntry = { line: lineFrom(row[1]), diseases: {} };
    for (const pair of row[2]) {
      const catalogue = pair[0];
      const diseases = diseasesOf.get(catalogue) as Disease[];
      const out: HazardDisease[] = [];
      for (const d of pair[1])
        out.push(d[2] ? { disease: diseases[d[0]], basis: bases[d[1]], onlyIn: d[2] } : { disease: diseases[d[0]], basis: bases[d[1]] });
      entry.diseases[catalogue] = out;
    }
    hazardDiseases.set(row[0], entry);
  }
  const industryHazards = new Map<string, IndustryHazardEntry>();
  for (const row of c.industryHazards) {
    const listed: IndustryHazardEntry['hazards'] = [];
    for (const h of row[4])
      listed.push(h[2] ? { hazard: hazards[h[0]], basis: bases[h[1]], alias: h[2] } : { hazard: hazards[h[0]], basis: bases[h[1]] });
    const entry: IndustryHazardEntry = {
      industry: industries.byExactCode(row[0]) as Industry,
      line: lineFrom(row[1]),
      override: row[2] === 1,
      hazards: listed,
    };
    if (row[3]) entry.noTypicalHazard = row[3];
    industryHazards.set(row[0], entry);
  }
  return {
    dataDir,
    manifest,
    files: filesNamedBy(manifest, file),
    industries,
    hazards,
    catalogues: c.catalogues,
    risk,
    hazardDiseases: { file: file(manifest.mappings.hazardDiseases), entries: hazardDiseases, problems: [] },
    industryHazards: new IndustryHazardMap(file(manifest.mappings.industryHazards), industryHazards, [], industries),
    mappingProblems: [],
  };
}

// Public types of the knowledge base (data/ loaded and validated).

export type IndustryLevel = 'section' | 'division' | 'group' | 'class';

/** One GB/T 4754-2017 code: 门类 (A), 大类 (06), 中类 (061), 小类 (0610). */
export interface Industry {
  code: string; // without the section letter for numeric levels: 'C', '30', '301', '3011'
  level: IndustryLevel;
  section: string; // the 门类 letter
  name: string;
  parent?: string;
}

export type HazardCategory = '粉尘' | '化学因素' | '物理因素' | '放射性因素' | '生物因素' | '其他因素';

/** One factor of the 2015 hazard catalogue (国卫疾控发〔2015〕92号). */
export interface Hazard {
  /** Stable id: category prefix + seq, e.g. dust-1, chem-22, phys-4, rad-1, bio-1, other-1. */
  id: string;
  category: HazardCategory;
  seq: number;
  name: string; // as printed in the catalogue
  /** Short name for letters, e.g. 矽尘 for 矽尘（游离SiO2含量≥10%）; equals name when none is curated. */
  shortName: string;
  aliases: string[];
  /** Aliases naming a part of the factor for which some of its diseases do not apply (全身振动 → not 手臂振动病). */
  aliasesWithout?: Record<string, string[]>;
  cas?: string;
  note?: string;
}

export type DiseaseCatalogueId = '2013' | '2024';

export interface Disease {
  catalogue: DiseaseCatalogueId;
  category: string;
  subcategory?: string;
  seq: number;
  name: string; // unique within its catalogue, exactly as printed in the catalogue
  /** Name for letters (data/disease-names.yaml; full-width brackets); equals name when none is curated. */
  printName: string;
  /** A catch-all item (其他尘肺病, 其他化学中毒 …): letters prefer any named disease to it. */
  catchAll: boolean;
}

export interface DiseaseCatalogue {
  id: DiseaseCatalogueId;
  docNumber: string; // 国卫疾控发〔2013〕48号 / 国卫职健发〔2024〕39号
  title: string; // 职业病分类和目录
  validFrom: string; // YYYY-MM-DD
  validUntil?: string; // YYYY-MM-DD, inclusive
  diseases: Disease[];
}

/** `严重或一般（视…）` where the 目录's sub-case of a code cannot be decided from the code alone. */
export type RiskRating = '严重' | '一般' | '未分级' | `严重或一般（视${string}）`;

export interface IndustryRisk {
  rating: RiskRating;
  /** The code the rating was read from (the class itself or an ancestor). */
  fromCode?: string;
  /** Sub-cases of the 目录 (e.g. 牲畜饲养（牛、羊）严重 / 牲畜饲养（其他）一般). */
  subcases: { name: string; rating: '严重' | '一般' }[];
  note?: string;
}

export interface IndustryHazard {
  hazard: Hazard;
  /** The code whose mapping entry supplied this hazard (the code itself or an ancestor). */
  fromCode: string;
  basis: string;
  /** The alias printed instead of the short name (全身振动 for drivers), from data/industry-hazards.yaml. */
  alias?: string;
  /** Diseases of the factor that do not apply under that alias (全身振动 → 手臂振动病). */
  without?: string[];
  /** Put on the list by a local override (region config `industryOverrides`); fromCode is the override's code. */
  local?: true;
}

/** How an industry is handled by data/industry-hazards.yaml. */
export type IndustryCoverage =
  /** A list decided at 中类 or 小类 level (the first such code is fromCode). */
  | { kind: 'specific'; fromCode: string }
  /** Marked as having no typical occupational hazard: the employer names its own. */
  | { kind: 'none'; fromCode: string; reason: string }
  /** Only a 门类/大类 list applies. */
  | { kind: 'generic'; fromCode: string }
  | { kind: 'unmapped' };

export interface HazardDisease {
  disease: Disease;
  basis: string;
  /** Only in these industries and their sub-codes (e.g. 爆震聋: B06, E5021); absent = any industry. */
  onlyIn?: string[];
}

export type IndustryLookup =
  | { ok: true; industry: Industry; path: Industry[] } // path from 门类 down to the industry
  | { ok: false; reason: 'unknown' | 'ambiguous'; input: string; suggestions: Industry[] };

export type HazardLookup =
  /** `alias`: the alias of aliasesWithout the input matched, if any. */
  { ok: true; hazard: Hazard; alias?: string } | { ok: false; reason: 'unknown' | 'ambiguous'; input: string; suggestions: Hazard[] };

export interface KnowledgeBase {
  industry(code: string): Industry | undefined;
  /** Every GB/T 4754-2017 code, in the table's order (门类 A, 大类 01, 中类 011, 小类 0111 …). */
  allIndustries(): Industry[];
  industryPath(code: string): Industry[];
  /** The 说明 of an industry's row in GB/T 4754-2017 (what it includes and excludes), if it has one. */
  industryDescription(code: string): string | undefined;
  /** Resolves a code or a name in any accepted form (C3011, 3011, C30, 水泥制造, 'C3011 水泥制造', full-width digits). */
  findIndustry(input: string): IndustryLookup;
  industryRisk(code: string): IndustryRisk;
  /** Hazards of an industry in order of importance, inherited from ancestors unless overridden. */
  industryHazards(code: string): IndustryHazard[];
  industryCoverage(code: string): IndustryCoverage;

  hazard(id: string): Hazard | undefined;
  /** Resolves a catalogue name, short name, alias or CAS number. */
  findHazard(input: string): HazardLookup;
  allHazards(): Hazard[];

  diseaseCatalogues(): DiseaseCatalogue[];
  /** The catalogue in force on a date (YYYY-MM-DD). */
  diseaseCatalogueOn(date: string): DiseaseCatalogue;
  /**
   * Diseases a hazard may cause in one catalogue; an empty list means the mapping says "none".
   * With an industry code, diseases limited to other industries (onlyIn) are left out; `without` leaves out the
   * diseases an alias does not cause (全身振动 → not 手臂振动病).
   */
  hazardDiseases(hazardId: string, catalogue: DiseaseCatalogueId, industryCode?: string, without?: readonly string[]): HazardDisease[];
}

// A record resolved against the knowledge base and the region config: everything a letter prints.

import type { AppliedOverride } from '../catalog/overrides';
import type { DiseaseCatalogueId, HazardCategory, RiskRating } from '../catalog/types';
import type { Bureau } from '../config/bureau';
import type { SourceRef } from '../input/employer';

export interface CodeName {
  code: string;
  name: string;
}

export interface LetterHazard {
  id: string;
  name: string; // short name as printed
  category: HazardCategory;
  origin: 'record' | 'industry';
  fromCode?: string; // industry code the mapping entry came from
  /** Diseases of the factor that do not apply (the record or the industry's list named a part of it, e.g. 全身振动). */
  without?: string[];
}

export interface LetterDisease {
  name: string; // print name (data/disease-names.yaml)
  catalogueName?: string; // exactly as in the catalogue (resolve always sets it)
  category: string;
}

export interface LetterData {
  source?: SourceRef;
  employer: {
    name: string;
    uscc?: string;
    township?: string;
    address?: string;
  };
  industry: {
    section: CodeName; // 门类 (code 'C')
    division: CodeName; // 大类 (code 'C30')
    group: CodeName; // 中类 (code 'C301')
    class?: CodeName; // 小类 when known (code 'C3011')
    risk: RiskRating;
  };
  /** All hazards found, most important first (record's own first); the letter prints the first N. */
  hazards: LetterHazard[];
  /** Diseases of the printed hazards, in the catalogue in force on the date. */
  diseases: LetterDisease[];
  diseaseCatalogue: { id: DiseaseCatalogueId; docNumber: string };
  /** Local overrides (region config `industryOverrides`) applied to the industry's hazard list, 大类 first. */
  localOverrides?: AppliedOverride[];
  bureau: Bureau;
  date: string; // YYYY-MM-DD (China Standard Time)
  docNumber?: string; // 柳城卫职告〔2026〕1号
  /** A follow-up letter (催报): the earlier notice it refers to and the date set for declaring, when known. */
  followUp?: FollowUp;
}

/** What a follow-up letter (催报告知单) adds: the employer's earlier notice and the date set for declaring (YYYY-MM-DD). */
export interface FollowUp {
  previous?: { docNumber: string; date: string };
  deadline?: string;
}

/** A letter's data without the bureau's seal image (as it crosses threads and is stored): the seal comes from the config. */
export type LetterDataWithoutSeal = Omit<LetterData, 'bureau'> & { bureau: Omit<LetterData['bureau'], 'seal'> };

/** The data without the seal image: what is stored in the register and the staging store and sent to workers. */
export function withoutSeal(data: LetterData): LetterDataWithoutSeal {
  const { seal: _seal, ...bureau } = data.bureau;
  return { ...data, bureau };
}

/** The data with its bureau's seal put back (`seal`: the config's seal for that bureau, if any). */
export function withSeal(data: LetterDataWithoutSeal, seal: Bureau['seal']): LetterData {
  return { ...data, bureau: { ...data.bureau, seal } };
}

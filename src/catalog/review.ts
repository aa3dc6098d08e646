// The industry → hazard → disease table for review by a region's professionals: one row per 小类, with how it is
// handled, the basis and any local override (written to Excel by `catalog review`).

import { industryCode } from './industries';
import { type IndustryOverrides, overriddenHazards } from './overrides';
import type { DiseaseCatalogueId, Industry, IndustryCoverage, IndustryHazard, KnowledgeBase } from './types';

export interface ReviewRow {
  code: string; // C3843
  section: string; // 'C 制造业'
  division: string;
  group: string;
  class: string;
  risk: string;
  handling: string;
  /** Print names in letter order, 、-separated. */
  hazards: string;
  /** Per catalogue: one line per hazard, `危害因素：职业病、职业病`. */
  diseases: Record<DiseaseCatalogueId, string>;
  /** One line per hazard: `危害因素：依据`. */
  basis: string;
  /** `C3843（依据）` per override applied, ；-separated; '' when none. */
  overrides: string;
}

function handlingText(coverage: IndustryCoverage): string {
  switch (coverage.kind) {
    case 'specific':
      return `专门清单（${coverage.fromCode}）`;
    case 'none':
      return `无典型职业病危害（${coverage.fromCode}）：${coverage.reason}`;
    case 'generic':
      return `仅有通用清单（${coverage.fromCode}）`;
    default:
      return '未处理';
  }
}

const printed = (ih: IndustryHazard) => ih.alias ?? ih.hazard.shortName;

/** A hazard's diseases as a letter would name them: named items first, catch-alls last, `without` left out. */
function diseaseLine(kb: KnowledgeBase, ih: IndustryHazard, catalogue: DiseaseCatalogueId, code: string): string {
  const all = kb.hazardDiseases(ih.hazard.id, catalogue, code, ih.without);
  const ordered = [...all.filter((hd) => !hd.disease.catchAll), ...all.filter((hd) => hd.disease.catchAll)];
  return `${printed(ih)}：${ordered.length > 0 ? ordered.map((hd) => hd.disease.printName).join('、') : '（目录中无对应职业病）'}`;
}

/** One row per 小类, in the code table's order, with the local overrides (if any) applied. */
export function reviewRows(kb: KnowledgeBase, overrides?: IndustryOverrides): ReviewRow[] {
  const codeName = (i: Industry | undefined) => (i ? `${industryCode(i)} ${i.name}` : '');
  return kb
    .allIndustries()
    .filter((i) => i.level === 'class')
    .map((industry) => {
      const code = industryCode(industry);
      const [section, division, group] = kb.industryPath(code);
      const { hazards, applied } = overriddenHazards(kb, overrides, code);
      const diseases = {} as Record<DiseaseCatalogueId, string>;
      for (const c of kb.diseaseCatalogues()) diseases[c.id] = hazards.map((ih) => diseaseLine(kb, ih, c.id, code)).join('\n');
      return {
        code,
        section: codeName(section),
        division: codeName(division),
        group: codeName(group),
        class: industry.name,
        risk: kb.industryRisk(code).rating,
        handling: handlingText(kb.industryCoverage(code)),
        hazards: hazards.map(printed).join('、'),
        diseases,
        basis: hazards.map((ih) => `${printed(ih)}：${ih.local ? `本地调整（${ih.fromCode}）` : ''}${ih.basis}`).join('\n'),
        overrides: applied.map((o) => `${o.code}（${o.reason}）`).join('；'),
      };
    });
}

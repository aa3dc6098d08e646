// catalog check: counts against the catalogues' own, cross-file consistency and mapping coverage.

import { HazardNoticeError } from '../errors';
import type { DiseaseCatalogueId, HazardCategory, IndustryCoverage, IndustryLevel } from './types';
import type { DataProblem } from './data-file';
import { HAZARD_CATEGORIES } from './hazards';
import { LEVEL_NAMES } from './industries';
import { matchKey } from './text-match';
import { compileKnowledgeBase } from './compiled';
import { CatalogKnowledgeBase, type KnowledgeBaseData, defaultDataDir, integrityProblems, readKnowledgeBaseData } from './load';
import { PREBUILT_FILE, PrebuiltRecorder, type PrebuiltState, prebuiltState } from './prebuilt';

export interface CheckSummary {
  industries: Record<IndustryLevel, number>;
  hazards: Record<HazardCategory, number>;
  diseaseCatalogues: { id: DiseaseCatalogueId; docNumber: string; validFrom: string; validUntil?: string; diseases: number }[];
  riskRows: number;
  riskRatings: { 严重: number; 一般: number };
  coverage: {
    /** Codes with their own entry in industry-hazards.yaml, per level. */
    mappedCodes: Record<IndustryLevel, number>;
    /** 严重 rows of the 2021 目录 (incl. sub-cases) and how many resolve to at least one hazard. */
    severeIndustries: number;
    severeCovered: number;
    /** Factors with an entry in hazard-diseases.yaml / hazard-names.yaml (short name or aliases). */
    hazardsWithDiseases: number;
    hazardsWithNames: number;
    /** Distinct factors named by any industry entry. */
    hazardsReached: number;
    /** 小类 by how industry-hazards.yaml handles them; generic and unmapped are problems. */
    classes: Record<IndustryCoverage['kind'], number>;
  };
}

export interface CheckReport {
  ok: boolean;
  dataDir: string;
  problems: DataProblem[];
  /** Absent when a file could not be read at all. */
  summary?: CheckSummary;
  /** The prebuilt knowledge base (dist/knowledge-base.bin) against the files just read; absent when given a loaded base. */
  prebuilt?: PrebuiltState;
}

function countBy<K extends string>(keys: readonly K[], values: K[]): Record<K, number> {
  const out = Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;
  for (const v of values) out[v] += 1;
  return out;
}

const LEVELS: IndustryLevel[] = ['section', 'division', 'group', 'class'];

function countProblems(data: KnowledgeBaseData, summary: CheckSummary): DataProblem[] {
  const { manifest } = data;
  const problems: DataProblem[] = [];
  const expect = (file: string, what: string, actual: number, expected: number) => {
    if (actual !== expected) problems.push({ file, message: `${what}应为 ${expected}，实际 ${actual}（见 catalog.yaml）` });
  };
  const industriesFile = data.industries.file.label;
  expect(industriesFile, '行业总数', data.industries.all.length, manifest.industries.rows);
  for (const level of LEVELS)
    expect(industriesFile, `${LEVEL_NAMES[level]}数`, summary.industries[level], manifest.industries.levels[level]);
  const hazardsFile = data.files.hazards.label;
  expect(hazardsFile, '危害因素总数', data.hazards.length, manifest.hazards.rows);
  for (const c of HAZARD_CATEGORIES) expect(hazardsFile, `${c}数`, summary.hazards[c], manifest.hazards.categories[c]);
  manifest.diseaseCatalogues.forEach((entry, i) => {
    expect(data.files.diseaseCatalogues[i].label, '职业病数', data.catalogues[i].diseases.length, entry.rows);
  });
  expect(data.risk.file.label, '目录行数', data.risk.rows.length, manifest.industryRisk.rows);
  expect(data.risk.file.label, '严重行数', summary.riskRatings.严重, manifest.industryRisk.ratings.严重);
  expect(data.risk.file.label, '一般行数', summary.riskRatings.一般, manifest.industryRisk.ratings.一般);
  return problems;
}

/** Catalogue periods follow each other without gap or overlap; only the newest is open-ended. */
function validityProblems(data: KnowledgeBaseData): DataProblem[] {
  const problems: DataProblem[] = [];
  const sorted = [...data.catalogues].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  sorted.forEach((c, i) => {
    const next = sorted[i + 1];
    if (!next) return;
    const dayAfter = c.validUntil ? new Date(Date.parse(`${c.validUntil}T00:00:00Z`) + 86400000).toISOString().slice(0, 10) : undefined;
    if (dayAfter !== next.validFrom) {
      problems.push({ file: 'catalog.yaml', message: `${c.id} 年版的 validUntil 与 ${next.id} 年版的 validFrom 不衔接` });
    }
  });
  return problems;
}

function coverageProblems(data: KnowledgeBaseData, kb: CatalogKnowledgeBase): { problems: DataProblem[]; reached: Set<string> } {
  const problems: DataProblem[] = [];
  const diseasesFile = data.hazardDiseases.file.label;
  for (const hazard of data.hazards) {
    if (!data.hazardDiseases.entries.has(hazard.id)) {
      problems.push({ file: diseasesFile, message: `缺少危害因素 ${hazard.id} ${hazard.name}（每个因素须出现一次）` });
    }
  }
  for (const row of data.risk.rows) {
    if (row.risk === '严重' && kb.industryCoverage(row.code).kind !== 'specific') {
      const name = `${row.section}${row.level === 'section' ? '' : row.code} ${row.name}`;
      problems.push({
        file: data.risk.file.label,
        line: row.line,
        message: `严重行业 ${name} 没有中类或小类层级的危害因素清单（不能只靠门类、大类的通用清单）`,
      });
    }
  }
  const mappingFile = data.industryHazards.file.label;
  for (const cls of data.industries.all.filter((i) => i.level === 'class')) {
    const coverage = kb.industryCoverage(cls.code);
    const code = `${cls.section}${cls.code}`;
    if (coverage.kind === 'unmapped') {
      problems.push({
        file: mappingFile,
        message: `小类 ${code} ${cls.name} 既没有危害因素清单，也未标为无典型职业病危害（noTypicalHazard）`,
      });
    } else if (coverage.kind === 'generic') {
      problems.push({
        file: mappingFile,
        message: `小类 ${code} ${cls.name} 只有${coverage.fromCode}的通用清单：请在中类或小类写出清单及依据，或标为无典型职业病危害`,
      });
    }
  }
  const reached = new Set<string>();
  for (const entry of data.industryHazards.entries.values()) for (const { hazard } of entry.hazards) reached.add(hazard.id);
  for (const id of reached) {
    const entry = data.hazardDiseases.entries.get(id);
    if (!entry) continue; // reported above
    for (const catalogue of data.catalogues) {
      if (!entry.diseases[catalogue.id]) {
        problems.push({
          file: diseasesFile,
          line: entry.line,
          message: `${id} 被行业映射引用，但未给出 ${catalogue.id} 年版的职业病（无则写 []）`,
        });
      }
    }
  }
  return { problems, reached };
}

/** A curated short name or alias must not name another factor (lookups of it would become ambiguous). */
function aliasProblems(data: KnowledgeBaseData): DataProblem[] {
  const owners = new Map<string, Set<string>>();
  const own = (text: string, id: string) => owners.set(matchKey(text), (owners.get(matchKey(text)) ?? new Set()).add(id));
  for (const h of data.hazards) own(h.name, h.id);
  const problems: DataProblem[] = [];
  for (const h of data.hazards) {
    for (const curated of new Set([h.shortName, ...h.aliases].filter((n) => n !== h.name))) {
      const others = [...(owners.get(matchKey(curated)) ?? [])].filter((id) => id !== h.id);
      if (others.length > 0) {
        problems.push({ file: data.files.hazardNames.label, message: `${h.id} 的简称或别名“${curated}”也是 ${others.join('、')} 的名称` });
      }
      own(curated, h.id);
    }
  }
  return problems;
}

/** Checks a data directory read afresh (and the prebuilt image `prebuiltFile` against it), or a loaded base. */
export function checkKnowledgeBase(source: string | CatalogKnowledgeBase = defaultDataDir(), prebuiltFile = PREBUILT_FILE): CheckReport {
  let data: KnowledgeBaseData;
  const fresh = new PrebuiltRecorder();
  try {
    data = typeof source === 'string' ? readKnowledgeBaseData(source, { recorder: fresh }) : source.data;
  } catch (err) {
    if (!(err instanceof HazardNoticeError) || err.code !== 'E_DATA_INVALID') throw err;
    const { file, line, column, message } = err.details as Partial<DataProblem>;
    const dataDir = typeof source === 'string' ? source : source.data.dataDir;
    return { ok: false, dataDir, problems: [{ file: file ?? dataDir, line, column, message: message ?? err.message }] };
  }
  const kb = source instanceof CatalogKnowledgeBase ? source : new CatalogKnowledgeBase(data);
  const coverage = coverageProblems(data, kb);
  const severeRows = data.risk.rows.filter((r) => r.risk === '严重');
  const summary: CheckSummary = {
    industries: countBy(
      LEVELS,
      data.industries.all.map((i) => i.level),
    ),
    hazards: countBy(
      HAZARD_CATEGORIES,
      data.hazards.map((h) => h.category),
    ),
    diseaseCatalogues: data.catalogues.map((c) => ({
      id: c.id,
      docNumber: c.docNumber,
      validFrom: c.validFrom,
      ...(c.validUntil ? { validUntil: c.validUntil } : {}),
      diseases: c.diseases.length,
    })),
    riskRows: data.risk.rows.length,
    riskRatings: { 严重: severeRows.length, 一般: data.risk.rows.filter((r) => r.risk === '一般').length },
    coverage: {
      mappedCodes: countBy(
        LEVELS,
        [...data.industryHazards.entries.values()].map((e) => e.industry.level),
      ),
      severeIndustries: severeRows.length,
      severeCovered: severeRows.filter((r) => kb.industryHazards(r.code).length > 0).length,
      hazardsWithDiseases: data.hazardDiseases.entries.size,
      hazardsWithNames: data.hazards.filter((h) => h.shortName !== h.name || h.aliases.length > 0).length,
      hazardsReached: coverage.reached.size,
      classes: countBy(
        ['specific', 'none', 'generic', 'unmapped'] as const,
        data.industries.all.filter((i) => i.level === 'class').map((i) => kb.industryCoverage(i.code).kind),
      ),
    },
  };
  const problems = [
    ...integrityProblems(data),
    ...countProblems(data, summary),
    ...validityProblems(data),
    ...coverage.problems,
    ...aliasProblems(data),
  ];
  if (typeof source !== 'string') return { ok: problems.length === 0, dataDir: data.dataDir, problems, summary };
  const prebuilt = prebuiltState(fresh, data.mappingProblems.length === 0 ? compileKnowledgeBase(data) : undefined, prebuiltFile);
  for (const file of prebuilt.differs) {
    problems.push({ file: prebuiltFile, message: `预编译知识库中 ${file} 的内容与数据文件不一致，请运行 npm run build 重新生成` });
  }
  if (prebuilt.compiledDiffers) {
    problems.push({ file: prebuiltFile, message: '预编译知识库的整体索引与数据文件不一致，请运行 npm run build 重新生成' });
  }
  return { ok: problems.length === 0, dataDir: data.dataDir, problems, summary, prebuilt: prebuilt.state };
}

// The campaign's target groups, defined in data (data/campaign-groups.yaml): each with the plan's wording as its basis
// and a rule in a small language evaluated here with three values (in, out, cannot tell), so an employer whose
// industry or worker count is missing is never guessed into or out of a group.

import fs from 'node:fs';
import { lazySchema, type Schema } from '../yaml-file/lazy-schema';
import { parseLetterDate } from '../calendar/date';
import { HazardNoticeError } from '../errors';
import type { RiskRating } from '../catalog/types';
import { bundledPath } from '../package-root';
import { parseYaml, yamlFileError } from '../yaml-file/yaml-file';
import type { CampaignGroup } from './status-model';

export const DEFAULT_GROUPS_FILE = 'data/campaign-groups.yaml';

export type Rule =
  | { all: Rule[] }
  | { any: Rule[] }
  | { risk: '严重' | '一般' }
  | { anyIndustry: string[] }
  | { anyFlag: string[] }
  | { workersAtLeast: number };

/** A group and the rule placing employers in it (none: every employer). */
export interface GroupDefinition extends CampaignGroup {
  rule?: Rule;
}

export interface CampaignGroups {
  file: string;
  /** Flag name → the headers naming its column in an import. */
  flags: Record<string, string[]>;
  groups: GroupDefinition[];
}

const INDUSTRY_ENTRY = /^([A-T]|\d{2}-\d{2}|\d{2,4})$/;

const ruleSchema: Schema<Rule> = lazySchema((z) =>
  z.lazy(() =>
    z.union(
      [
        z.object({ all: z.array(ruleSchema()) }).strict(),
        z.object({ any: z.array(ruleSchema()).min(1) }).strict(),
        z.object({ risk: z.enum(['严重', '一般']) }).strict(),
        z
          .object({
            anyIndustry: z
              .array(z.string().regex(INDUSTRY_ENTRY, '应为门类字母（如 B）、两位大类代码（如 31）、大类范围（如 25-29）或中类、小类代码'))
              .min(1),
          })
          .strict(),
        z.object({ anyFlag: z.array(z.string().min(1)).min(1) }).strict(),
        z.object({ workersAtLeast: z.number().int().min(0) }).strict(),
      ],
      {
        errorMap: (issue, ctx) => ({
          message:
            issue.code === 'invalid_union'
              ? '条件应为 all、any、risk、anyIndustry、anyFlag、workersAtLeast 之一（每项只写一个键）'
              : ctx.defaultError,
        }),
      },
    ),
  ),
);

const schema = lazySchema((z) =>
  z
    .object({
      flags: z.record(z.string().min(1), z.array(z.string().min(1)).min(1)).default({}),
      groups: z
        .array(
          z
            .object({
              id: z.string().regex(/^[A-Za-z0-9_]+$/, '组编号只能用字母、数字和下划线'),
              name: z.string().min(1),
              basis: z.string().min(1),
              goal: z
                .object({ rate: z.number().min(0).max(1), by: z.string() })
                .strict()
                .optional(),
              rule: ruleSchema().optional(),
            })
            .strict(),
        )
        .min(1),
    })
    .strict(),
);

function flagsIn(rule: Rule | undefined): string[] {
  if (!rule) return [];
  if ('all' in rule) return rule.all.flatMap(flagsIn);
  if ('any' in rule) return rule.any.flatMap(flagsIn);
  return 'anyFlag' in rule ? rule.anyFlag : [];
}

export function loadCampaignGroups(file?: string): CampaignGroups {
  const groupsFile = file ?? bundledPath(DEFAULT_GROUPS_FILE);
  let text: string;
  try {
    text = fs.readFileSync(groupsFile, 'utf8');
  } catch (e) {
    throw new HazardNoticeError('E_GROUPS_READ', `无法读取目标组文件“${groupsFile}”：${(e as NodeJS.ErrnoException).code ?? String(e)}`, {
      file: groupsFile,
    });
  }
  const invalid = yamlFileError('E_GROUPS_INVALID', '目标组文件', groupsFile);
  const { value, placeOf } = parseYaml(text, schema, invalid);
  const seen = new Set<string>();
  value.groups.forEach((g, i) => {
    if (seen.has(g.id)) throw invalid({ ...placeOf(['groups', i, 'id']), key: `groups.${i}.id`, message: `组编号“${g.id}”重复` });
    seen.add(g.id);
    if (g.goal) {
      try {
        parseLetterDate(g.goal.by);
      } catch {
        throw invalid({
          ...placeOf(['groups', i, 'goal', 'by']),
          key: `groups.${i}.goal.by`,
          message: `日期“${g.goal.by}”应为 YYYY-MM-DD`,
        });
      }
    }
    const unknown = flagsIn(g.rule).find((f) => !Object.hasOwn(value.flags, f));
    if (unknown !== undefined) {
      const message = `标记“${unknown}”没有在 flags 中定义（已定义：${Object.keys(value.flags).join('、') || '无'}）`;
      throw invalid({ ...placeOf(['groups', i, 'rule']), key: `groups.${i}.rule`, message });
    }
  });
  return { file: groupsFile, flags: value.flags, groups: value.groups };
}

/** What the rules look at: an employer's industry (with its 2021 risk rating), worker count and flags. */
export interface EmployerFacts {
  /** Absent when the database gives none. */
  industry?: {
    /** e.g. C3011 (section letter, then digits; a bare letter for a 门类). */
    code: string;
    name: string;
    /** The rating of the 2021 list; absent when the code is too broad (门类, 大类) to have one. */
    risk?: RiskRating;
  };
  workers?: number;
  flags: ReadonlySet<string>;
}

/** In, out, or cannot tell (with why). */
export type Verdict = { in: boolean } | { in: 'unknown'; reasons: string[] };

function industryMatches(code: string, entry: string): boolean | 'unknown' {
  const section = code[0];
  const digits = code.slice(1);
  if (/^[A-Z]$/.test(entry)) return section === entry;
  if (digits.length < 2) return 'unknown';
  const range = /^(\d{2})-(\d{2})$/.exec(entry);
  if (range) return digits.slice(0, 2) >= range[1] && digits.slice(0, 2) <= range[2];
  if (digits.length < entry.length) return digits === entry.slice(0, digits.length) ? 'unknown' : false;
  return digits.startsWith(entry);
}

function leaf(value: boolean | 'unknown', reason: () => string): Verdict {
  return value === 'unknown' ? { in: 'unknown', reasons: [reason()] } : { in: value };
}

/** Kleene logic: `all` is out when any part is out, `any` is in when any part is in; else unknown parts make it unknown. */
export function evaluate(rule: Rule | undefined, facts: EmployerFacts): Verdict {
  if (!rule) return { in: true };
  if ('all' in rule || 'any' in rule) {
    const parts = ('all' in rule ? rule.all : rule.any).map((r) => evaluate(r, facts));
    const decisive = 'all' in rule ? false : true;
    if (parts.some((p) => p.in === decisive)) return { in: decisive };
    const unknown = parts.flatMap((p) => (p.in === 'unknown' ? p.reasons : []));
    return unknown.length > 0 ? { in: 'unknown', reasons: [...new Set(unknown)] } : { in: !decisive };
  }
  const industry = facts.industry;
  const shown = industry && `行业“${industry.code} ${industry.name}”`;
  if ('risk' in rule) {
    if (!industry) return leaf('unknown', () => '缺少行业');
    const risk = industry.risk;
    if (risk === undefined)
      return leaf('unknown', () => `${shown}只到${industry.code.length === 1 ? '门类' : '大类'}，无法确定2021年风险分类`);
    if (risk.startsWith('严重或一般')) return leaf('unknown', () => `${shown}的2021年风险分类为“${risk}”，须按实际情形判定`);
    return { in: risk === rule.risk };
  }
  if ('anyIndustry' in rule) {
    if (!industry) return leaf('unknown', () => '缺少行业');
    const hits = rule.anyIndustry.map((e) => industryMatches(industry.code, e));
    if (hits.includes(true)) return { in: true };
    return leaf(hits.includes('unknown') ? 'unknown' : false, () => `${shown}只到门类，无法确定是否属于 ${rule.anyIndustry.join('、')}`);
  }
  if ('anyFlag' in rule) return { in: rule.anyFlag.some((f) => facts.flags.has(f)) };
  if (facts.workers === undefined) return leaf('unknown', () => '缺少劳动者人数');
  return { in: facts.workers >= rule.workersAtLeast };
}

// Local overrides of the industry → hazard lists: a YAML file a region's professionals write (referenced from the
// region config), checked against the loaded knowledge base, applied on top of it (never inside the loader).

import fs from 'node:fs';
import { lazySchema } from '../yaml-file/lazy-schema';
import { HazardNoticeError } from '../errors';
import { type ValuePath, parseYaml, yamlFileError } from '../yaml-file/yaml-file';
import { industryCode } from './industries';
import { printedAs } from './industry-hazards';
import type { Hazard, Industry, IndustryHazard, KnowledgeBase } from './types';

const names = lazySchema((z) => z.array(z.string().min(1)).min(1));

const schema = lazySchema((z) =>
  z.record(
    z.string(),
    z
      .object({
        /** 依据: why the region departs from the bundled list. */
        reason: z.string().trim().min(1),
        add: names().optional(),
        remove: names().optional(),
        order: names().optional(),
        replace: names().optional(),
      })
      .strict(),
  ),
);

/** One factor an override names, as it prints (an alias such as 全身振动 keeps its meaning). */
interface NamedHazard {
  hazard: Hazard;
  alias?: string;
  without?: string[];
}

export interface IndustryOverride {
  code: string; // with the section letter, as written in the file
  industry: Industry;
  reason: string;
  add: NamedHazard[];
  remove: Hazard[];
  order: Hazard[];
  replace?: NamedHazard[];
}

export interface IndustryOverrides {
  file: string;
  /** Keyed by the industry table's code (no section letter for numeric levels). */
  entries: Map<string, IndustryOverride>;
}

export interface AppliedOverride {
  code: string;
  reason: string;
}

const TITLE = '本地调整文件';
const LIST_NAMES = { add: '增加', remove: '删除', order: '排序', replace: '替换' } as const;

/** Applies one override to a list: replace, or remove, then add (first, in the given order), then order. */
function applyOne(list: IndustryHazard[], o: IndustryOverride): IndustryHazard[] {
  const local = (h: NamedHazard): IndustryHazard => ({
    hazard: h.hazard,
    fromCode: o.code,
    basis: o.reason,
    local: true,
    ...(h.alias ? { alias: h.alias } : {}),
    ...(h.without ? { without: h.without } : {}),
  });
  if (o.replace) return o.replace.map((h) => list.find((ih) => ih.hazard.id === h.hazard.id && ih.alias === h.alias) ?? local(h));
  const removed = new Set(o.remove.map((h) => h.id));
  const kept = list.filter((ih) => !removed.has(ih.hazard.id));
  const added = o.add.filter((h) => !kept.some((ih) => ih.hazard.id === h.hazard.id)).map(local);
  const out = [...added, ...kept];
  const first = o.order.flatMap((h) => out.filter((ih) => ih.hazard.id === h.id));
  return [...first, ...out.filter((ih) => !first.includes(ih))];
}

/** The overrides on an industry's path, 大类 before 中类 before 小类. */
function overridesOn(kb: KnowledgeBase, overrides: IndustryOverrides | undefined, code: string): IndustryOverride[] {
  if (!overrides) return [];
  return kb.industryPath(code).flatMap((i) => overrides.entries.get(i.code) ?? []);
}

/** An industry's hazards with the local overrides on its path applied, and which were applied. */
export function overriddenHazards(
  kb: KnowledgeBase,
  overrides: IndustryOverrides | undefined,
  code: string,
): { hazards: IndustryHazard[]; applied: AppliedOverride[] } {
  const on = overridesOn(kb, overrides, code);
  return {
    hazards: on.reduce(applyOne, kb.industryHazards(code)),
    applied: on.map((o) => ({ code: o.code, reason: o.reason })),
  };
}

/**
 * Reads and checks an override file against the knowledge base. Every code, hazard name, removal and reordering
 * must make sense for the code's own list (after the overrides of its ancestors); the first problem is thrown
 * with the file, line and column.
 */
export function loadIndustryOverrides(file: string, kb: KnowledgeBase): IndustryOverrides {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    throw new HazardNoticeError('E_OVERRIDE_READ', `无法读取${TITLE}“${file}”（区域配置 industryOverrides 指定）`, { file });
  }
  const { value, placeOf } = parseYaml(text, schema, yamlFileError('E_OVERRIDE_INVALID', TITLE, file));
  const fail = (code: string, at: ValuePath, message: string) =>
    yamlFileError(code, TITLE, file)({ ...placeOf(at, at.length === 1), message });
  const entries = new Map<string, IndustryOverride>();
  const overrides: IndustryOverrides = { file, entries };
  // Ancestors first, so each entry is checked against the list it will actually change.
  const keys = Object.keys(value).sort((a, b) => a.length - b.length || a.localeCompare(b));
  for (const key of keys) {
    const entry = value[key];
    if (!/^[A-T]\d{2,4}$/.test(key)) {
      throw fail('E_OVERRIDE_INDUSTRY', [key], `“${key}”不是带门类字母的大类、中类或小类代码（如 C3843、C384、C38）`);
    }
    const industry = kb.industry(key);
    if (!industry || industryCode(industry) !== key) {
      const found = kb.findIndustry(key.slice(1));
      const hint = found.ok ? `；代码 ${key.slice(1)} 是“${industryCode(found.industry)} ${found.industry.name}”` : '';
      throw fail('E_OVERRIDE_INDUSTRY', [key], `行业代码“${key}”不在国民经济行业分类（GB/T 4754-2017）中${hint}`);
    }
    if (entries.has(industry.code)) throw fail('E_OVERRIDE_INDUSTRY', [key], `行业代码“${key}”重复`);
    const lists = (['add', 'remove', 'order', 'replace'] as const).filter((k) => entry[k]);
    if (lists.length === 0) throw fail('E_OVERRIDE_INVALID', [key], `${key} 没有调整内容：请写 add、remove、order 或 replace`);
    if (entry.replace && lists.length > 1) {
      const others = lists.filter((k) => k !== 'replace');
      throw fail('E_OVERRIDE_CONFLICT', [key, others[0]], `${key} 已用 replace 给出完整清单，不能再写 ${others.join('、')}`);
    }
    const named = (list: 'add' | 'remove' | 'order' | 'replace'): NamedHazard[] => {
      const seen = new Set<string>();
      return (entry[list] ?? []).map((name, i) => {
        const found = kb.findHazard(name);
        if (!found.ok) {
          const hint = found.suggestions.length > 0 ? `；可能是：${found.suggestions.map((h) => h.shortName).join('、')}` : '';
          const what = found.reason === 'ambiguous' ? '对应多个危害因素，请写全称' : '不是《职业病危害因素分类目录》中的危害因素';
          throw fail('E_OVERRIDE_HAZARD', [key, list, i], `${key}.${list}（${LIST_NAMES[list]}）中“${name}”${what}${hint}`);
        }
        if (seen.has(found.hazard.id)) throw fail('E_OVERRIDE_CONFLICT', [key, list, i], `${key}.${list} 中“${name}”重复`);
        seen.add(found.hazard.id);
        return { hazard: found.hazard, ...printedAs(found.hazard, found.alias) };
      });
    };
    const override: IndustryOverride = {
      code: key,
      industry,
      reason: entry.reason,
      add: named('add'),
      remove: named('remove').map((h) => h.hazard),
      order: named('order').map((h) => h.hazard),
      ...(entry.replace ? { replace: named('replace') } : {}),
    };
    const before = overriddenHazards(kb, overrides, key).hazards;
    const has = (list: IndustryHazard[], h: Hazard) => list.some((ih) => ih.hazard.id === h.id);
    const listText = before.length > 0 ? `（现有：${before.map((ih) => ih.alias ?? ih.hazard.shortName).join('、')}）` : '（现有清单为空）';
    override.add.forEach((h, i) => {
      if (has(before, h.hazard)) {
        throw fail(
          'E_OVERRIDE_ADD',
          [key, 'add', i],
          `${key} 的清单已有“${h.hazard.shortName}”，不能再增加；调整顺序请用 order${listText}`,
        );
      }
    });
    override.remove.forEach((h, i) => {
      if (!has(before, h)) throw fail('E_OVERRIDE_REMOVE', [key, 'remove', i], `${key} 的清单中没有“${h.shortName}”，无法删除${listText}`);
    });
    const after = applyOne(before, override);
    override.order.forEach((h, i) => {
      if (!has(after, h))
        throw fail('E_OVERRIDE_ORDER', [key, 'order', i], `${key} 调整后的清单中没有“${h.shortName}”，无法排序${listText}`);
    });
    if (after.length === 0) throw fail('E_OVERRIDE_EMPTY', [key], `${key} 调整后危害因素清单为空，告知单无从列出；请至少保留或增加一项`);
    entries.set(industry.code, override);
  }
  return overrides;
}

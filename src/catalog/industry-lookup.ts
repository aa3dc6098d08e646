// findIndustry: a code and/or name as users type them → one industry, or suggestions.

import type { Industry, IndustryLookup } from './types';
import { type IndustryTable, levelDepth } from './industries';
import { matchKey, similarity } from './text-match';

const MAX_SUGGESTIONS = 5;

interface ParsedInput {
  letter?: string;
  digits?: string;
  name: string; // match key, '' when only a code was typed
}

/** Splits 'C3011 水泥制造', '3011水泥制造', 'c30', 'C', '水泥制造' (already NFKC-normalised by matchKey). */
function parseInput(input: string): ParsedInput {
  const key = matchKey(input);
  const m = /^(?:([a-z])(?![a-z]))?(\d+)?(.*)$/.exec(key) as RegExpExecArray;
  return { letter: m[1]?.toUpperCase(), digits: m[2], name: m[3] };
}

function byLevelThenCode(a: Industry, b: Industry): number {
  return levelDepth(a.level) - levelDepth(b.level) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && n < b.length && a[n] === b[n]) n++;
  return n;
}

function codeSuggestions(table: IndustryTable, parsed: ParsedInput): Industry[] {
  const digits = parsed.digits ?? '';
  const scored = table.all
    .filter((i) => i.level !== 'section')
    .map((i) => ({ i, prefix: commonPrefix(digits, i.code), sameSection: i.section === parsed.letter ? 0 : 1 }))
    .filter((s) => s.prefix > 0);
  scored.sort((a, b) => b.prefix - a.prefix || a.sameSection - b.sameSection || byLevelThenCode(a.i, b.i));
  return scored.map((s) => s.i);
}

/** Several industries with one name: the deepest of each parent chain (one chain → one industry). */
function deepestPerChain(table: IndustryTable, matches: Industry[]): Industry[] {
  return matches.filter((m) => !matches.some((other) => other !== m && table.isAncestorOrSelf(m, other))).sort(byLevelThenCode);
}

function nameMatches(table: IndustryTable, name: string): Industry[] {
  return table.all.filter((i) => table.nameKey(i) === name);
}

// Near-ties go to the broader industry (家具 → 家具制造业 before 家具零售).
const BROADER_BONUS = 0.05;

function nameSuggestions(table: IndustryTable, name: string): Industry[] {
  const scored = table.all
    .map((i) => ({ i, similarity: similarity(name, table.nameKey(i)) }))
    .filter((s) => s.similarity > 0)
    .map((s) => ({ i: s.i, score: s.similarity + BROADER_BONUS * (3 - levelDepth(s.i.level)) }));
  scored.sort((a, b) => b.score - a.score || byLevelThenCode(a.i, b.i));
  // One entry per name: a 中类 and its only 小类 of the same name are one suggestion (the deeper one).
  const seen = new Map<string, Industry>();
  for (const { i } of scored) {
    const previous = seen.get(i.name);
    if (!previous) seen.set(i.name, i);
    else if (table.isAncestorOrSelf(previous, i)) seen.set(i.name, i);
  }
  return [...seen.values()];
}

function unique(items: Industry[]): Industry[] {
  return [...new Set(items)].slice(0, MAX_SUGGESTIONS);
}

export function findIndustry(table: IndustryTable, input: string): IndustryLookup {
  const parsed = parseInput(input);
  const unknown = (suggestions: Industry[]): IndustryLookup => ({
    ok: false,
    reason: 'unknown',
    input,
    suggestions: unique(suggestions),
  });
  const found = (industry: Industry): IndustryLookup => ({ ok: true, industry, path: table.path(industry) });

  if (parsed.letter || parsed.digits) {
    const industry = parsed.digits ? table.byExactCode(parsed.digits) : table.byExactCode(parsed.letter as string);
    // Suggestions by name only when the input is not found (scoring every name takes milliseconds).
    const byName = () =>
      parsed.name ? [...deepestPerChain(table, nameMatches(table, parsed.name)), ...nameSuggestions(table, parsed.name)] : [];
    if (!industry) return unknown([...codeSuggestions(table, parsed), ...byName()]);
    if (parsed.letter && parsed.letter !== industry.section) {
      return unknown([industry, ...codeSuggestions(table, parsed).filter((i) => i.section === industry.section)]);
    }
    if (parsed.name && table.nameKey(industry) !== parsed.name) return unknown([industry, ...byName()]);
    return found(industry);
  }

  if (!parsed.name) return unknown([]);
  const matches = nameMatches(table, parsed.name);
  if (matches.length === 0) return unknown(nameSuggestions(table, parsed.name));
  const chains = deepestPerChain(table, matches);
  if (chains.length === 1) return found(chains[0]);
  return { ok: false, reason: 'ambiguous', input, suggestions: unique(chains) };
}

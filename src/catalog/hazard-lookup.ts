// findHazard: a catalogue name, short name, alias or CAS number → one factor, or suggestions.

import type { Hazard, HazardLookup } from './types';
import { casNumbers } from './hazards';
import { matchKey, similarity } from './text-match';

const MAX_SUGGESTIONS = 5;
const CAS_LIKE = /^\d{2,7}-\d{2}-\d{1,2}$/;

function namesOf(hazard: Hazard): string[] {
  return [hazard.name, hazard.shortName, ...hazard.aliases];
}

export class HazardIndex {
  private readonly byKey = new Map<string, Hazard[]>();

  constructor(private readonly hazards: Hazard[]) {
    for (const hazard of hazards) {
      const keys = new Set([...namesOf(hazard).map(matchKey), ...(hazard.cas ? [matchKey(hazard.cas)] : []), ...casNumbers(hazard.cas)]);
      for (const key of keys) this.byKey.set(key, [...(this.byKey.get(key) ?? []), hazard]);
    }
  }

  find(input: string): HazardLookup {
    const key = matchKey(input);
    const matches = this.byKey.get(key) ?? [];
    if (matches.length === 1) {
      const alias = Object.keys(matches[0].aliasesWithout ?? {}).find((a) => matchKey(a) === key);
      return alias ? { ok: true, hazard: matches[0], alias } : { ok: true, hazard: matches[0] };
    }
    if (matches.length > 1) return { ok: false, reason: 'ambiguous', input, suggestions: matches.slice(0, MAX_SUGGESTIONS) };
    return { ok: false, reason: 'unknown', input, suggestions: this.suggest(key) };
  }

  private suggest(key: string): Hazard[] {
    if (CAS_LIKE.test(key)) {
      const registry = key.split('-')[0];
      return this.hazards.filter((h) => casNumbers(h.cas).some((c) => c.startsWith(`${registry}-`))).slice(0, MAX_SUGGESTIONS);
    }
    const scored = this.hazards
      .map((hazard) => ({ hazard, score: Math.max(...namesOf(hazard).map((n) => similarity(key, matchKey(n)))) }))
      .filter((s) => s.score > 0);
    scored.sort((a, b) => b.score - a.score);
    return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.hazard);
  }
}

// How user-typed names are compared with catalogue names: normalised keys and a similarity score for suggestions.

/** NFKC (full-width digits/letters/brackets/spaces → ASCII), Latin lower-cased, all whitespace removed. */
export function matchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

function bigrams(key: string): Set<string> {
  const out = new Set<string>();
  const chars = [...key];
  for (let i = 0; i + 1 < chars.length; i++) out.add(chars[i] + chars[i + 1]);
  return out;
}

/**
 * Similarity of two match keys, 0 when they share no character. Sums a substring bonus (either contains
 * the other), the share of the query's characters found in the candidate, and the bigram Dice coefficient.
 */
export function similarity(queryKey: string, candidateKey: string): number {
  if (!queryKey || !candidateKey) return 0;
  const queryChars = [...new Set(queryKey)];
  const candidateChars = new Set(candidateKey);
  const shared = queryChars.filter((c) => candidateChars.has(c)).length;
  if (shared === 0) return 0;
  const substring = candidateKey.includes(queryKey) || queryKey.includes(candidateKey) ? 1 : 0;
  const a = bigrams(queryKey);
  const b = bigrams(candidateKey);
  const common = [...a].filter((g) => b.has(g)).length;
  const dice = a.size + b.size > 0 ? (2 * common) / (a.size + b.size) : 0;
  return substring + shared / queryChars.length + dice;
}

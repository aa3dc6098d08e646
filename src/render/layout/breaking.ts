// Chinese line breaking (clreq 禁则 with push-back), measured in points. Pure and deterministic.

/** One drawable character with its measured width (advance + tracking, in pt). */
export interface MeasuredChar {
  readonly char: string;
  readonly width: number;
  readonly underline: boolean;
}

/** The unit of breaking: a CJK character, an unbreakable Latin/digit run, a URL (or part), a ——/…… pair, or a space. */
export interface Atom<C extends MeasuredChar = MeasuredChar> {
  readonly chars: readonly C[];
  readonly width: number;
  readonly latin: boolean;
  /** The whole URL this atom is (a part of): it breaks only after URL_BREAK_AFTER characters. */
  readonly link?: string;
  /** ASCII space: a break opportunity, dropped at line starts and ends. */
  readonly space: boolean;
  readonly noStart: boolean;
  readonly noEnd: boolean;
}

const NO_LINE_START = new Set([...'，。、；：？！．,.;:?!）」』】〕〗》〉”’)]}>%％‰℃・·…—～｝］']);
const NO_LINE_END = new Set([...'（「『【〔〖《〈“‘([{<［｛']);
const LATIN = /^[A-Za-z0-9@#&_\-+./:%'"?=~]$/;
const PAIRED = new Set(['—', '…']);
/** Characters after which a URL (or a Latin run wider than a line) may be broken: never inside a run of letters or digits. */
const URL_BREAK_AFTER = new Set([...'/.?&=-_:']);
const EPSILON = 1e-6;

function atomOf<C extends MeasuredChar>(chars: C[], latin: boolean, link?: string): Atom<C> {
  return {
    chars,
    width: chars.reduce((w, c) => w + c.width, 0),
    latin,
    link,
    space: chars.length === 1 && chars[0].char === ' ',
    noStart: NO_LINE_START.has(chars[0].char),
    noEnd: NO_LINE_END.has(chars[chars.length - 1].char),
  };
}

/** A URL's place in a paragraph's characters (indices into the array of characters, end exclusive). */
export interface CharSpan {
  readonly start: number;
  readonly end: number;
  readonly url: string;
}

/** Atoms of a paragraph's characters; each URL of `urls` (in order, not overlapping) is one atom. */
export function toAtoms<C extends MeasuredChar>(chars: readonly C[], urls: readonly CharSpan[] = []): Atom<C>[] {
  const atoms: Atom<C>[] = [];
  let i = 0;
  let u = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (u < urls.length && urls[u].start === i) {
      atoms.push(atomOf(chars.slice(i, urls[u].end), true, urls[u].url));
      i = urls[u++].end;
    } else if (LATIN.test(c.char)) {
      let j = i + 1;
      while (j < chars.length && LATIN.test(chars[j].char) && !(u < urls.length && urls[u].start === j)) j++;
      atoms.push(atomOf(chars.slice(i, j), true));
      i = j;
    } else if (PAIRED.has(c.char) && chars[i + 1]?.char === c.char) {
      atoms.push(atomOf([c, chars[i + 1]], false));
      i += 2;
    } else {
      atoms.push(atomOf([c], false));
      i += 1;
    }
  }
  return atoms;
}

export function atomText(atom: Atom): string {
  return atom.chars.map((c) => c.char).join('');
}

/**
 * Splits a URL or an over-long Latin run so its head fits `room`: after the last URL_BREAK_AFTER character that
 * fits. When none fits, undefined (the run moves to the next line), unless `lineStart`: the run's first segment is
 * then wider than a whole line, and it is cut after the last character that fits (the only way to print it unclipped).
 */
function splitRun<C extends MeasuredChar>(atom: Atom<C>, room: number, lineStart: boolean): [Atom<C>, Atom<C>] | undefined {
  let width = 0;
  let lastBreak = 0;
  let lastFit = 0;
  for (let p = 1; p < atom.chars.length; p++) {
    width += atom.chars[p - 1].width;
    if (width > room + EPSILON) break;
    lastFit = p;
    if (URL_BREAK_AFTER.has(atom.chars[p - 1].char)) lastBreak = p;
  }
  const at = lastBreak > 0 ? lastBreak : lineStart ? lastFit : 0;
  if (at === 0) return undefined;
  return [atomOf(atom.chars.slice(0, at), true, atom.link), atomOf(atom.chars.slice(at), true, atom.link)];
}

export interface LineMeasure {
  /** Width available on the first line (after the first-line indent). */
  first: number;
  /** Width available on the other lines. */
  rest: number;
}

export interface BrokenLine<C extends MeasuredChar = MeasuredChar> {
  /** Atoms of the line, without leading/trailing spaces. */
  readonly atoms: Atom<C>[];
  readonly width: number;
  readonly measure: number;
  /** The line ends inside a URL (its last atom is a URL's head). */
  readonly brokenUrl: boolean;
}

function trimSpaces<C extends MeasuredChar>(atoms: Atom<C>[]): Atom<C>[] {
  let a = 0;
  let b = atoms.length;
  while (a < b && atoms[a].space) a++;
  while (b > a && atoms[b - 1].space) b--;
  return atoms.slice(a, b);
}

/**
 * Greedy fill with push-back: no line starts with a NO_LINE_START atom or ends with a NO_LINE_END atom.
 * A URL that overflows is split after its last break character that fits, or moves to the next line whole;
 * a Latin run is split so only when wider than a whole line; other runs move down whole. A segment with no
 * break character that is wider than a whole line is cut where the line ends (splitRun).
 */
export function breakLines<C extends MeasuredChar>(input: readonly Atom<C>[], measure: LineMeasure): BrokenLine<C>[] {
  const atoms = input.slice();
  const lines: BrokenLine<C>[] = [];
  let i = 0;
  while (i < atoms.length) {
    while (i < atoms.length && atoms[i].space) i++;
    if (i === atoms.length) break;
    const room = lines.length === 0 ? measure.first : measure.rest;
    let width = 0;
    let j = i;
    while (j < atoms.length && width + atoms[j].width <= room + EPSILON) width += atoms[j++].width;
    let end = j;
    let brokenUrl = false;
    if (j < atoms.length && !atoms[j].space) {
      const over = atoms[j];
      const splittable = over.link !== undefined || (over.latin && over.width > measure.rest + EPSILON);
      const parts = splittable ? splitRun(over, room - width, j === i) : undefined;
      if (parts) {
        atoms.splice(j, 1, ...parts);
        end = j + 1;
        brokenUrl = over.link !== undefined;
      } else {
        let k = j;
        while (k > i && (atoms[k].noStart || atoms[k - 1].noEnd)) k--;
        end = k > i ? k : Math.max(j, i + 1);
      }
    }
    const line = trimSpaces(atoms.slice(i, end));
    lines.push({ atoms: line, width: line.reduce((w, a) => w + a.width, 0), measure: room, brokenUrl });
    i = end;
  }
  return lines;
}

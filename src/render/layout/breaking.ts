// Chinese line breaking (clreq 禁则 with push-back), measured in points. Pure and deterministic.

/** One drawable character with its measured width (advance + tracking, in pt). */
export interface MeasuredChar {
  readonly char: string;
  readonly width: number;
  readonly underline: boolean;
}

/** The unit of breaking: a CJK character, an unbreakable Latin/digit run, a ——/…… pair, or a space. */
export interface Atom<C extends MeasuredChar = MeasuredChar> {
  readonly chars: readonly C[];
  readonly width: number;
  readonly latin: boolean;
  /** ASCII space: a break opportunity, dropped at line starts and ends. */
  readonly space: boolean;
  readonly noStart: boolean;
  readonly noEnd: boolean;
}

const NO_LINE_START = new Set([...'，。、；：？！．,.;:?!）」』】〕〗》〉”’)]}>%％‰℃・·…—～｝］']);
const NO_LINE_END = new Set([...'（「『【〔〖《〈“‘([{<［｛']);
const LATIN = /^[A-Za-z0-9@#&_\-+./:%'"?=~]$/;
const PAIRED = new Set(['—', '…']);
/** Characters after which an over-long Latin run (a URL) may be broken. */
const LATIN_BREAK_AFTER = new Set([...'/._-?&=']);
const EPSILON = 1e-6;

function atomOf<C extends MeasuredChar>(chars: C[], latin: boolean): Atom<C> {
  return {
    chars,
    width: chars.reduce((w, c) => w + c.width, 0),
    latin,
    space: chars.length === 1 && chars[0].char === ' ',
    noStart: NO_LINE_START.has(chars[0].char),
    noEnd: NO_LINE_END.has(chars[chars.length - 1].char),
  };
}

export function toAtoms<C extends MeasuredChar>(chars: readonly C[]): Atom<C>[] {
  const atoms: Atom<C>[] = [];
  let i = 0;
  while (i < chars.length) {
    const c = chars[i];
    if (LATIN.test(c.char)) {
      let j = i + 1;
      while (j < chars.length && LATIN.test(chars[j].char)) j++;
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
 * Splits a Latin run so the head fits `room`: after the last URL break character that fits, unless that
 * would leave more than two characters' width of the line empty (the line would then be justified with wide
 * gaps), in which case — or if there is no break character and `anywhere` — as many characters as fit.
 */
function splitLatin<C extends MeasuredChar>(atom: Atom<C>, room: number, anywhere: boolean): [Atom<C>, Atom<C>] | undefined {
  let width = 0;
  let lastBreak = 0;
  let breakWidth = 0;
  let lastFit = 0;
  let fitWidth = 0;
  let widest = 0;
  for (let p = 1; p < atom.chars.length; p++) {
    const w = atom.chars[p - 1].width;
    widest = Math.max(widest, w);
    if (width + w > room + EPSILON) break;
    width += w;
    lastFit = p;
    fitWidth = width;
    if (LATIN_BREAK_AFTER.has(atom.chars[p - 1].char)) {
      lastBreak = p;
      breakWidth = width;
    }
  }
  const breakLeavesGap = lastBreak > 0 && fitWidth - breakWidth > 2 * widest + EPSILON;
  const at = lastBreak > 0 && !breakLeavesGap ? lastBreak : lastBreak > 0 || anywhere ? lastFit : 0;
  if (at === 0) return undefined;
  return [atomOf(atom.chars.slice(0, at), true), atomOf(atom.chars.slice(at), true)];
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
 * A Latin run that overflows is split after URL break characters when it is a URL or wider than a
 * whole line (arbitrarily only if it has no break character); other runs move down whole.
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
    if (j < atoms.length && !atoms[j].space) {
      const over = atoms[j];
      const splittable = over.latin && (atomText(over).includes('://') || over.width > measure.rest + EPSILON);
      const parts = splittable ? splitLatin(over, room - width, j === i) : undefined;
      if (parts) {
        atoms.splice(j, 1, ...parts);
        end = j + 1;
      } else {
        let k = j;
        while (k > i && (atoms[k].noStart || atoms[k - 1].noEnd)) k--;
        end = k > i ? k : Math.max(j, i + 1);
      }
    }
    const line = trimSpaces(atoms.slice(i, end));
    lines.push({ atoms: line, width: line.reduce((w, a) => w + a.width, 0), measure: room });
    i = end;
  }
  return lines;
}

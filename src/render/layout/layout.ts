// Page layout of one letter on the GB/T 9704 grid: line breaks, justification, indents, underlines,
// signature block and seal placement. Pure and deterministic; shared by the PDF and DOCX writers.

import { HazardNoticeError } from '../../errors';
import type { LetterDocument, PageLayout, Paragraph, ParagraphRole, Table } from '../../letter/model';
import { breakLines, toAtoms, type BrokenLine, type CharSpan } from './breaking';
import type { FontRoleName, FontSet } from './fonts';
import { gridOf, PT_PER_MM, type Grid } from './grid';
import { urlSpans } from './links';
import { placeQrCodes, type InkBox, type LaidQrCode } from './qr-code';
import { ASCENT_EM, measureChars, roleMetrics, type FaceChar, type RoleMetrics } from './measure';
import { signatureBlock } from './signature';

const UNDERLINE_OFFSET_EM = 0.16;
const UNDERLINE_THICKNESS_EM = 0.06;
/** The seal's centre sits this many grid lines below the top of the 署名 line (署名 and date below centre). */
const SEAL_CENTRE_LINES = 0.3;
/** A table cell's text keeps this many grid characters from each side rule. */
export const CELL_PADDING_CHARS = 0.25;
/** Width of a table's ruled lines, pt (Word's ½ pt … ¾ pt border; this is ¾). */
export const RULE_WIDTH_PT = 0.75;
/**
 * A line that ends inside a URL is justified only while that adds at most this much (em) between its atoms;
 * otherwise it is set flush left: a URL breaks only after / . ? & = - _ :, and the line before is not spread wide.
 */
const MAX_URL_LINE_GAP_EM = 0.125;

export interface PlacedChar extends FaceChar {
  /** Left edge of the glyph, pt from the page's left edge. */
  readonly x: number;
}

/** All y values are pt from the top of the page. */
export interface Underline {
  readonly x1: number;
  readonly x2: number;
  readonly y: number;
  readonly thickness: number;
}

/** A URL, or the part of it on one line: where it lies on the page (pt from the page's left and top edges). */
export interface LaidLink {
  readonly url: string;
  readonly x1: number;
  readonly x2: number;
  readonly top: number;
  readonly bottom: number;
}

export interface LaidLine {
  readonly role: ParagraphRole;
  readonly text: string;
  readonly sizePt: number;
  readonly top: number;
  readonly baseline: number;
  readonly chars: readonly PlacedChar[];
  readonly underlines: readonly Underline[];
}

/** A ruled line of a table, pt (y from the top of the page). */
export interface Rule {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export interface LaidSeal {
  readonly png: Uint8Array;
  readonly centerX: number;
  readonly centerY: number;
  readonly diameter: number;
}

export interface LaidPage {
  readonly width: number;
  readonly height: number;
  /** Lines of the grid the page was set on: layout.linesPerPage, or more when the letter needed a tighter grid. */
  readonly linesPerPage: number;
  /** Grid lines taken, including empty lines and multi-line titles. */
  readonly gridLinesUsed: number;
  readonly lines: readonly LaidLine[];
  /** Per paragraph, the empty grid lines set before it (the 署名's grow to make room for a seal). */
  readonly spaceBeforeLines: readonly number[];
  /** Every URL of the text, one entry per line it is on, in reading order. */
  readonly links: readonly LaidLink[];
  readonly seal?: LaidSeal;
  /** QR codes beside the signature block (template.yaml qrCodes), left to right. */
  readonly qrCodes: readonly LaidQrCode[];
  /** The table's ruled lines and each row's height in grid lines (grown where a cell's text needed more). */
  readonly table?: { readonly rules: readonly Rule[]; readonly rowLines: readonly number[] };
}

/** The font role a paragraph is set in: the title's faces for the title and the annex label, else the body's. */
export function fontRoleOf(role: ParagraphRole): FontRoleName {
  return role === 'title' || role === 'annexLabel' ? 'title' : 'body';
}

/** The face, size and tracking of a role: the annex label (“附件1”) in the title's bold face at body size (GB/T 9704: 3号黑体). */
export function metricsOf(layout: PageLayout, role: ParagraphRole): RoleMetrics {
  if (role === 'annexLabel') return { role: 'title', sizePt: layout.fonts.body.sizePt, trackingPt: 0 };
  return roleMetrics(layout, fontRoleOf(role));
}

function paragraphText(p: Paragraph): string {
  return p.runs.map((r) => r.text).join('');
}

interface ParagraphPlacement {
  align: Paragraph['align'];
  rightIndentChars: number;
}

/** Alignment and right indent per paragraph; the signature block's per GB/T 9704 7.3.5 (right-aligned). */
function placements(doc: LetterDocument, fonts: FontSet): ParagraphPlacement[] {
  const out = doc.paragraphs.map((p) => ({ align: p.align, rightIndentChars: p.rightIndentChars }));
  const s = doc.paragraphs.findIndex((p) => p.role === 'signature');
  if (s >= 0 && doc.paragraphs[s + 1]?.role === 'date') {
    const block = signatureBlock(
      paragraphText(doc.paragraphs[s]),
      paragraphText(doc.paragraphs[s + 1]),
      fonts,
      doc.layout,
      doc.seal !== undefined,
      doc.paragraphs[s].rightIndentChars,
    );
    out[s] = { align: 'right', rightIndentChars: block.signatureRightIndentChars };
    out[s + 1] = { align: 'right', rightIndentChars: block.dateRightIndentChars };
  }
  return out;
}

/** A paragraph's URLs as places in its characters (code points), for toAtoms. */
function urlCharSpans(text: string): CharSpan[] {
  const spans = urlSpans(text);
  if (spans.length === 0 || !/[\uD800-\uDBFF]/.test(text)) return spans;
  const at = (offset: number) => [...text.slice(0, offset)].length;
  return spans.map((s) => ({ start: at(s.start), end: at(s.end), url: s.url }));
}

/** Places a line's characters; the x extents of its URL atoms go to `links` (as [url, x1, x2]). */
function placeLine(
  line: BrokenLine<FaceChar>,
  align: Paragraph['align'],
  isLast: boolean,
  startX: number,
  sizePt: number,
  links: [string, number, number][],
): PlacedChar[] {
  const slack = line.measure - line.width;
  const gaps = line.atoms.length - 1;
  let offset = 0;
  let gap = 0;
  if (align === 'justify' && !isLast && gaps > 0 && slack > 0) {
    gap = slack / gaps;
    if (line.brokenUrl && gap > MAX_URL_LINE_GAP_EM * sizePt) gap = 0;
  } else if (align === 'center') offset = slack / 2;
  else if (align === 'right') offset = slack;
  const chars: PlacedChar[] = [];
  let x = startX + offset;
  for (const atom of line.atoms) {
    const x1 = x;
    for (const c of atom.chars) {
      // An explicit literal: object spread here cost more than the rest of the layout.
      chars.push({ char: c.char, face: c.face, width: c.width, advance: c.advance, underline: c.underline, x });
      x += c.width;
    }
    if (atom.link !== undefined) links.push([atom.link, x1, x]);
    x += gap;
  }
  return chars;
}

function underlinesOf(chars: readonly PlacedChar[], baseline: number, sizePt: number): Underline[] {
  const out: Underline[] = [];
  let start = -1;
  for (let i = 0; i <= chars.length; i++) {
    const on = i < chars.length && chars[i].underline;
    if (on && start < 0) start = i;
    if (!on && start >= 0) {
      const last = chars[i - 1];
      out.push({
        x1: chars[start].x,
        x2: last.x + last.width,
        y: baseline + UNDERLINE_OFFSET_EM * sizePt,
        thickness: UNDERLINE_THICKNESS_EM * sizePt,
      });
      start = -1;
    }
  }
  return out;
}

/** The font set must be the one loaded for this layout's font files (a programming error otherwise). */
function assertFontsMatch(doc: LetterDocument, fonts: FontSet): void {
  for (const role of ['body', 'title'] as const) {
    const want = doc.layout.fonts[role].files.join(',');
    const have = fonts.roles[role].map((f) => f.file).join(',');
    if (want !== have) throw new Error(`layoutDocument: font set ${role} faces [${have}] differ from the layout's [${want}]`);
  }
}

/** A paragraph's line set across the measure: its characters placed (x), its URLs' x extents; no vertical position. */
interface SetLine {
  readonly text: string;
  readonly chars: readonly PlacedChar[];
  readonly links: readonly (readonly [string, number, number])[];
}

/**
 * Paragraphs already set, per font set, by everything their lines depend on: most of a letter's text is the same in
 * every letter of a batch (the template's fixed paragraphs, the date, a county's 署名, an industry's hazards). Bounded:
 * emptied when full, so a long batch of unique paragraphs keeps only the recent ones.
 */
const setParagraphs = new WeakMap<FontSet, Map<string, readonly SetLine[]>>();
const SET_PARAGRAPHS_KEPT = 512;

function setParagraph(
  p: Paragraph,
  fonts: FontSet,
  metrics: RoleMetrics,
  grid: Grid,
  firstIndent: number,
  rightIndent: number,
  align: Paragraph['align'],
): readonly SetLine[] {
  let kept = setParagraphs.get(fonts);
  if (!kept) setParagraphs.set(fonts, (kept = new Map()));
  let key = `${metrics.role}|${metrics.sizePt}|${metrics.trackingPt}|${grid.left}|${grid.measure}|${firstIndent}|${rightIndent}|${align}`;
  for (const r of p.runs) key += `|${r.underline === true ? 'u' : ''}${r.text.length}:${r.text}`;
  const found = kept.get(key);
  if (found) return found;
  const measured = p.runs.flatMap((r) => measureChars(r.text, r.underline === true, fonts, metrics));
  const atoms = toAtoms(measured, urlCharSpans(paragraphText(p)));
  const broken = breakLines(atoms, { first: grid.measure - firstIndent - rightIndent, rest: grid.measure - rightIndent });
  const set = broken.map((line, li): SetLine => {
    const links: [string, number, number][] = [];
    const startX = grid.left + (li === 0 ? firstIndent : 0);
    const chars = placeLine(line, align, li === broken.length - 1, startX, metrics.sizePt, links);
    return { text: chars.map((c) => c.char).join(''), chars, links };
  });
  if (kept.size >= SET_PARAGRAPHS_KEPT) kept.clear();
  kept.set(key, set);
  return set;
}

function overflowError(doc: LetterDocument, needed: number, grid: Grid): HazardNoticeError {
  return new HazardNoticeError(
    'E_LAYOUT_OVERFLOW',
    `“${doc.meta.title}”排版需要 ${needed} 行，超出一页版心最多可排的 ${grid.linesPerPage} 行（GB/T 9704，已收紧行距），请缩短内容（如单位名称、危害因素或职业病列表）`,
    { needed, available: grid.linesPerPage, title: doc.meta.title },
  );
}

/**
 * Lays out one letter on one page. A letter that needs more than layout.linesPerPage grid lines is set on a
 * tighter grid of just enough lines (GB/T 9704 5.2.3: the grid may be adjusted), up to layout.maxLinesPerPage;
 * beyond that, E_LAYOUT_OVERFLOW. Line breaks do not depend on the line pitch, only positions do.
 */
export function layoutDocument(doc: LetterDocument, fonts: FontSet): LaidPage {
  let page = layoutOnGrid(doc, fonts, doc.layout);
  // A tighter grid may need one more line still: the room made for a seal is more lines when they are closer.
  while (page.gridLinesUsed > page.linesPerPage + 1e-9) {
    const needed = Math.max(page.linesPerPage + 1, Math.ceil(page.gridLinesUsed - 1e-9));
    if (needed > doc.layout.maxLinesPerPage)
      throw overflowError(doc, page.gridLinesUsed, gridOf({ ...doc.layout, linesPerPage: doc.layout.maxLinesPerPage }));
    page = layoutOnGrid(doc, fonts, { ...doc.layout, linesPerPage: needed });
  }
  return page;
}

/**
 * Empty lines before the 署名 when a seal goes on it (GB/T 9704 7.3.5.1): enough that the seal, centred
 * SEAL_CENTRE_LINES below the 署名's top, does not reach the text above, and its top stays within one line of it.
 */
function sealRoomLines(doc: LetterDocument, grid: Grid): number {
  const radius = (doc.seal!.diameterMm * PT_PER_MM) / 2;
  return Math.max(0, Math.ceil(radius / grid.linePitch - SEAL_CENTRE_LINES - 1e-9));
}

function layoutOnGrid(doc: LetterDocument, fonts: FontSet, pageLayout: LetterDocument['layout']): LaidPage {
  const grid = gridOf(pageLayout);
  assertFontsMatch(doc, fonts);
  const placement = placements(doc, fonts);
  const lines: LaidLine[] = [];
  const links: LaidLink[] = [];
  let gridLine = 0;
  let signatureTop: number | undefined;
  const spaceBeforeLines = doc.paragraphs.map((p) =>
    p.role === 'signature' && doc.seal ? Math.max(p.spaceBeforeLines, sealRoomLines(doc, grid)) : p.spaceBeforeLines,
  );
  doc.paragraphs.forEach((p, pi) => {
    const metrics = metricsOf(doc.layout, p.role);
    const firstIndent = p.indentChars * grid.charPitch;
    const rightIndent = placement[pi].rightIndentChars * grid.charPitch;
    const set = setParagraph(p, fonts, metrics, grid, firstIndent, rightIndent, placement[pi].align);
    const span = p.role === 'title' ? doc.layout.titleLineSpan : 1;
    gridLine += spaceBeforeLines[pi];
    if (p.role === 'signature') signatureTop = grid.top + gridLine * grid.linePitch;
    for (const line of set) {
      const top = grid.top + gridLine * grid.linePitch;
      const height = span * grid.linePitch;
      const baseline = top + (height - metrics.sizePt) / 2 + ASCENT_EM * metrics.sizePt;
      const emTop = baseline - ASCENT_EM * metrics.sizePt;
      for (const [url, x1, x2] of line.links) links.push({ url, x1, x2, top: emTop, bottom: emTop + metrics.sizePt });
      lines.push({
        role: p.role,
        text: line.text,
        sizePt: metrics.sizePt,
        top,
        baseline,
        chars: line.chars,
        underlines: underlinesOf(line.chars, baseline, metrics.sizePt),
      });
      gridLine += span;
    }
  });
  const table = doc.table ? layoutTable(doc.table, doc.layout, fonts, grid, gridLine, lines) : undefined;
  if (table) gridLine += table.rowLines.reduce((a, b) => a + b, 0);
  const seal = placeSeal(doc, lines, signatureTop, grid);
  const page: LaidPage = {
    width: grid.pageWidth,
    height: grid.pageHeight,
    linesPerPage: grid.linesPerPage,
    gridLinesUsed: gridLine,
    lines,
    spaceBeforeLines,
    links,
    seal,
    // (a page that overflows this grid is set again on a tighter one: its codes are placed there)
    qrCodes:
      doc.qrCodes && gridLine <= grid.linesPerPage + 1e-9
        ? placeQrCodes(doc, fonts, grid, signatureBlockBaseline(lines), inkBoxes(lines, seal))
        : [],
  };
  return table ? { ...page, table } : page;
}

/**
 * A ruled form from grid line `startLine`: each cell's lines broken to the cell's width less its padding and centred
 * vertically in the row, which is as tall as asked or as its fullest cell needs. Adds the cells' lines to `lines`.
 */
function layoutTable(
  table: Table,
  layout: PageLayout,
  fonts: FontSet,
  grid: Grid,
  startLine: number,
  lines: LaidLine[],
): NonNullable<LaidPage['table']> {
  const metrics = metricsOf(layout, 'cell');
  const padding = CELL_PADDING_CHARS * grid.charPitch;
  const rules: Rule[] = [];
  const rowLines: number[] = [];
  let gridLine = startLine;
  const right = grid.left + table.rows[0].cells.reduce((w, c) => w + c.widthChars, 0) * grid.charPitch;
  for (const row of table.rows) {
    const rowTop = grid.top + gridLine * grid.linePitch;
    let x = grid.left;
    const cells = row.cells.map((cell) => {
      const left = x;
      x += cell.widthChars * grid.charPitch;
      const measure = x - left - 2 * padding;
      const broken = cell.lines.flatMap((runs) => {
        const measured = runs.flatMap((r) => measureChars(r.text, r.underline === true, fonts, metrics));
        return breakLines(toAtoms(measured), { first: measure, rest: measure });
      });
      return { cell, left, broken };
    });
    const height = Math.max(row.heightLines, ...cells.map((c) => c.broken.length));
    for (const { cell, left, broken } of cells) {
      const firstTop = rowTop + ((height - broken.length) / 2) * grid.linePitch;
      broken.forEach((line, li) => {
        const top = firstTop + li * grid.linePitch;
        const baseline = top + (grid.linePitch - metrics.sizePt) / 2 + ASCENT_EM * metrics.sizePt;
        const chars = placeLine(line, cell.align, true, left + padding, metrics.sizePt, []);
        const text = chars.map((c) => c.char).join('');
        const underlines = underlinesOf(chars, baseline, metrics.sizePt);
        lines.push({ role: 'cell', text, sizePt: metrics.sizePt, top, baseline, chars, underlines });
      });
    }
    const rowBottom = rowTop + height * grid.linePitch;
    rules.push({ x1: grid.left, y1: rowTop, x2: right, y2: rowTop });
    for (const c of cells) rules.push({ x1: c.left, y1: rowTop, x2: c.left, y2: rowBottom });
    rules.push({ x1: right, y1: rowTop, x2: right, y2: rowBottom });
    rowLines.push(height);
    gridLine += height;
  }
  const bottom = grid.top + gridLine * grid.linePitch;
  rules.push({ x1: grid.left, y1: bottom, x2: right, y2: bottom });
  return { rules, rowLines };
}

/** The baseline of the signature block's last line (the date, else the 署名). */
function signatureBlockBaseline(lines: readonly LaidLine[]): number | undefined {
  return (lines.find((l) => l.role === 'date') ?? lines.find((l) => l.role === 'signature'))?.baseline;
}

/** Where the page has ink: each line's characters (em boxes) and the seal. */
function inkBoxes(lines: readonly LaidLine[], seal: LaidSeal | undefined): InkBox[] {
  const boxes: InkBox[] = lines
    .filter((l) => l.chars.length > 0)
    .map((l) => {
      const last = l.chars[l.chars.length - 1];
      const top = l.baseline - ASCENT_EM * l.sizePt;
      return { x1: l.chars[0].x, x2: last.x + last.width, top, bottom: top + l.sizePt };
    });
  if (seal) {
    const r = seal.diameter / 2;
    boxes.push({ x1: seal.centerX - r, x2: seal.centerX + r, top: seal.centerY - r, bottom: seal.centerY + r });
  }
  return boxes;
}

/**
 * GB/T 9704 7.3.5.1: the seal centred horizontally on the date, pressing on the 署名 and date, both a little
 * below its centre; the room made before the 署名 (sealRoomLines) keeps its top within one line of the text above.
 */
function placeSeal(doc: LetterDocument, lines: readonly LaidLine[], signatureTop: number | undefined, grid: Grid): LaidSeal | undefined {
  if (!doc.seal) return undefined;
  const dateLine = lines.find((l) => l.role === 'date');
  const anchor = dateLine ?? lines.find((l) => l.role === 'signature');
  if (!anchor || anchor.chars.length === 0 || signatureTop === undefined) {
    throw new HazardNoticeError('E_SEAL_WITHOUT_SIGNATURE', `“${doc.meta.title}”有印章，但没有署名和成文日期可供盖章`, {
      title: doc.meta.title,
    });
  }
  const first = anchor.chars[0];
  const last = anchor.chars[anchor.chars.length - 1];
  return {
    png: doc.seal.png,
    centerX: (first.x + last.x + last.width) / 2,
    centerY: signatureTop + SEAL_CENTRE_LINES * grid.linePitch,
    diameter: doc.seal.diameterMm * PT_PER_MM,
  };
}

/** The text of each laid-out line, top to bottom (empty grid lines omitted). */
export function layoutLines(doc: LetterDocument, fonts: FontSet): string[] {
  return layoutDocument(doc, fonts).lines.map((l) => l.text);
}

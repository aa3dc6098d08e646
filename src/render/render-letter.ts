// One letter from its data to files: the document built from the template, laid out once, drawn by each
// writer asked for. Every entry point renders through here: the letter command, the batch's letter workers
// and print volumes, and pass 1's trial layout.

import { HazardNoticeError } from '../errors';
import type { LetterDocument, LetterSetOptions, RenderOptions } from '../letter/model';
import { buildLetterSet, type LetterTemplate } from '../letter/template';
import type { LetterData } from '../resolve/letter-data';
import { renderDocx } from './docx/render-docx';
import { glyphMissingError, missingCharacters, type FontRoleName, type FontSet } from './layout/fonts';
import { fontRoleOf, layoutDocument, type LaidPage } from './layout/layout';
import type { PdfPage } from './pdf/render-pdf';

export type OutputFormat = 'pdf' | 'docx';

/** A page's document and its page as laid out with the font set: what every writer draws. */
export interface LaidPart {
  document: LetterDocument;
  page: LaidPage;
}

/** The letter (document, page) and the pages asked for after it (annex, receipt), in order. */
export interface LaidLetter extends LaidPart {
  more: LaidPart[];
}

export interface RenderedLetter extends LaidLetter {
  /** The letter set's own PDF, and its pages as drawn, letter first (a print book reuses them). */
  pdf?: { bytes: Uint8Array; pages: PdfPage[] };
  docx?: Uint8Array;
}

export type { RenderOptions };

/** The PDF writer, loaded when a page is drawn for PDF (a DOCX-only run never loads it, nor the seal's PNG reader). */
export const pdfWriter = () => require('./pdf/render-pdf') as typeof import('./pdf/render-pdf');

/** A stage of rendering just ended (for the batch's per-stage timings). */
export type RenderStage = 'build' | 'pdf' | 'docx';

/**
 * The annex's page as laid out and drawn, by its text, per font set: the bundled annex is the same for every letter, so a
 * batch lays it out and draws it once (a county's annex that prints fields misses, and the map is kept small).
 */
const annexPages = new WeakMap<FontSet, Map<string, { page: LaidPage; drawn?: Omit<PdfPage, 'meta'> }>>();
const ANNEX_PAGES_KEPT = 8;

function annexPage(document: LetterDocument, fonts: FontSet): { page: LaidPage; drawn?: Omit<PdfPage, 'meta'> } {
  let pages = annexPages.get(fonts);
  if (!pages) annexPages.set(fonts, (pages = new Map()));
  const key = JSON.stringify([document.paragraphs, document.layout]);
  let cached = pages.get(key);
  if (!cached) {
    if (pages.size >= ANNEX_PAGES_KEPT) pages.clear();
    pages.set(key, (cached = { page: layoutDocument(document, fonts) }));
  }
  return cached;
}

/** Builds the letter set's documents from the template and lays each out on its page (HazardNoticeError when one cannot be). */
export function layOutLetter(template: LetterTemplate, data: LetterData, fonts: FontSet, options: LetterSetOptions = {}): LaidLetter {
  const [letter, ...more] = buildLetterSet(template, data, options);
  return {
    document: letter,
    page: layoutDocument(letter, fonts),
    more: more.map((document, i) => ({
      document,
      page: options.annex && i === 0 ? annexPage(document, fonts).page : layoutDocument(document, fonts),
    })),
  };
}

/** Draws a page of the set; the annex's drawing is kept with its layout (only the metadata is the letter's own). */
function drawSetPage(part: LaidPart, fonts: FontSet, isAnnex: boolean): PdfPage {
  const { drawPdfPage } = pdfWriter();
  if (!isAnnex) return drawPdfPage(part.document, fonts, part.page);
  const cached = annexPage(part.document, fonts);
  if (cached.page !== part.page) return drawPdfPage(part.document, fonts, part.page);
  if (!cached.drawn) {
    const { meta: _, ...drawn } = drawPdfPage(part.document, fonts, part.page);
    cached.drawn = drawn;
  }
  return { ...cached.drawn, meta: part.document.meta };
}

/** The set's pages drawn for PDF, letter first. */
export function drawSetPages(letter: LaidLetter, fonts: FontSet, options: LetterSetOptions): PdfPage[] {
  return [letter, ...letter.more].map((part, i) => drawSetPage(part, fonts, options.annex === true && i === 1));
}

/**
 * Renders one letter set (the letter, then the pages `options` asks for) in the formats asked for, laid out once for
 * all of them. Same inputs → same bytes.
 */
export async function renderLetter(
  template: LetterTemplate,
  data: LetterData,
  fonts: FontSet,
  formats: readonly OutputFormat[],
  options: RenderOptions = {},
  stageDone?: (stage: RenderStage) => void,
): Promise<RenderedLetter> {
  const letter: RenderedLetter = layOutLetter(template, data, fonts, options);
  stageDone?.('build');
  if (formats.includes('pdf')) {
    const pages = drawSetPages(letter, fonts, options);
    letter.pdf = { bytes: pdfWriter().assemblePdf(pages, fonts, { pdfa: options.pdfa }), pages };
    stageDone?.('pdf');
  }
  if (formats.includes('docx')) {
    letter.docx = await renderDocx(letter.document, { fonts, laid: letter.page, more: letter.more });
    stageDone?.('docx');
  }
  return letter;
}

/** Every character of the documents, per font role. */
export function documentText(docs: readonly LetterDocument[]): Record<FontRoleName, string> {
  let body = '';
  let title = '';
  for (const doc of docs) {
    for (const p of doc.paragraphs) {
      for (const r of p.runs) {
        if (fontRoleOf(p.role) === 'title') title += r.text;
        else body += r.text;
      }
    }
    for (const cell of doc.table?.rows.flatMap((row) => row.cells) ?? []) {
      for (const line of cell.lines) for (const r of line) body += r.text;
    }
    for (const qr of doc.qrCodes ?? []) body += qr.caption;
  }
  return { body, title };
}

export type TrialLayout = ({ ok: true } & LaidLetter) | { ok: false; errors: HazardNoticeError[] };

/**
 * A trial layout as the batch's pass 1 keeps it (it crosses threads): the characters the set prints per font role,
 * or why it cannot be made (a missing glyph names its character).
 */
export type TrialOutcome =
  { ok: true; text: Record<FontRoleName, string> } | { ok: false; errors: { code: string; message: string; char?: string }[] };

/**
 * A trial layout, no file written: whether the letter can be made (template, glyphs, one page), so the batch
 * refuses it before any number is issued. Every character no face has is reported, not only the first.
 */
export function trialLayout(template: LetterTemplate, data: LetterData, fonts: FontSet, options: LetterSetOptions = {}): TrialLayout {
  try {
    return { ok: true, ...layOutLetter(template, data, fonts, options) };
  } catch (e) {
    if (!(e instanceof HazardNoticeError)) throw e;
    if (e.code !== 'E_GLYPH_MISSING') return { ok: false, errors: [e] };
    // Layout measures every character before it can fail otherwise, so a letter lacking glyphs fails with the
    // first; the document is built again (rare) to name them all, title first, each once.
    const text = documentText(buildLetterSet(template, data, options));
    const errors = (['title', 'body'] as const).flatMap((role) =>
      missingCharacters(text[role], fonts, role).map((ch) => glyphMissingError(ch, fonts, role)),
    );
    return { ok: false, errors };
  }
}

/** trialLayout, kept as pass 1 keeps it. */
export function tryLetter(template: LetterTemplate, data: LetterData, fonts: FontSet, options: LetterSetOptions = {}): TrialOutcome {
  const trial = trialLayout(template, data, fonts, options);
  if (!trial.ok) {
    const errors = trial.errors.map((e) => ({
      code: e.code,
      message: e.message,
      ...(e.code === 'E_GLYPH_MISSING' && { char: String(e.details.char) }),
    }));
    return { ok: false, errors };
  }
  return { ok: true, text: documentText([trial.document, ...trial.more.map((m) => m.document)]) };
}

// One letter from its data to files: the document built from the template, laid out once, drawn by each
// writer asked for. Every entry point renders through here: the letter command, the batch's letter workers
// and print volumes, and pass 1's trial layout.

import { HazardNoticeError } from '../errors';
import type { LetterDocument, LetterSetOptions } from '../letter/model';
import { buildLetterSet, type LetterTemplate } from '../letter/template';
import type { LetterData } from '../resolve/letter-data';
import { renderDocx } from './docx/render-docx';
import { glyphMissingError, missingCharacters, type FontRoleName, type FontSet } from './layout/fonts';
import { layoutDocument, type LaidPage } from './layout/layout';
import { assemblePdf, drawPdfPage, type PdfPage } from './pdf/render-pdf';

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

/** A stage of rendering just ended (for the batch's per-stage timings). */
export type RenderStage = 'build' | 'pdf' | 'docx';

/** Builds the letter set's documents from the template and lays each out on its page (HazardNoticeError when one cannot be). */
export function layOutLetter(template: LetterTemplate, data: LetterData, fonts: FontSet, options: LetterSetOptions = {}): LaidLetter {
  const [document, ...more] = buildLetterSet(template, data, options).map((d) => ({ document: d, page: layoutDocument(d, fonts) }));
  return { ...document, more };
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
  options: LetterSetOptions = {},
  stageDone?: (stage: RenderStage) => void,
): Promise<RenderedLetter> {
  const letter: RenderedLetter = layOutLetter(template, data, fonts, options);
  stageDone?.('build');
  if (formats.includes('pdf')) {
    const pages = [letter, ...letter.more].map((part) => drawPdfPage(part.document, fonts, part.page));
    letter.pdf = { bytes: assemblePdf(pages, fonts), pages };
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
        if (p.role === 'title' || p.role === 'annexLabel') title += r.text;
        else body += r.text;
      }
    }
    for (const row of doc.table?.rows ?? []) for (const cell of row.cells) for (const line of cell.lines) for (const r of line) body += r.text;
  }
  return { body, title };
}

export type TrialLayout = ({ ok: true } & LaidLetter) | { ok: false; errors: HazardNoticeError[] };

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

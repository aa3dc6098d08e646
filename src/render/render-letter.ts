// One letter from its data to files: the document built from the template, laid out once, drawn by each
// writer asked for. Every entry point renders through here: the letter command, the batch's letter workers
// and print volumes, and pass 1's trial layout.

import { HazardNoticeError } from '../errors';
import type { LetterDocument } from '../letter/model';
import { buildLetterDocument, type LetterTemplate } from '../letter/template';
import type { LetterData } from '../resolve/letter-data';
import { renderDocx } from './docx/render-docx';
import { glyphMissingError, missingCharacters, type FontRoleName, type FontSet } from './layout/fonts';
import { layoutDocument, type LaidPage } from './layout/layout';
import { assemblePdf, drawPdfPage, type PdfPage } from './pdf/render-pdf';

export type OutputFormat = 'pdf' | 'docx';

/** A letter's document and its page as laid out with the font set: what every writer draws. */
export interface LaidLetter {
  document: LetterDocument;
  page: LaidPage;
}

export interface RenderedLetter extends LaidLetter {
  /** The letter's own PDF, and its page as drawn (a print book reuses it). */
  pdf?: { bytes: Uint8Array; page: PdfPage };
  docx?: Uint8Array;
}

/** A stage of rendering just ended (for the batch's per-stage timings). */
export type RenderStage = 'build' | 'pdf' | 'docx';

/** Builds the letter's document from the template and lays it out (HazardNoticeError when it cannot be). */
export function layOutLetter(template: LetterTemplate, data: LetterData, fonts: FontSet): LaidLetter {
  const document = buildLetterDocument(template, data);
  return { document, page: layoutDocument(document, fonts) };
}

/** Renders one letter in the formats asked for, laid out once for all of them. Same inputs → same bytes. */
export async function renderLetter(
  template: LetterTemplate,
  data: LetterData,
  fonts: FontSet,
  formats: readonly OutputFormat[],
  stageDone?: (stage: RenderStage) => void,
): Promise<RenderedLetter> {
  const letter: RenderedLetter = layOutLetter(template, data, fonts);
  stageDone?.('build');
  if (formats.includes('pdf')) {
    const page = drawPdfPage(letter.document, fonts, letter.page);
    letter.pdf = { bytes: assemblePdf([page], fonts), page };
    stageDone?.('pdf');
  }
  if (formats.includes('docx')) {
    letter.docx = await renderDocx(letter.document, { fonts, laid: letter.page });
    stageDone?.('docx');
  }
  return letter;
}

/** Every character of a document, per font role. */
export function documentText(doc: LetterDocument): Record<FontRoleName, string> {
  let body = '';
  let title = '';
  for (const p of doc.paragraphs) {
    for (const r of p.runs) {
      if (p.role === 'title') title += r.text;
      else body += r.text;
    }
  }
  for (const qr of doc.qrCodes ?? []) body += qr.caption;
  return { body, title };
}

export type TrialLayout = ({ ok: true } & LaidLetter) | { ok: false; errors: HazardNoticeError[] };

/**
 * A trial layout, no file written: whether the letter can be made (template, glyphs, one page), so the batch
 * refuses it before any number is issued. Every character no face has is reported, not only the first.
 */
export function trialLayout(template: LetterTemplate, data: LetterData, fonts: FontSet): TrialLayout {
  try {
    const { document, page } = layOutLetter(template, data, fonts);
    return { ok: true, document, page };
  } catch (e) {
    if (!(e instanceof HazardNoticeError)) throw e;
    if (e.code !== 'E_GLYPH_MISSING') return { ok: false, errors: [e] };
    // Layout measures every character before it can fail otherwise, so a letter lacking glyphs fails with the
    // first; the document is built again (rare) to name them all, title first, each once.
    const text = documentText(buildLetterDocument(template, data));
    const errors = (['title', 'body'] as const).flatMap((role) =>
      missingCharacters(text[role], fonts, role).map((ch) => glyphMissingError(ch, fonts, role)),
    );
    return { ok: false, errors };
  }
}

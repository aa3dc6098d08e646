// PDF writer: one page per letter, fonts embedded once per file as deterministic subsets.

import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import {
  PDFDocument,
  PDFOperator,
  PDFOperatorNames,
  beginText,
  endText,
  fill,
  rectangle,
  setFontAndSize,
  setTextMatrix,
  type PDFFont,
  type PDFImage,
  type PDFName,
  type PDFPage,
} from 'pdf-lib';
import type { DocumentMeta, LetterDocument } from '../../letter/model';
import type { FontFace, FontSet } from '../layout/fonts';
import { layoutDocument, type LaidLine, type LaidPage, type PlacedChar } from '../layout/layout';
import { fontkitFor } from './fontkit-adapter';

export const PDF_CREATOR = 'hazard-notice';

const round = (n: number, digits = 3): number => Number(n.toFixed(digits));

/** Six capital letters from the face and its glyph set: a stable PDF subset tag (ISO 32000 9.6.4). */
export function subsetTag(face: FontFace, chars: Iterable<string>): string {
  const digest = createHash('sha256')
    .update(`${face.postscriptName}\n${[...new Set(chars)].sort().join('')}`)
    .digest();
  return Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

function charsByFace(pages: readonly LaidPage[]): Map<FontFace, Set<string>> {
  const used = new Map<FontFace, Set<string>>();
  for (const page of pages) {
    for (const line of page.lines) {
      for (const c of line.chars) {
        let set = used.get(c.face);
        if (!set) used.set(c.face, (set = new Set()));
        set.add(c.char);
      }
    }
  }
  return used;
}

/** Metadata of the file: the letter's own, or for a print book a summary over its letters. */
export function bookMeta(docs: readonly LetterDocument[]): DocumentMeta {
  const first = docs[0].meta;
  if (docs.length === 1) return first;
  const authors = [...new Set(docs.map((d) => d.meta.author))];
  return {
    title: `${first.subject}（共${docs.length}份）`,
    author: authors.join('、'),
    subject: first.subject,
    keywords: first.keywords.filter((k) => docs.every((d) => d.meta.keywords.includes(k))),
    language: first.language,
    date: docs.map((d) => d.meta.date).reduce((a, b) => (b > a ? b : a)),
  };
}

function setMetadata(pdf: PDFDocument, meta: DocumentMeta): void {
  const date = new Date(`${meta.date}T00:00:00+08:00`);
  pdf.setTitle(meta.title, { showInWindowTitleBar: true });
  pdf.setAuthor(meta.author);
  pdf.setSubject(meta.subject);
  pdf.setKeywords(meta.keywords);
  pdf.setLanguage(meta.language);
  pdf.setCreator(PDF_CREATOR);
  pdf.setProducer(PDF_CREATOR);
  pdf.setCreationDate(date);
  pdf.setModificationDate(date);
}

/** Consecutive characters of a line drawn with the same face. */
function faceRuns(chars: readonly PlacedChar[]): PlacedChar[][] {
  const runs: PlacedChar[][] = [];
  for (const c of chars) {
    const last = runs[runs.length - 1];
    if (last && last[0].face === c.face) last.push(c);
    else runs.push([c]);
  }
  return runs;
}

/** One BT…ET per line; per face run a TJ whose adjustments put every glyph at its laid-out x. */
function lineOperators(line: LaidLine, pageHeight: number, fonts: Map<FontFace, PDFFont>, keyOf: (f: FontFace) => PDFName): PDFOperator[] {
  const ops: PDFOperator[] = [beginText()];
  const y = round(pageHeight - line.baseline);
  for (const run of faceRuns(line.chars)) {
    const font = fonts.get(run[0].face)!;
    const hex = font.encodeText(run.map((c) => c.char).join('')).asString();
    const items: (string | number)[] = [];
    run.forEach((c, i) => {
      items.push(hex.slice(i * 4, i * 4 + 4));
      const next = run[i + 1];
      if (next) {
        const adjust = round((-(next.x - (c.x + c.advance)) * 1000) / line.sizePt, 2);
        if (adjust !== 0) items.push(adjust);
      }
    });
    const tj = items.map((item) => (typeof item === 'number' ? String(item) : `<${item}>`)).join(' ');
    ops.push(setFontAndSize(keyOf(run[0].face), line.sizePt), setTextMatrix(1, 0, 0, 1, round(run[0].x), y));
    ops.push(PDFOperator.of(PDFOperatorNames.ShowTextAdjusted, [`[${tj}]`]));
  }
  ops.push(endText());
  for (const u of line.underlines) {
    ops.push(rectangle(round(u.x1), round(pageHeight - u.y - u.thickness / 2), round(u.x2 - u.x1), round(u.thickness)), fill());
  }
  return ops;
}

function drawPage(page: PDFPage, laid: LaidPage, fonts: Map<FontFace, PDFFont>, seal: PDFImage | undefined): void {
  const keys = new Map<FontFace, PDFName>();
  const keyOf = (face: FontFace): PDFName => {
    let key = keys.get(face);
    if (!key) {
      const font = fonts.get(face)!;
      keys.set(face, (key = page.node.newFontDictionary(font.name, font.ref)));
    }
    return key;
  };
  page.pushOperators(...laid.lines.flatMap((line) => lineOperators(line, laid.height, fonts, keyOf)));
  if (laid.seal && seal) {
    const d = laid.seal.diameter;
    page.drawImage(seal, { x: laid.seal.centerX - d / 2, y: laid.height - laid.seal.centerY - d / 2, width: d, height: d });
  }
}

/**
 * pdf-lib deflates font programs, ToUnicode maps and images with pako (pure JS), which took most of a
 * letter's time; this document's context uses Node's native zlib instead (same format, deterministic).
 * Level 1: CFF font programs barely compress (65.7 → 53.5 KB at level 1, 53.0 KB at 6) at half the cost.
 */
function useNativeDeflate(pdf: PDFDocument): void {
  const context = pdf.context;
  context.flateStream = (contents, dict = {}) =>
    context.stream(deflateSync(typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents, { level: 1 }), { ...dict, Filter: 'FlateDecode' });
}

/**
 * Renders letters as one PDF, one page each (a single letter, or a merged print book). Every face
 * is embedded once as a subset of the characters the whole file uses. Same input → same bytes.
 */
export async function renderPdf(docs: LetterDocument[], fonts: FontSet): Promise<Uint8Array> {
  if (docs.length === 0) throw new Error('renderPdf: no documents');
  const pages = docs.map((doc) => layoutDocument(doc, fonts));
  const pdf = await PDFDocument.create({ updateMetadata: false });
  useNativeDeflate(pdf);
  const used = charsByFace(pages);
  pdf.registerFontkit(fontkitFor(used.keys()));
  const embedded = new Map<FontFace, PDFFont>();
  for (const [face, chars] of used) {
    embedded.set(face, await pdf.embedFont(face.bytes, { subset: true, customName: `${subsetTag(face, chars)}+${face.postscriptName}` }));
  }
  const seals = new Map<Uint8Array, PDFImage>();
  for (const laid of pages) {
    let seal: PDFImage | undefined;
    if (laid.seal) {
      seal = seals.get(laid.seal.png);
      if (!seal) seals.set(laid.seal.png, (seal = await pdf.embedPng(laid.seal.png)));
    }
    drawPage(pdf.addPage([laid.width, laid.height]), laid, embedded, seal);
  }
  setMetadata(pdf, bookMeta(docs));
  return pdf.save();
}

// PDF writer: one page per letter, fonts embedded once per file as deterministic subsets.

import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { PDFDocument, PDFName, type PDFFont, type PDFImage, type PDFPage } from 'pdf-lib';
import { HazardNoticeError } from '../../errors';
import type { DocumentMeta, LetterDocument } from '../../letter/model';
import type { FontFace, FontSet } from '../layout/fonts';
import { layoutDocument, type LaidLine, type LaidPage, type PlacedChar } from '../layout/layout';
import { fontkitFor } from './fontkit-adapter';

const PDF_CREATOR = 'hazard-notice';

/** Six capital letters from the face and its glyph set: a stable PDF subset tag (ISO 32000 9.6.4). */
function subsetTag(face: FontFace, chars: Iterable<string>): string {
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
function bookMeta(docs: readonly LetterDocument[]): DocumentMeta {
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

/** Shortest decimal with at most 3 places (content streams stay compact and deterministic). */
const num = (n: number): string => String(Math.round(n * 1000) / 1000);

/** One BT…ET per line; per face run a TJ whose adjustments put every glyph at its laid-out x. */
function lineContent(line: LaidLine, pageHeight: number, fonts: Map<FontFace, PDFFont>, keyOf: (f: FontFace) => string): string {
  const y = num(pageHeight - line.baseline);
  let out = 'BT\n';
  for (const run of faceRuns(line.chars)) {
    const hex = fonts.get(run[0].face)!.encodeText(run.map((c) => c.char).join('')).asString();
    let tj = '';
    run.forEach((c, i) => {
      tj += `<${hex.slice(i * 4, i * 4 + 4)}>`;
      const next = run[i + 1];
      if (next) {
        const adjust = Math.round(((c.x + c.advance - next.x) * 100000) / line.sizePt) / 100;
        if (adjust !== 0) tj += String(adjust);
      }
    });
    out += `${keyOf(run[0].face)} ${num(line.sizePt)} Tf 1 0 0 1 ${num(run[0].x)} ${y} Tm [${tj}] TJ\n`;
  }
  out += 'ET\n';
  for (const u of line.underlines) {
    out += `${num(u.x1)} ${num(pageHeight - u.y - u.thickness / 2)} ${num(u.x2 - u.x1)} ${num(u.thickness)} re f\n`;
  }
  return out;
}

/** Writes the page's content stream directly (one native-deflated stream, no per-operator objects). */
function drawPage(pdf: PDFDocument, page: PDFPage, laid: LaidPage, fonts: Map<FontFace, PDFFont>, seal: PDFImage | undefined): void {
  const keys = new Map<FontFace, string>();
  const keyOf = (face: FontFace): string => {
    let key = keys.get(face);
    if (!key) {
      const font = fonts.get(face)!;
      keys.set(face, (key = page.node.newFontDictionary(font.name, font.ref).toString()));
    }
    return key;
  };
  let content = laid.lines.map((line) => lineContent(line, laid.height, fonts, keyOf)).join('');
  if (laid.seal && seal) {
    const d = laid.seal.diameter;
    const name = page.node.newXObject('Seal', seal.ref).toString();
    content += `q ${num(d)} 0 0 ${num(d)} ${num(laid.seal.centerX - d / 2)} ${num(laid.height - laid.seal.centerY - d / 2)} cm ${name} Do Q\n`;
  }
  page.node.set(PDFName.of('Contents'), pdf.context.register(pdf.context.flateStream(content)));
}

/**
 * pdf-lib deflates font programs, ToUnicode maps, images and content with pako (pure JS), which took
 * most of a letter's time. In this document's context: CFF font programs (Subtype CIDFontType0C) are
 * stored unfiltered — they barely compress (70.7 → 54.2 KB) at about the CPU cost of subsetting the
 * font itself — and every other stream is deflated with Node's native zlib (deterministic).
 */
function useFastStreams(pdf: PDFDocument): void {
  const context = pdf.context;
  context.flateStream = (contents, dict = {}) => {
    const bytes = typeof contents === 'string' ? Buffer.from(contents, 'latin1') : contents;
    if (dict.Subtype === 'CIDFontType0C') return context.stream(bytes, dict);
    return context.stream(deflateSync(bytes), { ...dict, Filter: 'FlateDecode' });
  };
}

async function embedSeal(pdf: PDFDocument, png: Uint8Array): Promise<PDFImage> {
  try {
    return await pdf.embedPng(png);
  } catch (err) {
    throw new HazardNoticeError('E_SEAL_INVALID', `印章图片不是有效的 PNG 文件：${(err as Error).message}`, { bytes: png.length });
  }
}

/**
 * Renders letters as one PDF, one page each (a single letter, or a merged print book). Every face
 * is embedded once as a subset of the characters the whole file uses. Same input → same bytes.
 * `laid`: the documents already laid out with `fonts` (callers that also write DOCX lay out once).
 */
export async function renderPdf(docs: LetterDocument[], fonts: FontSet, laid?: readonly LaidPage[]): Promise<Uint8Array> {
  if (docs.length === 0) throw new Error('renderPdf: no documents');
  if (laid && laid.length !== docs.length) throw new Error('renderPdf: one laid-out page per document expected');
  const pages = laid ?? docs.map((doc) => layoutDocument(doc, fonts));
  const pdf = await PDFDocument.create({ updateMetadata: false });
  useFastStreams(pdf);
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
      if (!seal) seals.set(laid.seal.png, (seal = await embedSeal(pdf, laid.seal.png)));
    }
    drawPage(pdf, pdf.addPage([laid.width, laid.height]), laid, embedded, seal);
  }
  setMetadata(pdf, bookMeta(docs));
  // Object streams are deflated by pako: worth it for a print book (−17 % bytes), not per letter (−1 ms).
  return pdf.save({ useObjectStreams: docs.length > 1 });
}

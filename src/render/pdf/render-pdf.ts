// PDF writer: one page per letter; each face embedded once per file, cut to the characters the file uses.

import type { DocumentMeta, LetterDocument } from '../../letter/model';
import type { FontFace, FontSet } from '../layout/fonts';
import { layoutDocument, type LaidLine, type LaidPage, type PlacedChar } from '../layout/layout';
import { embedFace } from './embed-font';
import { embedPng } from './embed-image';
import { pdfFace, type PdfFace } from './pdf-face';
import { deflateStream, PdfFile, pdfAscii, pdfNumber as num, pdfText, ref } from './pdf-file';

const PDF_CREATOR = 'hazard-notice';

/**
 * A letter's page drawn for any PDF it goes into (the letter's own file, a county's print book): the content
 * stream names each face by its place in the font set and draws codes valid in every subset of the face, so
 * the same page can be assembled into several files without drawing it again.
 */
export interface PdfPage {
  width: number;
  height: number;
  /** The content stream, deflated. */
  content: Uint8Array;
  /** Per face of `pdfFaces(fonts)`: the code points the page draws with it, ascending. */
  codePoints: number[][];
  seal?: Uint8Array;
  meta: DocumentMeta;
}

/** The distinct faces of the set, body faces first: a page's font resource names are their places here. */
export function pdfFaces(fonts: FontSet): FontFace[] {
  return [...new Set([...fonts.roles.body, ...fonts.roles.title])];
}

export const fontKey = (index: number): string => `/F${index + 1}`;

/** Metadata of the file: the document's own, or for a print book a summary over its letters. */
function bookMeta(metas: readonly DocumentMeta[]): DocumentMeta {
  const first = metas[0];
  if (metas.every((m) => m === first)) return first; // one document (a letter, a multi-page report)
  const authors = [...new Set(metas.map((m) => m.author))];
  return {
    title: `${first.subject}（共${metas.length}份）`,
    author: authors.join('、'),
    subject: first.subject,
    keywords: first.keywords.filter((k) => metas.every((m) => m.keywords.includes(k))),
    language: first.language,
    date: metas.map((m) => m.date).reduce((a, b) => (b > a ? b : a)),
  };
}

/** The document information dictionary (14.3.3); the dates are the letter's date at 00:00 in China (UTC+8). */
function infoDictionary(meta: DocumentMeta): string {
  const utc = new Date(`${meta.date}T00:00:00+08:00`).toISOString();
  const date = pdfAscii(`D:${utc.slice(0, 19).replace(/[-T:]/g, '')}Z`);
  return (
    `<</Title ${pdfText(meta.title)} /Author ${pdfText(meta.author)} /Subject ${pdfText(meta.subject)} ` +
    `/Keywords ${pdfText(meta.keywords.join(' '))} /Creator ${pdfText(PDF_CREATOR)} /Producer ${pdfText(PDF_CREATOR)} ` +
    `/CreationDate ${date} /ModDate ${date}>>`
  );
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

/** A face of the page's font set: its resource name and PDF view. */
interface PageFont {
  key: string;
  view: PdfFace;
}

/** One BT…ET per line; per face run a TJ of the face's codes, whose adjustments put every glyph at its laid-out x. */
function lineContent(line: LaidLine, pageHeight: number, fontOf: ReadonlyMap<FontFace, PageFont>): string {
  const y = num(pageHeight - line.baseline);
  let out = 'BT\n';
  for (const run of faceRuns(line.chars)) {
    const font = fontOf.get(run[0].face)!;
    let tj = '';
    run.forEach((c, i) => {
      tj += `<${font.view.code(c.char.codePointAt(0)!).toString(16).toUpperCase().padStart(4, '0')}>`;
      const next = run[i + 1];
      if (next) {
        const adjust = Math.round(((c.x + c.advance - next.x) * 100000) / line.sizePt) / 100;
        if (adjust !== 0) tj += String(adjust);
      }
    });
    out += `${font.key} ${num(line.sizePt)} Tf 1 0 0 1 ${num(run[0].x)} ${y} Tm [${tj}] TJ\n`;
  }
  out += 'ET\n';
  for (const u of line.underlines) {
    out += `${num(u.x1)} ${num(pageHeight - u.y - u.thickness / 2)} ${num(u.x2 - u.x1)} ${num(u.thickness)} re f\n`;
  }
  return out;
}

const SEAL_KEY = '/Seal';

/** Draws one letter (laid out with `fonts`, or laid out here) as a page: lines, then the seal over 署名 and date. */
export function drawPdfPage(doc: LetterDocument, fonts: FontSet, laid: LaidPage = layoutDocument(doc, fonts)): PdfPage {
  const faces = pdfFaces(fonts);
  const fontOf = new Map(faces.map((face, i) => [face, { key: fontKey(i), view: pdfFace(face) }]));
  let content = laid.lines.map((line) => lineContent(line, laid.height, fontOf)).join('');
  if (laid.seal) {
    const d = laid.seal.diameter;
    const [x, y] = [num(laid.seal.centerX - d / 2), num(laid.height - laid.seal.centerY - d / 2)];
    content += `q ${num(d)} 0 0 ${num(d)} ${x} ${y} cm ${SEAL_KEY} Do Q\n`;
  }
  const used = faces.map(() => new Set<number>());
  for (const line of laid.lines) {
    for (const c of line.chars) {
      const index = faces.indexOf(c.face);
      if (index < 0) throw new Error(`drawPdfPage: a character was laid out with a face (${c.face.file}) not in this font set`);
      used[index].add(c.char.codePointAt(0)!);
    }
  }
  return {
    width: laid.width,
    height: laid.height,
    content: deflateStream(content),
    codePoints: used.map((set) => [...set].sort((a, b) => a - b)),
    seal: laid.seal?.png,
    meta: doc.meta,
  };
}

/**
 * Assembles drawn pages (drawn with this font set) into one PDF, in order. Every face is embedded once,
 * cut to the characters the whole file uses. Same pages → same bytes.
 */
export function assemblePdf(pages: readonly PdfPage[], fonts: FontSet): Uint8Array {
  if (pages.length === 0) throw new Error('assemblePdf: no pages');
  const pdf = new PdfFile();
  const catalog = pdf.reserve();
  const pageTree = pdf.reserve();
  let fontResources = '';
  pdfFaces(fonts).forEach((face, i) => {
    const codePoints = [...new Set(pages.flatMap((p) => p.codePoints[i]))].sort((a, b) => a - b);
    if (codePoints.length > 0) fontResources += `${fontKey(i)} ${ref(embedFace(pdf, face, codePoints))} `;
  });
  const seals = new Map<Uint8Array, number>();
  const kids = pages.map((page) => {
    let xObjects = '';
    if (page.seal) {
      let seal = seals.get(page.seal);
      if (seal === undefined) seals.set(page.seal, (seal = embedPng(pdf, page.seal)));
      xObjects = ` /XObject <<${SEAL_KEY} ${ref(seal)}>>`;
    }
    const content = pdf.addStream('', page.content, 'deflated');
    return pdf.add(
      `<</Type /Page /Parent ${ref(pageTree)} /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] ` +
        `/Resources <</Font <<${fontResources.trim()}>>${xObjects}>> /Contents ${ref(content)}>>`,
    );
  });
  pdf.set(pageTree, `<</Type /Pages /Kids [${kids.map(ref).join(' ')}] /Count ${kids.length}>>`);
  const meta = bookMeta(pages.map((p) => p.meta));
  pdf.set(
    catalog,
    `<</Type /Catalog /Pages ${ref(pageTree)} /Lang ${pdfAscii(meta.language)} /ViewerPreferences <</DisplayDocTitle true>>>>`,
  );
  return pdf.toBytes(catalog, pdf.add(infoDictionary(meta)));
}

/**
 * Renders letters as one PDF, one page each (a single letter, or a merged print book).
 * `laid`: the documents already laid out with `fonts` (callers that also write DOCX lay out once).
 */
export function renderPdf(docs: readonly LetterDocument[], fonts: FontSet, laid?: readonly LaidPage[]): Uint8Array {
  if (laid && laid.length !== docs.length) throw new Error('renderPdf: one laid-out page per document expected');
  return assemblePdf(
    docs.map((doc, i) => drawPdfPage(doc, fonts, laid?.[i])),
    fonts,
  );
}

// PDF writer: one page per letter; each face embedded once per file, cut to the characters the file uses.

import type { DocumentMeta, LetterDocument } from '../../letter/model';
import { facesOf, type FontFace, type FontSet } from '../layout/fonts';
import { layoutDocument, RULE_WIDTH_PT, type LaidLine, type LaidPage, type PlacedChar } from '../layout/layout';
import type { LaidQrCode } from '../layout/qr-code';
import { embedFace } from './embed-font';
import { embedPng } from './embed-image';
import { pdfFace, type PdfFace } from './pdf-face';
import { deflateStream, PdfFile, pdfAscii, pdfNumber as num, pdfText, ref } from './pdf-file';
import { addPdfaParts, pdfDate, type FileInfo } from './pdfa';

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
  /** Per face of `facesOf(fonts)` (a page's font resource names are their places there): the code points the page draws with it, ascending. */
  codePoints: number[][];
  seal?: Uint8Array;
  /** The page's link annotations (URI actions), in reading order. */
  links: PdfLink[];
  meta: DocumentMeta;
}

/** A clickable area of a page opening a URI: [x1 y1 x2 y2] in PDF user space (pt from the bottom left). */
export interface PdfLink {
  uri: string;
  rect: [number, number, number, number];
}

/**
 * A link annotation (12.5.6.5) with a URI action (12.6.4.7): printable (/F 4, PDF/A), no border; a Link needs no
 * appearance stream. The URI is 7-bit ASCII, as the layout's URL pattern guarantees.
 */
function linkAnnotation(link: PdfLink): string {
  return (
    `<</Type /Annot /Subtype /Link /Rect [${link.rect.map(num).join(' ')}] /Border [0 0 0] /F 4 ` +
    `/A <</Type /Action /S /URI /URI ${pdfAscii(link.uri)}>>>>`
  );
}

export const fontKey = (index: number): string => `/F${index + 1}`;

/** Metadata of the file: the letter's own (all its pages share it), or for a print book a summary over its letters. */
function bookMeta(pageMetas: readonly DocumentMeta[]): DocumentMeta {
  const metas = [...new Map(pageMetas.map((m) => [JSON.stringify(m), m])).values()];
  const first = metas[0];
  if (metas.length === 1) return first; // one document (a letter set, a multi-page report)
  const authors = [...new Set(metas.map((m) => m.author))];
  return {
    title: `${first.subject}（共${metas.length}份）`,
    author: authors.join('、'),
    subject: first.subject,
    keywords: first.keywords.filter((k) => metas.every((m) => m.keywords.includes(k))),
    language: first.language,
    date: metas.map((m) => m.date).reduce((a, b) => (b > a ? b : a)),
    identifier: metas.flatMap((m) => (m.identifier ? [m.identifier] : [])).join('、') || undefined,
  };
}

/** The file's information: the dates are the letter's date at 00:00 in China (UTC+8). */
function fileInfo(meta: DocumentMeta): FileInfo {
  return {
    title: meta.title,
    author: meta.author,
    subject: meta.subject,
    keywords: meta.keywords.join(' '),
    creator: PDF_CREATOR,
    producer: PDF_CREATOR,
    date: `${meta.date}T00:00:00+08:00`,
    language: meta.language,
    identifier: meta.identifier,
  };
}

/** The document information dictionary (14.3.3). */
function infoDictionary(info: FileInfo): string {
  const date = pdfAscii(pdfDate(info.date));
  return (
    `<</Title ${pdfText(info.title)} /Author ${pdfText(info.author)} /Subject ${pdfText(info.subject)} ` +
    `/Keywords ${pdfText(info.keywords)} /Creator ${pdfText(info.creator)} /Producer ${pdfText(info.producer)} ` +
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

/**
 * A laid line as drawn, whatever its height on the page: per face run, its text operators before and after the y (a TJ of
 * the face's codes, whose adjustments put every glyph at its laid-out x); and its code points, by face index.
 */
interface DrawnLine {
  readonly runs: readonly (readonly [string, string])[];
  /** Face index and code point, pair after pair. */
  readonly used: readonly number[];
}

/**
 * A font set as pages are drawn with it, made once per set: its faces in resource order, each face's resource name and
 * PDF view, and its lines as drawn by laid line's characters (a paragraph laid out once is shared by every letter that
 * has it, layout's set paragraphs, so is its drawing).
 */
interface PageFonts {
  readonly faces: readonly FontFace[];
  readonly fontOf: ReadonlyMap<FontFace, PageFont>;
  readonly drawn: WeakMap<readonly PlacedChar[], DrawnLine>;
}

const pageFontsBySet = new WeakMap<FontSet, PageFonts>();

function pageFonts(fonts: FontSet): PageFonts {
  let kept = pageFontsBySet.get(fonts);
  if (!kept) {
    const faces = facesOf(fonts);
    const fontOf = new Map(faces.map((face, i) => [face, { key: fontKey(i), view: pdfFace(face) }]));
    pageFontsBySet.set(fonts, (kept = { faces, fontOf, drawn: new WeakMap() }));
  }
  return kept;
}

function drawnLine(line: LaidLine, { faces, fontOf, drawn: kept }: PageFonts): DrawnLine {
  let drawn = kept.get(line.chars);
  if (drawn) return drawn;
  const used: number[] = [];
  for (const c of line.chars) {
    const index = faces.indexOf(c.face);
    if (index < 0) throw new Error(`drawPdfPage: a character was laid out with a face (${c.face.file}) not in this font set`);
    used.push(index, c.char.codePointAt(0)!);
  }
  const runs = faceRuns(line.chars).map((run) => {
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
    return [`${font.key} ${num(line.sizePt)} Tf 1 0 0 1 ${num(run[0].x)} `, ` Tm [${tj}] TJ\n`] as const;
  });
  kept.set(line.chars, (drawn = { runs, used }));
  return drawn;
}

/** One BT…ET per line (its text at its baseline), then its underlines. */
function lineContent(line: LaidLine, drawn: DrawnLine, pageHeight: number): string {
  const y = num(pageHeight - line.baseline);
  let out = 'BT\n';
  for (let i = 0; i < drawn.runs.length; i++) out += drawn.runs[i][0] + y + drawn.runs[i][1];
  out += 'ET\n';
  for (let i = 0; i < line.underlines.length; i++) {
    const u = line.underlines[i];
    out += `${num(u.x1)} ${num(pageHeight - u.y - u.thickness / 2)} ${num(u.x2 - u.x1)} ${num(u.thickness)} re f\n`;
  }
  return out;
}

const SEAL_KEY = '/Seal';
/** The seal is printed with a multiply blend: black text under its red stays black (ISO 32000-1 11.3.5). */
const SEAL_GS_KEY = '/GSeal';

/** A QR code's drawing per symbol and place (every letter of a template draws the same code, mostly at one place). */
const qrContents = new WeakMap<LaidQrCode['matrix'], Map<string, string>>();

/** A QR code's dark modules as vectors: one filled path, a rectangle per horizontal run of dark modules. */
function qrContent(qr: LaidQrCode, pageHeight: number): string {
  let kept = qrContents.get(qr.matrix);
  if (!kept) qrContents.set(qr.matrix, (kept = new Map()));
  const place = `${qr.x} ${qr.y} ${qr.size} ${pageHeight}`;
  let drawn = kept.get(place);
  if (drawn !== undefined) return drawn;
  const { size, dark } = qr.matrix;
  const m = qr.size / size;
  let path = '';
  for (let row = 0; row < size; row++) {
    const y = num(pageHeight - qr.y - (row + 1) * m);
    for (let col = 0; col < size; col++) {
      if (!dark[row * size + col]) continue;
      const start = col;
      while (col + 1 < size && dark[row * size + col + 1]) col++;
      path += `${num(qr.x + start * m)} ${y} ${num((col + 1 - start) * m)} ${num(m)} re\n`;
    }
  }
  if (kept.size >= 8) kept.clear(); // a few places per symbol; never unbounded
  kept.set(place, (drawn = `q 0 g\n${path}f Q\n`));
  return drawn;
}

/** Draws one letter (laid out with `fonts`, or laid out here) as a page: lines, then the seal over 署名 and date. */
export function drawPdfPage(doc: LetterDocument, fonts: FontSet, laid: LaidPage = layoutDocument(doc, fonts)): PdfPage {
  const drawing = pageFonts(fonts);
  const used = drawing.faces.map(() => new Set<number>());
  // Indexed loops and one array of parts: every letter's page goes through the same code shapes (the optimising
  // compiler otherwise deoptimises it again and again for an empty QR list, a cons string, a different tuple kind).
  const parts: string[] = [];
  const draw = (line: LaidLine): void => {
    const drawn = drawnLine(line, drawing);
    parts.push(lineContent(line, drawn, laid.height));
    const cps = drawn.used;
    for (let i = 0; i < cps.length; i += 2) used[cps[i]].add(cps[i + 1]);
  };
  for (let i = 0; i < laid.lines.length; i++) draw(laid.lines[i]);
  for (let i = 0; i < laid.qrCodes.length; i++) draw(laid.qrCodes[i].caption);
  for (let i = 0; i < laid.qrCodes.length; i++) parts.push(qrContent(laid.qrCodes[i], laid.height));
  if (laid.table) {
    // Square caps: the rules meet at closed corners.
    const h = laid.height;
    const path = laid.table.rules.map((r) => `${num(r.x1)} ${num(h - r.y1)} m ${num(r.x2)} ${num(h - r.y2)} l`).join('\n');
    parts.push(`q ${num(RULE_WIDTH_PT)} w 2 J\n${path}\nS Q\n`);
  }
  if (laid.seal) {
    const d = laid.seal.diameter;
    const [x, y] = [num(laid.seal.centerX - d / 2), num(laid.height - laid.seal.centerY - d / 2)];
    parts.push(`q ${SEAL_GS_KEY} gs ${num(d)} 0 0 ${num(d)} ${x} ${y} cm ${SEAL_KEY} Do Q\n`);
  }
  return {
    width: laid.width,
    height: laid.height,
    content: deflateStream(parts.join('')),
    codePoints: used.map((set) => [...set].sort((a, b) => a - b)),
    seal: laid.seal?.png,
    links: laid.links.map((l) => ({ uri: l.url, rect: [l.x1, laid.height - l.bottom, l.x2, laid.height - l.top] })),
    meta: doc.meta,
  };
}

/** A blank page the size of `page` (a print book's empty back), with its letter's metadata. */
export function blankPdfPage(page: Pick<PdfPage, 'width' | 'height' | 'codePoints' | 'meta'>): PdfPage {
  const { width, height, meta } = page;
  return { width, height, content: deflateStream(''), codePoints: page.codePoints.map(() => []), links: [], meta };
}

export interface PdfOptions {
  /** PDF/A-2b (ISO 19005-2): XMP metadata and an sRGB output intent in the catalog. */
  pdfa?: boolean;
}

/**
 * Assembles drawn pages (drawn with this font set) into one PDF, in order. Every face is embedded once,
 * cut to the characters the whole file uses. Same pages and options → same bytes.
 */
export function assemblePdf(pages: readonly PdfPage[], fonts: FontSet, options: PdfOptions = {}): Uint8Array {
  if (pages.length === 0) throw new Error('assemblePdf: no pages');
  const pdf = new PdfFile();
  const catalog = pdf.reserve();
  const pageTree = pdf.reserve();
  let fontResources = '';
  facesOf(fonts).forEach((face, i) => {
    const codePoints = [...new Set(pages.flatMap((p) => p.codePoints[i]))].sort((a, b) => a - b);
    if (codePoints.length > 0) fontResources += `${fontKey(i)} ${ref(embedFace(pdf, face, codePoints))} `;
  });
  const seals = new Map<Uint8Array, number>();
  let sealState: number | undefined;
  const kids = pages.map((page) => {
    let sealResources = '';
    let group = '';
    if (page.seal) {
      let seal = seals.get(page.seal);
      if (seal === undefined) seals.set(page.seal, (seal = embedPng(pdf, page.seal)));
      sealState ??= pdf.add('<</Type /ExtGState /BM /Multiply /CA 1 /ca 1>>');
      sealResources = ` /XObject <<${SEAL_KEY} ${ref(seal)}>> /ExtGState <<${SEAL_GS_KEY} ${ref(sealState)}>>`;
      // A page that blends says in which colour space (ISO 19005-2 6.2.10; viewers blend alike).
      group = ' /Group <</Type /Group /S /Transparency /CS /DeviceRGB>>';
    }
    const content = pdf.addStream('', page.content, 'deflated');
    const annots = page.links.length > 0 ? ` /Annots [${page.links.map((l) => ref(pdf.add(linkAnnotation(l)))).join(' ')}]` : '';
    return pdf.add(
      `<</Type /Page /Parent ${ref(pageTree)} /MediaBox [0 0 ${num(page.width)} ${num(page.height)}] ` +
        `/Resources <</Font <<${fontResources.trim()}>>${sealResources}>>${group} /Contents ${ref(content)}${annots}>>`,
    );
  });
  pdf.set(pageTree, `<</Type /Pages /Kids [${kids.map(ref).join(' ')}] /Count ${kids.length}>>`);
  const info = fileInfo(bookMeta(pages.map((p) => p.meta)));
  const pdfa = options.pdfa ? ` ${addPdfaParts(pdf, info)}` : '';
  pdf.set(
    catalog,
    `<</Type /Catalog /Pages ${ref(pageTree)} /Lang ${pdfAscii(info.language)} /ViewerPreferences <</DisplayDocTitle true>>${pdfa}>>`,
  );
  return pdf.toBytes(catalog, pdf.add(infoDictionary(info)));
}

/**
 * Renders letters as one PDF, one page each (a single letter, or a merged print book).
 * `laid`: the documents already laid out with `fonts` (callers that also write DOCX lay out once).
 */
export function renderPdf(
  docs: readonly LetterDocument[],
  fonts: FontSet,
  laid?: readonly LaidPage[],
  options: PdfOptions = {},
): Uint8Array {
  if (laid && laid.length !== docs.length) throw new Error('renderPdf: one laid-out page per document expected');
  return assemblePdf(
    docs.map((doc, i) => drawPdfPage(doc, fonts, laid?.[i])),
    fonts,
    options,
  );
}

// A face embedded as a Type 0 font (ISO 32000-1 9.7): Identity-H codes = the face's PDF codes (CID or glyph id),
// the program cut by hb-subset to the characters drawn, widths, and a ToUnicode map for text extraction.

import { createHash } from 'node:crypto';
import type { FontFace } from '../layout/fonts';
import { pdfFace } from './pdf-face';
import { pdfAscii, pdfName, pdfNumber, ref, type PdfFile } from './pdf-file';

/** Six capital letters from the face and its characters: a stable subset tag (9.6.4). */
function subsetTag(face: FontFace, codePoints: readonly number[]): string {
  const digest = createHash('sha256')
    .update(`${face.postscriptName}\n${String.fromCodePoint(...codePoints)}`)
    .digest();
  return Array.from(digest.subarray(0, 6), (b) => String.fromCharCode(65 + (b % 26))).join('');
}

const hex4 = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');

/** UTF-16BE in hex: a surrogate pair for a character beyond the BMP (𠮷). */
function utf16Hex(codePoint: number): string {
  const units = String.fromCodePoint(codePoint);
  let out = '';
  for (let i = 0; i < units.length; i++) out += hex4(units.charCodeAt(i));
  return out;
}

/** Most CJK glyphs are one em wide: /DW covers them, /W lists the rest in runs of consecutive codes. */
const DEFAULT_WIDTH = 1000;

function widthsArray(widths: ReadonlyMap<number, number>): string {
  let out = '';
  let runStart = -1;
  let run: string[] = [];
  let last = -2;
  const flush = () => {
    if (run.length > 0) out += `${runStart} [${run.join(' ')}] `;
  };
  for (const [code, width] of [...widths].sort((a, b) => a[0] - b[0])) {
    if (width === DEFAULT_WIDTH) continue;
    if (code !== last + 1) {
      flush();
      runStart = code;
      run = [];
    }
    run.push(pdfNumber(width));
    last = code;
  }
  flush();
  return `[${out.trim()}]`;
}

/** `<code> <UTF-16BE>` lines, by code × 0x110000 + code point: the same few thousand recur in every letter. */
const bfcharLines = new Map<number, string>();

function bfchar(code: number, cp: number): string {
  const key = code * 0x110000 + cp;
  let line = bfcharLines.get(key);
  if (line === undefined) bfcharLines.set(key, (line = `<${hex4(code)}> <${utf16Hex(cp)}>`));
  return line;
}

function toUnicodeCMap(unicodeOf: ReadonlyMap<number, number>): string {
  const entries = [...unicodeOf].sort((a, b) => a[0] - b[0]).map(([code, cp]) => bfchar(code, cp));
  let chunks = '';
  for (let i = 0; i < entries.length; i += 100) {
    const chunk = entries.slice(i, i + 100);
    chunks += `${chunk.length} beginbfchar\n${chunk.join('\n')}\nendbfchar\n`;
  }
  return (
    '/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n' +
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n' +
    '/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n' +
    '1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n' +
    chunks +
    'endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n'
  );
}

/** Embeds `face` cut to `codePoints` (distinct, ascending); returns the Type 0 font's object number. */
export function embedFace(pdf: PdfFile, face: FontFace, codePoints: readonly number[]): number {
  const baseFont = pdfName(`${subsetTag(face, codePoints)}+${face.postscriptName}`);
  const widths = new Map<number, number>();
  const unicodeOf = new Map<number, number>();
  const scale = 1000 / face.unitsPerEm;
  const view = pdfFace(face);
  for (const cp of codePoints) {
    const code = view.code(cp);
    widths.set(code, face.advance(cp) * scale);
    if (!unicodeOf.has(code)) unicodeOf.set(code, cp);
  }
  const program = view.program(codePoints);
  // CFF programs barely deflate (their charstrings are already compact): stored as they are.
  const fontFile =
    program.kind === 'CIDFontType0C'
      ? pdf.addStream('/Subtype /CIDFontType0C', program.bytes, 'raw')
      : pdf.addStream(`/Length1 ${program.bytes.byteLength}`, program.bytes);
  const m = view.metrics;
  const descriptor = pdf.add(
    `<</Type /FontDescriptor /FontName ${baseFont} /Flags ${m.flags} /FontBBox [${m.bbox.join(' ')}] ` +
      `/ItalicAngle ${pdfNumber(m.italicAngle)} ` +
      `/Ascent ${m.ascent} /Descent ${m.descent} /CapHeight ${m.capHeight} /XHeight ${m.xHeight} /StemV 0 ` +
      `${program.kind === 'CIDFontType0C' ? '/FontFile3' : '/FontFile2'} ${ref(fontFile)}>>`,
  );
  const cidFont = pdf.add(
    `<</Type /Font /Subtype ${program.kind === 'CIDFontType0C' ? '/CIDFontType0' : '/CIDFontType2 /CIDToGIDMap /Identity'} ` +
      `/BaseFont ${baseFont} /CIDSystemInfo <</Registry ${pdfAscii('Adobe')} /Ordering ${pdfAscii('Identity')} /Supplement 0>> ` +
      `/FontDescriptor ${ref(descriptor)} /DW ${DEFAULT_WIDTH} /W ${widthsArray(widths)}>>`,
  );
  const toUnicode = pdf.addStream('', toUnicodeCMap(unicodeOf));
  return pdf.add(
    `<</Type /Font /Subtype /Type0 /BaseFont ${baseFont} /Encoding /Identity-H ` +
      `/DescendantFonts [${ref(cidFont)}] /ToUnicode ${ref(toUnicode)}>>`,
  );
}

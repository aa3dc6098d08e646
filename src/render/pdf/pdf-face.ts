// A font face as the PDF writer sees it: the Identity-H code of each character, the font program cut for
// embedding and the FontDescriptor metrics. One view per face, made on first use.

import type * as fontkit from 'fontkit';
import { cffTableOf, type CffTable, type FontFace } from '../layout/fonts';
import { sfntTable } from '../layout/hb-subset';

/** FontDescriptor values (ISO 32000 9.8), in 1000ths of an em. */
export interface PdfFontMetrics {
  flags: number;
  bbox: [number, number, number, number];
  italicAngle: number;
  ascent: number;
  descent: number;
  capHeight: number;
  xHeight: number;
}

/** A font program cut to some characters, as a PDF embeds it (FontFile3 /CIDFontType0C, or FontFile2). */
export interface PdfFontProgram {
  kind: 'CIDFontType0C' | 'TrueType';
  bytes: Uint8Array;
}

export interface PdfFace {
  /**
   * The PDF character code (Identity-H) of the character's glyph: its CID in a CID-keyed CFF font, its glyph
   * id in a TrueType font. Stable across every subset of the face, so a page's content stream is valid with
   * any subset that holds its characters.
   */
  code(codePoint: number): number;
  /** The face cut to these characters (keeping their codes) for embedding. */
  program(codePoints: Iterable<number>): PdfFontProgram;
  readonly metrics: PdfFontMetrics;
}

/** Tables a PDF font program does without (the viewer needs outlines and, for TrueType, the glyph metrics). */
const PDF_DROPPED_TABLES = ['GSUB', 'GPOS', 'GDEF', 'BASE', 'JSTF', 'MATH', 'VORG', 'vhea', 'vmtx', 'DSIG', 'name', 'post', 'kern', 'meta'];

/** CID of every glyph id, from the CFF charset (formats 0, 1, 2; glyph 0 is CID 0). */
function cidTable(cff: CffTable, numGlyphs: number): Uint32Array {
  const cids = new Uint32Array(numGlyphs);
  const charset = cff.topDict.charset;
  if (charset.version === 0) {
    charset.glyphs!.forEach((cid, i) => (cids[i + 1] = cid));
    return cids;
  }
  let gid = 1;
  for (const range of charset.ranges ?? []) {
    for (let k = 0; k <= range.nLeft && gid < numGlyphs; k++) cids[gid++] = range.first + k;
  }
  return cids;
}

function metricsOf(font: fontkit.Font): PdfFontMetrics {
  const scale = 1000 / font.unitsPerEm;
  const familyClass = (font as unknown as { 'OS/2'?: { sFamilyClass: number } })['OS/2']?.sFamilyClass ?? 0;
  const tables = font as unknown as { post: { isFixedPitch: number }; head: { macStyle: { italic: boolean } } };
  // pdf-lib's and PDFKit's derivation: symbolic always (the font's own encoding), serif/script from OS/2.
  const flags =
    (tables.post.isFixedPitch ? 1 : 0) |
    (familyClass >= 1 && familyClass <= 7 ? 2 : 0) |
    4 |
    (familyClass === 10 ? 8 : 0) |
    (tables.head.macStyle.italic ? 64 : 0);
  const round = (v: number) => Math.round(v * scale);
  const { minX, minY, maxX, maxY } = font.bbox;
  return {
    flags,
    bbox: [round(minX), round(minY), round(maxX), round(maxY)],
    italicAngle: font.italicAngle,
    ascent: round(font.ascent),
    descent: round(font.descent),
    capHeight: round(font.capHeight || font.ascent),
    xHeight: round(font.xHeight || 0),
  };
}

/** Name-keyed CFF faces are refused when loaded (fonts.ts), so a CFF face here is CID-keyed. */
function makePdfFace(face: FontFace): PdfFace {
  const cff = cffTableOf(face.font);
  const cidOfGlyph = cff ? cidTable(cff, face.font.numGlyphs) : undefined;
  return {
    metrics: metricsOf(face.font),
    code(cp) {
      const gid = face.glyphId(cp);
      return cidOfGlyph ? cidOfGlyph[gid] : gid;
    },
    program(codePoints) {
      // A CID-keyed CFF subset keeps every glyph's CID; a TrueType subset keeps glyph ids only when told to.
      const glyphs = Array.from(codePoints, (cp) => face.glyphId(cp));
      const otf = face.subset({ glyphs, dropTables: PDF_DROPPED_TABLES, retainGids: !cff });
      if (!cff) return { kind: 'TrueType', bytes: otf };
      const table = sfntTable(otf, 'CFF ');
      if (!table) throw new Error(`pdfFace: hb-subset left no CFF table in ${face.file}`);
      return { kind: 'CIDFontType0C', bytes: table };
    },
  };
}

const views = new WeakMap<FontFace, PdfFace>();

/** The PDF view of a face (made once per face). */
export function pdfFace(face: FontFace): PdfFace {
  let view = views.get(face);
  if (!view) views.set(face, (view = makePdfFace(face)));
  return view;
}

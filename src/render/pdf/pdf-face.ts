// A font face as the PDF writer sees it: the Identity-H code of each character, the font program cut for
// embedding and the FontDescriptor metrics. One view per face, made on first use.

import type { FontFace } from '../layout/fonts';
import { sfntTable } from '../layout/hb-subset';
import type { SfntTables } from '../layout/sfnt';

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
/** Of a CFF face's subset only the CFF table is embedded: these are not made at all (the CFF table is the same). */
const CFF_DROPPED_TABLES = [...PDF_DROPPED_TABLES, 'cmap', 'hmtx', 'hhea', 'OS/2'];

function metricsOf(font: SfntTables): PdfFontMetrics {
  const scale = 1000 / font.unitsPerEm;
  const familyClass = font.familyClass;
  // pdf-lib's and PDFKit's derivation: symbolic always (the font's own encoding), serif/script from OS/2.
  const flags =
    (font.isFixedPitch ? 1 : 0) |
    (familyClass >= 1 && familyClass <= 7 ? 2 : 0) |
    4 |
    (familyClass === 10 ? 8 : 0) |
    (font.italic ? 64 : 0);
  const round = (v: number) => Math.round(v * scale);
  return {
    flags,
    bbox: font.bbox.map(round) as PdfFontMetrics['bbox'],
    italicAngle: font.italicAngle,
    ascent: round(font.ascent),
    descent: round(font.descent),
    capHeight: round(font.capHeight || font.ascent),
    xHeight: round(font.xHeight || 0),
  };
}

/** Name-keyed CFF faces are refused when loaded (fonts.ts), so a CFF face here is CID-keyed. */
function makePdfFace(face: FontFace): PdfFace {
  const cff = face.tables.cff;
  const cidOfGlyph = cff?.cidKeyed ? cff.cids : undefined;
  // The last program cut, by its characters: a title's face is cut to the same few characters in every letter.
  let last: { key: string; program: PdfFontProgram } | undefined;
  return {
    metrics: metricsOf(face.tables),
    code(cp) {
      const gid = face.glyphId(cp);
      return cidOfGlyph ? cidOfGlyph[gid] : gid;
    },
    program(codePoints) {
      const cps = Array.from(codePoints);
      const key = String.fromCodePoint(...cps);
      if (last?.key === key) return last.program;
      // A CID-keyed CFF subset keeps every glyph's CID; a TrueType subset keeps glyph ids only when told to.
      const otf = face.subset({
        glyphs: cps.map((cp) => face.glyphId(cp)),
        dropTables: cff ? CFF_DROPPED_TABLES : PDF_DROPPED_TABLES,
        retainGids: !cff,
      });
      let program: PdfFontProgram = { kind: 'TrueType', bytes: otf };
      if (cff) {
        const table = sfntTable(otf, 'CFF ');
        if (!table) throw new Error(`pdfFace: hb-subset left no CFF table in ${face.file}`);
        program = { kind: 'CIDFontType0C', bytes: table };
      }
      last = { key, program };
      return program;
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

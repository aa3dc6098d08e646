// A free-form page for reports (tables, charts) drawn with a letter's font set: text at any place and size,
// lines and rectangles as vectors. Coordinates are pt from the page's top-left corner. The page it makes
// goes through `assemblePdf` like a letter's, so fonts are embedded and cut the same way.

import type { DocumentMeta } from '../../letter/model';
import { breakLines, toAtoms, atomText } from '../layout/breaking';
import { faceFor, facesOf, glyphMissingError, type FontFace, type FontRoleName, type FontSet } from '../layout/fonts';
import { pdfFace } from './pdf-face';
import { deflateStream, pdfNumber as num } from './pdf-file';
import { fontKey, type PdfPage } from './render-pdf';

/** A colour as red, green, blue from 0 to 1. */
export type Rgb = readonly [number, number, number];

export const BLACK: Rgb = [0, 0, 0];

export interface TextStyle {
  size: number;
  role?: FontRoleName;
  align?: 'left' | 'center' | 'right';
  color?: Rgb;
}

export interface StrokeStyle {
  width?: number;
  color?: Rgb;
  /** Dash and gap lengths, pt. */
  dash?: readonly number[];
}

const colour = (c: Rgb, op: 'rg' | 'RG'): string => `${c.map(num).join(' ')} ${op}`;

export class PdfCanvas {
  private content = '';
  private readonly faces: FontFace[];
  private readonly used: Set<number>[];

  constructor(
    private readonly fonts: FontSet,
    readonly width: number,
    readonly height: number,
  ) {
    this.faces = facesOf(fonts);
    this.used = this.faces.map(() => new Set());
  }

  /** Each character with the face that draws it and its advance at `size` (E_GLYPH_MISSING when none can). */
  private measured(text: string, role: FontRoleName, size: number): { char: string; face: FontFace; width: number }[] {
    return Array.from(text, (char) => {
      const cp = char.codePointAt(0)!;
      const face = faceFor(this.fonts, role, cp);
      if (!face) throw glyphMissingError(char, this.fonts, role);
      return { char, face, width: (face.advance(cp) * size) / face.unitsPerEm };
    });
  }

  textWidth(text: string, size: number, role: FontRoleName = 'body'): number {
    return this.measured(text, role, size).reduce((w, c) => w + c.width, 0);
  }

  /** Breaks text into lines of at most `width` pt with the letters' 禁则 (a line never starts with “，” etc.). */
  wrap(text: string, width: number, size: number, role: FontRoleName = 'body'): string[] {
    const atoms = toAtoms(this.measured(text, role, size).map((c) => ({ char: c.char, width: c.width, underline: false })));
    return breakLines(atoms, { first: width, rest: width }).map((line) => line.atoms.map(atomText).join(''));
  }

  /** Draws one line of text whose baseline is at `baseline`; `x` is its left edge, centre or right edge per `align`. */
  text(text: string, x: number, baseline: number, style: TextStyle): void {
    const role = style.role ?? 'body';
    const chars = this.measured(text, role, style.size);
    const total = chars.reduce((w, c) => w + c.width, 0);
    let pen = style.align === 'center' ? x - total / 2 : style.align === 'right' ? x - total : x;
    let out = `BT ${colour(style.color ?? BLACK, 'rg')}\n`;
    for (let i = 0; i < chars.length;) {
      const face = chars[i].face;
      const index = this.faces.indexOf(face);
      const view = pdfFace(face);
      let codes = '';
      const start = pen;
      for (; i < chars.length && chars[i].face === face; i++) {
        const cp = chars[i].char.codePointAt(0)!;
        this.used[index].add(cp);
        codes += view.code(cp).toString(16).toUpperCase().padStart(4, '0');
        pen += chars[i].width;
      }
      out += `${fontKey(index)} ${num(style.size)} Tf 1 0 0 1 ${num(start)} ${num(this.height - baseline)} Tm <${codes}> Tj\n`;
    }
    this.content += `${out}ET\n`;
  }

  line(x1: number, y1: number, x2: number, y2: number, style: StrokeStyle = {}): void {
    this.polyline(
      [
        [x1, y1],
        [x2, y2],
      ],
      style,
    );
  }

  /** A polyline through the points (a trend line; two points: a line). */
  polyline(points: readonly (readonly [number, number])[], style: StrokeStyle = {}): void {
    if (points.length < 2) return;
    const path = points.map(([x, y], i) => `${num(x)} ${num(this.height - y)} ${i === 0 ? 'm' : 'l'}`).join(' ');
    const dash = (style.dash ?? []).map(num).join(' ');
    this.content += `q ${colour(style.color ?? BLACK, 'RG')} ${num(style.width ?? 0.5)} w [${dash}] 0 d ${path} S Q\n`;
  }

  /** A rectangle with its top-left corner at (x, y): filled, stroked, or both. */
  rect(x: number, y: number, w: number, h: number, style: { fill?: Rgb; stroke?: StrokeStyle }): void {
    const box = `${num(x)} ${num(this.height - y - h)} ${num(w)} ${num(h)} re`;
    let out = 'q ';
    if (style.fill) out += `${colour(style.fill, 'rg')} `;
    if (style.stroke) out += `${colour(style.stroke.color ?? BLACK, 'RG')} ${num(style.stroke.width ?? 0.5)} w `;
    out += `${box} ${style.fill && style.stroke ? 'B' : style.fill ? 'f' : 'S'} Q\n`;
    this.content += out;
  }

  /** The page as drawn so far, ready for `assemblePdf` with the same font set. */
  page(meta: DocumentMeta): PdfPage {
    return {
      width: this.width,
      height: this.height,
      content: deflateStream(this.content),
      codePoints: this.used.map((set) => [...set].sort((a, b) => a - b)),
      links: [],
      meta,
    };
  }
}

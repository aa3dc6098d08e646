// Character measurement: the face each character is drawn with, and its width in pt on the grid.

import type { PageLayout } from '../../letter/model';
import { faceFor, glyphMissingError, type FontFace, type FontRoleName, type FontSet } from './fonts';
import { gridOf } from './grid';

/** Ideographic em box: baseline at 0.88 em below the top of a character cell. */
export const ASCENT_EM = 0.88;

export interface FaceChar {
  readonly char: string;
  readonly face: FontFace;
  /** Advance + tracking, pt. */
  readonly width: number;
  /** Natural glyph advance, pt (what the PDF font's /W says). */
  readonly advance: number;
  readonly underline: boolean;
}

export interface RoleMetrics {
  role: FontRoleName;
  sizePt: number;
  /** Added to every character's advance: body text is tracked to the grid's character pitch. */
  trackingPt: number;
}

export function roleMetrics(layout: PageLayout, role: FontRoleName): RoleMetrics {
  const sizePt = layout.fonts[role].sizePt;
  return { role, sizePt, trackingPt: role === 'body' ? gridOf(layout).charPitch - sizePt : 0 };
}

/** Splits text into code points, each bound to the first face of the role that has it. */
export function measureChars(text: string, underline: boolean, fonts: FontSet, metrics: RoleMetrics): FaceChar[] {
  const out: FaceChar[] = [];
  for (const char of text) {
    const cp = char.codePointAt(0)!;
    const face = faceFor(fonts, metrics.role, cp);
    if (!face) throw glyphMissingError(char, fonts, metrics.role);
    const advance = (face.advance(cp) * metrics.sizePt) / face.unitsPerEm;
    out.push({ char, face, advance, width: advance + metrics.trackingPt, underline });
  }
  return out;
}

export function measureText(text: string, fonts: FontSet, layout: PageLayout, role: FontRoleName): number {
  return measureChars(text, false, fonts, roleMetrics(layout, role)).reduce((w, c) => w + c.width, 0);
}

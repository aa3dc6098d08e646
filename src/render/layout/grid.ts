// GB/T 9704 page geometry in PDF points, derived from a PageLayout.

import type { PageLayout } from '../../letter/model';

export const PT_PER_MM = 72 / 25.4;

export interface Grid {
  pageWidth: number;
  pageHeight: number;
  left: number;
  top: number;
  /** Type-area width (the body measure). */
  measure: number;
  /** Width of one grid character (measure / charsPerLine). */
  charPitch: number;
  /** Height of one grid line (type-area height / linesPerPage). */
  linePitch: number;
  linesPerPage: number;
}

export function gridOf(layout: PageLayout): Grid {
  const measure = layout.textWidthMm * PT_PER_MM;
  const height = layout.textHeightMm * PT_PER_MM;
  return {
    pageWidth: layout.pageWidthMm * PT_PER_MM,
    pageHeight: layout.pageHeightMm * PT_PER_MM,
    left: layout.marginLeftMm * PT_PER_MM,
    top: layout.marginTopMm * PT_PER_MM,
    measure,
    charPitch: measure / layout.charsPerLine,
    linePitch: height / layout.linesPerPage,
    linesPerPage: layout.linesPerPage,
  };
}

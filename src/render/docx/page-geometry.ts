// The letter's page and grid in Word units (twips = 1/20 pt), derived from the shared PageLayout.
import type { PageLayout } from '../../letter/model';

const TWIPS_PER_MM = 1440 / 25.4;

/** Rounds (docx's convertMillimetersToTwip truncates 210 mm to 11905). */
export function mmToTwips(mm: number): number {
  return Math.round(mm * TWIPS_PER_MM);
}

export interface DocxPageGeometry {
  pageWidth: number;
  pageHeight: number;
  marginTop: number;
  marginBottom: number;
  marginLeft: number;
  marginRight: number;
  textWidth: number;
  /** Grid line pitch: the type area height over linesPerPage, floored so all lines fit. */
  linePitch: number;
  /** Run character spacing (w:spacing w:val, twips) of body text, see bodyTracking. */
  bodyCharacterSpacing: number;
}

/**
 * Body runs are tracked so exactly charsPerLine characters fit a line, in LibreOffice as in Word. The grid's own
 * deficit (pitch − font size, −5 twips here) is not enough for LibreOffice: it drops the tracking of the last
 * character of every differently formatted run (each filled blank is one), measured −1 char on lines with 7+ blanks.
 * So track by at least 1/32 em (−10 twips at 16 pt: 28 per line up to ~16 run boundaries), but never so much that
 * one more character fits (Word would then set charsPerLine + 1).
 */
function bodyTracking(textWidth: number, charsPerLine: number, sizeTwips: number): number {
  const gridDeficit = Math.floor(textWidth / charsPerLine) - sizeTwips;
  const tracked = Math.min(gridDeficit, -Math.round(sizeTwips / 32));
  return (charsPerLine + 1) * (sizeTwips + tracked) > textWidth ? tracked : gridDeficit;
}

export function docxPageGeometry(layout: PageLayout): DocxPageGeometry {
  const pageWidth = mmToTwips(layout.pageWidthMm);
  const pageHeight = mmToTwips(layout.pageHeightMm);
  const marginTop = mmToTwips(layout.marginTopMm);
  const marginLeft = mmToTwips(layout.marginLeftMm);
  const marginRight = mmToTwips(layout.pageWidthMm - layout.marginLeftMm - layout.textWidthMm);
  const marginBottom = mmToTwips(layout.pageHeightMm - layout.marginTopMm - layout.textHeightMm);
  const textWidth = pageWidth - marginLeft - marginRight;
  const textHeight = pageHeight - marginTop - marginBottom;
  return {
    pageWidth,
    pageHeight,
    marginTop,
    marginBottom,
    marginLeft,
    marginRight,
    textWidth,
    linePitch: Math.floor(textHeight / layout.linesPerPage),
    bodyCharacterSpacing: bodyTracking(textWidth, layout.charsPerLine, layout.fonts.body.sizePt * 20),
  };
}

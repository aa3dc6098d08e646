// GB/T 9704 7.3.5 signature block: right indents of the issuer (署名) and date lines, in grid characters.

import type { PageLayout } from '../../letter/model';
import type { FontSet } from './fonts';
import { measureText } from './measure';
import { gridOf } from './grid';

export interface SignatureIndents {
  signatureRightIndentChars: number;
  dateRightIndentChars: number;
}

/**
 * Without a seal (7.3.5.2): 署名 right-indented `baseRightIndentChars` (2); the date's first character
 * two characters right of the 署名's first; if the date is longer than the 署名 it is right-indented
 * 2 and the 署名's indent grows to keep that offset. With a seal (7.3.5.1): date right-indented 4,
 * 署名 centred over the date.
 */
export function signatureBlock(
  signature: string,
  date: string,
  fonts: FontSet,
  layout: PageLayout,
  hasSeal: boolean,
  baseRightIndentChars = 2,
): SignatureIndents {
  const pitch = gridOf(layout).charPitch;
  const sigChars = measureText(signature, fonts, layout, 'body') / pitch;
  const dateChars = measureText(date, fonts, layout, 'body') / pitch;
  if (hasSeal) {
    return { dateRightIndentChars: 4, signatureRightIndentChars: Math.max(0, 4 + (dateChars - sigChars) / 2) };
  }
  const dateRight = baseRightIndentChars + sigChars - 2 - dateChars;
  if (dateRight >= 0) return { signatureRightIndentChars: baseRightIndentChars, dateRightIndentChars: dateRight };
  return { dateRightIndentChars: 2, signatureRightIndentChars: 2 + dateChars + 2 - sigChars };
}

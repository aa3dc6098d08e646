// QR codes beside the signature block: encoded by the qrcode package (ISO/IEC 18004, error correction level M)
// and placed on the page without moving any text. Shared by the PDF (vector modules) and DOCX (PNG) writers.

import { HazardNoticeError } from '../../errors';
import { fromSource } from '../../source-image';
import type { LetterDocument } from '../../letter/model';
import type { FontSet } from './fonts';
import { PT_PER_MM, type Grid } from './grid';
import type { LaidLine, PlacedChar } from './layout';
import { ASCENT_EM, measureChars, roleMetrics } from './measure';

/** Module matrix of a symbol, row-major, 1 = dark; without the quiet zone. */
export interface QrMatrix {
  readonly size: number;
  readonly dark: Uint8Array;
}

/** The part of qrcode's API used here (its core module: no renderer, canvas or PNG code is loaded). */
interface QrCore {
  create(text: string, options: { errorCorrectionLevel: 'M' }): { modules: { size: number; data: Uint8Array } };
}

/** Printed width of the symbol (modules, quiet zone excluded): phones read 20 mm codes of this size reliably. */
export const QR_SYMBOL_MM = 20;
/** Light modules around the symbol (ISO/IEC 18004 asks for 4): no ink of text or seal may fall in them. */
export const QR_QUIET_MODULES = 4;
/** Space between one QR code's caption and the next code's quiet zone, pt. */
const QR_GAP_PT = 8;

const matrices = new Map<string, QrMatrix>();

/**
 * The symbol for `url` (the same URL always gives the same matrix; encoded once per process; a bundled template's
 * URLs were encoded by the build, see source-image.ts).
 */
export function qrMatrix(url: string): QrMatrix {
  let matrix = matrices.get(url);
  if (!matrix) {
    matrix = fromSource('qr-matrix', url, () => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the core only, loaded when a letter has a QR code
      const core = require('qrcode/lib/core/qrcode') as QrCore;
      const { modules } = core.create(url, { errorCorrectionLevel: 'M' });
      return { size: modules.size, dark: Uint8Array.from(modules.data, (v) => (v ? 1 : 0)) };
    });
    if (matrices.size >= 64) matrices.clear();
    matrices.set(url, matrix);
  }
  return matrix;
}

export interface LaidQrCode {
  readonly url: string;
  readonly matrix: QrMatrix;
  /** Top left corner of the symbol (quiet zone excluded), pt from the page's left and top edges. */
  readonly x: number;
  readonly y: number;
  /** Width and height of the symbol, pt. */
  readonly size: number;
  readonly quietZone: number;
  /** The caption, in the body font, on the symbol's bottom line right of its quiet zone. */
  readonly caption: LaidLine;
}

/** A box on the page (pt from the left and top edges) that a QR code and its quiet zone must not touch. */
export interface InkBox {
  readonly x1: number;
  readonly x2: number;
  readonly top: number;
  readonly bottom: number;
}

const overlaps = (a: InkBox, b: InkBox): boolean => a.x1 < b.x2 && b.x1 < a.x2 && a.top < b.bottom && b.top < a.bottom;

/**
 * Places the letter's QR codes left to right from the type area's left edge, each symbol's bottom on the baseline
 * of the signature block's last line (the date) and its caption on that baseline right of its quiet zone: level
 * with the signature block, in the room the right-aligned 署名 and date leave. Nothing moves to make room: when a
 * code or its quiet zone would touch text or the seal, E_QR_NO_ROOM.
 */
export function placeQrCodes(
  doc: LetterDocument,
  fonts: FontSet,
  grid: Grid,
  anchorBaseline: number | undefined,
  ink: InkBox[],
): LaidQrCode[] {
  const specs = doc.qrCodes ?? [];
  if (specs.length === 0) return [];
  const noRoom = (url: string, why: string) =>
    new HazardNoticeError('E_QR_NO_ROOM', `“${doc.meta.title}”的二维码（${url}）${why}，请在模板设置 qrCodes 中减少二维码或修改版面`, {
      title: doc.meta.title,
      url,
    });
  const metrics = roleMetrics(doc.layout, 'body');
  const size = QR_SYMBOL_MM * PT_PER_MM;
  let left = grid.left;
  return specs.map(({ url, caption }) => {
    if (anchorBaseline === undefined) throw noRoom(url, '无处可放：告知单没有署名和成文日期');
    const matrix = qrMatrix(url);
    const quietZone = (QR_QUIET_MODULES * size) / matrix.size;
    const y = anchorBaseline - size;
    const captionX = left + size + quietZone;
    let x = captionX;
    const chars: PlacedChar[] = measureChars(caption, false, fonts, metrics).map((c) => {
      const placed = { ...c, x };
      x += c.width;
      return placed;
    });
    const emTop = anchorBaseline - ASCENT_EM * metrics.sizePt;
    const line: LaidLine = {
      role: 'body',
      text: caption,
      sizePt: metrics.sizePt,
      top: emTop,
      baseline: anchorBaseline,
      chars,
      underlines: [],
    };
    const code: LaidQrCode = { url, matrix, x: left, y, size, quietZone, caption: line };
    const zone = { x1: left - quietZone, x2: left + size + quietZone, top: y - quietZone, bottom: y + size + quietZone };
    const captionBox = { x1: captionX, x2: x, top: emTop, bottom: emTop + metrics.sizePt };
    if (ink.some((box) => overlaps(box, zone) || overlaps(box, captionBox))) throw noRoom(url, '与正文、署名、日期或印章重叠');
    if (zone.top < 0 || zone.bottom > grid.pageHeight) throw noRoom(url, '超出页面');
    left = x + QR_GAP_PT + quietZone;
    return code;
  });
}

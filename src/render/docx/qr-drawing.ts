// A QR code in the DOCX: the symbol as a PNG picture floating at the page position the shared layout gives it
// (no text wraps or moves), its caption as a floating VML text box on the date's baseline.

import { fromSource } from '../../source-image';
import type { LaidQrCode, QrMatrix } from '../layout/qr-code';
import { QR_QUIET_MODULES } from '../layout/qr-code';
import { deflatePart, type DeflatedPart } from './package-zip';
import { escapeXml } from './xml-text';

const EMU_PER_PT = 12700;
/** Pixels per module: 10 px gives a crisp 300 dpi print of a 20 mm, 33-module symbol. */
const PX_PER_MODULE = 10;
export const IMAGE_RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/image';

/** The part of pngjs used here: its synchronous writer (the package's main module also loads its stream classes). */
interface PngSync {
  write(png: { width: number; height: number; data: Buffer }, options: { colorType: 0; inputColorType: 0; inputHasAlpha: false }): Buffer;
}

const pngs = new WeakMap<QrMatrix, DeflatedPart>();

/**
 * The symbol with its quiet zone as an 8-bit grayscale PNG, deflated for the package (same matrix → same bytes, made once
 * per thread; for a bundled template's URL, made by `npm run build`: pngjs is not loaded).
 */
export function qrPngPart(qr: Pick<LaidQrCode, 'url' | 'matrix'>): DeflatedPart {
  let part = pngs.get(qr.matrix);
  if (!part) pngs.set(qr.matrix, (part = fromSource('qr-png', qr.url, () => pngPart(qr.matrix))));
  return part;
}

function pngPart(matrix: QrMatrix): DeflatedPart {
  const modules = matrix.size + 2 * QR_QUIET_MODULES;
  const side = modules * PX_PER_MODULE;
  // Grayscale samples (0 dark, 255 light), one row of pixels per module row, repeated PX_PER_MODULE times.
  const data = Buffer.alloc(side * side, 255);
  for (let row = 0; row < matrix.size; row++) {
    const y = (row + QR_QUIET_MODULES) * PX_PER_MODULE;
    const line = data.subarray(y * side, (y + 1) * side);
    for (let col = 0; col < matrix.size; col++) {
      const x = (col + QR_QUIET_MODULES) * PX_PER_MODULE;
      if (matrix.dark[row * matrix.size + col]) line.fill(0, x, x + PX_PER_MODULE);
    }
    for (let k = 1; k < PX_PER_MODULE; k++) line.copy(data, (y + k) * side);
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- pngjs's synchronous core only
  const png = require('pngjs/lib/png-sync') as PngSync;
  const bytes = png.write({ width: side, height: side, data }, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
  return deflatePart(new Uint8Array(bytes));
}

const emu = (pt: number): number => Math.round(pt * EMU_PER_PT);

/** The picture (relationship `relId`, drawing id `drawingId`) and caption of one QR code, as runs of the anchor paragraph. */
export function qrDrawingXml(qr: LaidQrCode, relId: string, drawingId: number): string {
  const side = emu(qr.size + 2 * qr.quietZone);
  const name = `二维码${drawingId}`;
  const a = 'http://schemas.openxmlformats.org/drawingml/2006/main';
  const picture =
    `<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" allowOverlap="1" behindDoc="1" ` +
    `locked="1" layoutInCell="1" relativeHeight="${drawingId}"><wp:simplePos x="0" y="0"/>` +
    `<wp:positionH relativeFrom="page"><wp:posOffset>${emu(qr.x - qr.quietZone)}</wp:posOffset></wp:positionH>` +
    `<wp:positionV relativeFrom="page"><wp:posOffset>${emu(qr.y - qr.quietZone)}</wp:posOffset></wp:positionV>` +
    `<wp:extent cx="${side}" cy="${side}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>` +
    `<wp:docPr id="${drawingId}" name="${name}" descr="${escapeXml(qr.url)}"/>` +
    `<wp:cNvGraphicFramePr><a:graphicFrameLocks xmlns:a="${a}" noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
    `<a:graphic xmlns:a="${a}"><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">` +
    `<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:nvPicPr>` +
    `<pic:cNvPr id="${drawingId}" name="${name}.png"/><pic:cNvPicPr/></pic:nvPicPr>` +
    `<pic:blipFill><a:blip r:embed="${relId}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
    `<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${side}" cy="${side}"/></a:xfrm>` +
    `<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>`;
  // The caption box: its text's em box where the layout put it, wide enough for an office font's full-width characters.
  const { caption } = qr;
  const first = caption.chars[0];
  const width = caption.chars.length * caption.sizePt + caption.sizePt / 2;
  const style =
    `position:absolute;margin-left:${(first?.x ?? 0).toFixed(2)}pt;margin-top:${caption.top.toFixed(2)}pt;` +
    `width:${width.toFixed(2)}pt;height:${(caption.sizePt * 1.5).toFixed(2)}pt;z-index:${drawingId};` +
    `mso-position-horizontal-relative:page;mso-position-vertical-relative:page`;
  const text =
    `<w:p><w:pPr><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>` +
    `<w:ind w:firstLine="0" w:firstLineChars="0"/><w:jc w:val="left"/></w:pPr>` +
    `<w:r><w:t xml:space="preserve">${escapeXml(caption.text)}</w:t></w:r></w:p>`;
  const box =
    `<w:r><w:pict><v:rect id="qrCaption${drawingId}" style="${style}" filled="f" stroked="f">` +
    `<v:textbox inset="0,0,0,0"><w:txbxContent>${text}</w:txbxContent></v:textbox><w10:wrap type="none"/></v:rect></w:pict></w:r>`;
  return picture + box;
}

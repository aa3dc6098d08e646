// A PNG (the bureau's seal) as an image XObject: RGB samples plus, when the PNG has transparency, a soft mask.

import type { PNG } from 'pngjs';
import { HazardNoticeError } from '../../errors';
import { deflateStream, ref, type PdfFile } from './pdf-file';

/** The image's streams, deflated: made once per PNG (a bureau's seal goes on every letter it signs). */
interface EncodedImage {
  width: number;
  height: number;
  rgb: Uint8Array;
  alpha?: Uint8Array;
}

const encoded = new WeakMap<Uint8Array, EncodedImage>();

function encodePng(png: Uint8Array): EncodedImage {
  let image: Pick<PNG, 'width' | 'height' | 'data'>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- pngjs's synchronous reader only (not its stream classes)
    const { read } = require('pngjs/lib/png-sync') as { read(png: Buffer): Pick<PNG, 'width' | 'height' | 'data'> };
    image = read(Buffer.from(png.buffer, png.byteOffset, png.byteLength));
  } catch (err) {
    throw new HazardNoticeError('E_SEAL_INVALID', `印章图片不是有效的 PNG 文件：${(err as Error).message}`, { bytes: png.length });
  }
  const pixels = image.width * image.height;
  const rgb = Buffer.alloc(pixels * 3);
  const alpha = Buffer.alloc(pixels);
  let opaque = true;
  for (let i = 0; i < pixels; i++) {
    rgb[i * 3] = image.data[i * 4];
    rgb[i * 3 + 1] = image.data[i * 4 + 1];
    rgb[i * 3 + 2] = image.data[i * 4 + 2];
    alpha[i] = image.data[i * 4 + 3];
    if (alpha[i] !== 255) opaque = false;
  }
  return { width: image.width, height: image.height, rgb: deflateStream(rgb), alpha: opaque ? undefined : deflateStream(alpha) };
}

/** Embeds the PNG; returns the image XObject's object number. Any PNG colour type and bit depth. */
export function embedPng(pdf: PdfFile, png: Uint8Array): number {
  let image = encoded.get(png);
  if (!image) encoded.set(png, (image = encodePng(png)));
  const size = `/Width ${image.width} /Height ${image.height} /BitsPerComponent 8`;
  const mask = image.alpha
    ? ` /SMask ${ref(pdf.addStream(`/Type /XObject /Subtype /Image ${size} /ColorSpace /DeviceGray`, image.alpha, 'deflated'))}`
    : '';
  return pdf.addStream(`/Type /XObject /Subtype /Image ${size} /ColorSpace /DeviceRGB${mask}`, image.rgb, 'deflated');
}

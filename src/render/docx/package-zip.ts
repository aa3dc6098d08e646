// Zips a .docx so its bytes depend only on its parts: fixed entry order and a fixed entry date
// (docx's Packer would stamp every entry with the current time). Parts arrive already deflated, so
// constant ones are compressed once and only copied into each package.
import zlib from 'node:zlib';

/** A part as stored in the zip: its raw deflate stream, plus the CRC-32 and size of the uncompressed bytes. */
export interface DeflatedPart {
  readonly deflated: Uint8Array;
  readonly crc32: number;
  readonly size: number;
}

/** Parts first in this order (the OPC convention: content types, then package rels, then the main part). */
const LEADING_PARTS = ['[Content_Types].xml', '_rels/.rels', 'word/document.xml'];

function partOrder(a: string, b: string): number {
  const ia = LEADING_PARTS.indexOf(a);
  const ib = LEADING_PARTS.indexOf(b);
  if (ia !== -1 || ib !== -1) return (ia === -1 ? LEADING_PARTS.length : ia) - (ib === -1 ? LEADING_PARTS.length : ib);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) by byte table; zlib.crc32 needs Node ≥ 20.15. */
const CRC_TABLE = Int32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/** zlib's own CRC-32 (native, Node ≥ 20.15), else the table's: the same values (test). */
const zlibCrc32 = (zlib as { crc32?: (data: Uint8Array) => number }).crc32;

export function crc32(bytes: Uint8Array): number {
  return zlibCrc32 ? zlibCrc32(bytes) : tableCrc32(bytes);
}

export function tableCrc32(bytes: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}

/**
 * Deflates a part with Node's bundled zlib (default level 6) for `zipDeterministic`. The output is fixed for a
 * given zlib build; another Node version may ship another zlib and give other (equally valid) bytes.
 */
export function deflatePart(bytes: Uint8Array): DeflatedPart {
  return { deflated: zlib.deflateRawSync(bytes), crc32: crc32(bytes), size: bytes.length };
}

/** The DOS date field (no time zone) of YYYY-MM-DD; the time field is 0 (00:00:00). */
function dosDate(date: string): number {
  const [year, month, day] = date.split('-').map(Number);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || year < 1980 || year > 2107)
    throw new RangeError(`zip entry date must be YYYY-MM-DD in 1980–2107, got ${date}`);
  return ((year - 1980) << 9) | (month << 5) | day;
}

const LOCAL_HEADER_SIZE = 30;
const CENTRAL_HEADER_SIZE = 46;
const END_RECORD_SIZE = 22;
/** "Version needed to extract" and "version made by" (MS-DOS attributes): 2.0, deflate. */
const ZIP_VERSION = 20;
const METHOD_DEFLATE = 8;

/**
 * A zip of the parts (no zip64, no extra fields, general-purpose flag 0 so entry names must be ASCII);
 * `entryDate` (YYYY-MM-DD) at 00:00 is every entry's modification time. The same parts give the same bytes.
 */
export function zipDeterministic(parts: Record<string, DeflatedPart>, entryDate: string): Uint8Array {
  const date = dosDate(entryDate);
  const paths = Object.keys(parts).sort(partOrder);
  for (const path of paths) if (!/^[\x20-\x7e]+$/.test(path)) throw new RangeError(`zip entry name must be printable ASCII, got ${path}`);
  const localSize = paths.reduce((sum, path) => sum + LOCAL_HEADER_SIZE + path.length + parts[path].deflated.length, 0);
  const centralSize = paths.reduce((sum, path) => sum + CENTRAL_HEADER_SIZE + path.length, 0);
  if (paths.length > 0xffff || localSize + centralSize > 0xffffffff) throw new RangeError('zip too large without zip64');

  const out = new Uint8Array(localSize + centralSize + END_RECORD_SIZE);
  const view = new DataView(out.buffer);
  let pos = 0;
  /** The fields local file header and central directory header share, from "version needed" to the name length. */
  const writeCommonFields = (path: string) => {
    const part = parts[path];
    view.setUint16(pos, ZIP_VERSION, true);
    view.setUint16(pos + 2, 0, true); // general-purpose flag
    view.setUint16(pos + 4, METHOD_DEFLATE, true);
    view.setUint16(pos + 6, 0, true); // time 00:00:00
    view.setUint16(pos + 8, date, true);
    view.setUint32(pos + 10, part.crc32, true);
    view.setUint32(pos + 14, part.deflated.length, true);
    view.setUint32(pos + 18, part.size, true);
    view.setUint16(pos + 22, path.length, true);
    pos += 24;
  };
  const writeName = (path: string) => {
    for (let i = 0; i < path.length; i++) out[pos++] = path.charCodeAt(i);
  };

  const localOffsets = paths.map((path) => {
    const offset = pos;
    view.setUint32(pos, 0x04034b50, true);
    pos += 4;
    writeCommonFields(path);
    pos += 2; // extra field length 0
    writeName(path);
    out.set(parts[path].deflated, pos);
    pos += parts[path].deflated.length;
    return offset;
  });
  paths.forEach((path, i) => {
    view.setUint32(pos, 0x02014b50, true);
    view.setUint16(pos + 4, ZIP_VERSION, true); // version made by
    pos += 6;
    writeCommonFields(path);
    // extra field length, comment length, disk number, internal and external attributes: all 0
    view.setUint32(pos + 12, localOffsets[i], true);
    pos += 16;
    writeName(path);
  });
  view.setUint32(pos, 0x06054b50, true);
  // disk numbers 0
  view.setUint16(pos + 8, paths.length, true);
  view.setUint16(pos + 10, paths.length, true);
  view.setUint32(pos + 12, centralSize, true);
  view.setUint32(pos + 16, localSize, true);
  // comment length 0
  return out;
}

// The few tables of an OpenType/TrueType file (sfnt) the writers need — cmap, advances, name, the PDF font
// descriptor's metrics and a CID-keyed CFF's charset — read straight from the file at their offsets. A start no longer
// reads a 24 MB fallback face (and parses its CFF) to learn its glyph ids: the whole file is read only to embed it.
// Written here rather than with fontkit because fontkit parses far more on load (its require alone decodes Unicode
// tries); test/sfnt.test.ts checks every value against fontkit on the bundled faces and their cut-down forms.

import fs from 'node:fs';

/** Where the bytes of a font come from: a slice at an offset. */
export interface ByteSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

export function bufferSource(bytes: Uint8Array): ByteSource {
  return { size: bytes.byteLength, read: (offset, length) => bytes.subarray(offset, offset + length) };
}

/** Positional reads of an open file (the caller closes `fd`). */
export function fileSource(fd: number): ByteSource {
  return {
    size: fs.fstatSync(fd).size,
    read(offset, length) {
      const out = Buffer.allocUnsafe(length);
      let done = 0;
      while (done < length) {
        const n = fs.readSync(fd, out, done, length - done, offset + done);
        if (n === 0) throw new Error(`unexpected end of file at byte ${offset + done}`);
        done += n;
      }
      return out;
    },
  };
}

/**
 * A CID-keyed CFF font's glyph → CID map (decoded on first use: only a PDF needs it), or a name-keyed CFF (which the
 * PDF writer cannot embed as Type 0).
 */
export type CffCharset = { cidKeyed: true; readonly cids: Uint32Array } | { cidKeyed: false };

export interface SfntTables {
  postscriptName: string;
  unitsPerEm: number;
  numGlyphs: number;
  /** Glyph id of a code point by the Unicode cmap; 0 (.notdef) when absent. */
  glyphId(codePoint: number): number;
  /** Advance width in font units (hmtx; glyphs past numberOfHMetrics take the last advance). */
  advance(glyphId: number): number;
  /** head, hhea, post and OS/2 values of the PDF font descriptor. */
  bbox: [number, number, number, number];
  italicAngle: number;
  ascent: number;
  descent: number;
  /** OS/2 sCapHeight and sxHeight (version ≥ 2), else undefined. */
  capHeight?: number;
  xHeight?: number;
  isFixedPitch: boolean;
  italic: boolean;
  familyClass: number;
  /** Outlines: 'CFF ' (with its charset) or TrueType 'glyf'. */
  cff?: CffCharset;
}

class Reader {
  private readonly view: DataView;

  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  u8 = (at: number) => this.view.getUint8(at);
  u16 = (at: number) => this.view.getUint16(at);
  i16 = (at: number) => this.view.getInt16(at);
  u32 = (at: number) => this.view.getUint32(at);
  i32 = (at: number) => this.view.getInt32(at);
}

const tagOf = (t: string) => t.split('').reduce((n, ch) => n * 256 + ch.charCodeAt(0), 0);

const SFNT_VERSIONS = new Set([0x00010000, tagOf('OTTO'), tagOf('true')]);

/** Unicode subtables in fontkit's order of preference (32-bit first). */
const UNICODE_CMAPS: [number, number][] = [
  [3, 10],
  [0, 6],
  [0, 4],
  [3, 1],
  [0, 3],
  [0, 2],
  [0, 1],
  [0, 0],
];

function cmapLookup(cmap: Reader): (codePoint: number) => number {
  const count = cmap.u16(2);
  if (count === 0) return () => 0; // a face cut down to no characters at all
  let offset = -1;
  for (const [platform, encoding] of UNICODE_CMAPS) {
    for (let i = 0; i < count && offset < 0; i++) {
      const rec = 4 + i * 8;
      if (cmap.u16(rec) === platform && cmap.u16(rec + 2) === encoding) offset = cmap.u32(rec + 4);
    }
    if (offset >= 0) break;
  }
  if (offset < 0) throw new Error('no Unicode cmap');
  const format = cmap.u16(offset);
  if (format === 12) {
    // Searched where it lies: a CJK face has tens of thousands of groups, a letter looks up a few hundred characters.
    const groups = cmap.u32(offset + 12);
    if (offset + 16 + groups * 12 > cmap.bytes.byteLength) throw new Error('cmap format 12 cut short');
    const group = (i: number) => offset + 16 + i * 12;
    return (cp) => {
      let lo = 0;
      let hi = groups - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const g = group(mid);
        if (cp < cmap.u32(g)) hi = mid - 1;
        else if (cp > cmap.u32(g + 4)) lo = mid + 1;
        else return cmap.u32(g + 8) + (cp - cmap.u32(g));
      }
      return 0;
    };
  }
  if (format === 4) {
    const segCount = cmap.u16(offset + 6) / 2;
    const ends = offset + 14;
    const starts = ends + segCount * 2 + 2;
    const deltas = starts + segCount * 2;
    const rangeOffsets = deltas + segCount * 2;
    return (cp) => {
      let lo = 0;
      let hi = segCount - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (cp < cmap.u16(starts + mid * 2)) hi = mid - 1;
        else if (cp > cmap.u16(ends + mid * 2)) lo = mid + 1;
        else {
          const rangeOffset = cmap.u16(rangeOffsets + mid * 2);
          const delta = cmap.i16(deltas + mid * 2);
          if (rangeOffset === 0) return (cp + delta) & 0xffff;
          // idRangeOffset counts bytes from its own slot to the glyph id (OpenType cmap format 4).
          const at = rangeOffsets + mid * 2 + rangeOffset + (cp - cmap.u16(starts + mid * 2)) * 2;
          const gid = at + 2 <= cmap.bytes.byteLength ? cmap.u16(at) : 0;
          return gid === 0 ? 0 : (gid + delta) & 0xffff;
        }
      }
      return 0;
    };
  }
  throw new Error(`Unicode cmap format ${format} is not supported (only 4 and 12)`);
}

/** nameID 6: the Windows English record (UTF-16BE), else the Mac Roman one, else the first. */
function postscriptNameOf(name: Reader): string {
  const count = name.u16(2);
  const strings = name.u16(4);
  let best: { rank: number; text: string } | undefined;
  for (let i = 0; i < count; i++) {
    const rec = 6 + i * 12;
    if (name.u16(rec + 6) !== 6) continue;
    const [platform, encoding, language] = [name.u16(rec), name.u16(rec + 2), name.u16(rec + 4)];
    const bytes = name.bytes.subarray(strings + name.u16(rec + 10), strings + name.u16(rec + 10) + name.u16(rec + 8));
    const windows = platform === 3 || platform === 0;
    const text = windows ? Buffer.from(bytes).swap16().toString('utf16le') : Buffer.from(bytes).toString('latin1');
    const rank = platform === 3 && encoding === 1 && language === 0x409 ? 0 : platform === 1 && language === 0 ? 1 : 2;
    if (!best || rank < best.rank) best = { rank, text };
  }
  if (!best) throw new Error('no PostScript name (name ID 6)');
  return best.text;
}

/** A CFF INDEX at `at`: its items' [start, end) and the offset just past it. */
function cffIndex(cff: Reader, at: number): { items: [number, number][]; end: number } {
  const count = cff.u16(at);
  if (count === 0) return { items: [], end: at + 2 };
  const offSize = cff.u8(at + 2);
  const offset = (i: number) => {
    let v = 0;
    for (let k = 0; k < offSize; k++) v = v * 256 + cff.u8(at + 3 + i * offSize + k);
    return v;
  };
  const base = at + 2 + (count + 1) * offSize;
  const items: [number, number][] = [];
  for (let i = 0; i < count; i++) items.push([base + offset(i), base + offset(i + 1)]);
  return { items, end: base + offset(count) };
}

/** The Top DICT's operators of interest: ROS present (CID-keyed), charset offset. */
function topDictOf(cff: Reader, [start, end]: [number, number]): { ros: boolean; charset: number } {
  let ros = false;
  let charset = 0;
  let operands: number[] = [];
  for (let at = start; at < end;) {
    const b = cff.u8(at);
    if (b <= 21) {
      const op = b === 12 ? 1200 + cff.u8(at + 1) : b;
      at += b === 12 ? 2 : 1;
      if (op === 1230) ros = true;
      if (op === 15) charset = operands[0] ?? 0;
      operands = [];
    } else if (b === 28) {
      operands.push(cff.i16(at + 1));
      at += 3;
    } else if (b === 29) {
      operands.push(cff.i32(at + 1));
      at += 5;
    } else if (b === 30) {
      at++;
      while ((cff.u8(at) & 0x0f) !== 0x0f && (cff.u8(at) & 0xf0) !== 0xf0) at++;
      at++;
      operands.push(0); // a real number: none of the operators read here takes one
    } else if (b <= 246) {
      operands.push(b - 139);
      at++;
    } else if (b <= 250) {
      operands.push((b - 247) * 256 + cff.u8(at + 1) + 108);
      at += 2;
    } else if (b <= 254) {
      operands.push(-(b - 251) * 256 - cff.u8(at + 1) - 108);
      at += 2;
    } else throw new Error(`bad CFF DICT byte ${b}`);
  }
  return { ros, charset };
}

/**
 * Walks a custom charset (formats 0, 1, 2; glyph 0 is CID 0), giving each glyph id its CID to `set` when given; without
 * it, only checks that the charset covers every glyph within its bytes (a bad one fails on load, not in a first PDF).
 */
function walkCharset(charset: Reader, numGlyphs: number, set?: (gid: number, cid: number) => void): void {
  const format = charset.u8(0);
  if (format === 0) {
    if (numGlyphs > 1) charset.u16(1 + (numGlyphs - 2) * 2);
    if (set) for (let gid = 1; gid < numGlyphs; gid++) set(gid, charset.u16(1 + (gid - 1) * 2));
    return;
  }
  if (format !== 1 && format !== 2) throw new Error(`bad CFF charset format ${format}`);
  const size = format === 1 ? 3 : 4;
  for (let gid = 1, at = 1; gid < numGlyphs; at += size) {
    const first = charset.u16(at);
    const nLeft = format === 1 ? charset.u8(at + 2) : charset.u16(at + 2);
    if (!set) gid += nLeft + 1;
    else for (let k = 0; k <= nLeft && gid < numGlyphs; k++) set(gid++, first + k);
  }
}

/** The CFF table's charset, reading from its start only what the header, Name and Top DICT INDEXes span. */
function cffCharset(src: ByteSource, offset: number, length: number, numGlyphs: number): CffCharset {
  let prefix = new Reader(src.read(offset, Math.min(length, 4096)));
  let top: { ros: boolean; charset: number } | undefined;
  while (!top) {
    try {
      const names = cffIndex(prefix, prefix.u8(2));
      const dicts = cffIndex(prefix, names.end);
      if (dicts.end > prefix.bytes.byteLength) throw new RangeError('Top DICT beyond the prefix');
      top = topDictOf(prefix, dicts.items[0]);
    } catch (e) {
      if (!(e instanceof RangeError) || prefix.bytes.byteLength >= length) throw e;
      prefix = new Reader(src.read(offset, Math.min(length, prefix.bytes.byteLength * 8)));
    }
  }
  if (!top.ros) return { cidKeyed: false };
  if (top.charset <= 2) throw new Error('CID-keyed CFF with a predefined charset');
  const start = offset + top.charset;
  const charset = new Reader(src.read(start, Math.min(offset + length - start, 1 + 4 * numGlyphs)));
  walkCharset(charset, numGlyphs);
  let cids: Uint32Array | undefined;
  return {
    cidKeyed: true,
    get cids() {
      if (!cids) {
        const map = new Uint32Array(numGlyphs);
        walkCharset(charset, numGlyphs, (gid, cid) => (map[gid] = cid));
        cids = map;
      }
      return cids;
    },
  };
}

/** Reads the tables; throws an Error saying what is wrong when the file is not a usable single sfnt font. */
export function readSfnt(src: ByteSource): SfntTables {
  const header = new Reader(src.read(0, Math.min(src.size, 12)));
  if (header.bytes.byteLength < 12) throw new Error('file too short');
  const version = header.u32(0);
  if (version === tagOf('ttcf')) throw new Error('ttcf');
  if (!SFNT_VERSIONS.has(version)) throw new Error(`not an OpenType/TrueType file (signature 0x${version.toString(16)})`);
  const numTables = header.u16(4);
  const dir = new Reader(src.read(12, numTables * 16));
  const tables = new Map<string, { offset: number; length: number }>();
  for (let i = 0; i < numTables; i++) {
    const rec = i * 16;
    const t = String.fromCharCode(dir.u8(rec), dir.u8(rec + 1), dir.u8(rec + 2), dir.u8(rec + 3));
    tables.set(t, { offset: dir.u32(rec + 8), length: dir.u32(rec + 12) });
  }
  const table = (t: string) => {
    const entry = tables.get(t);
    if (!entry) throw new Error(`no ${t.trim()} table`);
    if (entry.offset + entry.length > src.size) throw new Error(`${t.trim()} table beyond the end of the file`);
    return new Reader(src.read(entry.offset, entry.length));
  };
  const head = table('head');
  const hhea = table('hhea');
  const numGlyphs = table('maxp').u16(4);
  const hmtx = table('hmtx');
  const post = table('post');
  const os2 = tables.has('OS/2') ? table('OS/2') : undefined;
  const numberOfHMetrics = hhea.u16(34);
  const lastAdvance = numberOfHMetrics > 0 ? hmtx.u16((numberOfHMetrics - 1) * 4) : 0;
  const os2v2 = os2 && os2.u16(0) >= 2;
  const cffEntry = tables.get('CFF ');
  if (!cffEntry && !tables.has('glyf')) throw new Error('neither CFF nor TrueType outlines');
  return {
    postscriptName: postscriptNameOf(table('name')),
    unitsPerEm: head.u16(18),
    numGlyphs,
    glyphId: cmapLookup(table('cmap')),
    advance: (gid) => (gid < numberOfHMetrics ? hmtx.u16(gid * 4) : lastAdvance),
    bbox: [head.i16(36), head.i16(38), head.i16(40), head.i16(42)],
    italicAngle: post.i32(4) / 65536,
    ascent: hhea.i16(4),
    descent: hhea.i16(6),
    capHeight: os2v2 ? os2.i16(88) : undefined,
    xHeight: os2v2 ? os2.i16(86) : undefined,
    isFixedPitch: post.u32(12) !== 0,
    italic: (head.u16(44) & 2) !== 0,
    familyClass: os2 ? os2.i16(30) : 0,
    cff: cffEntry ? cffCharset(src, cffEntry.offset, cffEntry.length, numGlyphs) : undefined,
  };
}

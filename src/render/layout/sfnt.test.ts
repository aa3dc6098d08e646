import fs from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';
import { defaultFontsDir } from './fonts';
import { SubsetFace } from './hb-subset';
import { bufferSource, fileSource, readSfnt, type SfntTables } from './sfnt';

/** fontkit's CFF charset, as it parses it. */
interface FontkitCff {
  isCIDFont: boolean;
  topDict: { charset: { version: number; glyphs?: number[]; ranges?: { first: number; nLeft: number }[] } };
}

function fontkitCids(font: fontkit.Font): Uint32Array {
  const cff = (font as unknown as { 'CFF ': FontkitCff })['CFF '];
  const cids = new Uint32Array(font.numGlyphs);
  const charset = cff.topDict.charset;
  if (charset.version === 0) charset.glyphs!.forEach((cid, i) => (cids[i + 1] = cid));
  let gid = 1;
  for (const range of charset.ranges ?? []) {
    for (let k = 0; k <= range.nLeft && gid < font.numGlyphs; k++) cids[gid++] = range.first + k;
  }
  return cids;
}

/** Every value the writers take from the tables, as fontkit gives it. */
function expectSameAsFontkit(ours: SfntTables, bytes: Uint8Array): void {
  const font = fontkit.create(Buffer.from(bytes)) as fontkit.Font;
  const os2 = (font as unknown as { 'OS/2': { sFamilyClass: number } })['OS/2'];
  const post = (font as unknown as { post: { isFixedPitch: number } }).post;
  const head = (font as unknown as { head: { macStyle: { italic: boolean } } }).head;
  expect({
    postscriptName: ours.postscriptName,
    unitsPerEm: ours.unitsPerEm,
    numGlyphs: ours.numGlyphs,
    bbox: ours.bbox,
    italicAngle: ours.italicAngle,
    ascent: ours.ascent,
    descent: ours.descent,
    capHeight: ours.capHeight || ours.ascent,
    xHeight: ours.xHeight || 0,
    isFixedPitch: ours.isFixedPitch,
    italic: ours.italic,
    familyClass: ours.familyClass,
  }).toEqual({
    postscriptName: font.postscriptName,
    unitsPerEm: font.unitsPerEm,
    numGlyphs: font.numGlyphs,
    bbox: [font.bbox.minX, font.bbox.minY, font.bbox.maxX, font.bbox.maxY],
    italicAngle: font.italicAngle,
    ascent: font.ascent,
    descent: font.descent,
    capHeight: font.capHeight || font.ascent,
    xHeight: font.xHeight || 0,
    isFixedPitch: post.isFixedPitch !== 0,
    italic: head.macStyle.italic,
    familyClass: os2.sFamilyClass,
  });
  expect(ours.cff?.cidKeyed).toBe(true);
  expect(ours.cff?.cidKeyed && ours.cff.cids).toEqual(fontkitCids(font));
  // Every mapped character, and every code point of the BMP and of planes 1–2 (mapped or not).
  const codePoints = new Set([...font.characterSet]);
  for (let cp = 0; cp < 0x30000; cp += cp < 0x10000 ? 1 : 7) codePoints.add(cp);
  const differ: string[] = [];
  for (const cp of codePoints) {
    const glyph = font.glyphForCodePoint(cp);
    const id = ours.glyphId(cp);
    if (id !== glyph.id || ours.advance(id) !== glyph.advanceWidth) differ.push(`U+${cp.toString(16)}: ${id}/${glyph.id}`);
  }
  expect(differ.slice(0, 5)).toEqual([]);
}

const files = ['FandolFang-Regular.otf', 'FandolSong-Bold.otf', 'NotoSerifCJKsc-Regular.otf'];

describe('readSfnt', () => {
  test.each(files)('reads %s as fontkit does, from its tables only', (name) => {
    const full = path.join(defaultFontsDir(), name);
    const fd = fs.openSync(full, 'r');
    const src = fileSource(fd);
    let read = 0;
    const counting = { size: src.size, read: (o: number, n: number) => ((read += n), src.read(o, n)) };
    try {
      expectSameAsFontkit(readSfnt(counting), fs.readFileSync(full));
    } finally {
      fs.closeSync(fd);
    }
    expect(read).toBeLessThan(src.size / 8);
  });

  test('reads a face cut down by hb-subset (new glyph ids, CIDs kept) as fontkit does', () => {
    const bytes = fs.readFileSync(path.join(defaultFontsDir(), 'FandolFang-Regular.otf'));
    const unicodes = [...'职业病危害告知单（）12'].map((c) => c.codePointAt(0)!);
    const cut = new SubsetFace(bytes).subset({ unicodes });
    expectSameAsFontkit(readSfnt(bufferSource(cut)), cut);
  });

  test('reads a face cut down to no characters as covering none', () => {
    const bytes = fs.readFileSync(path.join(defaultFontsDir(), 'FandolFang-Regular.otf'));
    const empty = readSfnt(bufferSource(new SubsetFace(bytes).subset({ unicodes: [] })));
    expect(['职', 'A', '𠮷'].map((c) => empty.glyphId(c.codePointAt(0)!))).toEqual([0, 0, 0]);
  });

  test('a CFF charset cut short is refused when the face is read, not when a first PDF needs its CIDs', () => {
    const bytes = fs.readFileSync(path.join(defaultFontsDir(), 'FandolFang-Regular.otf'));
    const reads: number[] = [];
    const whole = bufferSource(bytes);
    readSfnt({ size: whole.size, read: (o, n) => (reads.push(o), whole.read(o, n)) });
    const charsetAt = reads[reads.length - 1]; // the charset is read last
    const short = { size: whole.size, read: (o: number, n: number) => whole.read(o, o === charsetAt ? 3 : n) };
    expect(() => readSfnt(short)).toThrow(RangeError);
  });

  test('a cmap of 32-bit groups claiming more groups than it holds is refused when the face is read', () => {
    const bytes = Buffer.from(fs.readFileSync(path.join(defaultFontsDir(), 'NotoSerifCJKsc-Regular.otf')));
    const tables = bytes.readUInt16BE(4);
    let cmap = -1;
    for (let i = 0; i < tables; i++)
      if (bytes.toString('latin1', 12 + i * 16, 16 + i * 16) === 'cmap') cmap = bytes.readUInt32BE(20 + i * 16);
    const subtables = Array.from({ length: bytes.readUInt16BE(cmap + 2) }, (_, i) => cmap + bytes.readUInt32BE(cmap + 8 + i * 8));
    const format12 = subtables.find((at) => bytes.readUInt16BE(at) === 12)!;
    expect(readSfnt(bufferSource(bytes)).glyphId(0x4e2d)).toBeGreaterThan(0);
    bytes.writeUInt32BE(0x0fffffff, format12 + 12);
    expect(() => readSfnt(bufferSource(bytes))).toThrow('cmap format 12 cut short');
  });

  test('says what is wrong with a file that is no single sfnt font', () => {
    expect(() => readSfnt(bufferSource(Buffer.from('ttcf\x00\x01\x00\x00\x00\x00\x00\x00')))).toThrow('ttcf');
    expect(() => readSfnt(bufferSource(Buffer.from('wOF2\x00\x01\x00\x00\x00\x00\x00\x00')))).toThrow(/not an OpenType\/TrueType file/);
    expect(() => readSfnt(bufferSource(Buffer.from('OTTO')))).toThrow(/too short/);
  });
});

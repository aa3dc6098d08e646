// The zip writer: readable by fflate and Info-ZIP, entries in OPC order, the same bytes for the same parts.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { strToU8, unzipSync } from 'fflate';
import { crc32, deflatePart, tableCrc32, zipDeterministic } from './package-zip';
import { hasTool } from '../../../test/tools';

const contents: Record<string, Uint8Array> = {
  'word/styles.xml': strToU8('<w:styles>' + '<w:style w:type="paragraph"/>'.repeat(200) + '</w:styles>'),
  'docProps/core.xml': strToU8('<cp:coreProperties><dc:title>职业病危害项目申报告知单</dc:title></cp:coreProperties>'),
  'word/document.xml': strToU8('<w:document><w:body><w:p/></w:body></w:document>'),
  '_rels/.rels': strToU8('<Relationships/>'),
  'word/media/image1.png': Uint8Array.from({ length: 3000 }, (_, i) => (i * 7919) % 256),
  'word/empty.xml': new Uint8Array(0),
  '[Content_Types].xml': strToU8('<Types/>'),
};
/** Deflated once, as the skeleton's parts are, and reused by every zip below. */
const precompressed = Object.fromEntries(Object.entries(contents).map(([name, bytes]) => [name, deflatePart(bytes)]));
const zipped = zipDeterministic(precompressed, '2026-11-29');

test('crc32: the standard check values, by zlib and by the table alike', () => {
  for (const f of [crc32, tableCrc32]) {
    expect(f(new Uint8Array(0))).toBe(0);
    expect(f(strToU8('123456789'))).toBe(0xcbf43926);
    expect(f(strToU8('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  }
  const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 2654435761) >>> 24);
  expect(crc32(bytes)).toBe(tableCrc32(bytes));
});

test('round trip through fflate: every part, including precompressed and empty ones, comes back unchanged', () => {
  const unzipped = unzipSync(zipped);
  expect(Object.keys(unzipped).sort()).toEqual(Object.keys(contents).sort());
  for (const [name, bytes] of Object.entries(contents)) expect(Buffer.from(unzipped[name]).equals(Buffer.from(bytes))).toBe(true);
});

test('entries: content types, package rels, main part first, then by name; deflated, dated 2026-11-29 00:00', () => {
  expect(Object.keys(unzipSync(zipped))).toEqual([
    '[Content_Types].xml',
    '_rels/.rels',
    'word/document.xml',
    'docProps/core.xml',
    'word/empty.xml',
    'word/media/image1.png',
    'word/styles.xml',
  ]);
  const view = new DataView(zipped.buffer, zipped.byteOffset, zipped.byteLength);
  expect(view.getUint32(0, true)).toBe(0x04034b50);
  expect([4, 6, 8, 10, 12].map((offset) => view.getUint16(offset, true))).toEqual([20, 0, 8, 0, ((2026 - 1980) << 9) | (11 << 5) | 29]);
});

test('deterministic: the same parts in any insertion order give the same bytes', () => {
  const reversed = Object.fromEntries(
    Object.entries(contents)
      .reverse()
      .map(([name, bytes]) => [name, deflatePart(bytes)]),
  );
  expect(Buffer.from(zipDeterministic(reversed, '2026-11-29')).equals(Buffer.from(zipped))).toBe(true);
});

(hasTool('unzip', ['-v'], 'unzip') ? test : test.skip)('unzip -t accepts the archive', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-zip-'));
  try {
    const file = path.join(dir, 'parts.zip');
    fs.writeFileSync(file, zipped);
    const result = spawnSync('unzip', ['-t', file], { encoding: 'utf8' });
    expect(result.stdout).toContain('No errors detected');
    expect(result.status).toBe(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('refuses what a plain zip cannot say: non-ASCII names, dates before 1980', () => {
  expect(() => zipDeterministic({ 'word/图.png': precompressed['word/empty.xml'] }, '2026-11-29')).toThrow(RangeError);
  expect(() => zipDeterministic(precompressed, '1979-12-31')).toThrow(RangeError);
});

// Pass 1 cuts the template's faces for pass 2: each face to the characters its role draws with it, a face that
// draws none of them linked whole (never read), and the files are read while the rows are staged.

import fs from 'node:fs';
import path from 'node:path';
import { stage } from '../src/batch/stage-worker';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { defaultLayout } from './fixtures/sample-letter-document';
import { tempDir, writeCsv } from './fixtures/batch/harness';

const FANG = 'FandolFang-Regular.otf';
const SONG = 'FandolSong-Bold.otf';
const NOTO = 'NotoSerifCJKsc-Regular.otf';

/** Pass 1 over one row per name (C3011, 城中区); the folder of the faces cut for its letters. */
async function cutFor(names: string[]): Promise<string> {
  const dir = tempDir('font-cut');
  const input = writeCsv(
    dir,
    'rows.csv',
    names.map((name) => [name, '', 'C3011', '城中区', '', '', '']),
  );
  const cut = path.join(dir, 'cut');
  fs.mkdirSync(cut);
  const result = await stage({
    input,
    date: '2026-11-29',
    fontsDir: defaultFontsDir(),
    stagingFile: path.join(dir, 'staging.sqlite'),
    rejectsFile: path.join(dir, 'rejects.csv'),
    narrowedFontsDir: cut,
  });
  expect(result).toEqual({ rowsRead: names.length, rowsRejected: 0 });
  return cut;
}

const size = (file: string) => fs.statSync(file).size;

test('each role’s faces are cut to its own characters; a fallback face no letter draws is linked, not cut', async () => {
  const cut = await cutFor(['柳州市恒通机械有限公司', '柳州市明达水泥有限公司']);
  const fonts = defaultFontsDir();
  for (const face of [FANG, SONG]) {
    expect(fs.lstatSync(path.join(cut, face)).isSymbolicLink()).toBe(false);
    expect(size(path.join(cut, face))).toBeLessThan(size(path.join(fonts, face)) / 10);
  }
  // The title's face holds only the title's characters: far fewer than the body's.
  expect(size(path.join(cut, SONG))).toBeLessThan(size(path.join(cut, FANG)) / 10);
  // No character of these letters needs the fallback face: the whole face, linked.
  expect(fs.lstatSync(path.join(cut, NOTO)).isSymbolicLink()).toBe(true);
  expect(fs.realpathSync(path.join(cut, NOTO))).toBe(fs.realpathSync(path.join(fonts, NOTO)));
  expect(loadFontSet(cut, defaultLayout).roles.body.map((f) => f.file)).toEqual([FANG, NOTO]);
});

test('a character only the fallback face has: that face is cut too', async () => {
  const cut = await cutFor(['柳州市喆华印务有限公司']);
  expect(fs.lstatSync(path.join(cut, NOTO)).isSymbolicLink()).toBe(false);
  expect(size(path.join(cut, NOTO))).toBeLessThan(100_000);
  const body = loadFontSet(cut, defaultLayout).roles.body;
  const zhe = '喆'.codePointAt(0)!;
  expect(body[0].hasChar(zhe)).toBe(false);
  expect(body[1].hasChar(zhe)).toBe(true);
});

test('a face read ahead is not read again; a failed read ahead leaves the report to its first use', async () => {
  const dir = tempDir('prefetch');
  for (const face of [FANG, SONG, NOTO]) fs.copyFileSync(path.join(defaultFontsDir(), face), path.join(dir, face));
  const fonts = loadFontSet(dir, defaultLayout);
  const [fang] = fonts.roles.body;
  const original = fs.readFileSync(path.join(dir, FANG));
  await fang.prefetch();
  fs.writeFileSync(path.join(dir, FANG), 'changed after it was read');
  expect(Buffer.from(fang.bytes).equals(original)).toBe(true);

  const [song] = fonts.roles.title;
  fs.rmSync(path.join(dir, SONG));
  await expect(song.prefetch()).resolves.toBeUndefined();
  expect(() => song.bytes).toThrow(/ENOENT/);
});

test('where the file system refuses links, a face kept whole is copied into the cut folder', async () => {
  const links = jest.spyOn(fs, 'symlinkSync').mockImplementation(() => {
    throw Object.assign(new Error('EPERM: operation not permitted, symlink'), { code: 'EPERM' });
  });
  try {
    const cut = await cutFor(['柳州市恒通机械有限公司']);
    expect(links).toHaveBeenCalled();
    expect(fs.lstatSync(path.join(cut, NOTO)).isSymbolicLink()).toBe(false);
    expect(size(path.join(cut, NOTO))).toBe(size(path.join(defaultFontsDir(), NOTO)));
  } finally {
    links.mockRestore();
  }
});

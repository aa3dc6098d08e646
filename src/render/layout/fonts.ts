// Font faces for both writers: each file's tables read once per process (sfnt.ts), chained per role
// for per-character fallback (first face in the role's list that has the glyph). A face's whole file is read
// only when it is cut for embedding, so a fallback face no letter draws costs only its tables.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { HazardNoticeError } from '../../errors';
import { bundledPath } from '../../package-root';
import type { PageLayout } from '../../letter/model';
import { SubsetFace, SubsetFailed, type SubsetRequest } from './hb-subset';
import { bufferSource, fileSource, readSfnt, type ByteSource, type SfntTables } from './sfnt';

export type FontRoleName = 'body' | 'title';

export interface FontFace {
  /** File name under the fonts directory (as listed in layout.fonts.<role>.files). */
  readonly file: string;
  readonly postscriptName: string;
  /** The font program, for embedding (read on first use). The same object for the life of the face. */
  readonly bytes: Uint8Array;
  /** The values read from the font's tables (metrics, cmap, CFF charset). */
  readonly tables: SfntTables;
  readonly unitsPerEm: number;
  hasChar(codePoint: number): boolean;
  /** Id of the glyph the cmap maps `codePoint` to; 0 (.notdef) when the face lacks it. */
  glyphId(codePoint: number): number;
  /** Advance width in font units of the glyph the cmap maps `codePoint` to. */
  advance(codePoint: number): number;
  /** The face cut to these characters, as a font file (for measuring them and cutting per-letter programs). */
  narrowedTo(codePoints: Iterable<number>): Uint8Array;
  /** The face cut by hb-subset (the face stays loaded in HarfBuzz between calls when small), as a font file. */
  subset(request: SubsetRequest): Uint8Array;
  /** Frees the face's copy in HarfBuzz's memory (a later subset loads it again). */
  release(): void;
  /** Reads the font program in the background, ahead of its first use (a batch's faces while its rows are read). */
  prefetch(): Promise<void>;
}

export interface FontSet {
  readonly dir: string;
  /** Faces tried in order, per role. */
  readonly roles: Readonly<Record<FontRoleName, readonly FontFace[]>>;
}

/** The fonts/ folder at the package root (works from src/ under ts-jest and from dist/). */
export function defaultFontsDir(): string {
  return bundledPath('fonts');
}

/**
 * A face from its tables (read from `src`) and its bytes (`bytes()`, read when first needed, or ahead by `readAhead`).
 * `source` names the file in errors.
 */
function makeFace(file: string, src: ByteSource, bytes: () => Uint8Array, source: string, readAhead?: () => Promise<Uint8Array>): FontFace {
  let tables: SfntTables;
  try {
    tables = readSfnt(src);
  } catch (err) {
    const message = (err as Error).message;
    if (message === 'ttcf') {
      throw new HazardNoticeError('E_FONT_INVALID', `字体文件“${source}”是字体集合（TTC），请提供单一字体文件（TTF/OTF）`, {
        file: source,
      });
    }
    throw new HazardNoticeError('E_FONT_INVALID', `字体文件“${source}”无法解析：${message}`, { file: source });
  }
  // Refused on loading, not when a first PDF is written: a letter's faces serve both writers.
  if (tables.cff && !tables.cff.cidKeyed) {
    throw new HazardNoticeError(
      'E_FONT_UNSUPPORTED',
      `字体文件“${source}”是非 CID 的 CFF 字体，无法嵌入 PDF；请改用 CID 键控的 OpenType 字体（如 Fandol、思源/Noto CJK）或 TrueType 字体`,
      { file: source },
    );
  }
  // One cmap lookup per character for the life of the face: glyph id 0 (.notdef) = not covered.
  const glyphs = new Map<number, { id: number; advance: number }>();
  const glyphOf = (cp: number) => {
    let glyph = glyphs.get(cp);
    if (!glyph) {
      const id = tables.glyphId(cp);
      glyphs.set(cp, (glyph = { id, advance: tables.advance(id) }));
    }
    return glyph;
  };
  let program: Uint8Array | undefined;
  let reading: Promise<void> | undefined;
  let subsetter: SubsetFace | undefined;
  const subsetFace = () => (subsetter ??= new SubsetFace((program ??= bytes())));
  return {
    file,
    postscriptName: tables.postscriptName,
    get bytes() {
      return (program ??= bytes());
    },
    tables,
    unitsPerEm: tables.unitsPerEm,
    // No layout closure: a cut face only measures (cmap, advances) and gives per-letter programs by glyph, so the
    // glyphs GSUB reaches are never drawn (cutting FandolFang 57 → 6 ms, Noto Serif CJK 65 → 10 ms; letters unchanged).
    // A TrueType face keeps its glyph ids (its PDF codes), as a CID-keyed CFF face keeps its CIDs.
    narrowedTo(codePoints) {
      return subsetFace().subset({ unicodes: codePoints, retainGids: !tables.cff });
    },
    subset: (request) => subsetFace().subset(request),
    release: () => subsetter?.release(),
    // A failed read is left to the first use, which reads again and reports it.
    prefetch: () =>
      (reading ??=
        program || !readAhead
          ? Promise.resolve()
          : readAhead().then(
              (b) => {
                program ??= b;
              },
              () => undefined,
            )),
    hasChar: (cp) => glyphOf(cp).id !== 0,
    glyphId: (cp) => glyphOf(cp).id,
    advance: (cp) => glyphOf(cp).advance,
  };
}

const asBytes = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const facesByPath = new Map<string, FontFace>();

function readFace(full: string, file: string): FontFace {
  let fd: number;
  try {
    fd = fs.openSync(full, 'r');
  } catch {
    throw new HazardNoticeError('E_FONT_MISSING', `找不到字体文件“${full}”`, { file: full });
  }
  try {
    return makeFace(
      file,
      fileSource(fd),
      () => asBytes(fs.readFileSync(full)),
      full,
      () => fs.promises.readFile(full).then(asBytes),
    );
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Forgets the faces loaded from `fontsDir` and frees their HarfBuzz memory: a batch's faces, cut into a folder of its
 * own, once the batch is made in this thread (a server makes many batches; HarfBuzz's memory is a fixed 64 MiB).
 */
export function unloadFontsDir(fontsDir: string): void {
  const dir = path.resolve(fontsDir) + path.sep;
  for (const [full, face] of facesByPath) {
    if (!full.startsWith(dir)) continue;
    face.release();
    facesByPath.delete(full);
  }
}

/** The font files loaded in this thread (for tests). */
export function loadedFontFiles(): string[] {
  return [...facesByPath.keys()];
}

/** Loads the faces the layout names; each file is parsed once per process and shared. */
export function loadFontSet(fontsDir: string, layout: PageLayout): FontSet {
  const load = (file: string) => {
    const full = path.resolve(fontsDir, file);
    let face = facesByPath.get(full);
    if (!face) facesByPath.set(full, (face = readFace(full, file)));
    return face;
  };
  return {
    dir: fontsDir,
    roles: {
      body: layout.fonts.body.files.map(load),
      title: layout.fonts.title.files.map(load),
    },
  };
}

/** A font set's faces, each once, the body's first (the order of a PDF's font resources). */
export function facesOf(fonts: FontSet): FontFace[] {
  return [...new Set([...fonts.roles.body, ...fonts.roles.title])];
}

/** The first face of the role that has the character, or undefined. */
export function faceFor(fonts: FontSet, role: FontRoleName, codePoint: number): FontFace | undefined {
  return fonts.roles[role].find((face) => face.hasChar(codePoint));
}

/** Distinct characters of `text` that no face of the role can draw, in order of appearance. */
export function missingCharacters(text: string, fonts: FontSet, role: FontRoleName): string[] {
  const missing: string[] = [];
  for (const ch of new Set(text)) {
    const cp = ch.codePointAt(0)!;
    if (!faceFor(fonts, role, cp)) missing.push(ch);
  }
  return missing;
}

export function codePointLabel(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

export function glyphMissingError(ch: string, fonts: FontSet, role: FontRoleName): HazardNoticeError {
  const files = fonts.roles[role].map((f) => f.file).join('、');
  return new HazardNoticeError(
    'E_GLYPH_MISSING',
    `字符“${ch}”（${codePointLabel(ch)}）在随附字体中均无字形（已尝试：${files}），请检查输入或补充字体`,
    { char: ch, codePoint: codePointLabel(ch), role, files: fonts.roles[role].map((f) => f.file) },
  );
}

/** The characters a batch prints, per font role (the title's face draws only the title's). */
export type PrintedChars = Readonly<Record<FontRoleName, Iterable<string>>>;

/**
 * Cuts every face once to the characters it actually draws out of `chars` (per role, the first face
 * with the glyph) with hb-subset, for batch use: far cheaper to embed per letter. Metrics and the
 * fallback choice are unchanged, so text drawn from `chars` in its role lays out and renders identically.
 * A face is kept whole (the same object) when it draws none of them, or when HarfBuzz cannot cut it.
 */
export function narrowFontSet(fonts: FontSet, chars: PrintedChars): FontSet {
  const keep = new Map<FontFace, Set<string>>();
  for (const role of ['body', 'title'] as const) {
    for (const face of fonts.roles[role]) if (!keep.has(face)) keep.set(face, new Set());
    for (const ch of new Set(chars[role])) {
      const face = faceFor(fonts, role, ch.codePointAt(0)!);
      if (face) keep.get(face)!.add(ch);
    }
  }
  const narrowed = new Map<FontFace, FontFace>();
  for (const [face, set] of keep) {
    // A face that draws none of them stays whole, not cut: no letter of the batch embeds it.
    if (set.size === 0) {
      narrowed.set(face, face);
      continue;
    }
    let bytes: Uint8Array;
    try {
      bytes = face.narrowedTo(Array.from(set, (ch) => ch.codePointAt(0)!));
    } catch (e) {
      // HarfBuzz's fixed 64 MiB cannot hold a CJK face and a cut of some 4,500 characters or more: the batch keeps the
      // whole face (each letter's program is then cut from it, slower; the same codes, so the same bytes).
      if (!(e instanceof SubsetFailed)) throw e;
      narrowed.set(face, face);
      continue;
    }
    narrowed.set(
      face,
      makeFace(face.file, bufferSource(bytes), () => bytes, `${face.file}（子集）`),
    );
  }
  return {
    dir: fonts.dir,
    roles: {
      body: fonts.roles.body.map((f) => narrowed.get(f)!),
      title: fonts.roles.title.map((f) => narrowed.get(f)!),
    },
  };
}

// Font faces for both writers: each file parsed once per process with fontkit 2, chained per role
// for per-character fallback (first face in the role's list that has the glyph).

import * as fs from 'node:fs';
import * as path from 'node:path';
import * as fontkit from 'fontkit';
import subsetFont from 'subset-font';
import { HazardNoticeError } from '../../errors';
import { bundledPath } from '../../package-root';
import type { PageLayout } from '../../letter/model';

export type FontRoleName = 'body' | 'title';

export interface FontFace {
  /** File name under the fonts directory (as listed in layout.fonts.<role>.files). */
  readonly file: string;
  readonly postscriptName: string;
  /** The font program, for embedding. The same object for the life of the face (caches key on it). */
  readonly bytes: Uint8Array;
  readonly font: fontkit.Font;
  readonly unitsPerEm: number;
  hasChar(codePoint: number): boolean;
  /** Advance width in font units of the glyph the cmap maps `codePoint` to. */
  advance(codePoint: number): number;
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

function makeFace(file: string, bytes: Uint8Array, source: string): FontFace {
  let parsed: fontkit.Font | fontkit.FontCollection;
  try {
    parsed = fontkit.create(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err) {
    throw new HazardNoticeError('E_FONT_INVALID', `字体文件“${source}”无法解析：${(err as Error).message}`, { file: source });
  }
  if (!('unitsPerEm' in parsed)) {
    throw new HazardNoticeError('E_FONT_INVALID', `字体文件“${source}”是字体集合（TTC），请提供单一字体文件（TTF/OTF）`, { file: source });
  }
  const font = parsed;
  const advances = new Map<number, number>();
  const covered = new Map<number, boolean>();
  return {
    file,
    postscriptName: font.postscriptName,
    bytes,
    font,
    unitsPerEm: font.unitsPerEm,
    hasChar(cp) {
      let has = covered.get(cp);
      if (has === undefined) {
        has = font.hasGlyphForCodePoint(cp);
        covered.set(cp, has);
      }
      return has;
    },
    advance(cp) {
      let w = advances.get(cp);
      if (w === undefined) {
        w = font.glyphForCodePoint(cp).advanceWidth;
        advances.set(cp, w);
      }
      return w;
    },
  };
}

const facesByPath = new Map<string, FontFace>();

function loadFace(fontsDir: string, file: string): FontFace {
  const full = path.resolve(fontsDir, file);
  let face = facesByPath.get(full);
  if (!face) {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(full);
    } catch {
      throw new HazardNoticeError('E_FONT_MISSING', `找不到字体文件“${full}”`, { file: full });
    }
    face = makeFace(file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), full);
    facesByPath.set(full, face);
  }
  return face;
}

/** Loads the faces the layout names; each file is parsed once per process and shared. */
export function loadFontSet(fontsDir: string, layout: PageLayout): FontSet {
  return {
    dir: fontsDir,
    roles: {
      body: layout.fonts.body.files.map((f) => loadFace(fontsDir, f)),
      title: layout.fonts.title.files.map((f) => loadFace(fontsDir, f)),
    },
  };
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

/**
 * Cuts every face once to the characters it actually draws out of `chars` (per role, the first face
 * with the glyph) with hb-subset, for batch use: far cheaper to embed per letter. Metrics and the
 * fallback choice are unchanged, so text drawn from `chars` lays out and renders identically.
 */
export async function narrowFontSet(fonts: FontSet, chars: Iterable<string>): Promise<FontSet> {
  const distinct = [...new Set(chars)].sort();
  const keep = new Map<FontFace, Set<string>>();
  for (const role of ['body', 'title'] as const) {
    for (const face of fonts.roles[role]) if (!keep.has(face)) keep.set(face, new Set());
    for (const ch of distinct) {
      const face = faceFor(fonts, role, ch.codePointAt(0)!);
      if (face) keep.get(face)!.add(ch);
    }
  }
  const narrowed = new Map<FontFace, FontFace>();
  for (const [face, set] of keep) {
    const bytes = await subsetFont(Buffer.from(face.bytes.buffer, face.bytes.byteOffset, face.bytes.byteLength), [...set].join(''), {
      targetFormat: 'sfnt',
    });
    narrowed.set(face, makeFace(face.file, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), `${face.file}（子集）`));
  }
  return {
    dir: fonts.dir,
    roles: {
      body: fonts.roles.body.map((f) => narrowed.get(f)!),
      title: fonts.roles.title.map((f) => narrowed.get(f)!),
    },
  };
}

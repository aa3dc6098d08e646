// The prebuilt knowledge base, made by `npm run build` from data/: the compiled knowledge base (compiled.ts) for a
// data directory whose every file has the build's bytes, and each data file's validated value for one where only some
// do, so a start skips parsing YAML with positions, CSV and the schemas. Values are used only for the very bytes they
// were made from (SHA-256 of each file, catalog.yaml included) and by the very code that made them (the compiled
// readers, the yaml and zod versions); anything else is read from data/ as before.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import { type CodeInputs, readBuildImage, writeBuildImage } from '../build-image';
import type { CompiledKnowledgeBase } from './compiled';

/** Beside the compiled catalogue code (dist/knowledge-base.bin); none exists beside the TypeScript sources. */
export const PREBUILT_FILE = path.join(__dirname, '..', 'knowledge-base.bin');

/** The manifest, whose hash must match for any file's value to be used (it says which file holds what). */
const MANIFEST_NAME = 'catalog.yaml';

interface PrebuiltImage {
  /** SHA-256 of each data file read, by name. */
  hashes: Record<string, string>;
  /** The compiled knowledge base, for a directory whose every file has these bytes (none for data with problems). */
  compiled?: CompiledKnowledgeBase;
  /** v8-serialized: each file's validated value by name (deserialized only when some file differs). */
  values: Uint8Array;
}

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

/** What the values depend on besides the data: the compiled readers (catalog, yaml-file, csv) and the parsers' versions. */
const READERS: CodeInputs = {
  dirs: ['catalog', 'yaml-file', 'csv'].map((d) => path.join(__dirname, '..', d)),
  packages: ['yaml', 'zod'],
};

/** Values recorded for one data directory. */
export interface PrebuiltData {
  /** The compiled knowledge base, when every file it was made from has the same bytes in the directory. */
  compiled?: CompiledKnowledgeBase;
  /** The value made from exactly these bytes of data file `name`, if any. */
  valueOf(name: string, bytes: Uint8Array): unknown;
}

/** Records each file's value while the knowledge base is read from data/, then writes the image. */
export class PrebuiltRecorder {
  readonly files: Record<string, { sha256: string; value: unknown }> = {};

  record(name: string, bytes: Uint8Array, value: unknown): void {
    this.files[name] = { sha256: sha256(bytes), value };
  }

  /** Writes the image with the compiled knowledge base of the same read, atomically. */
  write(compiled: CompiledKnowledgeBase | undefined, file: string = PREBUILT_FILE): void {
    const names = Object.keys(this.files);
    const image: PrebuiltImage = {
      hashes: Object.fromEntries(names.map((name) => [name, this.files[name].sha256])),
      ...(compiled !== undefined ? { compiled } : {}),
      values: v8.serialize(Object.fromEntries(names.map((name) => [name, this.files[name].value]))),
    };
    writeBuildImage(file, READERS, image);
  }
}

/** The image, if it exists and was made by this code; read afresh per call (readers may change the values they get). */
const readImage = (file: string) => readBuildImage<PrebuiltImage>(file, READERS);

const readBytes = (file: string) => {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
};

/** The prebuilt values usable for `dataDir`: none unless its catalog.yaml is the one they were made with. */
export function prebuiltFor(dataDir: string, file: string = PREBUILT_FILE): PrebuiltData | undefined {
  const image = readImage(file);
  if (!image) return undefined;
  const matches = (name: string, bytes: Uint8Array | undefined) => bytes !== undefined && image.hashes[name] === sha256(bytes);
  if (!matches(MANIFEST_NAME, readBytes(path.join(dataDir, MANIFEST_NAME)))) return undefined;
  const whole = Object.keys(image.hashes).every((name) => name === MANIFEST_NAME || matches(name, readBytes(path.join(dataDir, name))));
  let values: Record<string, unknown> | undefined;
  return {
    ...(whole && image.compiled !== undefined ? { compiled: image.compiled } : {}),
    valueOf: (name, bytes) => {
      if (!matches(name, bytes)) return undefined;
      values ??= v8.deserialize(image.values) as Record<string, unknown>;
      return values[name];
    },
  };
}

/** How the prebuilt image stands against a fresh read of the data directory (`catalog check`). */
export type PrebuiltState =
  /** No image, or one made by other code: every start reads data/. */
  | { kind: 'absent' }
  /** Files changed since the build, read from data/ (all of them when catalog.yaml changed). */
  | { kind: 'stale'; files: string[] }
  | { kind: 'fresh' };

/**
 * Compares the image with the values just read from data/ (recorded by `fresh`, compiled as `compiled`). Files whose
 * bytes match but whose values differ come back in `differs`, and the compiled knowledge base as `compiled` when it
 * is not what the fresh read compiles to: the image would give wrong answers (never expected; a build fault).
 */
export function prebuiltState(
  fresh: PrebuiltRecorder,
  compiled: CompiledKnowledgeBase | undefined,
  file: string = PREBUILT_FILE,
): { state: PrebuiltState; differs: string[]; compiledDiffers: boolean } {
  const image = readImage(file);
  if (!image) return { state: { kind: 'absent' }, differs: [], compiledDiffers: false };
  const names = Object.keys(fresh.files);
  const stale = names.filter((name) => image.hashes[name] !== fresh.files[name].sha256);
  if (stale.includes(MANIFEST_NAME)) return { state: { kind: 'stale', files: names }, differs: [], compiledDiffers: false };
  const values = v8.deserialize(image.values) as Record<string, unknown>;
  // The fresh value passes through v8's form too, so both come from one realm (jest's tests run in another).
  const same = (name: string) => isDeepStrictEqual(values[name], v8.deserialize(v8.serialize(fresh.files[name].value)));
  const differs = names.filter((name) => !stale.includes(name) && !same(name));
  const compiledDiffers =
    compiled !== undefined &&
    stale.length === 0 &&
    (image.compiled?.core !== compiled.core || image.compiled?.descriptions !== compiled.descriptions);
  return { state: stale.length > 0 ? { kind: 'stale', files: stale } : { kind: 'fresh' }, differs, compiledDiffers };
}

// The prebuilt knowledge base: each data file's validated value, made by `npm run build` from data/ so a start
// skips parsing YAML with positions, CSV and the schemas. A value is used only for the very bytes it was made
// from (SHA-256 of each file, catalog.yaml included) and by the very code that made it (a fingerprint of the
// compiled readers and of the yaml and zod versions); anything else is read from data/ as before.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import v8 from 'node:v8';
import { codeFingerprint, readBuildImage, writeBuildImage } from '../build-image';

/** Beside the compiled catalogue code (dist/knowledge-base.bin); none exists beside the TypeScript sources. */
export const PREBUILT_FILE = path.join(__dirname, '..', 'knowledge-base.bin');

/** The manifest, whose hash must match for any file's value to be used (it says which file holds what). */
const MANIFEST_NAME = 'catalog.yaml';

interface PrebuiltImage {
  files: Record<string, { sha256: string; value: unknown }>;
}

const sha256 = (bytes: Uint8Array) => crypto.createHash('sha256').update(bytes).digest('hex');

/** What the values depend on besides the data: the compiled readers (catalog, yaml-file, csv) and the parsers' versions. */
const readersFingerprint = () =>
  codeFingerprint(
    ['catalog', 'yaml-file', 'csv'].map((d) => path.join(__dirname, '..', d)),
    ['yaml', 'zod'],
  );

/** Values recorded for one data directory, looked up by file name and bytes. */
export interface PrebuiltData {
  /** The value made from exactly these bytes of data file `name`, if any. */
  valueOf(name: string, bytes: Uint8Array): unknown;
}

/** Records each file's value while the knowledge base is read from data/, then writes the image. */
export class PrebuiltRecorder {
  readonly files: PrebuiltImage['files'] = {};

  record(name: string, bytes: Uint8Array, value: unknown): void {
    this.files[name] = { sha256: sha256(bytes), value };
  }

  /** Writes the image atomically; a reader never sees half a file. */
  write(file: string = PREBUILT_FILE): void {
    writeBuildImage<PrebuiltImage>(file, readersFingerprint(), { files: this.files });
  }
}

let fingerprint: string | undefined;

/** The image, if it exists and was made by this code; read afresh per call (readers may change the values they get). */
const readImage = (file: string) => readBuildImage<PrebuiltImage>(file, () => (fingerprint ??= readersFingerprint()));

/** The prebuilt values usable for `dataDir`: none unless its catalog.yaml is the one they were made with. */
export function prebuiltFor(dataDir: string, file: string = PREBUILT_FILE): PrebuiltData | undefined {
  const image = readImage(file);
  if (!image) return undefined;
  const matches = (name: string, bytes: Uint8Array) => image.files[name]?.sha256 === sha256(bytes);
  let manifest: Buffer;
  try {
    manifest = fs.readFileSync(path.join(dataDir, MANIFEST_NAME));
  } catch {
    return undefined;
  }
  if (!matches(MANIFEST_NAME, manifest)) return undefined;
  return { valueOf: (name, bytes) => (matches(name, bytes) ? image.files[name].value : undefined) };
}

/** How the prebuilt image stands against a fresh read of the data directory (`catalog check`). */
export type PrebuiltState =
  /** No image, or one made by other code: every start reads data/. */
  | { kind: 'absent' }
  /** Files changed since the build, read from data/ (all of them when catalog.yaml changed). */
  | { kind: 'stale'; files: string[] }
  | { kind: 'fresh' };

/**
 * Compares the image with the values just read from data/ (recorded by `fresh`). Files whose bytes match but whose
 * values differ come back in `differs`: the image would give wrong answers (never expected; a build fault).
 */
export function prebuiltState(fresh: PrebuiltRecorder, file: string = PREBUILT_FILE): { state: PrebuiltState; differs: string[] } {
  const image = readImage(file);
  if (!image) return { state: { kind: 'absent' }, differs: [] };
  const names = Object.keys(fresh.files);
  const stale = names.filter((name) => image.files[name]?.sha256 !== fresh.files[name].sha256);
  // The fresh value passes through v8's form too, so both come from one realm (jest's tests run in another).
  const same = (name: string) => isDeepStrictEqual(image.files[name].value, v8.deserialize(v8.serialize(fresh.files[name].value)));
  const differs = names.filter((name) => !stale.includes(name) && !same(name));
  if (stale.includes(MANIFEST_NAME)) return { state: { kind: 'stale', files: names }, differs: [] };
  return { state: stale.length > 0 ? { kind: 'stale', files: stale } : { kind: 'fresh' }, differs };
}

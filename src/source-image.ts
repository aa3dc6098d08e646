// Values made from the text of a bundled file (a YAML file's checked value, a template's precompiled Handlebars, the
// matrix and DOCX picture of a QR code's URL), made by `npm run build` (scripts/build-source-image.js) so a start loads
// neither the YAML parser, the template compiler, the QR encoder nor the PNG writer (~105 ms). A value is used only for
// the very text it was made from (its kind and SHA-256) and by the very code that made it (a fingerprint of the compiled
// readers and writers and of the yaml, zod, handlebars, qrcode and pngjs versions); anything else is made at run time.

import crypto from 'node:crypto';
import path from 'node:path';
import v8 from 'node:v8';
import { type CodeInputs, readBuildImage, writeBuildImage } from './build-image';

/** Beside the compiled code (dist/source-values.bin); none exists beside the TypeScript sources. */
export const SOURCE_IMAGE_FILE = path.join(__dirname, 'source-values.bin');

/** Per kind and SHA-256 of the text, the value v8-serialized (each use deserializes its own copy). */
type Entries = Record<string, Uint8Array>;

/**
 * The code that makes the values: this folder's files, the YAML, config, template, QR code and DOCX picture makers, their
 * packages, and Node's zlib (the DOCX picture is deflated).
 */
const MAKERS: CodeInputs = {
  dirs: [__dirname, ...['yaml-file', 'config', 'letter', 'render/layout', 'render/docx'].map((d) => path.join(__dirname, d))],
  packages: ['yaml', 'zod', 'handlebars', 'qrcode', 'pngjs'],
  runtime: ['zlib'],
};

const images = new Map<string, Entries | undefined>();
let recording: Entries | undefined;

const keyOf = (kind: string, text: string) => `${kind}\0${crypto.createHash('sha256').update(text).digest('hex')}`;

/** The value `make` makes from `text`: the build's, when the image at `file` holds one for this kind and text. */
export function fromSource<T>(kind: string, text: string, make: () => T, file: string = SOURCE_IMAGE_FILE): T {
  const key = keyOf(kind, text);
  if (recording) {
    const value = make();
    recording[key] = v8.serialize(value);
    return value;
  }
  if (!images.has(file)) images.set(file, readBuildImage<Entries>(file, MAKERS));
  const bytes = images.get(file)?.[key];
  return bytes ? (v8.deserialize(bytes) as T) : make();
}

/** `npm run build`: records every value made from now on; `write` writes them as the image (and stops recording). */
export function recordSourceValues(): { write(file?: string): void } {
  const entries: Entries = (recording = {});
  return {
    write(file = SOURCE_IMAGE_FILE) {
      recording = undefined;
      images.delete(file);
      writeBuildImage(file, MAKERS, entries);
    },
  };
}

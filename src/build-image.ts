// Build images: values made by `npm run build` (the prebuilt knowledge base, the DOCX skeletons), v8-serialized with
// the fingerprint of the code that made them (the compiled files of some folders and some packages' versions). An
// image is used only by the very code that made it; otherwise the caller does the work at run time as before.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

/** A package's version from its package.json, found above its main file (not every package exports ./package.json). */
function packageVersion(name: string): string {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === name) return pkg.version ?? '';
  }
  throw new Error(`package.json of ${name} not found`);
}

/** SHA-256 over the code files (.js when compiled, .ts from the sources) of `dirs`, by name, and `packages`' versions. */
export function codeFingerprint(dirs: readonly string[], packages: readonly string[]): string {
  const h = crypto.createHash('sha256');
  const ext = path.extname(__filename);
  for (const dir of dirs) {
    for (const name of fs
      .readdirSync(dir)
      .filter((f) => f.endsWith(ext))
      .sort()) {
      h.update(name)
        .update('\0')
        .update(fs.readFileSync(path.join(dir, name)))
        .update('\0');
    }
  }
  for (const pkg of packages) h.update(`${pkg}@${packageVersion(pkg)}\0`);
  return h.digest('hex');
}

interface BuildImage<T> {
  code: string;
  payload: T;
}

/** Writes `payload` with the code fingerprint `code`, atomically: a reader never sees half a file. */
export function writeBuildImage<T>(file: string, code: string, payload: T): void {
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, v8.serialize({ code, payload } satisfies BuildImage<T>));
  fs.renameSync(temp, file);
}

/** The payload at `file` if it exists, deserializes on this Node and was made by code with fingerprint `code`. */
export function readBuildImage<T>(file: string, code: () => string): T | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  try {
    const image = v8.deserialize(bytes) as BuildImage<T>;
    return image.code === code() ? image.payload : undefined;
  } catch {
    return undefined; // written by another Node version
  }
}

// The fingerprint of the code a build-time artefact was made by (the prebuilt knowledge base, the DOCX skeletons):
// the compiled files of some folders and some packages' versions. An artefact is used only by the very code that made it.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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

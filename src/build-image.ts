// Build images: values made by `npm run build` (the prebuilt knowledge base, the DOCX skeletons), v8-serialized with
// the fingerprint of the code that made them (the compiled files of some folders and some packages' versions). An
// image is used only by the very code that made it; otherwise the caller does the work at run time as before.
//
// The fingerprint hashes the code's contents (~6 ms a start: reading the files and finding the packages). The image
// also keeps a stamp of the same files (path, inode, size, modification and change times; the packages' package.json
// as found then) taken when it was written: a start whose files still have that stamp uses the image after a few
// stats; any other start (the code copied, reinstalled, rebuilt: a new inode or change time, which no copy tool can
// set) compares the full fingerprint, as before.

import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';

/** The code an image depends on: compiled files of some folders, some packages' versions and Node's own libraries. */
export interface CodeInputs {
  dirs: readonly string[];
  packages: readonly string[];
  /**
   * Libraries of Node whose version the values depend on (zlib, for deflated bytes: another zlib may give other,
   * equally valid, bytes).
   */
  runtime?: readonly (keyof NodeJS.ProcessVersions)[];
}

/** The versions of `runtime`'s libraries in this Node. */
const runtimeOf = ({ runtime = [] }: CodeInputs) => runtime.map((name) => `${name} ${process.versions[name]}`).join('\0');

/** A package's package.json, found above its main file (not every package exports ./package.json). */
function packageJson(name: string): { file: string; version: string } {
  for (let dir = path.dirname(require.resolve(name)); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (!fs.existsSync(file)) continue;
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === name) return { file, version: pkg.version ?? '' };
  }
  throw new Error(`package.json of ${name} not found`);
}

/** The code files (.js when compiled, .ts from the sources) of a folder, sorted by name. */
function codeFiles(dir: string): string[] {
  const ext = path.extname(__filename);
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => path.join(dir, f));
}

/** SHA-256 over the code files of `dirs`, by name, and `packages`' versions. */
function codeFingerprint({ dirs, packages }: CodeInputs): string {
  const h = crypto.createHash('sha256');
  for (const dir of dirs) {
    for (const file of codeFiles(dir)) {
      h.update(path.basename(file)).update('\0').update(fs.readFileSync(file)).update('\0');
    }
  }
  for (const pkg of packages) h.update(`${pkg}@${packageJson(pkg).version}\0`);
  return h.digest('hex');
}

const statLine = (file: string) => {
  const s = fs.statSync(file, { throwIfNoEntry: false, bigint: true });
  return s ? `${file}\0${s.ino}\0${s.size}\0${s.mtimeNs}\0${s.ctimeNs}\n` : `${file}\0-\n`;
};

/** The files' paths, inodes, sizes, modification and change times; the packages' package.json files as found when written. */
function codeStamp(dirs: readonly string[], packageFiles: readonly string[]): string {
  let stamp = '';
  for (const dir of dirs) for (const file of codeFiles(dir)) stamp += statLine(file);
  for (const file of packageFiles) stamp += statLine(file);
  return stamp;
}

interface BuildImage<T> {
  code: string;
  runtime: string;
  stamp: { packageFiles: string[]; files: string };
  payload: T;
}

/** Writes `payload` with the fingerprint and stamp of `inputs`, atomically: a reader never sees half a file. */
export function writeBuildImage<T>(file: string, inputs: CodeInputs, payload: T): void {
  const packageFiles = inputs.packages.map((p) => packageJson(p).file);
  const image: BuildImage<T> = {
    code: codeFingerprint(inputs),
    runtime: runtimeOf(inputs),
    stamp: { packageFiles, files: codeStamp(inputs.dirs, packageFiles) },
    payload,
  };
  const temp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temp, v8.serialize(image));
  fs.renameSync(temp, file);
}

/** The payload at `file` if it exists, deserializes on this Node and was made by this code (`inputs`) with these libraries. */
export function readBuildImage<T>(file: string, inputs: CodeInputs): T | undefined {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch {
    return undefined;
  }
  let image: BuildImage<T>;
  try {
    image = v8.deserialize(bytes) as BuildImage<T>;
  } catch {
    return undefined; // written by another Node version
  }
  if (image.runtime !== runtimeOf(inputs)) return undefined;
  const stamped = typeof image.stamp?.files === 'string' && image.stamp.files === codeStamp(inputs.dirs, image.stamp.packageFiles);
  return stamped || image.code === codeFingerprint(inputs) ? image.payload : undefined;
}

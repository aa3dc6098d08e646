import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { type CodeInputs, readBuildImage, writeBuildImage } from './build-image';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-build-image-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

// The code files are what this module counts as code where it runs (.ts under jest, .js when compiled).
const ext = path.extname(__filename);
let made = 0;

function codeDir(): { inputs: CodeInputs; file: (name: string) => string } {
  const dir = path.join(scratch, `code-${++made}`);
  fs.mkdirSync(dir);
  for (const name of ['a', 'b']) fs.writeFileSync(path.join(dir, `${name}${ext}`), `export const ${name} = 1;\n`);
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'not code');
  return { inputs: { dirs: [dir], packages: ['yaml'] }, file: (name) => path.join(dir, name) };
}

/** The image with its fingerprint replaced: usable only while the stamp vouches for the code. */
function withFingerprint(image: string, code: string): void {
  const read = v8.deserialize(fs.readFileSync(image)) as { code: string };
  fs.writeFileSync(image, v8.serialize({ ...read, code }));
}

test('an image is used by the code that made it, by its stamp without hashing, else by its fingerprint', () => {
  const { inputs, file } = codeDir();
  const image = file('image.bin');
  writeBuildImage(image, inputs, { value: 42 });
  expect(readBuildImage(image, inputs)).toEqual({ value: 42 });
  // Same files, same stats: the stamp alone decides (a wrong fingerprint is never looked at).
  withFingerprint(image, 'not looked at');
  expect(readBuildImage(image, inputs)).toEqual({ value: 42 });
  // A file touched (rewritten with the same bytes, as tsc does): the stamp differs, the fingerprint decides.
  const later = new Date(Date.now() + 5000);
  fs.utimesSync(file(`a${ext}`), later, later);
  expect(readBuildImage(image, inputs)).toBeUndefined();
  writeBuildImage(image, inputs, { value: 42 });
  fs.utimesSync(file(`b${ext}`), later, later);
  expect(readBuildImage(image, inputs)).toEqual({ value: 42 });
  // Files other than code do not count.
  fs.writeFileSync(file('notes.txt'), 'changed');
  expect(readBuildImage(image, inputs)).toEqual({ value: 42 });
});

test('an image is not used once a code file changes, is added or is removed', () => {
  for (const change of [
    (file: (name: string) => string) => fs.appendFileSync(file(`a${ext}`), '// changed\n'),
    (file: (name: string) => string) => fs.writeFileSync(file(`c${ext}`), 'export const c = 1;\n'),
    (file: (name: string) => string) => fs.rmSync(file(`b${ext}`)),
  ]) {
    const { inputs, file } = codeDir();
    const image = file('image.bin');
    writeBuildImage(image, inputs, 'payload');
    change(file);
    expect(readBuildImage(image, inputs)).toBeUndefined();
  }
});

test('an image of values made with a library of Node (zlib) is used only with that library’s version', () => {
  const { inputs, file } = codeDir();
  const image = file('image.bin');
  const withZlib: CodeInputs = { ...inputs, runtime: ['zlib'] };
  writeBuildImage(image, withZlib, 'deflated');
  expect(readBuildImage(image, withZlib)).toBe('deflated');
  expect(readBuildImage(image, inputs)).toBeUndefined();
  const read = v8.deserialize(fs.readFileSync(image)) as { runtime: string };
  fs.writeFileSync(image, v8.serialize({ ...read, runtime: 'zlib 0.0.0' }));
  expect(readBuildImage(image, withZlib)).toBeUndefined();
});

test('a missing, unreadable or foreign image is none', () => {
  const { inputs, file } = codeDir();
  expect(readBuildImage(file('none.bin'), inputs)).toBeUndefined();
  fs.writeFileSync(file('junk.bin'), 'not v8');
  expect(readBuildImage(file('junk.bin'), inputs)).toBeUndefined();
  fs.writeFileSync(file('old.bin'), v8.serialize({ code: 'x', payload: 1 })); // an image from before stamps
  expect(readBuildImage(file('old.bin'), inputs)).toBeUndefined();
});

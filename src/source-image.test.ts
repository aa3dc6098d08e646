import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { fromSource, recordSourceValues } from './source-image';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-source-image-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** `make` for `text` that counts its calls and makes a fresh object each time. */
function maker(text: string) {
  const made = { calls: 0 };
  const make = () => {
    made.calls++;
    return { text, list: [1, 2], nested: { empty: undefined as string | undefined } };
  };
  return { made, make };
}

describe('values made at build time from a file’s text', () => {
  const image = path.join(scratch, 'values.bin');
  beforeAll(() => {
    const recorder = recordSourceValues();
    fromSource('kind-a', 'text one', maker('text one').make);
    recorder.write(image);
  });

  test('the very text of the same kind is served from the image, a copy each time, without making it', () => {
    const { made, make } = maker('text one');
    const first = fromSource('kind-a', 'text one', make, image);
    const second = fromSource('kind-a', 'text one', make, image);
    expect(made.calls).toBe(0);
    expect(first).toEqual(make());
    expect(Object.keys(first.nested)).toEqual(['empty']);
    expect(first).not.toBe(second);
  });

  test('other text, another kind, or no image: made at run time', () => {
    for (const [kind, text, file] of [
      ['kind-a', 'text one ', image],
      ['kind-b', 'text one', image],
      ['kind-a', 'text one', path.join(scratch, 'none.bin')],
    ]) {
      const { made, make } = maker(text);
      expect(fromSource(kind, text, make, file)).toEqual(make());
      expect(made.calls).toBe(2);
    }
  });

  test('an image made by other code is not used', () => {
    const other = path.join(scratch, 'other.bin');
    // Other code: another fingerprint, and a stamp other than the compiled files' (see build-image.test.ts).
    const read = v8.deserialize(fs.readFileSync(image)) as { code: string; stamp: { files: string } };
    fs.writeFileSync(other, v8.serialize({ ...read, code: 'other', stamp: { ...read.stamp, files: 'other' } }));
    const { made, make } = maker('text one');
    fromSource('kind-a', 'text one', make, other);
    expect(made.calls).toBe(1);
  });
});

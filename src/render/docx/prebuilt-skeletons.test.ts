import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import v8 from 'node:v8';
import { sampleLetterDocument } from '../../../test/fixtures/sample-letter-document';
import { sealPng } from '../../../test/fixtures/docx/seal';
import type { LetterDocument } from '../../letter/model';
import { defaultFontsDir, loadFontSet } from '../layout/fonts';
import { readPrebuiltSkeletons } from './prebuilt-skeletons';
import { prebuildSkeletons, renderDocx } from './render-docx';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hazard-notice-skeletons-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sealed = (doc: LetterDocument): LetterDocument => ({ ...doc, seal: { png: sealPng(), diameterMm: 42 } });
const docs = [sampleLetterDocument(), sealed(sampleLetterDocument({ employer: '柳州市堃𠮷机械厂' }))];
const inputOf = (doc: LetterDocument) => ({ layout: doc.layout, language: doc.meta.language, seal: doc.seal });

/** renderDocx from a fresh module registry where the prebuilt image is `file` and the docx package cannot load. */
async function renderFromImage(file: string, doc: LetterDocument): Promise<Uint8Array> {
  let render!: typeof renderDocx;
  jest.isolateModules(() => {
    const actual = jest.requireActual<typeof import('./prebuilt-skeletons')>('./prebuilt-skeletons');
    jest.doMock('./prebuilt-skeletons', () => ({ ...actual, readPrebuiltSkeletons: () => actual.readPrebuiltSkeletons(file) }));
    jest.doMock('docx', () => {
      throw new Error('the docx package was loaded');
    });
    render = (require('./render-docx') as typeof import('./render-docx')).renderDocx;
  });
  try {
    return await render(doc, { fonts: loadFontSet(defaultFontsDir(), doc.layout) });
  } finally {
    jest.dontMock('docx');
    jest.dontMock('./prebuilt-skeletons');
  }
}

describe('prebuilt DOCX skeletons', () => {
  test('give the very bytes of a skeleton packed at run time, without loading the docx package', async () => {
    const file = path.join(dir, 'skeletons.bin');
    expect(await prebuildSkeletons(docs.map(inputOf), file)).toBe(2);
    for (const doc of docs) {
      const packed = await renderDocx(doc, { fonts: loadFontSet(defaultFontsDir(), doc.layout) });
      expect(Buffer.from(await renderFromImage(file, doc)).equals(Buffer.from(packed))).toBe(true);
    }
  });

  test('are packed at run time for a key the image lacks', async () => {
    const file = path.join(dir, 'unsealed-only.bin');
    await prebuildSkeletons([inputOf(docs[0])], file);
    await expect(renderFromImage(file, docs[1])).rejects.toThrow('the docx package was loaded');
  });

  test('are not used when made by other code, deflated by another zlib, or unreadable', async () => {
    const file = path.join(dir, 'other-code.bin');
    fs.writeFileSync(file, v8.serialize({ code: 'other', skeletons: {} }));
    expect(readPrebuiltSkeletons(file)).toBeUndefined();
    const zlib = path.join(dir, 'other-zlib.bin');
    await prebuildSkeletons([inputOf(docs[0])], zlib);
    expect(readPrebuiltSkeletons(zlib)?.size).toBe(1);
    const read = v8.deserialize(fs.readFileSync(zlib)) as { runtime: string };
    read.runtime = 'zlib another';
    fs.writeFileSync(zlib, v8.serialize(read));
    expect(readPrebuiltSkeletons(zlib)).toBeUndefined();
    fs.writeFileSync(file, 'not an image');
    expect(readPrebuiltSkeletons(file)).toBeUndefined();
    expect(readPrebuiltSkeletons(path.join(dir, 'absent.bin'))).toBeUndefined();
  });
});

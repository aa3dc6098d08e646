// Lets pdf-lib 1.17 embed fonts through fontkit 2 (rendering notes §6.1), reusing the faces the
// layout stage already parsed: pdf-lib calls fontkit.create(bytes) with a FontFace's bytes object.

import type { Fontkit } from 'pdf-lib/cjs/types/fontkit';
import type * as fontkit from 'fontkit';
import type { FontFace } from '../layout/fonts';

interface StreamingSubset extends fontkit.Subset {
  encodeStream(): { on(event: string, listener: (arg: Uint8Array | Error) => void): unknown };
}

/**
 * A view of the face for pdf-lib: fontkit 1.x `encodeStream` on subsets, and `layout` as a plain cmap
 * lookup (one glyph per character, no shaping: the layout stage already measured with cmap advances,
 * and full OpenType shaping per call dominated the drawing time).
 */
function pdfLibView(face: FontFace): fontkit.Font {
  const font = face.font;
  const view = Object.create(font) as fontkit.Font;
  view.layout = ((text: string) => ({
    glyphs: Array.from(text, (ch) => font.glyphForCodePoint(ch.codePointAt(0)!)),
    positions: [],
  })) as unknown as fontkit.Font['layout'];
  view.createSubset = () => {
    const subset = font.createSubset() as StreamingSubset;
    subset.encodeStream = () => {
      const listeners = new Map<string, (arg: Uint8Array | Error) => void>();
      process.nextTick(() => {
        let bytes: Uint8Array;
        try {
          bytes = subset.encode();
        } catch (err) {
          listeners.get('error')?.(err as Error);
          return;
        }
        listeners.get('data')?.(bytes);
        listeners.get('end')?.(bytes);
      });
      const stream = {
        on(event: string, listener: (arg: Uint8Array | Error) => void) {
          listeners.set(event, listener);
          return stream;
        },
      };
      return stream;
    };
    return subset;
  };
  return view;
}

const views = new WeakMap<Uint8Array, fontkit.Font>();

/** The pdf-lib fontkit for a set of faces; each face's view is made once per process. */
export function fontkitFor(faces: Iterable<FontFace>): Fontkit {
  const byBytes = new Map<Uint8Array, FontFace>();
  for (const face of faces) byBytes.set(face.bytes, face);
  return {
    create(bytes: Uint8Array) {
      const face = byBytes.get(bytes);
      if (!face) throw new Error('fontkitFor: font bytes do not belong to a loaded face');
      let view = views.get(bytes);
      if (!view) views.set(bytes, (view = pdfLibView(face)));
      return view;
    },
  } as unknown as Fontkit;
}

// hb-subset (HarfBuzz compiled to WebAssembly, from harfbuzzjs) with faces kept in WebAssembly memory:
// a face is copied in once and subset many times (per letter), which costs far less than re-reading it.

import fs from 'node:fs';
import v8 from 'node:v8';

// The project's lib (ES2022, no DOM) has no WebAssembly types: the little used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
};

interface HarfBuzz {
  memory: { buffer: ArrayBuffer };
  malloc(size: number): number;
  free(ptr: number): void;
  hb_blob_create(data: number, length: number, mode: number, userData: number, destroy: number): number;
  hb_blob_destroy(blob: number): void;
  hb_blob_get_data(blob: number, lengthPtr: number): number;
  hb_blob_get_length(blob: number): number;
  hb_face_create(blob: number, index: number): number;
  hb_face_destroy(face: number): void;
  hb_face_reference_blob(face: number): number;
  hb_set_add(set: number, value: number): void;
  hb_set_clear(set: number): void;
  hb_subset_input_create_or_fail(): number;
  hb_subset_input_destroy(input: number): void;
  hb_subset_input_unicode_set(input: number): number;
  hb_subset_input_glyph_set(input: number): number;
  hb_subset_input_set(input: number, which: number): number;
  hb_subset_input_get_flags(input: number): number;
  hb_subset_input_set_flags(input: number, flags: number): void;
  hb_subset_or_fail(face: number, input: number): number;
  hb_subset_preprocess(face: number): number;
  _initialize(): void;
}

const HB_MEMORY_MODE_READONLY = 1;
const HB_SUBSET_SETS_DROP_TABLE_TAG = 3;
const HB_SUBSET_SETS_LAYOUT_FEATURE_TAG = 6;
const HB_SUBSET_FLAGS_RETAIN_GIDS = 0x2;
const HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE = 0x200;

let harfbuzz: HarfBuzz | undefined;

/** One HarfBuzz instance per thread, compiled on first use. */
function hb(): HarfBuzz {
  if (!harfbuzz) {
    // Baseline (Liftoff) code only: V8 otherwise recompiles HarfBuzz's hot functions with TurboFan in background
    // threads that the process waits for at exit (measured: a single letter 0.65 → 0.12 s of it), and the faster code
    // does not win that back even over 2,000 letters (less CPU in all with Liftoff only). Process-wide, set before
    // the first WebAssembly compile.
    v8.setFlagsFromString('--liftoff-only');
    const wasm = fs.readFileSync(require.resolve('harfbuzzjs/dist/harfbuzz-subset.wasm'));
    harfbuzz = new WebAssembly.Instance(new WebAssembly.Module(wasm), {}).exports as unknown as HarfBuzz;
    harfbuzz._initialize();
  }
  return harfbuzz;
}

function tag(name: string): number {
  return [...name].reduce((t, ch) => t * 256 + ch.charCodeAt(0), 0);
}

export interface SubsetRequest {
  /** Keep these characters. */
  unicodes?: Iterable<number>;
  /** Keep exactly these glyphs, by glyph id. */
  glyphs?: Iterable<number>;
  /** Keep glyph ids (unused glyphs become empty): codes drawn with the face stay valid in the subset. */
  retainGids?: boolean;
  /** Tables to leave out, by tag. */
  dropTables?: readonly string[];
}

/**
 * harfbuzzjs's WebAssembly memory is fixed at 64 MiB: a font up to this size stays in it between calls (a
 * batch's cut-down faces, tens of KB); a larger one (a full CJK face, up to 24 MB) is copied in per call.
 */
const RESIDENT_MAX_BYTES = 4 * 2 ** 20;

interface LoadedFace {
  face: number;
  data: number;
}

/** HarfBuzz could not make the subset: its fixed memory cannot hold the face, the request or the result. */
export class SubsetFailed extends Error {}

/** A font for repeated subsetting through HarfBuzz. */
export class SubsetFace {
  private resident: LoadedFace | undefined;

  constructor(private readonly bytes: Uint8Array) {}

  private load(h: HarfBuzz): LoadedFace {
    const data = h.malloc(this.bytes.byteLength);
    if (data === 0) throw new SubsetFailed(`hb-subset: no room for a ${this.bytes.byteLength}-byte font in HarfBuzz's memory`);
    new Uint8Array(h.memory.buffer).set(this.bytes, data);
    const blob = h.hb_blob_create(data, this.bytes.byteLength, HB_MEMORY_MODE_READONLY, 0, 0);
    const face = h.hb_face_create(blob, 0);
    h.hb_blob_destroy(blob); // the face holds its own reference to the blob
    return { face, data };
  }

  /** Frees the face kept in HarfBuzz's memory, if any. */
  release(): void {
    if (!this.resident) return;
    const h = hb();
    h.hb_face_destroy(this.resident.face);
    h.free(this.resident.data);
    this.resident = undefined;
  }

  /** The subset as an OpenType/TrueType file. */
  subset(request: SubsetRequest): Uint8Array {
    const h = hb();
    const keep = this.bytes.byteLength <= RESIDENT_MAX_BYTES;
    let loaded = this.resident;
    if (!loaded) {
      loaded = this.load(h);
      if (keep) {
        // Preprocessed once (tables parsed and cached), so each later subset is cheaper.
        const preprocessed = h.hb_subset_preprocess(loaded.face);
        h.hb_face_destroy(loaded.face);
        loaded = this.resident = { face: preprocessed, data: loaded.data };
      }
    }
    const input = h.hb_subset_input_create_or_fail();
    try {
      if (input === 0) throw new SubsetFailed('hb-subset: out of memory');
      const features = h.hb_subset_input_set(input, HB_SUBSET_SETS_LAYOUT_FEATURE_TAG);
      h.hb_set_clear(features);
      // No layout features, nor the glyphs they would reach: a subset is measured and drawn glyph by glyph.
      let flags = h.hb_subset_input_get_flags(input) | HB_SUBSET_FLAGS_NO_LAYOUT_CLOSURE;
      const drop = h.hb_subset_input_set(input, HB_SUBSET_SETS_DROP_TABLE_TAG);
      for (const t of request.dropTables ?? []) h.hb_set_add(drop, tag(t));
      if (request.retainGids) flags |= HB_SUBSET_FLAGS_RETAIN_GIDS;
      h.hb_subset_input_set_flags(input, flags);
      const unicodes = h.hb_subset_input_unicode_set(input);
      for (const cp of request.unicodes ?? []) h.hb_set_add(unicodes, cp);
      const glyphs = h.hb_subset_input_glyph_set(input);
      for (const gid of request.glyphs ?? []) h.hb_set_add(glyphs, gid);
      const result = h.hb_subset_or_fail(loaded.face, input);
      if (result === 0) throw new SubsetFailed('hb-subset: subsetting failed');
      const blob = h.hb_face_reference_blob(result);
      const out = new Uint8Array(h.memory.buffer, h.hb_blob_get_data(blob, 0), h.hb_blob_get_length(blob)).slice();
      h.hb_blob_destroy(blob);
      h.hb_face_destroy(result);
      return out;
    } finally {
      if (input !== 0) h.hb_subset_input_destroy(input);
      if (!keep) {
        h.hb_face_destroy(loaded.face);
        h.free(loaded.data);
      }
    }
  }
}

/** A table of an OpenType/TrueType file (sfnt), by tag; undefined if absent. */
export function sfntTable(file: Uint8Array, name: string): Uint8Array | undefined {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const count = view.getUint16(4);
  const wanted = tag(name);
  for (let i = 0; i < count; i++) {
    const record = 12 + i * 16;
    if (view.getUint32(record) === wanted) {
      const offset = view.getUint32(record + 8);
      return file.subarray(offset, offset + view.getUint32(record + 12));
    }
  }
  return undefined;
}

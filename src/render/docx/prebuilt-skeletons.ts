// DOCX skeletons made by `npm run build` (scripts/build-docx-skeletons.js) for the bundled template's layouts, so a
// start does not load the docx package and pack a document (~0.3 s) to get parts that never change, nor deflate them
// (~5 ms). A skeleton is used only under the key it was made for (layout, language, seal bytes), only by the code that
// made it (the compiled DOCX writer, the docx and fflate versions) and only with the zlib that deflated its parts (another
// zlib may give other, equally valid, bytes); anything else is packed as before.

import path from 'node:path';
import { type CodeInputs, readBuildImage, writeBuildImage } from '../../build-image';
import type { DeflatedPart } from './package-zip';

/** Beside the compiled code (dist/docx-skeletons.bin); none exists beside the TypeScript sources. */
export const PREBUILT_SKELETONS_FILE = path.join(__dirname, '..', '..', 'docx-skeletons.bin');

/** A skeleton as the docx package packed it, its parts not yet deflated for the letters' zips. */
export interface RawSkeleton {
  parts: Record<string, Uint8Array>;
  documentRels: string;
  documentHead: string;
  documentTail: string;
  sealDrawing?: string;
}

/** The compiled DOCX writer (this folder), the versions of the packages that pack and unzip the skeleton, and the zlib that deflates its parts. */
const WRITER: CodeInputs = { dirs: [__dirname], packages: ['docx', 'fflate'], runtime: ['zlib'] };

/** A skeleton with its constant parts deflated once, for every letter's zip. */
export interface DocxSkeleton {
  parts: Record<string, DeflatedPart>;
  /** document.xml.rels as text, for letters that add hyperlinks (deflated as is in `parts` for those that do not). */
  documentRels: string;
  documentHead: string;
  documentTail: string;
  /** The section properties in documentTail, repeated (with its page's line pitch) to end each page but the last. */
  sectPr: string;
  sealDrawing?: string;
}

export function writePrebuiltSkeletons(skeletons: Record<string, DocxSkeleton>, file: string = PREBUILT_SKELETONS_FILE): void {
  writeBuildImage(file, WRITER, skeletons);
}

/** The skeletons of the image at `file`, if it exists and was made by this code with this zlib. */
export function readPrebuiltSkeletons(file: string = PREBUILT_SKELETONS_FILE): Map<string, DocxSkeleton> | undefined {
  const skeletons = readBuildImage<Record<string, DocxSkeleton>>(file, WRITER);
  return skeletons && new Map(Object.entries(skeletons));
}

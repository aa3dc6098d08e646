// DOCX skeletons made by `npm run build` (scripts/build-docx-skeletons.js) for the bundled template's layouts, so a
// start does not load the docx package and pack a document (~0.3 s) to get parts that never change. A skeleton is
// used only under the key it was made for (layout, language, seal bytes) and only by the code that made it (a
// fingerprint of the compiled DOCX writer and of the docx and fflate versions); anything else is packed as before.

import path from 'node:path';
import { type CodeInputs, readBuildImage, writeBuildImage } from '../../build-image';

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

/** The compiled DOCX writer (this folder) and the versions of the packages that pack and unzip the skeleton. */
const WRITER: CodeInputs = { dirs: [__dirname], packages: ['docx', 'fflate'] };

export function writePrebuiltSkeletons(skeletons: Record<string, RawSkeleton>, file: string = PREBUILT_SKELETONS_FILE): void {
  writeBuildImage(file, WRITER, skeletons);
}

/** The skeletons of the image at `file`, if it exists and was made by this code. */
export function readPrebuiltSkeletons(file: string = PREBUILT_SKELETONS_FILE): Map<string, RawSkeleton> | undefined {
  const skeletons = readBuildImage<Record<string, RawSkeleton>>(file, WRITER);
  return skeletons && new Map(Object.entries(skeletons));
}

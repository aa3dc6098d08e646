// Worker thread: cuts the template's fonts down to a batch's characters and writes them to a folder.
// A short-lived thread of its own, so hb-subset's WebAssembly heap is released when it ends.

import fs from 'node:fs';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { PageLayout } from '../letter/model';
import { loadFontSet, narrowFontSet } from '../render/layout/fonts';
import { serializeError } from './worker-pool';

export interface FontNarrowingJob {
  fontsDir: string;
  layout: PageLayout;
  chars: string;
  /** Where the cut faces go, under their original file names (so loadFontSet(outDir, layout) finds them). */
  outDir: string;
}

async function narrow(job: FontNarrowingJob): Promise<string[]> {
  const narrowed = narrowFontSet(loadFontSet(job.fontsDir, job.layout), job.chars);
  const written: string[] = [];
  for (const face of new Set([...narrowed.roles.body, ...narrowed.roles.title])) {
    fs.writeFileSync(path.join(job.outDir, face.file), face.bytes);
    written.push(face.file);
  }
  return written;
}

const port = parentPort!;
port.on('message', (job: FontNarrowingJob) => {
  narrow(job).then(
    (result) => port.postMessage({ result }),
    (e) => port.postMessage({ error: serializeError(e) }),
  );
});
port.postMessage({ ready: true });

// A county's letters as one zip, streamed (stored, not deflated again: PDF and DOCX are compressed already).

import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { Zip, ZipPassThrough } from 'fflate';

/** Files (paths relative to `root`, with /) zipped under their own relative names, one at a time, waiting while the client is behind. */
export function zipStream(root: string, files: readonly string[]): PassThrough {
  const out = new PassThrough();
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      out.destroy(error);
      return;
    }
    out.write(chunk);
    if (final) out.end();
  });
  const fill = async () => {
    for (const rel of files) {
      if (out.destroyed) return;
      const entry = new ZipPassThrough(rel);
      entry.mtime = new Date('2000-01-01T00:00:00Z');
      zip.add(entry);
      entry.push(await fs.promises.readFile(path.join(root, ...rel.split('/'))), true);
      if (out.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
    }
    zip.end();
  };
  fill().catch((e: Error) => out.destroy(e));
  return out;
}

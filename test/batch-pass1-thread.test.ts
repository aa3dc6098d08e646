// Pass 1 runs in the batch's own thread for a small input, in a thread of its own for a large one: the same outputs
// (letters, volumes, manifest, rejects) either way.

import path from 'node:path';
import { batch, listOutputs, MAIN_EXPECTED, MAIN_ROWS, sha256File, tempDir, writeCsv } from './fixtures/batch/harness';

test('pass 1 in the batch thread and in a thread of its own give byte-identical outputs', async () => {
  const dir = tempDir('pass1');
  const input = writeCsv(dir, 'employers.csv', MAIN_ROWS);
  const inThread = await batch(input, path.join(dir, 'in-thread'));
  const ownThread = await batch(input, path.join(dir, 'own-thread'), { inThreadPass1MaxBytes: 0 });
  const counts = (s: typeof inThread) => [s.rowsRead, s.lettersMade, s.rowsRejected];
  expect(counts(inThread)).toEqual([MAIN_EXPECTED.read, MAIN_EXPECTED.made, MAIN_EXPECTED.rejected]);
  expect(counts(ownThread)).toEqual(counts(inThread));
  const files = listOutputs(path.join(dir, 'in-thread'));
  expect(files).toEqual(expect.arrayContaining(['rejects.csv', 'manifest.json']));
  expect(listOutputs(path.join(dir, 'own-thread'))).toEqual(files);
  for (const f of files) expect(sha256File(path.join(dir, 'own-thread', f))).toBe(sha256File(path.join(dir, 'in-thread', f)));
});

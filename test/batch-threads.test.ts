// A small batch makes its letters in its own thread, a large one in worker threads: the same bytes either way.

import path from 'node:path';
import { batch, listOutputs, MAIN_ROWS, sha256File, tempDir, writeCsv } from './fixtures/batch/harness';

test('letters made in the batch thread and by worker threads are byte-identical', async () => {
  const dir = tempDir('threads');
  const input = writeCsv(dir, 'employers.csv', MAIN_ROWS);
  const inThread = await batch(input, path.join(dir, 'in-thread'));
  const workers = await batch(input, path.join(dir, 'workers'), { inThreadMaxLetters: 0, jobs: 2 });
  expect(inThread.lettersMade).toBeGreaterThan(0);
  expect(workers.lettersMade).toBe(inThread.lettersMade);
  const files = listOutputs(path.join(dir, 'in-thread'));
  expect(files.some((f) => f.endsWith('.pdf'))).toBe(true);
  expect(listOutputs(path.join(dir, 'workers'))).toEqual(files);
  for (const f of files) expect(sha256File(path.join(dir, 'workers', f))).toBe(sha256File(path.join(dir, 'in-thread', f)));
});

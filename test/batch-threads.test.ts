// A small batch makes its letters in its own thread, a large one in worker threads (joined by the batch's own thread
// when pass 1 ran there): the same bytes every way.

import path from 'node:path';
import { loadedFontFiles } from '../src/render/layout/fonts';
import { batch, listOutputs, MAIN_ROWS, sha256File, tempDir, writeCsv } from './fixtures/batch/harness';

test('letters made in the batch thread, by worker threads and by both are byte-identical', async () => {
  const dir = tempDir('threads');
  const input = writeCsv(dir, 'employers.csv', MAIN_ROWS);
  const inThread = await batch(input, path.join(dir, 'in-thread'));
  const workers = await batch(input, path.join(dir, 'workers'), { inThreadMaxLetters: 0, jobs: 2 });
  // More letters than the batch thread makes alone: it and one worker thread share the jobs (a letter job and a
  // print volume per county, volumes of 2 letters).
  const joined = await batch(input, path.join(dir, 'joined'), { inThreadMaxLetters: 1, jobs: 2, volumeSize: 2, joinWorkers: true });
  const joinedAlone = await batch(input, path.join(dir, 'joined-alone'), {
    inThreadMaxLetters: 1,
    jobs: 1,
    volumeSize: 2,
    joinWorkers: true,
  });
  const workersSmallVolumes = await batch(input, path.join(dir, 'workers-v2'), { inThreadMaxLetters: 0, jobs: 2, volumeSize: 2 });
  expect(inThread.lettersMade).toBeGreaterThan(1);
  expect(workers.lettersMade).toBe(inThread.lettersMade);
  expect(joined.lettersMade).toBe(inThread.lettersMade);
  expect(joinedAlone.lettersMade).toBe(inThread.lettersMade);
  const files = listOutputs(path.join(dir, 'in-thread'));
  expect(files.some((f) => f.endsWith('.pdf'))).toBe(true);
  expect(listOutputs(path.join(dir, 'workers'))).toEqual(files);
  for (const f of files) expect(sha256File(path.join(dir, 'workers', f))).toBe(sha256File(path.join(dir, 'in-thread', f)));
  expect(workersSmallVolumes.lettersMade).toBe(inThread.lettersMade);
  // Every file, print volumes and manifest included, as worker threads alone make it with the same volume size.
  const smallVolumes = listOutputs(path.join(dir, 'workers-v2'));
  for (const out of ['joined', 'joined-alone']) {
    expect(listOutputs(path.join(dir, out))).toEqual(smallVolumes);
    for (const f of smallVolumes) expect(sha256File(path.join(dir, out, f))).toBe(sha256File(path.join(dir, 'workers-v2', f)));
  }
  // The batch's cut faces this thread loaded are gone with the batch (a server makes many).
  expect(loadedFontFiles().filter((f) => f.includes('hazard-notice-fonts-'))).toEqual([]);
});

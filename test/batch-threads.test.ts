// A small batch makes its letters in its own thread, a large one in worker threads (joined by the batch's own thread
// when pass 1 ran there): the same bytes every way.

import path from 'node:path';
import { WorkerPool } from '../src/batch/worker-pool';
import { loadKnowledgeBase } from '../src/catalog/load';
import { loadRegionConfig, probeDocNumber } from '../src/config/region';
import type { EmployerRecord } from '../src/input/employer';
import { loadTemplate } from '../src/letter/template';
import { defaultFontsDir, loadedFontFiles, loadFontSet } from '../src/render/layout/fonts';
import { tryLetter } from '../src/render/render-letter';
import { resolveRecord } from '../src/resolve/resolve-record';
import { Register } from '../src/register/register';
import { batch, listOutputs, MAIN_ROWS, readCsvFile, registerOf, sha256File, tempDir, writeCsv } from './fixtures/batch/harness';

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

test('pass 1’s trial layouts shared with worker threads (a large input): the same rejects, letters and volumes', async () => {
  const dir = tempDir('pooled-trials');
  // A name just long enough that its letter overflows the page with long-named hazards of its own, and fits with a short one: a
  // later row of that name (same county) is no duplicate, since the first is refused (decided in input order).
  const template = loadTemplate();
  const region = loadRegionConfig();
  const fonts = loadFontSet(defaultFontsDir(), template.layout);
  const kb = loadKnowledgeBase();
  // The three chemical factors with the longest printed names (a letter prints at most three of the employer's own).
  const hazardsLong = kb
    .allHazards()
    .filter((h) => h.category === '化学因素')
    .map((h) => h.shortName ?? h.name)
    .filter((name) => !/[,，、]/.test(name)) // a list cell is split at commas
    .sort((a, b) => b.length - a.length || a.localeCompare(b))
    .slice(0, 3);
  const letterOf = (name: string, hazards: string[]) => {
    const record: EmployerRecord = { source: { file: 't', row: 1 }, name, industry: 'C3311', county: '城中区', hazards, columns: {} };
    const r = resolveRecord(record, { kb, region, date: '2026-11-29', maxHazards: template.maxHazards });
    if (!r.ok) throw new Error(r.errors[0].message);
    const prefix = region.counties.find((c) => c.countyName === '城中区')!.numberPrefix;
    return tryLetter(template, { ...r.data, docNumber: probeDocNumber(region.numbering, prefix, 2026) }, fonts);
  };
  let n = 150;
  while (letterOf(`柳州${'柳'.repeat(n)}厂`, hazardsLong).ok) n++;
  const borderline = `柳州${'柳'.repeat(n)}厂`;
  expect(letterOf(borderline, ['噪声']).ok).toBe(true);
  const rows = [
    ...MAIN_ROWS,
    ['柳州😀机械กข厂', '', 'C3311', '城中区', '', '', '噪声'], // E_GLYPH_MISSING
    [borderline, '', 'C3311', '城中区', '', '', hazardsLong.join('、')], // E_LAYOUT_OVERFLOW
    [borderline, '', 'C3311', '城中区', '', '', '噪声'], // the same name, fits: made
    [borderline, '', 'C3311', '城中区', '', '', '噪声'], // now a duplicate
    ...Array.from({ length: 40 }, (_, i) => [`柳州市第${i + 1}机械厂`, '', 'C3311', i % 2 ? '柳南区' : '鱼峰区', '', '', '噪声']),
  ];
  const input = writeCsv(dir, 'employers.csv', rows);
  const here = await batch(input, path.join(dir, 'here'), { inThreadMaxLetters: 1, jobs: 2, volumeSize: 4, joinWorkers: true });
  // Pass 1 in this thread, and in a thread of its own (a large input's) whose trial jobs this thread relays.
  for (const [out, pass1] of [
    ['shared', { poolFirstMinBytes: 0 }],
    ['relayed', { inThreadPass1MaxBytes: 0 }],
  ] as const) {
    const runs = jest.spyOn(WorkerPool.prototype, 'run');
    let shared: Awaited<ReturnType<typeof batch>>;
    try {
      shared = await batch(input, path.join(dir, out), { inThreadMaxLetters: 1, jobs: 2, volumeSize: 4, joinWorkers: true, ...pass1 });
      const kinds = runs.mock.calls.map(([job]) => (job as { kind: string }).kind);
      expect(kinds.filter((k) => k === 'trial').length).toBeGreaterThan(2);
    } finally {
      runs.mockRestore();
    }
    expect([shared.rowsRead, shared.lettersMade, shared.rowsRejected]).toEqual([here.rowsRead, here.lettersMade, here.rowsRejected]);
    const rejects = readCsvFile(path.join(dir, out, 'rejects.csv')).rows.slice(1);
    const codeOfRow = (row: number) => rejects.filter((r) => r[2] === String(row)).map((r) => r[5]);
    const first = MAIN_ROWS.length + 2;
    expect(codeOfRow(first)).toEqual(['E_GLYPH_MISSING', 'E_GLYPH_MISSING', 'E_GLYPH_MISSING']);
    expect(codeOfRow(first + 1)).toEqual(['E_LAYOUT_OVERFLOW']);
    expect(codeOfRow(first + 2)).toEqual([]);
    expect(codeOfRow(first + 3)).toEqual(['E_DUPLICATE_NAME']);
    const files = listOutputs(path.join(dir, 'here'));
    expect(listOutputs(path.join(dir, out))).toEqual(files);
    for (const f of files) expect(sha256File(path.join(dir, out, f))).toBe(sha256File(path.join(dir, 'here', f)));
  }
});

test.each([
  ['pass 1 in this thread', { poolFirstMinBytes: 0 }],
  ['pass 1 in its own thread, trials relayed', { inThreadPass1MaxBytes: 0 }],
])('a trial job that fails stops the batch with its error, before any number is issued (nothing left unhandled): %s', async (_, pass1) => {
  const dir = tempDir('pooled-trials-fail');
  const input = writeCsv(
    dir,
    'employers.csv',
    Array.from({ length: 80 }, (_, i) => [`柳州市第${i + 1}机械厂`, '', 'C3311', '城中区', '', '', '噪声']),
  );
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const run = WorkerPool.prototype.run;
  let trials = 0;
  const runs = jest.spyOn(WorkerPool.prototype, 'run').mockImplementation(function (this: WorkerPool<unknown, unknown>, job) {
    if ((job as { kind: string }).kind === 'trial' && ++trials > 1) return Promise.reject(new Error('试排失败（测试）'));
    return run.call(this, job);
  });
  try {
    const out = path.join(dir, 'out');
    await expect(batch(input, out, { inThreadMaxLetters: 1, jobs: 2, joinWorkers: true, ...pass1 })).rejects.toThrow('试排失败（测试）');
    expect(trials).toBeGreaterThan(2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    expect(listOutputs(out).filter((f) => /\.(pdf|docx)$/.test(f))).toEqual([]);
    const register = await Register.open(registerOf(out));
    try {
      expect((await register.search({})).total).toBe(0);
    } finally {
      await register.close();
    }
  } finally {
    runs.mockRestore();
    process.off('unhandledRejection', onUnhandled);
  }
});

test('trials shared with workers: a row whose turn comes before its job is full (many refused rows after it)', async () => {
  const dir = tempDir('pooled-trials-gap');
  const good = (i: number) => [`柳州市第${i}机械厂`, '', 'C3311', '城中区', '', '', '噪声'];
  // 300 rows of a county the config does not have: refused before any trial, so the first row's turn comes while
  // its trial job holds one row; the rows after them go into jobs of their own.
  const rows = [
    good(1),
    ...Array.from({ length: 300 }, (_, i) => [`南宁某公司${i}`, '', 'C3311', '南宁市', '', '', '噪声']),
    ...Array.from({ length: 20 }, (_, i) => good(i + 2)),
  ];
  const input = writeCsv(dir, 'employers.csv', rows);
  const options = { inThreadMaxLetters: 1, jobs: 2, joinWorkers: true };
  const here = await batch(input, path.join(dir, 'here'), options);
  const shared = await batch(input, path.join(dir, 'shared'), { ...options, poolFirstMinBytes: 0 });
  expect([here.rowsRead, here.lettersMade, here.rowsRejected]).toEqual([321, 21, 300]);
  expect([shared.rowsRead, shared.lettersMade, shared.rowsRejected]).toEqual([321, 21, 300]);
  const files = listOutputs(path.join(dir, 'here'));
  expect(listOutputs(path.join(dir, 'shared'))).toEqual(files);
  for (const f of files) expect(sha256File(path.join(dir, 'shared', f))).toBe(sha256File(path.join(dir, 'here', f)));
});

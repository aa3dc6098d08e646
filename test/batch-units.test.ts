// Batch building blocks: CSV escaping, file-name safety, path containment, atomic writes, the ledger.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseCsv } from '../src/csv/parse';
import { CSV_BOM, csvCell, csvRow } from '../src/csv/write';
import { AtomicFileStream, removeStaleTempFiles, writeFileAtomic } from '../src/output-files/atomic-file';
import { letterFileName, MAX_STEM_BYTES, pathInside, safeFileStem } from '../src/output-files/file-names';
import { employerKey, Register } from '../src/register/register';
import { Progress } from '../src/batch/progress';
import { jobSize } from '../src/batch/produce-letters';
import { typescriptEntryScript } from '../src/batch/worker-pool';
import { HazardNoticeError } from '../src/errors';
import { loadTemplate } from '../src/letter/template';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hn-batch-unit-'));

describe('csv writing', () => {
  test('formula starts are neutralised with a leading quote', () => {
    expect(csvCell('=cmd|"/c calc"!A1')).toBe(`"'=cmd|""/c calc""!A1"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@x')).toBe("'@x");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('\rx')).toBe(`"'\rx"`);
    expect(csvCell('柳州=1')).toBe('柳州=1');
  });

  test('quotes, commas and newlines round-trip through the RFC 4180 parser', () => {
    const values = ['a,b', 'say "hi"', 'line1\nline2', '', '普通', '123'];
    const text = CSV_BOM + csvRow(values) + csvRow(['x', undefined, 3]);
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(text, 'manifest.csv');
    expect(rows.map((r) => r.fields)).toEqual([values, ['x', '', '3']]);
  });
});

describe('file names', () => {
  test.each([
    ['CON', '_CON'],
    ['nul', '_nul'],
    ['COM1', '_COM1'],
    ['LPT9.公司', '_LPT9.公司'],
    ['a/b\\c', 'a_b_c'],
    ['<柳州>:"有限|公司"?*', '_柳州___有限_公司___'],
    ['名称.  ', '名称'],
    ['..', '_'],
    ['', '_'],
    ['控制\u0001字符\u007f', '控制_字符_'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileStem(input)).toBe(expected);
  });

  test('long names are cut on a character boundary within the byte limit', () => {
    const name = '柳州市'.repeat(40) + '有限公司'; // 372 bytes
    const stem = safeFileStem(name);
    expect(Buffer.byteLength(stem)).toBeLessThanOrEqual(MAX_STEM_BYTES);
    expect(Buffer.byteLength(stem)).toBeGreaterThan(MAX_STEM_BYTES - 3);
    expect(name.startsWith(stem)).toBe(true);
    const file = letterFileName(12, name, 'pdf', 4);
    expect(file.startsWith('0012_')).toBe(true);
    expect(Buffer.byteLength(file.replace(/\.pdf$/, ''))).toBeLessThanOrEqual(MAX_STEM_BYTES);
  });

  test('paths cannot leave the output folder', () => {
    const root = tmp();
    expect(pathInside(root, '柳城县', '1_a.pdf')).toBe(path.join(root, '柳城县', '1_a.pdf'));
    for (const bad of ['../x.pdf', '/etc/passwd', '柳城县/../../x', '.']) {
      expect(() => pathInside(root, bad)).toThrow(HazardNoticeError);
    }
    try {
      pathInside(root, '../x');
    } catch (e) {
      expect((e as HazardNoticeError).code).toBe('E_PATH_ESCAPE');
    }
    expect(pathInside(root, '..名称.pdf')).toBe(path.join(root, '..名称.pdf'));
  });
});

describe('atomic files', () => {
  test('a file appears only when committed; abandoned and stale temps leave nothing', () => {
    const dir = tmp();
    const target = path.join(dir, 'a.csv');
    const s = new AtomicFileStream(target);
    s.write('part 1,');
    expect(fs.existsSync(target)).toBe(false);
    s.write(Buffer.from('part 2'));
    s.commit();
    expect(fs.readFileSync(target, 'utf8')).toBe('part 1,part 2');

    const t = new AtomicFileStream(path.join(dir, 'b.csv'));
    t.write('x');
    t.abandon();
    expect(fs.readdirSync(dir)).toEqual(['a.csv']);

    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'sub', '.1_x.pdf.hn-123-0.tmp'), 'half');
    fs.writeFileSync(path.join(dir, 'sub', 'keep.tmp'), 'not ours');
    expect(removeStaleTempFiles(dir)).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'sub'))).toEqual(['keep.tmp']);

    writeFileAtomic(target, 'new');
    expect(fs.readFileSync(target, 'utf8')).toBe('new');
  });
});

describe('register: numbers and batch files', () => {
  const req = (bureau: string, key: string, date = '2026-11-29', templateId = 't@1') => ({ bureau, employerKey: key, date, templateId });

  test('numbers per bureau and year, reused for the same employer, date and template, kept across opens', async () => {
    const file = path.join(tmp(), 'l.sqlite');
    let ledger = await Register.open(file);
    expect(await ledger.issueNumbers([req('450222', 'a'), req('450222', 'b'), req('450223', 'c')])).toEqual([1, 2, 1]);
    await ledger.close();
    ledger = await Register.open(file);
    // same batch again: same numbers; a new employer gets the next one
    expect(await ledger.issueNumbers([req('450222', 'b'), req('450222', 'a'), req('450222', 'd')])).toEqual([2, 1, 3]);
    // another date or template is another letter: new number
    expect(await ledger.issueNumbers([req('450222', 'a', '2026-12-01')])).toEqual([4]);
    expect(await ledger.issueNumbers([req('450222', 'a', '2026-11-29', 't@2')])).toEqual([5]);
    // a new year restarts at 1
    expect(await ledger.issueNumbers([req('450222', 'a', '2027-01-04'), req('450222', 'b', '2027-01-04')])).toEqual([1, 2]);
    // later in that year: the next number, and a bureau's first letter of the year is its 1
    expect(await ledger.issueNumbers([req('450222', 'a', '2027-01-07'), req('450223', 'c', '2027-01-07')])).toEqual([3, 1]);
    await ledger.close();
  });

  test('employer keys: USCC first, else county + normalised name', () => {
    expect(employerKey('450222', '某 公司', '91450222ma5k0a1b8e')).toBe('uscc:91450222MA5K0A1B8E');
    expect(employerKey('450222', '某　公司')).toBe('name:450222:某公司');
  });

  test('file records and output ownership', async () => {
    const dir = tmp();
    const ledger = await Register.open(path.join(dir, 'l.sqlite'));
    const out = path.join(dir, 'out');
    await ledger.recordFiles(
      [
        { path: path.join(out, 'a.pdf'), sha256: 'aa' },
        { path: path.join(dir, 'other', 'b.pdf'), sha256: 'bb' },
      ],
      'b1',
    );
    expect(await ledger.fileRecord(path.join(out, 'a.pdf'))).toEqual({ sha256: 'aa', batchId: 'b1' });
    expect(await ledger.filesOfOtherBatches(out, 'b2')).toEqual([path.join(out, 'a.pdf')]);
    expect(await ledger.filesOfOtherBatches(out, 'b1')).toEqual([]);
    expect(await ledger.batchOf(out)).toBeUndefined();
    await ledger.setBatchOf(out, 'b1');
    expect(await ledger.batchOf(out)).toBe('b1');
    await ledger.close();
  });
});

describe('progress', () => {
  const sink = (isTTY: boolean) => {
    const out: string[] = [];
    return { out, stream: { isTTY, write: (s: string) => out.push(s) } };
  };

  test('a terminal gets a redrawn bar with count, rate and ETA; the last update ends the line', () => {
    const { out, stream } = sink(true);
    const p = new Progress(stream, 0);
    p.update(0, 4);
    p.update(2, 4);
    p.update(4, 4);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatch(/剩余时间估算中$/); // no rate yet: no made-up ETA
    expect(out[1]).toMatch(/^\r\[#{15}\.{15}\] 2\/4 份 .*份\/秒 +(剩余约 \d+ 秒|剩余时间估算中)$/);
    expect(out[2]).toMatch(/^\r\[#{30}\] 4\/4 份 .*已完成\n$/);
  });

  test('a log gets plain lines, throttled, and always the final one', () => {
    const { out, stream } = sink(false);
    const p = new Progress(stream, 60_000);
    p.update(0, 3);
    p.update(1, 3);
    p.update(3, 3);
    expect(out).toEqual([expect.stringMatching(/^进度：0\/3 份/), expect.stringMatching(/^进度：3\/3 份/)]);
  });
});

test('a letter worker loads no YAML reader, zod or template compiler: it is handed the template as the batch read it', () => {
  const template = loadTemplate();
  const work = path.join(__dirname, '..', 'src', 'batch', 'letter-work.ts');
  const script =
    typescriptEntryScript(work) +
    `;const { load } = require(${JSON.stringify(work)});` +
    `const loaded = load({ template: JSON.parse(process.argv[1]), seals: new Map(), fontsDir: 'unused', render: {} });` +
    `if (loaded.template.id !== ${JSON.stringify(template.id)}) throw new Error(loaded.template.id);` +
    'process.stdout.write(JSON.stringify(Object.keys(require.cache)))';
  const res = spawnSync(process.execPath, ['-e', script, JSON.stringify(template.source)], { encoding: 'utf8' });
  expect(res.stderr).toBe('');
  const files = (JSON.parse(res.stdout) as string[]).map((f) => f.split(path.sep).join('/'));
  const packages = new Set(files.map((f) => /node_modules\/([^/]+)/.exec(f)?.[1]));
  expect(files.some((f) => f.endsWith('handlebars/dist/cjs/handlebars.runtime.js'))).toBe(true);
  expect(files.filter((f) => f.includes('handlebars/dist/cjs/handlebars/compiler/'))).toEqual([]);
  expect(packages.has('yaml')).toBe(false);
  expect(packages.has('zod')).toBe(false);
});

describe('jobSize', () => {
  /** The jobs a batch of `letters` is handed out in to `threads` threads. */
  const jobs = (letters: number, threads: number) => {
    const sizes: number[] = [];
    for (let left = letters; left > 0; left -= sizes[sizes.length - 1]) sizes.push(Math.min(left, jobSize(left, threads)));
    return sizes;
  };

  test('eight letters a job until the end nears, then fewer, down to one, every letter once', () => {
    const sizes = jobs(300, 2);
    expect(sizes.reduce((a, b) => a + b)).toBe(300);
    expect(sizes.slice(0, 30).every((n) => n === 8)).toBe(true);
    expect(sizes.slice(-7)).toEqual([3, 2, 2, 1, 1, 1, 1]);
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1]);
  });

  test('the last jobs shrink sooner with more threads; a small batch is never one job per letter up front', () => {
    expect(jobs(300, 4).findIndex((n) => n < 8)).toBeLessThan(jobs(300, 2).findIndex((n) => n < 8));
    expect(jobs(20, 2)).toEqual([5, 4, 3, 2, 2, 1, 1, 1, 1]);
    expect(jobs(1, 2)).toEqual([1]);
  });
});

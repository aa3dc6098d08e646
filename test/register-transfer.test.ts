// register export / import: an SQLite register with batch letters, a CLI letter and the campaign store, exported,
// imported into an empty register (PostgreSQL, and SQLite) and exported again: the same bytes. Numbering goes on after
// the import with no number repeated or skipped; a register that is not empty is refused.

import fs from 'node:fs';
import path from 'node:path';
import { SCHEMA_VERSION } from '../src/register/migrations';
import { Register } from '../src/register/register';
import { runCli } from './cli-run';
import { employersCsv, V1 } from './fixtures/campaign/fixture';
import { batch, MAIN_ROWS, tempDir, writeCsv } from './fixtures/batch/harness';
import { eachBackend } from './postgres';

jest.setTimeout(120_000);

const dir = tempDir('register-transfer');
const source = path.join(dir, 'source');
const exported = path.join(dir, 'export.json');
const DATE = '2026-11-29';

beforeAll(async () => {
  await batch(writeCsv(dir, 'employers.csv', MAIN_ROWS), path.join(dir, 'out'), { dataDir: source, date: DATE, formats: ['pdf'] });
  const letter = await runCli(
    'letter',
    '--name',
    '柳州市新来机械厂',
    '--industry',
    'C3311',
    '--county',
    '城中区',
    '--date',
    DATE,
    '--format',
    'pdf',
    '--out',
    path.join(dir, 'cli'),
    '--data-dir',
    source,
  );
  expect(letter.code).toBe(0);
  const campaign = path.join(dir, 'campaign.csv');
  fs.writeFileSync(campaign, employersCsv(V1));
  expect((await runCli('campaign', 'import', campaign, '--date', '2024-06-01', '--data-dir', source)).code).toBe(0);
  process.env.HAZARD_NOTICE_PASSWORD = 'export-口令-1';
  try {
    expect((await runCli('users', 'add', 'liucheng', '--role', '县区工作人员', '--counties', '柳城县', '--data-dir', source)).code).toBe(0);
  } finally {
    delete process.env.HAZARD_NOTICE_PASSWORD;
  }
  const r = await runCli('register', 'export', '--out', exported, '--data-dir', source);
  expect([r.code, r.stderr]).toEqual([0, `已导出到：${exported}\n`]);
});

test('the export holds every table, rows by key, one a line; CSV lists the letters for audit', async () => {
  const doc = JSON.parse(fs.readFileSync(exported, 'utf8'));
  expect(doc).toMatchObject({ format: 'hazard-notice-register', schemaVersion: SCHEMA_VERSION });
  const user = ['liucheng', '县区工作人员', '["450222"]', expect.stringMatching(/^scrypt\$/), 0, expect.any(String), expect.any(String)];
  expect(doc.tables.users.rows).toEqual([user]);
  expect(doc.tables.letters.rows).toHaveLength(8); // 7 batch letters + 1 CLI letter
  expect(doc.tables.letter_files.rows).toHaveLength(8);
  expect(doc.tables.number_counters.rows).toContainEqual(['450202', 2026, 3]); // 城中区: 2 batch letters, then the CLI's
  expect(doc.tables.campaign_employers.rows.length).toBe(V1.length);
  const csv = await runCli('register', 'export', '--format', 'csv', '--data-dir', source);
  const lines = csv.stdout
    .replace(/^\uFEFF/, '')
    .trim()
    .split('\r\n');
  expect(lines[0].split(',').slice(0, 3)).toEqual(['编号', '文号', '机关代码']);
  expect(lines).toHaveLength(9);
  expect(lines.some((l) => l.includes('柳州市新来机械厂') && l.includes('城中卫职告〔2026〕3号'))).toBe(true);
});

eachBackend('export → import → export', (backend) => {
  test('lossless: byte-identical; numbering goes on from the counters; a register not empty is refused', async () => {
    const database = (await backend.fresh()) ?? path.join(tempDir('register-import'), 'register.sqlite');
    const target = path.join(dir, `target-${backend.kind}`);
    const imported = await runCli('register', 'import', exported, '--database', database, '--data-dir', target);
    expect(imported.stderr).toBe('');
    expect(imported.stdout).toContain('告知单 8 份');
    const again = path.join(dir, `again-${backend.kind}.json`);
    expect((await runCli('register', 'export', '--out', again, '--database', database, '--data-dir', target)).code).toBe(0);
    expect(fs.readFileSync(again).equals(fs.readFileSync(exported))).toBe(true);

    const refused = await runCli('register', 'import', exported, '--database', database, '--data-dir', target);
    expect([refused.code, refused.stderr]).toEqual([2, expect.stringContaining('E_IMPORT_NOT_EMPTY')]);

    const reg = await Register.open(database, { dataDir: target });
    try {
      const req = (key: string) => ({ bureau: '450202', employerKey: key, date: DATE, templateId: 'next' });
      expect(await reg.issueNumbers([req('new-a'), req('new-b')])).toEqual([4, 5]);
      const page = await reg.search({ q: '柳州市新来机械厂' });
      expect(page.rows.map((r) => r.docNumber)).toEqual(['城中卫职告〔2026〕3号']);
      const id = page.rows[0].id;
      expect((await reg.fileFor(id, 'pdf')).remade).toBe(false); // the file recorded, checked by its SHA-256
    } finally {
      await reg.close();
    }
  });
});

test('a file that is not an export is refused, naming it', async () => {
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{"format": "other"}');
  const r = await runCli('register', 'import', bad, '--data-dir', path.join(dir, 'empty'));
  expect([r.code, r.stderr]).toEqual([2, expect.stringMatching(/E_IMPORT_FORMAT.*bad\.json/)]);
});

// Batch output: folders and safe names, manifest fields and hashes, print volumes in route order,
// ledger numbering across runs, determinism, and --force.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { employerKey, Register } from '../src/register/register';
import { HazardNoticeError } from '../src/errors';
import {
  batch,
  listOutputs,
  MAIN_EXPECTED,
  registerOf,
  MAIN_ROWS,
  readCsvFile,
  readManifestJson,
  sha256File,
  tempDir,
  writeCsv,
} from './fixtures/batch/harness';

const dir = tempDir('output');
const input = writeCsv(dir, 'employers.csv', MAIN_ROWS);
const out1 = path.join(dir, 'out1');
const out2 = path.join(dir, 'out2');

beforeAll(async () => {
  await batch(input, out1);
  await batch(input, out2, { jobs: 2 });
});

const pdfText = (file: string) => execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });

test('one folder per county, <序号>_<单位名称> files, safe names', () => {
  const files = listOutputs(out1);
  expect(files).toEqual(
    expect.arrayContaining([
      path.join('城中区', '1_柳州市恒通机械有限公司.pdf'),
      path.join('城中区', '2_柳州鑫源建材厂.docx'),
      path.join('柳城县', '1_柳城县堃垚木业有限公司.pdf'),
      path.join('柳南区', "1_=cmd_' _C calc'!A0.pdf"),
      path.join('柳北区', '1_CON.docx'),
      path.join('城中区', '城中区_打印合订本_第1册.pdf'),
      'manifest.csv',
      'manifest.json',
      'rejects.csv',
    ]),
  );
  expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
});

test('manifest.json: fields per letter, SHA-256 of every file matches', () => {
  const m = readManifestJson(out1);
  expect(m.summary).toEqual({
    rowsRead: MAIN_EXPECTED.read,
    lettersMade: MAIN_EXPECTED.made,
    rowsRejected: MAIN_EXPECTED.rejected,
    counties: expect.any(Array),
  });
  expect(m.letters).toHaveLength(MAIN_EXPECTED.made);
  const first = m.letters.find((l) => l.employer.name === '柳州市恒通机械有限公司')!;
  expect(first).toMatchObject({
    county: { code: '450202', name: '城中区' },
    seq: 1,
    docNumber: '城中卫职告〔2026〕1号',
    employer: { uscc: '914502021000000169', township: '城中街道' },
    industry: { group: { code: 'C331' } },
    diseaseCatalogue: { id: '2024' },
    date: '2026-11-29',
    source: { row: 2 },
  });
  expect(first.hazards[0].name).toBe('噪声');
  expect(first.diseases).toContain('噪声聋');
  expect(first.templateId).toMatch(/@[0-9a-f]{12}$/);
  for (const l of m.letters) {
    expect(l.files.map((f) => f.format)).toEqual(['docx', 'pdf']);
    for (const f of l.files) expect(sha256File(path.join(out1, f.path))).toBe(f.sha256);
  }
  for (const v of m.printVolumes) expect(sha256File(path.join(out1, v.path))).toBe(v.sha256);
});

test('manifest.csv: BOM, one row per letter, formula names neutralised, same hashes as the JSON', () => {
  const { raw, rows } = readCsvFile(path.join(out1, 'manifest.csv'));
  expect(raw.startsWith('\uFEFF')).toBe(true);
  expect(rows).toHaveLength(MAIN_EXPECTED.made + 1);
  const header = rows[0];
  const col = (name: string) => header.indexOf(name);
  const formula = rows.find((r) => r[col('区县')] === '柳南区')!;
  expect(formula[col('单位名称')]).toBe("'=cmd|' /C calc'!A0");
  const json = readManifestJson(out1);
  for (const r of rows.slice(1)) {
    const l = json.letters.find((x) => x.docNumber === r[col('文号')])!;
    expect(r[col('PDF SHA-256')]).toBe(l.files.find((f) => f.format === 'pdf')!.sha256);
  }
});

test('print volume per county: one page per letter, in route order (乡镇/街道, then name)', async () => {
  const m = readManifestJson(out1);
  for (const v of m.printVolumes) {
    const letters = m.letters.filter((l) => l.county.name === v.county);
    const pdf = await PDFDocument.load(fs.readFileSync(path.join(out1, v.path)));
    expect(pdf.getPageCount()).toBe(letters.length);
  }
  const text = pdfText(path.join(out1, '鱼峰区', '鱼峰区_打印合订本_第1册.pdf'));
  expect(text.indexOf('柳州宏达化工有限公司')).toBeGreaterThanOrEqual(0);
  expect(text.indexOf('柳州宏达化工有限公司')).toBeLessThan(text.indexOf('柳州鑫源建材厂'));
  const zc = pdfText(path.join(out1, '城中区', '城中区_打印合订本_第1册.pdf'));
  expect(zc.indexOf('柳州市恒通机械有限公司')).toBeLessThan(zc.indexOf('柳州鑫源建材厂')); // 城中街道 before 大埔镇
  expect(zc).toContain('城中卫职告〔2026〕2号');
});

test('deterministic: two runs into two folders give identical bytes', () => {
  const a = listOutputs(out1);
  expect(listOutputs(out2)).toEqual(a);
  for (const f of a) expect(sha256File(path.join(out2, f))).toBe(sha256File(path.join(out1, f)));
});

test('rerun of the same batch keeps verified letters, remakes a corrupt one and a lost volume, same numbers and bytes', async () => {
  const before = readManifestJson(out1);
  const victim = path.join(out1, '城中区', '2_柳州鑫源建材厂.pdf');
  fs.writeFileSync(victim, 'corrupt');
  fs.rmSync(path.join(out1, '柳北区', '1_CON.docx'));
  // The volume is remade from one page the rerun draws for its letter job and others drawn again from kept
  // letters' data: the same bytes as when every page came from a letter job.
  fs.rmSync(path.join(out1, '城中区', '城中区_打印合订本_第1册.pdf'));
  const s = await batch(input, out1);
  expect(s.lettersMade).toBe(MAIN_EXPECTED.made);
  expect(s.lettersKept).toBe(MAIN_EXPECTED.made - 2);
  expect(readManifestJson(out1)).toEqual(before);
  expect(sha256File(victim)).toBe(
    before.letters.find((l) => l.employer.name === '柳州鑫源建材厂' && l.county.name === '城中区')!.files[1].sha256,
  );
});

test('another batch into the same folder needs --force; --force replaces its files', async () => {
  const other = writeCsv(dir, 'other.csv', [MAIN_ROWS[0]]);
  await expect(batch(other, out2)).rejects.toMatchObject({ code: 'E_OUT_EXISTS' });
  await expect(batch(input, out2, { date: '2026-12-01' })).rejects.toBeInstanceOf(HazardNoticeError);
  const s = await batch(other, out2, { force: true });
  expect(s.lettersMade).toBe(1);
  const left = listOutputs(out2).filter((f) => f.endsWith('.pdf') || f.endsWith('.docx'));
  expect(left).toEqual([
    path.join('城中区', '1_柳州市恒通机械有限公司.docx'),
    path.join('城中区', '1_柳州市恒通机械有限公司.pdf'),
    path.join('城中区', '城中区_打印合订本_第1册.pdf'),
  ]);

  const foreign = path.join(dir, 'foreign');
  fs.mkdirSync(foreign);
  fs.writeFileSync(path.join(foreign, '工作记录.xlsx'), 'x');
  await expect(batch(other, foreign)).rejects.toMatchObject({ code: 'E_OUT_EXISTS' });
  expect(fs.readdirSync(foreign)).toEqual(['工作记录.xlsx']); // nothing left behind in someone else's folder
});

describe('ledger numbering across batches (one shared ledger)', () => {
  // The numbering rules themselves (per bureau and year, reuse, a new year restarting) are the ledger's unit tests
  // (batch-units); here: a batch given another batch's ledger numbers on from it and asks it as those tests do.
  const numbers = (out: string) =>
    Object.fromEntries(readManifestJson(out).letters.map((l) => [`${l.county.name}/${l.employer.name}`, l.docNumber]));

  test('a new employer gets the next number, known ones keep theirs, each bureau has its own sequence; a dry run issues none', async () => {
    const ledgerFile = path.join(dir, 'shared-ledger.sqlite');
    fs.copyFileSync(registerOf(out1), ledgerFile); // the main batch's: 城中区 1–2, 柳城县 1, 鱼峰区 1–2, …
    const second = writeCsv(dir, 'second.csv', [
      ['柳州阿尔法机械厂', '', 'C3311', '城中区', '城中街道', '', '噪声'],
      MAIN_ROWS[0],
      MAIN_ROWS[1],
    ]);
    await batch(second, path.join(dir, 'l2'), { ledgerFile, formats: ['docx'] });
    expect(numbers(path.join(dir, 'l2'))).toEqual({
      '城中区/柳州阿尔法机械厂': '城中卫职告〔2026〕3号',
      '城中区/柳州市恒通机械有限公司': '城中卫职告〔2026〕1号',
      '城中区/柳州鑫源建材厂': '城中卫职告〔2026〕2号',
    });
    const issued = sha256File(ledgerFile);
    await batch(second, path.join(dir, 'l-dry'), { ledgerFile, dryRun: true, date: '2027-01-06' });
    expect(sha256File(ledgerFile)).toBe(issued);

    // The batch's requests are the unit tests' requests: bureau, USCC (else county + name), the letters' date, template.
    const templateId = readManifestJson(out1).letters[0].templateId;
    const ledger = await Register.open(ledgerFile);
    try {
      expect(
        await ledger.issueNumbers([
          {
            bureau: '450202',
            employerKey: employerKey('450202', '柳州市恒通机械有限公司', '914502021000000169'),
            date: '2026-11-29',
            templateId,
          },
          { bureau: '450202', employerKey: employerKey('450202', '柳州鑫源建材厂'), date: '2026-11-29', templateId },
          { bureau: '450202', employerKey: employerKey('450202', '柳州阿尔法机械厂'), date: '2026-11-29', templateId },
        ]),
      ).toEqual([1, 2, 3]);
    } finally {
      await ledger.close();
    }
  });
});

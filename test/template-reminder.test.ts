// The bundled follow-up template (templates/reminder, a draft for the bureau to approve): one page through
// renderLetter with and without the earlier notice and deadline, the worst case still one page, and a batch with it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { loadTemplate } from '../src/letter/template';
import { renderLetter } from '../src/render/render-letter';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { runCli } from './cli-run';
import { sampleLetterData } from './fixtures/sample-letter-data';
import { pdfFonts, pdfInfo, pdfText } from './poppler';
import { hasTool } from './tools';

const ROOT = path.join(__dirname, '..');
const DIR = path.join(ROOT, 'templates', 'reminder');
const template = loadTemplate(DIR);
const fonts = loadFontSet(defaultFontsDir(), template.layout);
const describePoppler = hasTool('pdftotext', ['-v'], 'poppler-utils') ? describe : describe.skip;
/** The text of a one-page PDF on one line (pdftotext breaks lines where the layout does). */
const flat = (pdf: Uint8Array) => pdfText(pdf, { layout: false }).replace(/\s+/g, '');

test('marked as a draft for the bureau to approve, in its comments and its name', () => {
  expect(fs.readFileSync(path.join(DIR, 'template.hbs'), 'utf8')).toMatch(/^\{\{!--\n {2}拟稿，须经局审定后使用/);
  expect(template.name).toBe('职业病危害项目申报催报告知单（拟稿，须经局审定后使用）');
  expect(template.id).toMatch(/^liuzhou-reminder-draft@/);
  expect(template.usesDocNumber).toBe(true);
});

describePoppler('reminder letters', () => {
  test('with the earlier notice and a deadline: one page naming both, the law and the bureau', async () => {
    const data = sampleLetterData({
      docNumber: '柳城卫职告〔2026〕31号',
      followUp: { previous: { docNumber: '柳城卫职告〔2026〕12号', date: '2026-10-09' }, deadline: '2026-12-31' },
    });
    const letter = await renderLetter(template, data, fonts, ['pdf', 'docx']);
    const pdf = letter.pdf!.bytes;
    expect(pdfInfo(pdf).Pages).toBe('1');
    expect(letter.page.gridLinesUsed).toBeLessThanOrEqual(letter.page.linesPerPage);
    for (const f of pdfFonts(pdf)) expect(f).toMatchObject({ embedded: true, unicode: true });
    const text = flat(pdf);
    expect(text).toContain('职业病危害项目申报催报告知单');
    expect(text).toContain('柳城卫职告〔2026〕31号');
    expect(text).toContain('我局已于2026年10月9日以《职业病危害项目申报告知单》（柳城卫职告〔2026〕12号）告知你单位');
    expect(text).toContain('你单位属于木质家具制造（中类）行业，可能存在木粉尘、苯、噪声等职业病危害');
    expect(text).toContain('《中华人民共和国职业病防治法》第十六条');
    expect(text).toContain('请你单位于2026年12月31日前完成职业病危害项目申报');
    expect(text).toContain('第七十一条，责令限期改正，给予警告，可以并处五万元以上十万元以下的罚款');
    expect(text).toMatch(/柳城县卫生健康局2026年11月29日$/);
    expect(letter.docx!.byteLength).toBeGreaterThan(1000);
    // The filled-in values are underlined blanks of the form, not plain text.
    const runs = letter.document.paragraphs.flatMap((p) => p.runs).filter((r) => r.underline);
    expect(runs.map((r) => r.field)).toEqual(expect.arrayContaining(['前次告知日期', '前次告知文号', '申报期限', '单位名称']));
  });

  test('without them (a plain batch): general wording, a date blank to fill by hand, no invented number of days', async () => {
    const letter = await renderLetter(template, sampleLetterData({ docNumber: '柳城卫职告〔2026〕32号' }), fonts, ['pdf', 'docx']);
    const text = flat(letter.pdf!.bytes);
    expect(pdfInfo(letter.pdf!.bytes).Pages).toBe('1');
    expect(text).toContain('我局此前已以《职业病危害项目申报告知单》告知你单位，你单位属于');
    expect(text).toContain('请你单位于年月日前完成职业病危害项目申报'); // blanks: ideographic spaces (flat drops them)
    expect(text).not.toMatch(/\d+日内/);
    // The blanks are underlined runs of ideographic spaces, in the PDF's model and in the DOCX.
    const blanks = letter.document.paragraphs.flatMap((p) => p.runs).filter((r) => r.field === '空');
    expect(blanks.map((r) => [r.text.length, r.underline])).toEqual([
      [4, true],
      [2, true],
      [2, true],
    ]);
    const xml = unzipSync(letter.docx!)['word/document.xml'];
    expect(strFromU8(xml)).toMatch(/<w:u w:val="single"\/>.*?<w:t[^>]*>　　　　<\/w:t>/);
  });

  test('{{空 N}} takes 1–20 characters; anything else is refused with the template line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-blank-'));
    try {
      fs.copyFileSync(path.join(DIR, 'template.yaml'), path.join(dir, 'template.yaml'));
      fs.writeFileSync(path.join(dir, 'template.hbs'), '@标题\n告知单\n@正文\n请于{{空 0}}前申报。\n');
      expect(() => loadTemplate(dir)).toThrow(/第 4 行：\{\{空 N\}\} 的 N 应为 1 到 20 的整数，实际为“0”/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the longest case (100-character name, long fields, contact line) still fits one page', async () => {
    const data = sampleLetterData({
      docNumber: '三江卫职告〔2026〕10000号',
      followUp: { previous: { docNumber: '三江卫职告〔2026〕9999号', date: '2026-10-09' }, deadline: '2026-12-31' },
    });
    data.employer.name = '广西柳州'.padEnd(96, '融昇机械制造') + '有限公司';
    data.bureau = { ...data.bureau, name: '三江侗族自治县卫生健康局', contact: '0772-8612345（职业健康股）' };
    data.industry = { ...data.industry, group: { code: 'C266', name: '专用化学产品制造' } };
    const letter = await renderLetter(template, data, fonts, ['pdf']);
    expect(pdfInfo(letter.pdf!.bytes).Pages).toBe('1');
    expect(flat(letter.pdf!.bytes)).toContain('联系方式：0772-8612345（职业健康股）');
  });

  test('batch --template templates/reminder on the sample list', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-reminder-'));
    try {
      const out = path.join(dir, 'out');
      const input = path.join(ROOT, 'examples', 'sample-employers.xlsx');
      const args = ['--out', out, '--date', '2026-11-29', '--jobs', '1', '--format', 'pdf', '--data-dir', path.join(dir, 'data')];
      const r = await runCli('batch', input, '--template', DIR, ...args);
      expect([r.code, r.stderr.split('\n').filter((l) => l && !l.startsWith('进度：'))]).toEqual([0, []]);
      expect(r.stderr).toContain('进度：20/20 份');
      const county = fs.readdirSync(out).find((f) => fs.statSync(path.join(out, f)).isDirectory())!;
      const first = fs.readdirSync(path.join(out, county)).find((f) => /^1_.*\.pdf$/.test(f))!;
      const pdf = new Uint8Array(fs.readFileSync(path.join(out, county, first)));
      expect(pdfInfo(pdf).Pages).toBe('1');
      expect(flat(pdf)).toContain('职业病危害项目申报催报告知单');
      expect(flat(pdf)).toContain('请你单位于年月日前');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

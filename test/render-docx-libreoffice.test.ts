// The DOCX as LibreOffice renders it (headless, bundled fonts only via fonts/fontconfig/fonts.conf):
// one page, the same line breaks as our own layout, and only the bundled faces in its PDF.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { renderDocx } from '../src/render/docx/render-docx';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { layoutLines } from '../src/render/layout/layout';
import type { LetterDocument } from '../src/letter/model';
import { defaultLayout, sampleLetterDocument } from './fixtures/sample-letter-document';
import { pdfFonts, pdfInfo, pdfText } from './poppler';
import { hasTool } from './tools';

const FONTS_CONF = path.join(__dirname, '..', 'fonts', 'fontconfig', 'fonts.conf');
const describeLo = hasTool('soffice', ['--version'], 'libreoffice-writer-nogui') ? describe : describe.skip;

const letters: Record<string, LetterDocument> = {
  sample: sampleLetterDocument(),
  // Many short filled blanks on one line: the case where LibreOffice's run-end tracking matters.
  manyBlanks: sampleLetterDocument({
    employer: '柳州市鹿寨县堃𠮷机械配件厂',
    hazards: ['矽尘', '煤尘', '木粉尘', '苯', '甲苯', '二甲苯', '噪声', '高温', '一氧化碳'],
    diseases: ['矽肺', '煤工尘肺', '苯中毒', '甲苯中毒', '职业性噪声聋', '中暑', '一氧化碳中毒'],
  }),
};

/** Converts the .docx files in one soffice call (own profile, bundled fonts only); returns PDF bytes by name. */
function convertWithLibreOffice(docx: Record<string, Uint8Array>): Record<string, Uint8Array> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-docx-lo-'));
  try {
    const inputs = Object.entries(docx).map(([name, bytes]) => {
      const file = path.join(dir, `${name}.docx`);
      fs.writeFileSync(file, bytes);
      return file;
    });
    const out = path.join(dir, 'pdf');
    const result = spawnSync(
      'soffice',
      [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'pdf', '--outdir', out, ...inputs],
      { env: { ...process.env, FONTCONFIG_FILE: FONTS_CONF }, encoding: 'utf8', timeout: 120_000 },
    );
    if (result.status !== 0) throw new Error(`soffice failed (${result.status}): ${result.stderr}`);
    return Object.fromEntries(Object.keys(docx).map((name) => [name, new Uint8Array(fs.readFileSync(path.join(out, `${name}.pdf`)))]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Share of our lines that LibreOffice sets identically (same first and last character), each matched once. */
function lineAgreement(ours: string[], theirs: string[]): number {
  const pool = [...theirs];
  let same = 0;
  for (const line of ours) {
    const i = pool.indexOf(line);
    if (i >= 0) {
      same++;
      pool.splice(i, 1);
    }
  }
  return same / ours.length;
}

describeLo('LibreOffice rendering of the DOCX', () => {
  const fonts = loadFontSet(defaultFontsDir(), defaultLayout);
  let pdfs: Record<string, Uint8Array>;

  beforeAll(async () => {
    const docx: Record<string, Uint8Array> = {};
    for (const [name, doc] of Object.entries(letters)) docx[name] = await renderDocx(doc, { fonts });
    pdfs = convertWithLibreOffice(docx);
  }, 150_000);

  test.each(Object.keys(letters))('%s: exactly one page', (name) => {
    expect(pdfInfo(pdfs[name]).Pages).toBe('1');
  });

  // Where a URL breaks is the word processor's (the DOCX holds each URL as one run, no break hints; LibreOffice breaks
  // after a slash, the PDF at the line end): lines holding or continuing a URL are left out of the comparison.
  const urlLine = (line: string) => /:\/\/|^[!-~]+$/.test(line);

  test.each(Object.keys(letters))('%s: line breaks agree with our layout on ≥ 90 %% of lines outside URLs', (name) => {
    const lo = pdfText(pdfs[name], { layout: false })
      .split('\n')
      .map((l) => l.replace(/\s+/g, ''))
      .filter((l) => l !== '');
    const ours = layoutLines(letters[name], fonts);
    const agreement = lineAgreement(
      ours.filter((l) => !urlLine(l)),
      lo.filter((l) => !urlLine(l)),
    );
    console.log(`${name}: LibreOffice line agreement ${(agreement * 100).toFixed(1)} % (${ours.length} lines)`);
    expect(lo).toHaveLength(ours.length);
    expect(agreement).toBeGreaterThanOrEqual(0.9);
  });

  test.each(Object.keys(letters))('%s: each URL comes out of LibreOffice’s PDF exactly, no invisible characters', (name) => {
    const text = pdfText(pdfs[name], { layout: false });
    expect(text).not.toMatch(/[\u00AD\u200B-\u200F\u2060\uFEFF]/);
    const flat = text.replace(/\s+/g, '');
    expect(flat).toContain('操作流程网址：http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml职业病危害项目申报网址：');
    expect(flat).toContain('https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login柳城县卫生健康局');
  });

  test.each(Object.keys(letters))('%s: LibreOffice uses the bundled faces only (FandolFang, FandolSong, Noto fallback)', (name) => {
    const faces = pdfFonts(pdfs[name]).map((f) => f.name.replace(/^[A-Z]{6}\+/, ''));
    expect(faces).toEqual(expect.arrayContaining(['FandolFang-Regular', 'FandolSong-Bold']));
    for (const face of faces) expect(face).toMatch(/^(FandolFang-Regular|FandolSong-Bold|NotoSerifCJK)/);
    expect(pdfFonts(pdfs[name]).every((f) => f.embedded)).toBe(true);
  });
});

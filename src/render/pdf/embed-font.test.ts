import { inflateSync } from 'node:zlib';
import { defaultLayout } from '../../../test/fixtures/sample-letter-document';
import { defaultFontsDir, loadFontSet, narrowFontSet } from '../layout/fonts';
import { sfntTable } from '../layout/hb-subset';
import { embedFace } from './embed-font';
import { pdfFace } from './pdf-face';
import { PdfFile } from './pdf-file';

const fonts = loadFontSet(defaultFontsDir(), defaultLayout);
const [fang, noto] = fonts.roles.body;
const cps = (text: string) => [...new Set(text)].map((c) => c.codePointAt(0)!).sort((a, b) => a - b);

/** The objects embedFace wrote, as text, with each stream inflated when deflated. */
function embedded(face = fang, text = '职业病危害告知单12'): string {
  const pdf = new PdfFile();
  const font = embedFace(pdf, face, cps(text));
  const catalog = pdf.add('<<>>');
  const bytes = Buffer.from(pdf.toBytes(catalog, font));
  return bytes.toString('latin1').replace(/\/Filter \/FlateDecode \/Length (\d+) >>\nstream\n/g, (m, n, at: number) => {
    const start = at + m.length;
    return `>>\nstream\n${inflateSync(bytes.subarray(start, start + Number(n))).toString('latin1')}`;
  });
}

describe('pdfFace code', () => {
  test('is the CID of the glyph, the same in the full face and in any cut-down one', () => {
    const narrow = narrowFontSet(fonts, { body: '职业病危害', title: '' }).roles.body[0];
    for (const ch of '职业病危害') {
      const cp = ch.codePointAt(0)!;
      expect(pdfFace(narrow).code(cp)).toBe(pdfFace(fang).code(cp));
    }
    expect(pdfFace(fang).code('职'.codePointAt(0)!)).toBe(4527);
    expect(narrow.tables.numGlyphs).toBeLessThan(10);
  });
});

describe('pdfFace program', () => {
  test.each([
    ['body', fang],
    ['title', fonts.roles.title[0]],
  ])('of a CFF face (%s): the CFF table of the face cut with every other table kept, byte for byte', (_, face) => {
    const text = cps('职业病危害项目申报告知单柳州市恒通机械有限公司（2026）第12号');
    const program = pdfFace(face).program(text);
    expect(program.kind).toBe('CIDFontType0C');
    const whole = face.subset({ glyphs: text.map((cp) => face.glyphId(cp)) });
    for (const table of ['cmap', 'hmtx', 'OS/2', 'CFF ']) expect(sfntTable(whole, table)).toBeDefined();
    expect(Buffer.from(program.bytes).equals(Buffer.from(sfntTable(whole, 'CFF ')!))).toBe(true);
  });
});

describe('embedFace', () => {
  test('writes a Type 0 font over a CID-keyed CFF subset with a stable six-letter tag', () => {
    const text = embedded();
    const base = /\/Subtype \/Type0 \/BaseFont \/([A-Z]{6})\+FandolFang-Regular/.exec(text);
    expect(base).not.toBeNull();
    expect(embedded()).toContain(`/${base![1]}+FandolFang-Regular`);
    expect(text).toContain('/Subtype /CIDFontType0 ');
    expect(text).toContain('/Subtype /CIDFontType0C');
    expect(text).toContain('/Encoding /Identity-H');
  });

  test('lists in /W only the glyphs whose width differs from /DW 1000 (here the digits)', () => {
    const text = embedded();
    const w = /\/DW 1000 \/W \[([^\]]*\])\]/.exec(text)![1];
    const one = pdfFace(fang).code('1'.codePointAt(0)!);
    const width = (fang.advance('1'.codePointAt(0)!) * 1000) / fang.unitsPerEm;
    expect(width).not.toBe(1000);
    expect(w).toBe(`${one} [${width} ${width}]`); // '1' and '2' have consecutive CIDs
  });

  test('maps every code back to its character, a pair of surrogates beyond the BMP', () => {
    const text = embedded(noto, '𠮷昇');
    const code = (ch: string) => pdfFace(noto).code(ch.codePointAt(0)!).toString(16).toUpperCase().padStart(4, '0');
    expect(text).toContain(`<${code('𠮷')}> <D842DFB7>`);
    expect(text).toContain(`<${code('昇')}> <6607>`);
    expect(text).toContain('2 beginbfchar');
  });
});

// PDF writer, checked through poppler under an empty fontconfig (no system font can mask a broken embedded one).

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PDFDict, PDFDocument, PDFName } from 'pdf-lib';
import { PNG } from 'pngjs';
import { HazardNoticeError } from '../src/errors';
import { defaultFontsDir, loadFontSet, narrowFontSet } from '../src/render/layout/fonts';
import { layoutDocument } from '../src/render/layout/layout';
import { PT_PER_MM } from '../src/render/layout/grid';
import { pdfFace } from '../src/render/pdf/pdf-face';
import { renderPdf } from '../src/render/pdf/render-pdf';
import { documentText } from '../src/render/render-letter';
import { defaultLayout, sampleLetterDocument } from './fixtures/sample-letter-document';
import { readBaseline } from './baseline-file';
import { decodeGray, diffFraction, inkIn, pdfFonts, pdfInfo, pdfText, pdfTextInBox, pdfUrls, renderPng, type Gray } from './poppler';

const fonts = loadFontSet(defaultFontsDir(), defaultLayout);
const DPI = 60;
const px = (pt: number): number => Math.round((pt * DPI) / 72);
const FORBIDDEN_START = [...'，。、；：？！）》」』”’〕】…—%'];
const FORBIDDEN_END = [...'（《「『“‘〔【'];

let samplePdf: Uint8Array;
beforeAll(async () => {
  samplePdf = renderPdf([sampleLetterDocument()], fonts);
});

function rejection(render: () => unknown): HazardNoticeError {
  try {
    render();
  } catch (err) {
    if (err instanceof HazardNoticeError) return err;
    throw err;
  }
  throw new Error('expected a HazardNoticeError');
}

describe('text', () => {
  it('contains every field of the letter, URLs whole after joining line breaks', () => {
    const flat = pdfText(samplePdf).replace(/\s+/g, '');
    for (const field of [
      '职业病危害项目申报告知单',
      '柳州市融昇家具制造有限公司：',
      '制造业（门类）',
      '家具制造业（大类）',
      '木质家具制造（中类）',
      '木粉尘、苯、噪声',
      '苯中毒、苯所致白血病、职业性噪声聋',
      '柳城县卫生健康局',
      '2026年11月29日',
      'http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml',
      'https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login',
    ]) {
      expect(flat).toContain(field);
    }
    // Nothing invisible in the text a reader copies: each URL is exactly its characters.
    expect(pdfText(samplePdf)).not.toMatch(/[\u00AD\u200B-\u200F\u2060\uFEFF]/);
    const joined = pdfText(samplePdf, { layout: false }).replace(/\n/g, ''); // line ends only: no space may hide inside
    expect(joined).toContain('http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml');
    expect(joined).toContain('https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login');
  });

  it('has no extracted line starting or ending with a forbidden character', () => {
    const lines = pdfText(samplePdf, { layout: false })
      .split('\n')
      .map((l) => l.replace(/\s+/g, ''))
      .filter((l) => l !== '');
    expect(lines.length).toBeGreaterThanOrEqual(14);
    for (const line of lines) {
      expect({ line, start: FORBIDDEN_START.includes([...line][0]), end: FORBIDDEN_END.includes([...line].at(-1)!) }).toEqual({
        line,
        start: false,
        end: false,
      });
    }
  });
});

describe('links', () => {
  const MANUAL = 'http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml';
  const SITE = 'https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login';

  it('makes each URL a link with its exact text, one annotation per line it is on (pdfinfo -url)', () => {
    expect(pdfUrls(samplePdf)).toEqual([MANUAL, MANUAL, SITE, SITE].map((url) => ({ page: 1, url })));
  });

  it('covers the whole URL: the text under its annotations, line by line, is the URL', async () => {
    const doc = await PDFDocument.load(samplePdf);
    const page = doc.getPage(0);
    const annots = page.node.Annots()!;
    const height = page.getHeight();
    const under = new Map<string, string>();
    for (let i = 0; i < annots.size(); i++) {
      const annot = annots.lookup(i, PDFDict);
      expect(annot.get(PDFName.of('F'))?.toString()).toBe('4'); // printed (PDF/A)
      expect(annot.get(PDFName.of('Border'))?.toString()).toBe('[ 0 0 0 ]');
      const action = annot.lookup(PDFName.of('A'), PDFDict);
      expect(action.get(PDFName.of('S'))?.toString()).toBe('/URI');
      const url = action.get(PDFName.of('URI'))!.toString().slice(1, -1);
      const rect = annot.lookup(PDFName.of('Rect'))!.toString().slice(1, -1).trim().split(/\s+/).map(Number);
      // 1 pt inside the box, so a neighbouring glyph touching its edge is not counted
      under.set(url, (under.get(url) ?? '') + pdfTextInBox(samplePdf, [rect[0] + 1, rect[1] + 1, rect[2] - 1, rect[3] - 1], height));
    }
    expect(Object.fromEntries(under)).toEqual({ [MANUAL]: MANUAL, [SITE]: SITE });
  });
});

describe('fonts and metadata', () => {
  it('embeds each face once as a subset with a six-letter tag and a ToUnicode map', () => {
    const rows = pdfFonts(samplePdf);
    expect(rows.map((r) => r.name.replace(/^[A-Z]{6}\+/, '')).sort()).toEqual([
      'FandolFang-Regular',
      'FandolSong-Bold',
      'NotoSerifCJKsc-Regular',
    ]);
    for (const r of rows) {
      expect(r).toMatchObject({ embedded: true, subset: true, unicode: true, type: 'CID Type 0C' });
      expect(r.name).toMatch(/^[A-Z]{6}\+/);
    }
  });

  it('writes title, author, subject, keywords, zh-CN language, fixed creator and dates', async () => {
    const info = pdfInfo(samplePdf);
    expect(info.Title).toBe('职业病危害项目申报告知单（柳州市融昇家具制造有限公司）');
    expect(info.Author).toBe('柳城县卫生健康局');
    expect(info.Subject).toBe('职业病危害项目申报告知');
    expect(info.Keywords).toContain('柳州市融昇家具制造有限公司');
    expect(info.Creator).toBe('hazard-notice');
    expect(info.Producer).toBe('hazard-notice');
    const doc = await PDFDocument.load(samplePdf, { updateMetadata: false });
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-11-28T16:00:00.000Z'); // 2026-11-29 00:00 +08:00
    expect(doc.getModificationDate()?.toISOString()).toBe('2026-11-28T16:00:00.000Z');
    expect(doc.catalog.lookup(PDFName.of('Lang'))?.toString()).toBe('(zh-CN)');
    expect(doc.getPageCount()).toBe(1);
  });

  it('cuts a face once for the same characters in a row (a title in every letter), anew for others', () => {
    const face = loadFontSet(defaultFontsDir(), defaultLayout).roles.title[0];
    const cut = jest.spyOn(face, 'subset');
    const title = [...'职业病危害项目申报告知单'].map((c) => c.codePointAt(0)!);
    const first = pdfFace(face).program(title);
    expect(pdfFace(face).program(title)).toBe(first);
    expect(cut).toHaveBeenCalledTimes(1);
    const other = pdfFace(face).program(title.slice(1));
    expect(cut).toHaveBeenCalledTimes(2);
    expect(Buffer.from(other.bytes).equals(Buffer.from(first.bytes))).toBe(false);
    expect(Buffer.from(pdfFace(face).program(title).bytes).equals(Buffer.from(first.bytes))).toBe(true);
  });

  it('is deterministic: same documents and fonts give the same bytes', async () => {
    const again = renderPdf([sampleLetterDocument()], fonts);
    expect(Buffer.from(again).equals(Buffer.from(samplePdf))).toBe(true);
  });
});

describe('pixels', () => {
  const baselineFile = path.join(__dirname, 'baselines', 'sample-letter-60dpi.png');

  it('matches the committed baseline (≤ 0.5 % of pixels differ by more than 64 levels)', () => {
    const { png, stderr } = renderPng(samplePdf, DPI);
    expect(stderr).not.toMatch(/error/i);
    const actual = decodeGray(png);
    const baseline = decodeGray(readBaseline(baselineFile, png));
    expect(actual.width).toBe(497); // A4 at 60 dpi, as pdftoppm rounds it
    expect(actual.height).toBe(702);
    expect(diffFraction(actual, baseline)).toBeLessThanOrEqual(0.005);
  });

  it('draws ink inside the type area only, with the title centred and the underline under 制造业', () => {
    const img = decodeGray(renderPng(samplePdf, DPI).png);
    const left = px(28 * PT_PER_MM);
    const right = px((28 + 156) * PT_PER_MM);
    const top = px(37 * PT_PER_MM);
    expect(inkIn(img, { x0: 0, y0: 0, x1: img.width, y1: top - 2 })).toBe(0);
    expect(inkIn(img, { x0: 0, y0: 0, x1: left - 2, y1: img.height })).toBe(0);
    expect(inkIn(img, { x0: right + 2, y0: 0, x1: img.width, y1: img.height })).toBe(0);
    const page = layoutDocument(sampleLetterDocument(), fonts);
    const title = page.lines[0];
    const titleBox = { y0: px(title.top), y1: px(title.top + 2 * 28.99) };
    const inkLeft = inkIn(img, { x0: 0, x1: img.width / 2, ...titleBox });
    const inkRight = inkIn(img, { x0: img.width / 2, x1: img.width, ...titleBox });
    expect(inkLeft).toBeGreaterThan(200);
    expect(Math.abs(inkLeft - inkRight) / (inkLeft + inkRight)).toBeLessThan(0.15);
    const u = page.lines[2].underlines[0];
    const row = px(u.y);
    const under = inkIn(img, { x0: px(u.x1) + 1, x1: px(u.x2) - 1, y0: row - 1, y1: row + 2 }, 160);
    expect(under).toBeGreaterThanOrEqual(px(u.x2) - px(u.x1) - 2); // a continuous line
  });

  it('renders the same pixels with fonts narrowed to the letter characters', async () => {
    const doc = sampleLetterDocument();
    const narrow = narrowFontSet(fonts, documentText([doc]));
    const narrowPdf = renderPdf([doc], narrow);
    expect(narrowPdf.length).toBeLessThanOrEqual(samplePdf.length);
    expect(diffFraction(decodeGray(renderPng(narrowPdf, 100).png), decodeGray(renderPng(samplePdf, 100).png), 0)).toBe(0);
  });
  it('keeps the whole face when a batch has more characters than HarfBuzz can cut (same PDF bytes)', () => {
    const doc = sampleLetterDocument();
    const body = fonts.roles.body[0];
    // Some 6,000 ideographs of the body face besides the letter's own: too many for one cut in HarfBuzz's 64 MiB.
    const many: string[] = [];
    for (let cp = 0x4e00; cp < 0x9fff && many.length < 6000; cp++) if (body.hasChar(cp)) many.push(String.fromCodePoint(cp));
    const text = documentText([doc]);
    const wide = narrowFontSet(fonts, { body: [...many, ...text.body], title: text.title });
    expect(wide.roles.body[0]).toBe(body);
    expect(Buffer.from(renderPdf([doc], wide)).equals(Buffer.from(samplePdf))).toBe(true);
  });
});

describe('TrueType faces', () => {
  it('embeds a TrueType face as a CID TrueType subset: Latin text drawn with it, extractable, inked', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-fonts-'));
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'fonts', 'DejaVuSerif-Latin.ttf'), path.join(dir, 'DejaVuSerif-Latin.ttf'));
    for (const f of ['FandolFang-Regular.otf', 'FandolSong-Bold.otf', 'NotoSerifCJKsc-Regular.otf'])
      fs.symlinkSync(path.join(defaultFontsDir(), f), path.join(dir, f));
    const layout = {
      ...defaultLayout,
      fonts: {
        ...defaultLayout.fonts,
        body: { ...defaultLayout.fonts.body, files: ['DejaVuSerif-Latin.ttf', ...defaultLayout.fonts.body.files] },
      },
    };
    const doc = { ...sampleLetterDocument(), layout };
    const withTrueType = loadFontSet(dir, layout);
    const pdf = renderPdf([doc], withTrueType);
    const rows = pdfFonts(pdf);
    expect(rows.find((r) => r.name.endsWith('+DejaVuSerif'))).toMatchObject({
      type: 'CID TrueType',
      embedded: true,
      subset: true,
      unicode: true,
    });
    expect(pdfText(pdf).replace(/\s+/g, '')).toContain('https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login');
    const line = layoutDocument(doc, withTrueType).lines.find((l) => l.text.includes('https'))!;
    const latin = line.chars.filter((c) => c.face.file === 'DejaVuSerif-Latin.ttf');
    expect(latin.length).toBeGreaterThan(20);
    const img = decodeGray(renderPng(pdf, 100).png);
    const s = (pt: number): number => Math.round((pt * 100) / 72);
    const box = { x0: s(latin[0].x), x1: s(latin.at(-1)!.x + latin.at(-1)!.advance), y0: s(line.top), y1: s(line.top + 28.99) };
    expect(inkIn(img, box)).toBeGreaterThan(latin.length * 5);
    // A batch's faces cut to its characters draw the same codes: the same bytes as with the whole faces.
    const cut = narrowFontSet(withTrueType, documentText([doc]));
    expect(cut.roles.body[0]).not.toBe(withTrueType.roles.body[0]);
    expect(Buffer.from(renderPdf([doc], cut)).equals(Buffer.from(pdf))).toBe(true);
  });
});

describe('rare characters, limits, errors', () => {
  it('renders rare characters in the employer name with the fallback face (text extractable, ink present)', async () => {
    const employer = '柳州堃喆犇镕珺昇䶮𠮷实业有限公司';
    const doc = sampleLetterDocument({ employer });
    const pdf = renderPdf([doc], fonts);
    expect(pdfText(pdf).replace(/\s+/g, '')).toContain(employer);
    expect(pdfFonts(pdf).some((r) => r.name.endsWith('+NotoSerifCJKsc-Regular') && r.embedded && r.subset)).toBe(true);
    const img: Gray = decodeGray(renderPng(pdf, 100).png);
    const line = layoutDocument(doc, fonts).lines[1];
    const s = (pt: number): number => Math.round((pt * 100) / 72);
    for (const c of line.chars.filter((ch) => [...'堃喆犇镕珺昇䶮𠮷'].includes(ch.char))) {
      expect(c.face.file).toBe('NotoSerifCJKsc-Regular.otf');
      const ink = inkIn(img, { x0: s(c.x), x1: s(c.x + c.advance), y0: s(line.top), y1: s(line.top + 28.99) });
      expect({ char: c.char, inked: ink > 20 }).toEqual({ char: c.char, inked: true });
    }
  });

  it('rejects a character no bundled font has with E_GLYPH_MISSING naming it', async () => {
    const err = rejection(() => renderPdf([sampleLetterDocument({ employer: '柳州\uE000公司' })], fonts));
    expect(err.code).toBe('E_GLYPH_MISSING');
    expect(err.message).toContain('字符“\uE000”（U+E000）在随附字体中均无字形');
  });

  it('fits a 100-character employer name with 5 hazards and 5 diseases on one page', async () => {
    const employer = '柳州市鱼峰区'.repeat(16) + '木材加工'; // 96 + 4
    expect([...employer]).toHaveLength(100);
    const pdf = renderPdf(
      [
        sampleLetterDocument({
          employer,
          hazards: ['木粉尘', '苯', '甲苯', '二甲苯', '噪声'],
          diseases: ['苯中毒', '甲苯中毒', '二甲苯中毒', '苯所致白血病', '职业性噪声聋'],
        }),
      ],
      fonts,
    );
    expect(pdfInfo(pdf).Pages).toBe('1');
    expect(pdfText(pdf).replace(/\s+/g, '')).toContain(employer);
  });

  it('rejects content longer than one page with E_LAYOUT_OVERFLOW', async () => {
    const hazards = Array.from({ length: 60 }, (_, i) => `危害因素${i + 1}`);
    const err = rejection(() => renderPdf([sampleLetterDocument({ hazards })], fonts));
    expect(err.code).toBe('E_LAYOUT_OVERFLOW');
    expect(err.message).toMatch(/需要 \d+ 行，超出一页版心最多可排的 28 行/);
  });

  it('merges 3 letters into a 3-page book with each face embedded once', async () => {
    const docs = ['柳州市甲公司', '柳州市乙公司', '柳州市昇丙公司'].map((employer) => sampleLetterDocument({ employer }));
    const pdf = renderPdf(docs, fonts);
    expect(pdfInfo(pdf).Pages).toBe('3');
    expect(pdfFonts(pdf)).toHaveLength(3); // FandolFang, FandolSong Bold, Noto (for 昇)
    const pages = pdfText(pdf).split('\f');
    expect(pages[1].replace(/\s+/g, '')).toContain('柳州市乙公司：');
    expect(pdfInfo(pdf).Title).toBe('职业病危害项目申报告知（共3份）');
  });
});

describe('seal (GB/T 9704 7.3.5.1)', () => {
  function redRing(size: number): Uint8Array {
    const png = new PNG({ width: size, height: size });
    const c = (size - 1) / 2;
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const r = Math.hypot(x - c, y - c);
        const i = (y * size + x) * 4;
        const on = (r <= c && r >= c - size / 12) || (Math.abs(x - c) < size / 5 && Math.abs(y - c) < size / 5);
        png.data.set(on ? [220, 20, 30, 255] : [0, 0, 0, 0], i);
      }
    }
    return PNG.sync.write(png);
  }

  it('draws the seal image centred on the date, pressing on the signature and date', async () => {
    const doc = { ...sampleLetterDocument(), seal: { png: redRing(200), diameterMm: 42 } };
    const laid = layoutDocument(doc, fonts);
    const date = laid.lines.find((l) => l.role === 'date')!;
    const sig = laid.lines.find((l) => l.role === 'signature')!;
    const seal = laid.seal!;
    const dateRight = date.chars.at(-1)!.x + date.chars.at(-1)!.width;
    expect(laid.width - 26 * PT_PER_MM - dateRight).toBeCloseTo(4 * (442.2 / 28), 0); // date right-indented 4
    expect(seal.centerX).toBeCloseTo((date.chars[0].x + dateRight) / 2, 6);
    expect(seal.centerY).toBeLessThan(sig.baseline); // both texts below the seal's centre
    expect(seal.centerY + seal.diameter / 2).toBeGreaterThan(date.baseline);

    const pdf = renderPdf([doc], fonts);
    const loaded = await PDFDocument.load(pdf);
    const xobjects = loaded.getPage(0).node.Resources()!.lookup(PDFName.of('XObject'), PDFDict);
    expect(xobjects.keys()).toHaveLength(1);
    const img = decodeGray(renderPng(pdf, DPI).png);
    const plain = decodeGray(renderPng(renderPdf([{ ...doc, seal: undefined }], fonts), DPI).png);
    const d = px(seal.diameter);
    const ring = { x0: px(seal.centerX) - d / 2, x1: px(seal.centerX) + d / 2, y0: px(seal.centerY) - d / 2, y1: px(seal.centerY) + d / 2 };
    expect(inkIn(img, ring, 200) - inkIn(plain, ring, 200)).toBeGreaterThan(d * 2); // the red ring (gray ≈ 80)
  });

  /** The text lines' ink boxes and the seal's disc, on the page the layout made. */
  function sealGeometry(doc: ReturnType<typeof sampleLetterDocument>) {
    const laid = layoutDocument(doc, fonts);
    const seal = laid.seal!;
    const pitch = PT_PER_MM * (doc.layout.textHeightMm / laid.linesPerPage);
    const glyphs = (role: string) => {
      const line = laid.lines.find((l) => l.role === role)!;
      const last = line.chars.at(-1)!;
      // The ideographic em box: top 0.88 em above the baseline.
      const [top, bottom] = [line.baseline - 0.88 * line.sizePt, line.baseline + 0.12 * line.sizePt];
      return { x0: line.chars[0].x, x1: last.x + last.width, top, bottom };
    };
    const sig = laid.lines.findIndex((l) => l.role === 'signature');
    const above = laid.lines[sig - 1];
    return { laid, seal, pitch, signature: glyphs('signature'), date: glyphs('date'), textAboveBottom: above.top + pitch };
  }

  it.each([
    ['on the 22-line grid', {}],
    [
      'on a tightened grid (a long letter)',
      {
        employer: '柳州市鱼峰区'.repeat(16) + '木材加工',
        hazards: ['木粉尘', '苯', '甲苯', '二甲苯', '噪声'],
        diseases: ['苯中毒', '甲苯中毒', '二甲苯中毒', '苯所致白血病', '职业性噪声聋'],
      },
    ],
  ])(
    'places the seal per 7.3.5.1 %s: centred, over 署名 and date a little below its centre, top within one line of the text',
    (_, over) => {
      const doc = { ...sampleLetterDocument(over), seal: { png: redRing(200), diameterMm: 42 } };
      const { laid, seal, pitch, signature, date, textAboveBottom } = sealGeometry(doc);
      if ('employer' in over) expect(laid.linesPerPage).toBeGreaterThan(22);
      else expect(laid.linesPerPage).toBe(22);
      const r = seal.diameter / 2;
      // Centred on the date, and the 署名 centred over the date (within half a character).
      expect(seal.centerX).toBeCloseTo((date.x0 + date.x1) / 2, 6);
      expect(Math.abs((signature.x0 + signature.x1) / 2 - seal.centerX)).toBeLessThan(442.2 / 28 / 2);
      // Pressing on both: each inside the disc's vertical extent, their middles below the centre, within a line of it.
      for (const text of [signature, date]) {
        expect(text.top).toBeGreaterThan(seal.centerY - r);
        expect(text.bottom).toBeLessThan(seal.centerY + r);
      }
      expect((signature.top + signature.bottom) / 2).toBeGreaterThan(seal.centerY);
      expect(signature.top - seal.centerY).toBeLessThan(pitch);
      // The top clears the text above, by less than one line.
      const gap = seal.centerY - r - textAboveBottom;
      expect(gap).toBeGreaterThanOrEqual(0);
      expect(gap).toBeLessThan(pitch);
      expect(laid.lines.at(-1)!.top + pitch).toBeLessThanOrEqual(laid.height - 35 * PT_PER_MM + 1); // still inside the type area
    },
  );

  it('prints the seal with a multiply blend (ExtGState /BM /Multiply, /CA 1) on a transparency-group page', async () => {
    const pdf = renderPdf([{ ...sampleLetterDocument(), seal: { png: redRing(200), diameterMm: 42 } }], fonts);
    const loaded = await PDFDocument.load(pdf);
    const page = loaded.getPage(0).node;
    const content = Buffer.from(
      (await import('pdf-lib')).decodePDFRawStream(page.Contents() as unknown as import('pdf-lib').PDFRawStream).decode(),
    ).toString('latin1');
    const draw = /q (\/\S+) gs [\d. ]+ cm \/Seal Do Q/.exec(content);
    expect(draw).not.toBeNull();
    const states = page.Resources()!.lookup(PDFName.of('ExtGState'), PDFDict);
    const state = states.lookup(PDFName.of(draw![1].slice(1)), PDFDict);
    expect(state.get(PDFName.of('BM'))).toBe(PDFName.of('Multiply'));
    expect(state.get(PDFName.of('CA'))?.toString()).toBe('1');
    const group = page.lookup(PDFName.of('Group'), PDFDict);
    expect([group.get(PDFName.of('S')), group.get(PDFName.of('CS'))]).toEqual([PDFName.of('Transparency'), PDFName.of('DeviceRGB')]);
  });

  it('keeps the text under a solid red seal dark (multiplied, not covered)', () => {
    const disc = (rgba: number[]) => {
      const png = new PNG({ width: 120, height: 120 });
      for (let i = 0; i < 120 * 120; i++) {
        const [x, y] = [i % 120, Math.floor(i / 120)];
        png.data.set(Math.hypot(x - 59.5, y - 59.5) <= 60 ? rgba : [0, 0, 0, 0], i * 4);
      }
      return new Uint8Array(PNG.sync.write(png));
    };
    const doc = { ...sampleLetterDocument(), seal: { png: disc([220, 20, 30, 255]), diameterMm: 42 } };
    const { seal, signature, date } = sealGeometry(doc);
    const dpi = 100;
    const s = (pt: number): number => Math.round((pt * dpi) / 72);
    const img = decodeGray(renderPng(renderPdf([doc], fonts), dpi).png);
    // The same page with an invisible seal: the same layout, nothing over the text.
    const bare = decodeGray(renderPng(renderPdf([{ ...doc, seal: { ...doc.seal, png: disc([0, 0, 0, 0]) } }], fonts), dpi).png);
    for (const text of [signature, date]) {
      const box = { x0: s(text.x0), x1: s(text.x1), y0: s(text.top), y1: s(text.bottom) };
      const dark = inkIn(bare, box, 60);
      expect(dark).toBeGreaterThan(100);
      // The red alone reads ≈ 80 in gray: multiplied, the text's pixels stay as dark as without the seal.
      expect(inkIn(img, box, 60)).toBeGreaterThanOrEqual(dark * 0.95);
      expect(inkIn(img, box, 160)).toBeGreaterThan(inkIn(bare, box, 160) * 2); // and the red is there around them
    }
    const middle = { x0: s(seal.centerX) - 3, x1: s(seal.centerX) + 3, y0: s(seal.centerY) - 3, y1: s(seal.centerY) + 3 };
    expect(inkIn(img, middle, 160)).toBe(36);
  });

  it('rejects a seal image that is not a PNG with E_SEAL_INVALID', async () => {
    const err = rejection(() =>
      renderPdf([{ ...sampleLetterDocument(), seal: { png: new Uint8Array([1, 2, 3]), diameterMm: 42 } }], fonts),
    );
    expect(err.code).toBe('E_SEAL_INVALID');
    expect(err.message).toContain('印章图片不是有效的 PNG 文件');
  });
});

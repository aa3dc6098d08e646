import { HazardNoticeError } from '../../errors';
import type { LetterDocument } from '../../letter/model';
import { defaultLayout, sampleLetterDocument } from '../../../test/fixtures/sample-letter-document';
import { defaultFontsDir, loadFontSet, missingCharacters, narrowFontSet } from './fonts';
import { gridOf } from './grid';
import { layoutDocument, layoutLines } from './layout';
import { documentText } from '../render-letter';
import { signatureBlock } from './signature';

const fonts = loadFontSet(defaultFontsDir(), defaultLayout);
const grid = gridOf(defaultLayout);
// Written out here, independently of the implementation's sets.
const FORBIDDEN_START = [...'，。、；：？！）》」』”’〕】…—%'];
const FORBIDDEN_END = [...'（《「『“‘〔【'];

function expectNoForbiddenEdges(lines: string[]): void {
  for (const line of lines) {
    expect({ line, bad: FORBIDDEN_START.includes([...line][0]) }).toEqual({ line, bad: false });
    expect({ line, bad: FORBIDDEN_END.includes([...line].at(-1)!) }).toEqual({ line, bad: false });
  }
}

const withBody = (texts: string[]): LetterDocument => {
  const doc = sampleLetterDocument();
  const body = doc.paragraphs.find((p) => p.role === 'body')!;
  return { ...doc, paragraphs: [doc.paragraphs[0], ...texts.map((text) => ({ ...body, runs: [{ text }] }))] };
};

describe('layout of the sample letter', () => {
  const page = layoutDocument(sampleLetterDocument(), fonts);
  const lines = page.lines.map((l) => l.text);

  it('breaks the body at 28 grid characters per full line', () => {
    expect(lines).toContain('可能导致苯中毒、苯所致白血病、职业性噪声聋等职业病，在职');
    expect([...lines[2]]).toHaveLength(26); // first body line: 2-char indent
  });

  it('keeps no forbidden character at a line start or end', () => expectNoForbiddenEdges(lines));

  it('justifies every non-last body line flush to the right margin and keeps all lines in the type area', () => {
    const right = grid.left + grid.measure;
    for (const l of page.lines) {
      const last = l.chars.at(-1)!;
      expect(last.x + last.width).toBeLessThanOrEqual(right + 1e-6);
      expect(l.chars[0].x).toBeGreaterThanOrEqual(grid.left - 1e-6);
    }
    const body = page.lines.filter((l) => l.role === 'body');
    const flush = body.filter((l) => Math.abs(l.chars.at(-1)!.x + l.chars.at(-1)!.width - right) < 0.01);
    // all but the last lines of the two URL paragraphs (the first paragraph's last line is exactly full) and the
    // lines that end inside a URL (set flush left: breaking only after / . ? & = - _ : leaves room at their end)
    expect(flush.length).toBe(body.length - 4);
  });

  it('keeps both URLs whole after joining their lines', () => {
    const joined = lines.join('');
    expect(joined).toContain('http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml');
    expect(joined).toContain('https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login');
  });

  it('breaks each URL only after / . ? & = - _ : and does not spread the Chinese text before it', () => {
    for (const scheme of ['http://', 'https://']) {
      const i = page.lines.findIndex((l) => l.text.includes(scheme));
      const [line, next] = [page.lines[i], page.lines[i + 1]];
      expect(line.text).toMatch(/[/.?&=\-_:]$/);
      expect(next.text).toMatch(/^[A-Za-z0-9]/);
      const cjk = line.chars.filter((c) => /[\u4e00-\u9fff]/.test(c.char));
      const gaps = cjk.slice(1).map((c, k) => c.x - (cjk[k].x + cjk[k].width));
      expect(Math.max(...gaps)).toBeLessThan(2); // pt of justification between characters
    }
    expect(lines).toContain('t19700101_3497369.shtml');
  });

  it('reports where each URL lies, one box per line it is on, covering exactly its characters', () => {
    expect(page.links.map((l) => l.url)).toEqual([
      'http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml',
      'http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml',
      'https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login',
      'https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login',
    ]);
    let text = '';
    for (const link of page.links) {
      const line = page.lines.find((l) => l.baseline > link.top && l.baseline < link.bottom)!;
      const inside = line.chars.filter((c) => c.x >= link.x1 - 1e-6 && c.x + c.width <= link.x2 + 1e-6);
      text += inside.map((c) => c.char).join('');
      if (text.length >= link.url.length) {
        expect(text).toBe(link.url);
        text = '';
      }
    }
  });

  it('centres the title and gives it two grid lines', () => {
    const title = page.lines[0];
    const last = title.chars.at(-1)!;
    expect((title.chars[0].x + last.x + last.width) / 2).toBeCloseTo(grid.left + grid.measure / 2, 3);
    expect(page.lines[1].top - title.top).toBeCloseTo(3 * grid.linePitch, 6); // 2 title lines + 1 empty line
  });

  it('underlines the filled blanks, continuously across a justified gap', () => {
    const first = page.lines[2];
    expect(first.underlines).toHaveLength(3);
    const u = first.underlines[0];
    const xs = first.chars
      .filter((c) => c.x >= u.x1 - 1e-6 && c.x + c.width <= u.x2 + 1e-6)
      .map((c) => c.char)
      .join('');
    expect(xs).toBe('制造业');
    expect(u.y - first.baseline).toBeCloseTo(0.16 * 16, 6);
  });

  it('places the signature 2 characters from the right and the date 2 characters right of it (GB/T 9704 7.3.5.2)', () => {
    const sig = page.lines.find((l) => l.role === 'signature')!;
    const date = page.lines.find((l) => l.role === 'date')!;
    const sigEnd = sig.chars.at(-1)!.x + sig.chars.at(-1)!.width;
    expect(grid.left + grid.measure - sigEnd).toBeCloseTo(2 * grid.charPitch, 6);
    expect(date.chars[0].x - sig.chars[0].x).toBeCloseTo(2 * grid.charPitch, 6);
    expect(date.top - sig.top).toBeCloseTo(grid.linePitch, 6);
  });

  it('uses the fallback face only for characters the first face lacks', () => {
    const name = page.lines[1];
    const faces = new Map(name.chars.map((c) => [c.char, c.face.file]));
    expect(faces.get('昇')).toBe('NotoSerifCJKsc-Regular.otf');
    expect(faces.get('融')).toBe('FandolFang-Regular.otf');
  });
});

describe('signatureBlock', () => {
  it('keeps the date 2 characters right of a longer signature', () => {
    const r = signatureBlock('柳城县卫生健康局', '2026年11月29日', fonts, defaultLayout, false);
    expect(r.signatureRightIndentChars).toBe(2);
    // date = 8 half-width digits (8 pt) + 3 hanzi (16 pt), each tracked by −0.207 pt → 6.95 grid chars
    const dateChars = (8 * 8 + 3 * 16 + 11 * (grid.charPitch - 16)) / grid.charPitch;
    expect(r.dateRightIndentChars).toBeCloseTo(2 + 8 - 2 - dateChars, 6);
  });
  it('right-indents a date longer than the signature by 2 and grows the signature indent', () => {
    const r = signatureBlock('卫健局', '2026年11月29日', fonts, defaultLayout, false);
    expect(r.dateRightIndentChars).toBe(2);
    const dateChars = r.signatureRightIndentChars - 4 + 3; // sig indent = 2 + date + 2 − sig
    expect(dateChars).toBeGreaterThan(6.5);
    expect(dateChars).toBeLessThan(7.5);
  });
  it('with a seal: date 4 characters from the right, signature centred over it', () => {
    const r = signatureBlock('柳城县卫生健康局', '2026年11月29日', fonts, defaultLayout, true);
    expect(r.dateRightIndentChars).toBe(4);
    expect(r.signatureRightIndentChars).toBeLessThan(4); // the longer signature sticks out on both sides
  });
});

describe('limits and errors', () => {
  it('fits a 100-character employer name with 5 hazards and 5 diseases on one page', () => {
    const employer = '柳州市'.concat('融安县长安镇'.repeat(15), '家具制造厂'); // 3 + 90 + 5 = 98
    const doc = sampleLetterDocument({
      employer: employer + '一二',
      hazards: ['木粉尘', '苯', '甲苯', '二甲苯', '噪声'],
      diseases: ['苯中毒', '甲苯中毒', '二甲苯中毒', '苯所致白血病', '职业性噪声聋'],
    });
    expect([...(employer + '一二')]).toHaveLength(100);
    const page = layoutDocument(doc, fonts);
    expect(page.gridLinesUsed).toBeLessThanOrEqual(22);
    expectNoForbiddenEdges(page.lines.map((l) => l.text));
  });

  it('sets a letter that needs more than 22 lines on a tighter grid (GB/T 9704 5.2.3), filling the same type area', () => {
    const doc = withBody(Array.from({ length: 12 }, () => '职业病危害项目申报，'.repeat(5))); // 2 + 24 lines
    const page = layoutDocument(doc, fonts);
    expect(page.linesPerPage).toBe(26);
    expect(page.gridLinesUsed).toBe(26);
    const grid = gridOf(doc.layout);
    const tight = gridOf({ ...doc.layout, linesPerPage: 26 });
    expect(tight.linePitch * 26).toBeCloseTo(grid.linePitch * 22, 6);
    const body = page.lines.filter((l) => l.role === 'body');
    expect(body[1].top - body[0].top).toBeCloseTo(tight.linePitch, 6);
    expect(layoutDocument(sampleLetterDocument(), fonts).linesPerPage).toBe(22);
  });

  it('throws E_LAYOUT_OVERFLOW naming the lines needed instead of clipping', () => {
    const doc = withBody(Array.from({ length: 14 }, () => '职业病危害项目申报，'.repeat(5)));
    try {
      layoutDocument(doc, fonts);
      throw new Error('no error');
    } catch (err) {
      expect(err).toBeInstanceOf(HazardNoticeError);
      expect((err as HazardNoticeError).code).toBe('E_LAYOUT_OVERFLOW');
      expect((err as HazardNoticeError).details.needed).toBe(2 + 28); // title (2 lines) + 14 paragraphs × 2 lines
      expect((err as Error).message).toContain('需要 30 行，超出一页版心最多可排的 28 行');
    }
  });

  it('throws E_GLYPH_MISSING naming a character no face has and its code point', () => {
    const doc = sampleLetterDocument({ employer: '柳州\u{17000}公司' });
    expect(() => layoutDocument(doc, fonts)).toThrow(/字符“\u{17000}”（U\+17000）在随附字体中均无字形/u);
    expect(missingCharacters('柳州\uE000公司\u{17000}𠮷', fonts, 'body')).toEqual(['\uE000', '\u{17000}']);
  });

  it('keeps the 禁则 for punctuation at every column (crafted paragraphs)', () => {
    const marks = ['，', '。', '）', '》', '”', '：', '、', '——', '……', '（', '《', '“', '0772-1234567'];
    const texts = marks.flatMap((m) => Array.from({ length: 14 }, (_, i) => '职'.repeat(20 + i) + m + '业病危害'));
    for (let i = 0; i < texts.length; i += 6) {
      const lines = layoutLines(withBody(texts.slice(i, i + 6)), fonts).slice(1);
      expectNoForbiddenEdges(lines);
      expect(lines.join('')).toBe(texts.slice(i, i + 6).join(''));
    }
  });
});

describe('narrowFontSet', () => {
  it('lays out identically with faces cut to the letter characters', async () => {
    const doc = sampleLetterDocument();
    const narrow = narrowFontSet(fonts, documentText([doc]));
    expect(narrow.roles.body[0].bytes.length).toBeLessThan(fonts.roles.body[0].bytes.length / 20);
    const a = layoutDocument(doc, fonts).lines.map((l) => l.chars.map((c) => [c.char, c.face.file, c.x.toFixed(4)]));
    const b = layoutDocument(doc, narrow).lines.map((l) => l.chars.map((c) => [c.char, c.face.file, c.x.toFixed(4)]));
    expect(b).toEqual(a);
    expect(() => layoutDocument(sampleLetterDocument({ employer: '龘' }), narrow)).toThrow(/U\+9F98/);
  });

  it("cuts a role's faces to that role's characters only (the title's face to the title's)", () => {
    const text = documentText([sampleLetterDocument()]);
    const narrow = narrowFontSet(fonts, text);
    const [titleFace] = narrow.roles.title;
    const titleOnly = [...new Set(text.title)];
    const bodyOnly = [...new Set(text.body)].filter((ch) => !text.title.includes(ch) && fonts.roles.title[0].hasChar(ch.codePointAt(0)!));
    expect(bodyOnly.length).toBeGreaterThan(20);
    expect(titleOnly.every((ch) => titleFace.hasChar(ch.codePointAt(0)!))).toBe(true);
    expect(bodyOnly.filter((ch) => titleFace.hasChar(ch.codePointAt(0)!))).toEqual([]);
    expect(bodyOnly.every((ch) => narrow.roles.body.some((f) => f.hasChar(ch.codePointAt(0)!)))).toBe(true);
  });
});

describe('paragraphs set once per font set', () => {
  it('sets a paragraph seen before exactly as a fresh layout does, wherever it falls on the page', () => {
    const doc = sampleLetterDocument();
    const first = layoutDocument(doc, fonts);
    // The same paragraphs lower on the page: three more lines above them.
    const body = doc.paragraphs.find((p) => p.role === 'body')!;
    const shifted = { ...doc, paragraphs: [doc.paragraphs[0], { ...body, runs: [{ text: '一'.repeat(60) }] }, ...doc.paragraphs.slice(1)] };
    const again = layoutDocument(shifted, fonts);
    const fresh = layoutDocument(shifted, loadFontSet(defaultFontsDir(), defaultLayout));
    expect(again).toEqual(fresh);
    const bodyTexts = first.lines.filter((l) => l.role === 'body').map((l) => l.text);
    expect(again.lines.filter((l) => l.role === 'body').map((l) => l.text)).toEqual(expect.arrayContaining(bodyTexts));
    expect(again.lines.find((l) => l.text === bodyTexts[0])!.top).toBeGreaterThan(first.lines.find((l) => l.text === bodyTexts[0])!.top);
  });

  it('tells apart runs whose texts join the same but whose underlines differ', () => {
    const doc = sampleLetterDocument();
    const body = doc.paragraphs.find((p) => p.role === 'body')!;
    const para = (runs: { text: string; underline?: boolean }[]) => ({ ...doc, paragraphs: [doc.paragraphs[0], { ...body, runs }] });
    const one = layoutDocument(para([{ text: 'a|u:b' }]), fonts);
    const two = layoutDocument(para([{ text: 'a' }, { text: 'b', underline: true }]), fonts);
    const three = layoutDocument(para([{ text: 'a|' }, { text: 'u:b' }]), fonts);
    expect(one.lines.flatMap((l) => l.underlines)).toHaveLength(0);
    expect(two.lines.flatMap((l) => l.underlines)).toHaveLength(1);
    expect(three.lines.map((l) => l.text)).toEqual(one.lines.map((l) => l.text));
    expect(three.lines.flatMap((l) => l.underlines)).toHaveLength(0);
    // The same text set again, now underlined: not the lines kept for it plain.
    expect(layoutDocument(para([{ text: 'a' }, { text: 'b' }]), fonts).lines.flatMap((l) => l.underlines)).toHaveLength(0);
    expect(layoutDocument(para([{ text: 'a' }, { text: 'b', underline: true }]), fonts).lines.flatMap((l) => l.underlines)).toHaveLength(1);
  });
});

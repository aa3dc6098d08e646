import { atomText, breakLines, toAtoms, type MeasuredChar } from './breaking';
import { urlSpans } from './links';

// Synthetic metrics: CJK 10 pt, Latin 5 pt, so line capacity is easy to reason about.
const chars = (text: string, underline = false): MeasuredChar[] =>
  Array.from(text, (char) => ({ char, width: /[\x20-\x7e]/.test(char) ? 5 : 10, underline }));
// The texts here have no surrogate pairs: UTF-16 offsets are character indices.
const lines = (text: string, measure: number, first = measure): string[] =>
  breakLines(toAtoms(chars(text), urlSpans(text)), { first, rest: measure }).map((l) => l.atoms.map(atomText).join(''));

describe('toAtoms', () => {
  it('keeps Latin/digit runs, ——, …… together and splits CJK per character', () => {
    expect(toAtoms(chars('电话0772-1234567——好……。')).map(atomText)).toEqual(['电', '话', '0772-1234567', '——', '好', '……', '。']);
  });
  it('treats a surrogate-pair character as one atom', () => {
    expect(toAtoms(chars('𠮷野')).map(atomText)).toEqual(['𠮷', '野']);
  });
});

describe('breakLines', () => {
  it('fills greedily', () => {
    expect(lines('一二三四五六七八九十', 40)).toEqual(['一二三四', '五六七八', '九十']);
  });
  it('never starts a line with closing punctuation: pushes the previous character down', () => {
    expect(lines('一二三四，五六', 40)).toEqual(['一二三', '四，五六']);
  });
  it('never ends a line with an opening bracket or quote', () => {
    expect(lines('一二三（四）五', 40)).toEqual(['一二三', '（四）五']);
    expect(lines('一二三“四”五', 40)).toEqual(['一二三', '“四”五']);
  });
  it('moves —— down whole and keeps it off a line start', () => {
    expect(lines('一二三——四', 40)).toEqual(['一二', '三——四']);
  });
  it('moves a short Latin run down whole', () => {
    expect(lines('一二三2026年', 40)).toEqual(['一二三', '2026年']);
  });
  it('breaks a URL after / . _ - ? & = (last break point that fits)', () => {
    // 35 pt of room after 网址： (3 × 10): "http://" is 35 pt
    expect(lines('网址：http://a.bc/def', 65)).toEqual(['网址：http://', 'a.bc/def']);
  });
  it('breaks a URL only after / . ? & = - _ :, never inside a run of letters or digits', () => {
    const url = 'http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml';
    // 7 CJK (70 pt) + 45 Latin characters (225 pt) fit: up to "…/t19700101_" (46) does not; the old breaker
    // cut inside the digits ("t1970010" / "1_…").
    expect(lines(`操作流程网址：${url}`, 295)).toEqual(['操作流程网址：http://wjw.liuzhou.gov.cn/xwzx/tzgg/', 't19700101_3497369.shtml']);
    expect(lines('网址：https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login', 160)).toEqual([
      '网址：https://gxzyjkapp.gxws.cn:',
      '17010/webgxzywstypt/login',
    ]);
    for (const width of [60, 80, 100, 120, 140, 200, 250]) {
      const parts = lines(`网址：${url}。`, width);
      expect(parts.join('')).toBe(`网址：${url}。`);
      for (const part of parts.slice(0, -1)) {
        // each line ends after a break character or before the URL; the next starts after it
        expect({ width, part, ok: /[/.?&=\-_:：]$/.test(part) }).toEqual({ width, part, ok: true });
      }
    }
  });
  it('moves a URL to the next line whole when no break character fits', () => {
    expect(lines('一二三四五网址：http://x.cn', 90)).toEqual(['一二三四五网址：', 'http://x.cn']);
  });
  it('cuts a URL segment wider than a whole line where the line ends (the only way to print it)', () => {
    expect(lines('http://abcdefghijklmnop/q', 40)).toEqual(['http://', 'abcdefgh', 'ijklmnop', '/q']);
  });
  it('marks a line that ends inside a URL, and keeps the whole URL on each part', () => {
    const broken = breakLines(toAtoms(chars('网址：http://a.bc/def'), urlSpans('网址：http://a.bc/def')), { first: 65, rest: 65 });
    expect(broken.map((l) => l.brokenUrl)).toEqual([true, false]);
    expect(broken.map((l) => l.atoms.at(-1)!.link)).toEqual(['http://a.bc/def', 'http://a.bc/def']);
  });
  it('splits a break-less Latin run wider than a line arbitrarily', () => {
    expect(lines('abcdefghijkl', 20)).toEqual(['abcd', 'efgh', 'ijkl']);
  });
  it('applies the first-line measure to the first line only', () => {
    expect(lines('一二三四五六七', 40, 20)).toEqual(['一二', '三四五六', '七']);
  });
  it('drops spaces at line ends', () => {
    expect(lines('ab cd ef', 25)).toEqual(['ab cd', 'ef']);
  });
  it('keeps per-character underline flags through atoms', () => {
    const atoms = toAtoms([...chars('第'), ...chars('48', true), ...chars('号')]);
    expect(atoms.map(atomText)).toEqual(['第', '48', '号']);
    expect(atoms[1].chars.every((c) => c.underline)).toBe(true);
  });
});

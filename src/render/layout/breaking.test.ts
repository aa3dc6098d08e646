import { atomText, breakLines, toAtoms, type MeasuredChar } from './breaking';

// Synthetic metrics: CJK 10 pt, Latin 5 pt, so line capacity is easy to reason about.
const chars = (text: string, underline = false): MeasuredChar[] =>
  Array.from(text, (char) => ({ char, width: /[\x20-\x7e]/.test(char) ? 5 : 10, underline }));
const lines = (text: string, measure: number, first = measure): string[] =>
  breakLines(toAtoms(chars(text)), { first, rest: measure }).map((l) => l.atoms.map(atomText).join(''));

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

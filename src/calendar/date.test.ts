import { formatChineseDate, parseLetterDate, todayInChina } from './date';

describe('letter dates', () => {
  it('takes today in China Standard Time, not the machine zone', () => {
    expect(todayInChina(new Date('2026-11-28T16:30:00Z'))).toBe('2026-11-29');
    expect(todayInChina(new Date('2026-11-28T15:59:59Z'))).toBe('2026-11-28');
  });
  it('writes dates without padding (GB/T 9704)', () => {
    expect(formatChineseDate('2026-01-05')).toBe('2026年1月5日');
    expect(formatChineseDate('2025-08-01')).toBe('2025年8月1日');
  });
  it('accepts real dates only', () => {
    expect(parseLetterDate('2025-7-31')).toBe('2025-07-31');
    expect(parseLetterDate('２０２５-０８-０１')).toBe('2025-08-01');
    expect(() => parseLetterDate('2025-02-30')).toThrow(/日期“2025-02-30”无效/);
    expect(() => parseLetterDate('20250801')).toThrow(/YYYY-MM-DD/);
  });
});

// Letter dates: always China Standard Time (UTC+8, no DST), whatever the machine's zone.

import { HazardNoticeError } from '../errors';

const CST_OFFSET_MS = 8 * 3600 * 1000;

/** Today's date in China Standard Time, YYYY-MM-DD. */
export function todayInChina(now: Date = new Date()): string {
  return new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10);
}

/** Validates a YYYY-MM-DD calendar date (also accepts full-width digits). */
export function parseLetterDate(input: string): string {
  const s = input.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d) {
      return date.toISOString().slice(0, 10);
    }
  }
  throw new HazardNoticeError('E_DATE_INVALID', `日期“${input}”无效，应为 YYYY-MM-DD 格式的真实日期，例如 2026-11-29`);
}

/** GB/T 9704 date: Arabic numerals, no padding, e.g. 2026年11月29日. */
export function formatChineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

// GB 32100-2015 统一社会信用代码: charset, length and the MOD-31 check character (position 18).

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** W_i = 3^(i-1) mod 31 for positions 1..17. */
const WEIGHTS = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

export type UsccCheck = { ok: true; value: string } | { ok: false; code: string; reason: string };

/** The check character for the first 17 characters (all must be in the charset). */
export function usccCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CHARSET.indexOf(first17[i]) * WEIGHTS[i];
  return CHARSET[(31 - (sum % 31)) % 31];
}

const EXCEL_REASON =
  'Excel 把这个代码当成了数字，超过 15 位的部分已丢失（变成了 0 或科学计数法），无法还原；请把该列设置为“文本”格式后重新填写原代码';

/**
 * Validates a 统一社会信用代码 (trimmed, lower case accepted and upper-cased).
 * Codes: E_USCC_EXCEL (Excel turned it into a number), E_USCC_LENGTH, E_USCC_CHARSET, E_USCC_CHECK.
 */
export function checkUscc(value: string): UsccCheck {
  const v = value.trim().toUpperCase();
  if (/^\d+(\.\d+)?E\+?\d+$/.test(v)) return { ok: false, code: 'E_USCC_EXCEL', reason: EXCEL_REASON };
  if (v.length !== 18) {
    const old = /^\d{15}$/.test(v) ? '（15 位数字像是 2015 年以前的工商注册号，请改填统一社会信用代码）' : '';
    return { ok: false, code: 'E_USCC_LENGTH', reason: `统一社会信用代码应为 18 位，实际为 ${v.length} 位${old}` };
  }
  const bad = [...v].filter((c) => !CHARSET.includes(c));
  if (bad.length > 0) {
    const list = [...new Set(bad)].map((c) => `“${c}”`).join('、');
    return {
      ok: false,
      code: 'E_USCC_CHARSET',
      reason: `含有不允许的字符 ${list}（只能是数字和除 I、O、Z、S、V 以外的大写字母）`,
    };
  }
  const expected = usccCheckCharacter(v.slice(0, 17));
  if (expected !== v[17]) {
    if (/^\d{15}000$/.test(v)) return { ok: false, code: 'E_USCC_EXCEL', reason: EXCEL_REASON };
    return { ok: false, code: 'E_USCC_CHECK', reason: `校验码错误：第 18 位应为“${expected}”，实际为“${v[17]}”，请核对代码是否抄错` };
  }
  return { ok: true, value: v };
}

// GB 32100 统一社会信用代码 check: vectors, every single-character change, Excel damage.

import { checkUscc, usccCheckCharacter } from '../src/input/uscc';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('checkUscc', () => {
  test.each(['91450222MA5K0A1B8E', '91450222MA5K004770', '91450200198765432H', '52450200MJ00000129'])('%s passes', (code) => {
    expect(checkUscc(code)).toEqual({ ok: true, value: code });
  });

  test('S mod 31 = 0 gives check character 0 (the common off-by-31 bug)', () => {
    expect(usccCheckCharacter('91450222MA5K00477')).toBe('0');
  });

  test('changing any one character to any other allowed character fails', () => {
    const code = '91450222MA5K0A1B8E';
    let changed = 0;
    for (let i = 0; i < 18; i++) {
      for (const c of CHARSET) {
        if (c === code[i]) continue;
        const result = checkUscc(code.slice(0, i) + c + code.slice(i + 1));
        expect(result.ok).toBe(false);
        changed++;
      }
    }
    expect(changed).toBe(18 * 30);
  });

  test('lower case and surrounding spaces are accepted and normalised', () => {
    expect(checkUscc(' 91450222ma5k0a1b8e ')).toEqual({ ok: true, value: '91450222MA5K0A1B8E' });
  });

  test('wrong check character names the expected one', () => {
    expect(checkUscc('91450222MA5K0A1B8F')).toEqual({
      ok: false,
      code: 'E_USCC_CHECK',
      reason: expect.stringContaining('第 18 位应为“E”，实际为“F”'),
    });
  });

  test('length', () => {
    expect(checkUscc('91450222MA5K0A1B8')).toMatchObject({
      ok: false,
      code: 'E_USCC_LENGTH',
      reason: expect.stringContaining('实际为 17 位'),
    });
    expect(checkUscc('450200000012345')).toMatchObject({ code: 'E_USCC_LENGTH', reason: expect.stringContaining('工商注册号') });
  });

  test.each(['I', 'O', 'Z', 'S', 'V', '-'])('character %s is rejected', (c) => {
    const result = checkUscc(`91450222MA5K0A1B${c}E`);
    expect(result).toMatchObject({ ok: false, code: 'E_USCC_CHARSET', reason: expect.stringContaining(`“${c}”`) });
  });

  test.each(['9.1450222E+17', '9.14502E+17', '9.14502e+17', '914502220000000000'])('Excel damage %s → E_USCC_EXCEL', (value) => {
    expect(checkUscc(value)).toMatchObject({ ok: false, code: 'E_USCC_EXCEL', reason: expect.stringContaining('文本') });
  });

  test('an all-digit code that really ends in 000 and checks is fine', () => {
    expect(checkUscc('914502200000015000')).toEqual({ ok: true, value: '914502200000015000' });
  });
});

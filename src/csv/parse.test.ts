import { CsvTokenizer, parseCsv } from './parse';

describe('CSV tokenizer', () => {
  it('parses quoted fields, doubled quotes, CRLF and embedded newlines', () => {
    const rows = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nlast,,\n', 'test.csv');
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['last', '', ''],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('gives the same records whatever the chunking', () => {
    const text = '\uFEFFname,code\n"柳州""甲""厂",C3011\r\n\r\n乙厂,"3011"';
    const whole = parseCsv(text, 'test.csv').map((r) => r.fields);
    const t = new CsvTokenizer('test.csv');
    const chunked = [] as string[][];
    for (const ch of text.replace(/^\uFEFF/, '')) chunked.push(...t.push(ch).map((r) => r.fields));
    chunked.push(...t.end().map((r) => r.fields));
    expect(chunked).toEqual(whole);
    expect(whole).toEqual([
      ['name', 'code'],
      ['柳州"甲"厂', 'C3011'],
      ['乙厂', '3011'],
    ]);
  });
});

describe('CSV quotes left open', () => {
  const errorOf = (feed: () => unknown) => {
    try {
      feed();
    } catch (e) {
      return e as { code: string; message: string; details: { line: number } };
    }
    throw new Error('no error');
  };

  it('an open quote is an error naming the line where it opened, never one record swallowing the rest', () => {
    const text = 'name,code\n甲厂,C3011\n"乙厂,C3011\n丙厂,C3011\n丁厂,C3011\n';
    const e = errorOf(() => parseCsv(text, '名单.csv'));
    expect(e.code).toBe('E_CSV_QUOTE');
    expect(e.details.line).toBe(3);
    expect(e.message).toMatch(/^“名单\.csv”第 3 行.*直到文件末尾都没有闭合.*请修改第 3 行/);
  });

  it('a quote closed later by a stray one is caught when text follows the closing quote', () => {
    const e = errorOf(() => parseCsv('name,code\n"乙厂,C3011\n丙厂,C3011\n"丁"厂,C3011\n', 'test.csv'));
    expect(e.code).toBe('E_CSV_QUOTE');
    expect(e.details.line).toBe(2);
    expect(e.message).toMatch(/第 2 行.*在第 4 行闭合后紧跟着“丁”/);
  });

  it('gives the same error line whatever the chunking', () => {
    const text = 'a,b\n"x\ny",1\n"open,2\nz,3\n';
    const t = new CsvTokenizer('test.csv');
    const e = errorOf(() => {
      for (const ch of text) t.push(ch);
      t.end();
    });
    expect(e.details.line).toBe(4);
  });

  it('keeps quoted fields that really span lines, and a closing quote at the very end', () => {
    expect(parseCsv('a,b\n"one\ntwo\nthree",x\n"end"', 'test.csv').map((r) => [r.line, ...r.fields])).toEqual([
      [1, 'a', 'b'],
      [2, 'one\ntwo\nthree', 'x'],
      [5, 'end'],
    ]);
  });
});

import { CsvTokenizer, parseCsv } from './parse';

describe('CSV tokenizer', () => {
  it('parses quoted fields, doubled quotes, CRLF and embedded newlines', () => {
    const rows = parseCsv('a,b,c\r\n"x, y","say ""hi""","two\nlines"\r\nlast,,\n');
    expect(rows.map((r) => r.fields)).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['last', '', ''],
    ]);
    expect(rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });

  it('gives the same records whatever the chunking', () => {
    const text = '\uFEFFname,code\n"柳州""甲""厂",C3011\r\n\r\n乙厂,"3011"';
    const whole = parseCsv(text).map((r) => r.fields);
    const t = new CsvTokenizer();
    const chunked = [] as string[][];
    for (const ch of text.replace(/^\uFEFF/, '')) chunked.push(...t.push(ch).map((r) => r.fields));
    chunked.push(...t.end().map((r) => r.fields));
    expect(chunked).toEqual(whole);
    expect(whole).toEqual([['name', 'code'], ['柳州"甲"厂', 'C3011'], ['乙厂', '3011']]);
  });
});

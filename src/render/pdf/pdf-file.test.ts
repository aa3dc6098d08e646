import { inflateSync } from 'node:zlib';
import { PdfFile, pdfAscii, pdfName, pdfNumber, pdfText, ref } from './pdf-file';

describe('PDF syntax', () => {
  test('names escape delimiters, spaces and non-ASCII as #xx', () => {
    expect(pdfName('Type')).toBe('/Type');
    expect(pdfName('ABCDEF+FandolFang-Regular')).toBe('/ABCDEF+FandolFang-Regular');
    expect(pdfName('A B/C#')).toBe('/A#20B#2FC#23');
    expect(pdfName('仿')).toBe('/#E4#BB#BF');
  });

  test('text strings are UTF-16BE with a byte order mark, including surrogate pairs', () => {
    expect(pdfText('告知')).toBe('<FEFF544A77E5>');
    expect(pdfText('𠮷')).toBe('<FEFFD842DFB7>');
  });

  test('ASCII literals escape parentheses and backslashes, and refuse anything else', () => {
    expect(pdfAscii('a(b)\\c')).toBe('(a\\(b\\)\\\\c)');
    expect(() => pdfAscii('中')).toThrow(/not printable ASCII/);
  });

  test('numbers have at most 3 decimals and no exponent', () => {
    expect(pdfNumber(595.2755905511812)).toBe('595.276');
    expect(pdfNumber(1 / 3)).toBe('0.333');
    expect(pdfNumber(-0.0004)).toBe('0');
  });
});

describe('PdfFile', () => {
  function sample(): Uint8Array {
    const pdf = new PdfFile();
    const catalog = pdf.reserve();
    const pages = pdf.reserve();
    const content = pdf.addStream('', 'BT ET\n');
    const page = pdf.add(`<</Type /Page /Parent ${ref(pages)} /MediaBox [0 0 595 842] /Contents ${ref(content)}>>`);
    pdf.set(pages, `<</Type /Pages /Kids [${ref(page)}] /Count 1>>`);
    pdf.set(catalog, `<</Type /Catalog /Pages ${ref(pages)}>>`);
    return pdf.toBytes(catalog, pdf.add('<</Producer (test)>>'));
  }

  test('every xref offset points at its object, and startxref at the table', () => {
    const bytes = Buffer.from(sample());
    const text = bytes.toString('latin1');
    const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
    expect(text.slice(startxref, startxref + 5)).toBe('xref\n');
    const rows = text.slice(startxref).split('\n').slice(3, 8);
    rows.forEach((row, i) => {
      const offset = Number(row.slice(0, 10));
      expect(text.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
    });
    expect(text).toMatch(/trailer\n<<\/Size 6 \/Root 1 0 R \/Info 5 0 R \/ID \[<([0-9A-F]{32})> <\1>\]>>/);
  });

  test('streams carry their exact length and deflate with zlib', () => {
    const text = Buffer.from(sample()).toString('latin1');
    const m = /<<\/Filter \/FlateDecode \/Length (\d+) >>\nstream\n/.exec(text)!;
    const start = m.index + m[0].length;
    const data = Buffer.from(text.slice(start, start + Number(m[1])), 'latin1');
    expect(text.slice(start + Number(m[1]), start + Number(m[1]) + 11)).toBe('\nendstream\n');
    expect(inflateSync(data).toString('latin1')).toBe('BT ET\n');
  });

  test('same objects give the same bytes (and the same /ID)', () => {
    expect(Buffer.from(sample()).equals(Buffer.from(sample()))).toBe(true);
  });

  test('a reserved object that is never set is a programming error', () => {
    const pdf = new PdfFile();
    const catalog = pdf.reserve();
    expect(() => pdf.toBytes(catalog, pdf.add('<<>>'))).toThrow(/object 1 was reserved but never set/);
  });
});

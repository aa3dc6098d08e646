// The plain core of the PDF writer: numbered objects, streams, cross-reference table and trailer
// (ISO 32000-1 7.3, 7.5). Objects are written as text in PDF syntax; bytes depend only on the input.

import { createHash } from 'node:crypto';
import { deflateSync } from 'node:zlib';

/** A PDF name (7.3.5): delimiters and non-regular characters as #xx. */
export function pdfName(name: string): string {
  let out = '/';
  for (const byte of Buffer.from(name, 'utf8')) {
    const regular = byte > 0x20 && byte < 0x7f && !'#()<>[]{}/%'.includes(String.fromCharCode(byte));
    out += regular ? String.fromCharCode(byte) : `#${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A text string (7.9.2.2): UTF-16BE with a byte order mark, written in hex. */
export function pdfText(text: string): string {
  let hex = '<FEFF';
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0');
  return `${hex}>`;
}

/** An ASCII string literal (7.3.4.2) for values that are plain ASCII (dates, registry names). */
export function pdfAscii(text: string): string {
  if (!/^[\x20-\x7e]*$/.test(text)) throw new Error(`pdfAscii: not printable ASCII: ${JSON.stringify(text)}`);
  return `(${text.replace(/[\\()]/g, (c) => `\\${c}`)})`;
}

/** Shortest decimal with at most 3 places (compact and deterministic). */
export function pdfNumber(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

export const ref = (objectNumber: number): string => `${objectNumber} 0 R`;

/** Stream data for /FlateDecode. */
export function deflateStream(data: Uint8Array | string): Uint8Array {
  return deflateSync(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
}

const HEADER = Buffer.from('%PDF-1.7\n%\xE2\xE3\xCF\xD3\n', 'latin1');

export class PdfFile {
  private readonly bodies: (Buffer[] | undefined)[] = [];

  /** A new object number, to be given a value with `set` (for objects that refer to each other). */
  reserve(): number {
    this.bodies.push(undefined);
    return this.bodies.length;
  }

  /** Sets a reserved object to a dictionary, array or other value written in PDF syntax. */
  set(objectNumber: number, value: string): void {
    this.bodies[objectNumber - 1] = [Buffer.from(`${objectNumber} 0 obj\n${value}\nendobj\n`, 'latin1')];
  }

  add(value: string): number {
    const n = this.reserve();
    this.set(n, value);
    return n;
  }

  /**
   * A stream object: `dict` holds the entries besides /Length (and /Filter), in PDF syntax. `data` is deflated
   * here with Node's zlib (deterministic for given bytes and level), stored as it is ('raw'), or already
   * deflated by `deflateStream` ('deflated').
   */
  addStream(dict: string, data: Uint8Array | string, encoding: 'deflate' | 'raw' | 'deflated' = 'deflate'): number {
    const raw = typeof data === 'string' ? Buffer.from(data, 'latin1') : data;
    const bytes = encoding === 'deflate' ? deflateStream(raw) : raw;
    const n = this.reserve();
    const filter = encoding === 'raw' ? '' : '/Filter /FlateDecode ';
    this.bodies[n - 1] = [
      Buffer.from(`${n} 0 obj\n<<${filter}/Length ${bytes.byteLength} ${dict}>>\nstream\n`, 'latin1'),
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      Buffer.from('\nendstream\nendobj\n', 'latin1'),
    ];
    return n;
  }

  /** The file: header, objects, xref table, trailer with /ID from the file's content (same content → same ID). */
  toBytes(catalog: number, info: number): Uint8Array {
    const chunks: Buffer[] = [HEADER];
    const offsets: number[] = [];
    let offset = HEADER.byteLength;
    const id = createHash('sha256');
    this.bodies.forEach((body, i) => {
      if (!body) throw new Error(`PdfFile: object ${i + 1} was reserved but never set`);
      offsets.push(offset);
      for (const part of body) {
        chunks.push(part);
        id.update(part);
        offset += part.byteLength;
      }
    });
    let xref = `xref\n0 ${this.bodies.length + 1}\n0000000000 65535 f \n`;
    for (const o of offsets) xref += `${String(o).padStart(10, '0')} 00000 n \n`;
    const fileId = id.digest('hex').slice(0, 32).toUpperCase();
    xref += `trailer\n<</Size ${this.bodies.length + 1} /Root ${ref(catalog)} /Info ${ref(info)} `;
    xref += `/ID [<${fileId}> <${fileId}>]>>\nstartxref\n${offset}\n%%EOF\n`;
    chunks.push(Buffer.from(xref, 'latin1'));
    return Buffer.concat(chunks);
  }
}

// Signs a PDF this writer made: an incremental update (ISO 32000-1 7.5.6) after the unsigned file adds an invisible
// signature field (/Rect [0 0 0 0], printable, locked) and its signature dictionary with the /ByteRange and /Contents
// placeholder; @signpdf/signpdf fills them with the CMS signature of the whole file less /Contents (12.8.1).
// The unsigned bytes stay an exact prefix of the signed file, so the unsigned content keeps its determinism.
// Our own update, not @signpdf/placeholder-plain: that one drops the file's final newline (the unsigned bytes would no
// longer be a prefix) and decodes the whole file as text; this writer's files have one known layout (pdf-file.ts).

import crypto from 'node:crypto';
import { SignPdf } from '@signpdf/signpdf';
import { DEFAULT_BYTE_RANGE_PLACEHOLDER } from '@signpdf/utils';
import { pdfAscii, ref } from './pdf-file';
import { CmsSigner } from './pdf-signer';
import { certificateSha256 } from './signing-key';

export { CmsSigner };

/** What the manifest and the register record of a signed file. */
export interface FileSignature {
  /** SHA-256 of the signer's certificate (DER). */
  certificateSha256: string;
  /** The signing time (whole seconds, ISO), as in the CMS signingTime attribute and the signature's /M. */
  signedAt: string;
  /** SHA-256 of the unsigned file, the signed file's prefix (what a remake from the register gives again). */
  unsignedSha256: string;
}

export interface SignedPdf {
  bytes: Uint8Array;
  signature: FileSignature;
}

/** The last cross-reference section of a file written by PdfFile (or by this module) and its trailer. */
interface Trailer {
  xrefOffset: number;
  size: number;
  root: number;
  rest: string;
  entries: Map<number, number>;
}

function readTrailer(pdf: Buffer): Trailer {
  const text = (from: number, to?: number) => pdf.toString('latin1', from, to);
  const tail = text(Math.max(0, pdf.length - 64));
  const startxref = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(tail);
  if (!startxref) throw new Error('signPdf: no startxref at the end of the file');
  const xrefOffset = Number(startxref[1]);
  const trailerAt = pdf.indexOf('trailer', xrefOffset, 'latin1');
  const xref = text(xrefOffset, trailerAt);
  if (!xref.startsWith('xref\n')) throw new Error('signPdf: expected a cross-reference table');
  const entries = new Map<number, number>();
  const lines = xref.split('\n').slice(1);
  for (let i = 0; i < lines.length;) {
    const [first, count] = lines[i++].split(' ').map(Number);
    for (let k = 0; k < count; k++, i++) if (lines[i].endsWith('n ')) entries.set(first + k, Number(lines[i].slice(0, 10)));
  }
  const dict = /^trailer\s*<<(.*)>>\s*startxref/s.exec(text(trailerAt, pdf.length))![1];
  const size = Number(/\/Size (\d+)/.exec(dict)![1]);
  const root = Number(/\/Root (\d+) 0 R/.exec(dict)![1]);
  // The rest (/Info, /ID) goes into the update's trailer as it is: /ID stays the original file's.
  const rest = dict
    .replace(/\/(Size|Prev) \d+ ?/g, '')
    .replace(/\/Root \d+ 0 R ?/, '')
    .trim();
  return { xrefOffset, size, root, rest, entries };
}

/** The value of a (non-stream) object of the file, as written between `n 0 obj` and `endobj`. */
function objectValue(pdf: Buffer, trailer: Trailer, n: number): string {
  const offset = trailer.entries.get(n);
  if (offset === undefined) throw new Error(`signPdf: object ${n} is not in the last cross-reference section`);
  const head = `${n} 0 obj`;
  const end = pdf.indexOf('endobj', offset, 'latin1');
  const body = pdf.toString('latin1', offset, end);
  if (!body.startsWith(head)) throw new Error(`signPdf: object ${n} is not where the cross-reference table says`);
  return body.slice(head.length).trim();
}

/** A dictionary written as `<<…>>` with one more entry. */
const withEntry = (dict: string, entry: string) => `${dict.slice(0, dict.lastIndexOf('>>'))} ${entry}>>`;

/** PDF date (7.9.4) in UTC. */
const pdfDate = (d: Date) => pdfAscii(`D:${d.toISOString().slice(0, 19).replace(/[-T:]/g, '')}Z`);

/** Bytes reserved for the CMS signature: the certificates, the signature value and the rest of the structure. */
function contentsLength(signer: CmsSigner): number {
  return signer.signingKey.certificates.reduce((n, c) => n + c.byteLength, 0) + 2048;
}

/**
 * The signed file: `unsigned` (a PDF from PdfFile, unchanged) followed by the update holding the signature, made at
 * `signingTime` (the actual time; whole seconds). The signature covers the whole file but its own /Contents.
 */
export async function signPdf(unsigned: Uint8Array, signer: CmsSigner, signingTime: Date = new Date()): Promise<SignedPdf> {
  const at = new Date(Math.floor(signingTime.getTime() / 1000) * 1000);
  const pdf = Buffer.from(unsigned.buffer, unsigned.byteOffset, unsigned.byteLength);
  const trailer = readTrailer(pdf);
  const catalog = objectValue(pdf, trailer, trailer.root);
  if (catalog.includes('/AcroForm')) throw new Error('signPdf: the file already has a form');
  const pages = objectValue(pdf, trailer, Number(/\/Pages (\d+) 0 R/.exec(catalog)![1]));
  const page = Number(/\/Kids \[\s*(\d+) 0 R/.exec(pages)![1]);
  const [sig, widget] = [trailer.size, trailer.size + 1];
  const placeholder = `/${DEFAULT_BYTE_RANGE_PLACEHOLDER}`;
  const objects = new Map<number, string>([
    [
      sig,
      `<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M ${pdfDate(at)} ` +
        `/ByteRange [0 ${placeholder} ${placeholder} ${placeholder}] /Contents <${'0'.repeat(contentsLength(signer) * 2)}>>>`,
    ],
    [widget, `<</Type /Annot /Subtype /Widget /FT /Sig /T (Signature1) /V ${ref(sig)} /F 132 /Rect [0 0 0 0] /P ${ref(page)}>>`],
    [trailer.root, withEntry(catalog, `/AcroForm <</Fields [${ref(widget)}] /SigFlags 3>>`)],
  ]);
  // The widget joins the page's annotations: an /Annots array in the page, one it refers to, or a new one.
  const pageValue = objectValue(pdf, trailer, page);
  const annotsRef = /\/Annots (\d+) 0 R/.exec(pageValue);
  if (annotsRef) {
    const annots = objectValue(pdf, trailer, Number(annotsRef[1]));
    objects.set(Number(annotsRef[1]), `${annots.slice(0, annots.lastIndexOf(']'))} ${ref(widget)}]`);
  } else if (/\/Annots\s*\[/.test(pageValue)) {
    objects.set(
      page,
      pageValue.replace(/\/Annots\s*\[([^\]]*)\]/, (_, refs: string) => `/Annots [${refs.trim()} ${ref(widget)}]`),
    );
  } else objects.set(page, withEntry(pageValue, `/Annots [${ref(widget)}]`));

  const parts: string[] = [];
  let offset = pdf.length;
  let xref = 'xref\n';
  for (const n of [...objects.keys()].sort((a, b) => a - b)) {
    const text = `${n} 0 obj\n${objects.get(n)}\nendobj\n`;
    xref += `${n} 1\n${String(offset).padStart(10, '0')} 00000 n \n`;
    parts.push(text);
    offset += text.length;
  }
  xref += `trailer\n<</Size ${trailer.size + 2} /Root ${ref(trailer.root)} ${trailer.rest} /Prev ${trailer.xrefOffset}>>\n`;
  parts.push(`${xref}startxref\n${offset}\n%%EOF\n`);
  const update = Buffer.from(parts.join(''), 'latin1');
  const signed = await new SignPdf().sign(Buffer.concat([pdf, update]), signer, at);
  return {
    bytes: signed,
    signature: {
      certificateSha256: certificateSha256(signer.signingKey),
      signedAt: at.toISOString().replace('.000Z', 'Z'),
      unsignedSha256: crypto.createHash('sha256').update(pdf).digest('hex'),
    },
  };
}

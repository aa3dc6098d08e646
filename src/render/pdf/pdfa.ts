// PDF/A-2b parts (ISO 19005-2): the XMP metadata packet (6.6.2) and the sRGB output intent (6.2.3), added to the
// catalog. The metadata's values are the Info dictionary's, from the same strings, so the two agree (6.6.2.3).

import fs from 'node:fs';
import { bundledPath } from '../../package-root';
import { escapeXml } from '../docx/xml-text';
import { deflateStream, pdfAscii, ref, type PdfFile } from './pdf-file';

/** The file's document information, as both the Info dictionary and the XMP packet write it. */
export interface FileInfo {
  title: string;
  author: string;
  subject: string;
  keywords: string;
  creator: string;
  producer: string;
  /** Creation and modification date, ISO 8601 with offset (XMP form), e.g. 2026-11-29T00:00:00+08:00. */
  date: string;
  language: string;
  /** dc:identifier: the document number(s). */
  identifier?: string;
}

/** The same instant as a PDF date (7.9.4): D:YYYYMMDDHHmmSS+HH'mm'. */
export function pdfDate(isoDate: string): string {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)([+-])(\d\d):(\d\d)$/.exec(isoDate);
  if (!m) throw new Error(`pdfDate: not an ISO date with offset: ${isoDate}`);
  return `D:${m.slice(1, 7).join('')}${m[7]}${m[8]}'${m[9]}'`;
}

const lines = (entries: string[]): string => entries.map((e) => `   ${e}\n`).join('');
const langAlt = (text: string): string => `<rdf:Alt><rdf:li xml:lang="x-default">${escapeXml(text)}</rdf:li></rdf:Alt>`;

/** The XMP packet (UTF-8, no `bytes` or `encoding` attribute: 6.6.2.1) claiming PDF/A-2b. */
export function xmpPacket(info: FileInfo): string {
  return (
    '<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>\n' +
    '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n' +
    '  <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/" xmlns:dc="http://purl.org/dc/elements/1.1/"' +
    ' xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">\n' +
    lines([
      '<pdfaid:part>2</pdfaid:part>',
      '<pdfaid:conformance>B</pdfaid:conformance>',
      '<dc:format>application/pdf</dc:format>',
      `<dc:title>${langAlt(info.title)}</dc:title>`,
      `<dc:creator><rdf:Seq><rdf:li>${escapeXml(info.author)}</rdf:li></rdf:Seq></dc:creator>`,
      `<dc:description>${langAlt(info.subject)}</dc:description>`,
      ...(info.identifier ? [`<dc:identifier>${escapeXml(info.identifier)}</dc:identifier>`] : []),
      `<dc:language><rdf:Bag><rdf:li>${escapeXml(info.language)}</rdf:li></rdf:Bag></dc:language>`,
      `<pdf:Keywords>${escapeXml(info.keywords)}</pdf:Keywords>`,
      `<pdf:Producer>${escapeXml(info.producer)}</pdf:Producer>`,
      `<xmp:CreatorTool>${escapeXml(info.creator)}</xmp:CreatorTool>`,
      `<xmp:CreateDate>${info.date}</xmp:CreateDate>`,
      `<xmp:ModifyDate>${info.date}</xmp:ModifyDate>`,
      `<xmp:MetadataDate>${info.date}</xmp:MetadataDate>`,
    ]) +
    '  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n<?xpacket end="w"?>'
  );
}

/** The bundled sRGB profile (color/sRGB.icc, from Debian's icc-profiles-free; licence beside it). */
export const SRGB_PROFILE_FILE = bundledPath('color', 'sRGB.icc');

let profile: { bytes: Uint8Array; deflated: Uint8Array } | undefined;

function srgbProfile(): { bytes: Uint8Array; deflated: Uint8Array } {
  if (!profile) {
    const bytes = new Uint8Array(fs.readFileSync(SRGB_PROFILE_FILE));
    profile = { bytes, deflated: deflateStream(bytes) };
  }
  return profile;
}

/**
 * Adds the metadata stream (uncompressed: 6.6.2.1) and the output intent with its ICC profile; returns the
 * catalog entries that point at them.
 */
export function addPdfaParts(pdf: PdfFile, info: FileInfo): string {
  const metadata = pdf.addStream('/Type /Metadata /Subtype /XML', Buffer.from(xmpPacket(info), 'utf8'), 'raw');
  const icc = pdf.addStream('/N 3', srgbProfile().deflated, 'deflated');
  const name = pdfAscii('sRGB IEC61966-2.1');
  const intent = pdf.add(
    `<</Type /OutputIntent /S /GTS_PDFA1 /OutputConditionIdentifier ${name} /Info ${name} /DestOutputProfile ${ref(icc)}>>`,
  );
  return `/Metadata ${ref(metadata)} /OutputIntents [${ref(intent)}]`;
}

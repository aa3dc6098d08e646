// PDF/A-2b structure (no PDF/A validator on these machines): XMP parsed and compared with the Info dictionary,
// the sRGB output intent and its profile, qpdf --check, every font embedded with a ToUnicode map, no /Encrypt, /ID.

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFRawStream, PDFString } from 'pdf-lib';
import { SaxesParser } from 'saxes';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { renderPdf } from '../src/render/pdf/render-pdf';
import { SRGB_PROFILE_FILE } from '../src/render/pdf/pdfa';
import { defaultLayout, sampleLetterDocument } from './fixtures/sample-letter-document';
import { sealPng } from './fixtures/docx/seal';
import { pdfFonts, pdfInfo } from './poppler';
import { hasTool } from './tools';

const fonts = loadFontSet(defaultFontsDir(), defaultLayout);
const letter = (employer: string, n: number) => {
  const doc = sampleLetterDocument({ employer });
  return { ...doc, meta: { ...doc.meta, identifier: `柳城卫职告〔2026〕${n}号` } };
};
const sealed = { ...letter('柳州市融昇家具制造有限公司', 3), seal: { png: sealPng(), diameterMm: 42 } };

/** Each XMP property (prefixed name) → the texts inside it, in order (rdf:li items, or its own text). */
function xmpProperties(xml: string): Map<string, string[]> {
  const parser = new SaxesParser({ xmlns: true });
  const props = new Map<string, string[]>();
  const stack: string[] = [];
  parser.on('opentag', (t) => stack.push(t.name));
  parser.on('closetag', () => stack.pop());
  parser.on('text', (text) => {
    if (text.trim() === '') return;
    const prop = stack.find((name, i) => i > 0 && stack[i - 1] === 'rdf:Description');
    if (prop) props.set(prop, [...(props.get(prop) ?? []), text]);
  });
  parser.write(xml).close();
  return props;
}

async function catalogOf(pdf: Uint8Array) {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const metadata = doc.catalog.lookup(PDFName.of('Metadata')) as PDFRawStream;
  const intents = doc.catalog.lookup(PDFName.of('OutputIntents'), PDFArray);
  return { doc, metadata, intents };
}

const infoText = (info: PDFDict, key: string): string => {
  const v = info.lookup(PDFName.of(key));
  return v instanceof PDFHexString || v instanceof PDFString ? v.decodeText() : String(v);
};

describe('PDF/A-2b (--pdfa)', () => {
  const pdf = renderPdf([sealed], fonts, undefined, { pdfa: true });

  it('has an uncompressed XMP stream that says part 2 / conformance B and agrees with the Info dictionary', async () => {
    const { doc, metadata } = await catalogOf(pdf);
    expect(metadata.dict.get(PDFName.of('Type'))).toBe(PDFName.of('Metadata'));
    expect(metadata.dict.get(PDFName.of('Subtype'))).toBe(PDFName.of('XML'));
    expect(metadata.dict.has(PDFName.of('Filter'))).toBe(false);
    const xml = Buffer.from(metadata.contents).toString('utf8');
    expect(xml).toMatch(/^<\?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"\?>/);
    expect(xml).toMatch(/<\?xpacket end="w"\?>$/);
    const xmp = xmpProperties(xml);
    const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
    expect(xmp.get('pdfaid:part')).toEqual(['2']);
    expect(xmp.get('pdfaid:conformance')).toEqual(['B']);
    expect(xmp.get('dc:title')).toEqual([infoText(info, 'Title')]);
    expect(xmp.get('dc:title')).toEqual(['职业病危害项目申报告知单（柳州市融昇家具制造有限公司）']);
    expect(xmp.get('dc:creator')).toEqual([infoText(info, 'Author')]);
    expect(xmp.get('dc:creator')).toEqual(['柳城县卫生健康局']);
    expect(xmp.get('dc:description')).toEqual([infoText(info, 'Subject')]);
    expect(xmp.get('pdf:Keywords')).toEqual([infoText(info, 'Keywords')]);
    expect(xmp.get('pdf:Producer')).toEqual([infoText(info, 'Producer')]);
    expect(xmp.get('xmp:CreatorTool')).toEqual([infoText(info, 'Creator')]);
    expect(xmp.get('dc:identifier')).toEqual(['柳城卫职告〔2026〕3号']);
    expect(xmp.get('dc:language')).toEqual(['zh-CN']);
    // The letter's date at 00:00 Beijing time, written alike in both (D:YYYYMMDDHHmmSS+08'00').
    for (const [xmpKey, infoKey] of [
      ['xmp:CreateDate', 'CreationDate'],
      ['xmp:ModifyDate', 'ModDate'],
    ]) {
      expect(xmp.get(xmpKey)).toEqual(['2026-11-29T00:00:00+08:00']);
      expect(infoText(info, infoKey)).toBe("D:20261129000000+08'00'");
    }
    expect(xmp.get('xmp:MetadataDate')).toEqual(['2026-11-29T00:00:00+08:00']);
    expect(doc.getCreationDate()?.toISOString()).toBe('2026-11-28T16:00:00.000Z');
  });

  it('has an sRGB output intent whose ICC stream (N 3) is the bundled profile', async () => {
    const { intents } = await catalogOf(pdf);
    expect(intents.size()).toBe(1);
    const intent = intents.lookup(0, PDFDict);
    expect(intent.get(PDFName.of('S'))).toBe(PDFName.of('GTS_PDFA1'));
    expect(intent.lookup(PDFName.of('OutputConditionIdentifier'), PDFString).decodeText()).toBe('sRGB IEC61966-2.1');
    const icc = intent.lookup(PDFName.of('DestOutputProfile')) as PDFRawStream;
    expect(icc.dict.get(PDFName.of('N'))?.toString()).toBe('3');
    expect(Buffer.from(decodePDFRawStream(icc).decode()).equals(fs.readFileSync(SRGB_PROFILE_FILE))).toBe(true);
    expect(fs.existsSync(path.join(path.dirname(SRGB_PROFILE_FILE), 'sRGB-LICENSE.txt'))).toBe(true);
  });

  it('embeds every font with a ToUnicode map; no /Encrypt; /ID of two equal entries; binary header comment', () => {
    const rows = pdfFonts(pdf);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) {
      expect({ name: r.name, embedded: r.embedded, unicode: r.unicode }).toEqual({ name: r.name, embedded: true, unicode: true });
    }
    const text = Buffer.from(pdf).toString('latin1');
    expect(text).not.toContain('/Encrypt');
    expect(text).not.toMatch(/\/CIDSet|\/LZWDecode/);
    const trailer = text.slice(text.lastIndexOf('trailer'));
    const id = /\/ID \[<([0-9A-F]{32})> <([0-9A-F]{32})>\]/.exec(trailer);
    expect(id && id[1] === id[2]).toBe(true);
    expect(text.slice(0, 9)).toBe('%PDF-1.7\n');
    expect([...Buffer.from(pdf).subarray(10, 14)].every((b) => b > 127)).toBe(true); // %âãÏÓ
    expect(pdfInfo(pdf).Title).toBe('职业病危害项目申报告知单（柳州市融昇家具制造有限公司）');
  });

  (hasTool('qpdf', ['--version'], 'qpdf') ? it : it.skip)('passes qpdf --check with no warnings', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-pdfa-'));
    const file = path.join(dir, 'letter.pdf');
    fs.writeFileSync(file, pdf);
    const res = spawnSync('qpdf', ['--check', file], { encoding: 'utf8' });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain('No syntax or stream encoding errors found');
    expect(res.status).toBe(0);
  });

  it('is deterministic, and a print book names every document number', async () => {
    expect(Buffer.from(renderPdf([sealed], fonts, undefined, { pdfa: true })).equals(Buffer.from(pdf))).toBe(true);
    const book = renderPdf([letter('柳州市甲公司', 1), letter('柳州市乙公司', 2)], fonts, undefined, { pdfa: true });
    const xmp = xmpProperties(Buffer.from((await catalogOf(book)).metadata.contents).toString('utf8'));
    expect(xmp.get('dc:identifier')).toEqual(['柳城卫职告〔2026〕1号、柳城卫职告〔2026〕2号']);
    expect(xmp.get('dc:title')).toEqual([pdfInfo(book).Title]);
  });

  it('is not claimed without the option', async () => {
    const plain = await PDFDocument.load(renderPdf([sealed], fonts), { updateMetadata: false });
    expect(plain.catalog.has(PDFName.of('Metadata'))).toBe(false);
    expect(plain.catalog.has(PDFName.of('OutputIntents'))).toBe(false);
  });
});

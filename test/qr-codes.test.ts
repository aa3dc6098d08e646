// QR codes beside the signature block: placement (no text or seal touched, nothing moved), vectors in the PDF,
// a PNG in the DOCX, and both decoded back to the exact URL with zbarimg (zbar-tools).

import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PDFDocument, PDFName } from 'pdf-lib';
import type { LetterDocument } from '../src/letter/model';
import { loadTemplate } from '../src/letter/template';
import { renderDocx } from '../src/render/docx/render-docx';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { gridOf, PT_PER_MM } from '../src/render/layout/grid';
import { layoutDocument } from '../src/render/layout/layout';
import { renderPdf } from '../src/render/pdf/render-pdf';
import { readDocx, findAll, part } from './fixtures/docx/read-docx';
import { sealPng } from './fixtures/docx/seal';
import { defaultLayout, sampleLetterDocument } from './fixtures/sample-letter-document';
import { pdfText, renderPng } from './poppler';
import { hasTool } from './tools';

const fonts = loadFontSet(defaultFontsDir(), defaultLayout);
const SITE = 'https://gxzyjkapp.gxws.cn:17010/webgxzywstypt/login';
const MANUAL = 'http://wjw.liuzhou.gov.cn/xwzx/tzgg/t19700101_3497369.shtml';
const withQr = (doc: LetterDocument, urls = [SITE]): LetterDocument => ({
  ...doc,
  qrCodes: urls.map((url, i) => ({ url, caption: i === 0 ? '扫码申报' : '操作手册' })),
});
const describeZbar = hasTool('zbarimg', ['--version'], 'zbar-tools') ? describe : describe.skip;

/** The QR codes zbarimg reads in a PNG file. */
function decode(png: Uint8Array): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-qr-'));
  try {
    const file = path.join(dir, 'page.png');
    fs.writeFileSync(file, png);
    const res = spawnSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8' });
    return res.stdout.split('\n').filter((l) => l !== '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

type Box = { x1: number; x2: number; top: number; bottom: number };
const overlaps = (a: Box, b: Box) => a.x1 < b.x2 && b.x1 < a.x2 && a.top < b.bottom && b.top < a.bottom;

describe('placement', () => {
  it('is on in the bundled template: the declaration site with 扫码申报', () => {
    expect(loadTemplate().qrCodes).toEqual([{ url: SITE, caption: '扫码申报' }]);
  });

  it.each([
    ['the sample letter', sampleLetterDocument()],
    ['with a seal', { ...sampleLetterDocument(), seal: { png: sealPng(), diameterMm: 42 } }],
    [
      'on the tightest grid (28 lines)',
      (() => {
        const doc = sampleLetterDocument();
        const body = doc.paragraphs.find((p) => p.role === 'body')!;
        const i = doc.paragraphs.indexOf(body);
        const extra = Array.from({ length: 5 }, () => ({ ...body, runs: [{ text: '职业病危害项目申报，'.repeat(5) }] }));
        return { ...doc, paragraphs: [...doc.paragraphs.slice(0, i), ...extra, ...doc.paragraphs.slice(i)] };
      })(),
    ],
  ])('%s: leaves every line where it was, touches no text or seal, sits on the date baseline, ≥ 20 mm', (_, doc) => {
    // Two codes fit beside the signature block; with a seal (42 mm, centred on the date) one does.
    const urls = doc.seal ? [SITE] : [SITE, MANUAL];
    const plain = layoutDocument(doc, fonts);
    const laid = layoutDocument(withQr(doc, urls), fonts);
    expect(laid.lines).toEqual(plain.lines);
    const date = laid.lines.find((l) => l.role === 'date')!;
    expect(laid.qrCodes).toHaveLength(urls.length);
    for (const qr of laid.qrCodes) {
      expect(qr.size).toBeGreaterThanOrEqual(20 * PT_PER_MM - 1e-9);
      expect(qr.y + qr.size).toBeCloseTo(date.baseline, 6);
      expect(qr.caption.baseline).toBeCloseTo(date.baseline, 6);
      const zone = {
        x1: qr.x - qr.quietZone,
        x2: qr.x + qr.size + qr.quietZone,
        top: qr.y - qr.quietZone,
        bottom: qr.y + qr.size + qr.quietZone,
      };
      for (const line of laid.lines) {
        const last = line.chars.at(-1)!;
        const ink = {
          x1: line.chars[0].x,
          x2: last.x + last.width,
          top: line.baseline - 0.88 * line.sizePt,
          bottom: line.baseline + 0.12 * line.sizePt,
        };
        expect({ line: line.text, overlap: overlaps(zone, ink) }).toEqual({ line: line.text, overlap: false });
      }
      if (laid.seal) {
        const r = laid.seal.diameter / 2;
        expect(
          overlaps(zone, {
            x1: laid.seal.centerX - r,
            x2: laid.seal.centerX + r,
            top: laid.seal.centerY - r,
            bottom: laid.seal.centerY + r,
          }),
        ).toBe(false);
      }
    }
    expect(laid.qrCodes[0].x).toBeCloseTo(gridOf(doc.layout).left, 6);
    if (doc.paragraphs.length > 8) expect(laid.linesPerPage).toBe(28);
  });

  it('refuses (E_QR_NO_ROOM) rather than move text when the codes do not fit beside the signature block', () => {
    const sealed = withQr({ ...sampleLetterDocument(), seal: { png: sealPng(), diameterMm: 42 } }, [SITE, MANUAL]);
    expect(() => layoutDocument(sealed, fonts)).toThrow(expect.objectContaining({ code: 'E_QR_NO_ROOM' }));
    const doc = withQr(sampleLetterDocument(), [SITE, MANUAL]);
    const sig = doc.paragraphs.find((p) => p.role === 'signature')!;
    sig.runs = [{ text: '柳州市柳江区某某某某某某卫生健康局' }];
    expect(() => layoutDocument(doc, fonts)).toThrow(expect.objectContaining({ code: 'E_QR_NO_ROOM' }));
  });
});

describe('PDF', () => {
  it('draws the code as vectors (no image) and its caption as text', async () => {
    const pdf = renderPdf([withQr(sampleLetterDocument())], fonts);
    const page = (await PDFDocument.load(pdf)).getPage(0);
    expect(page.node.Resources()!.get(PDFName.of('XObject'))).toBeUndefined();
    expect(pdfText(pdf).replace(/\s+/g, '')).toContain('扫码申报');
  });

  describeZbar('decoded with zbarimg', () => {
    it.each([
      ['alone', sampleLetterDocument()],
      ['with a seal', { ...sampleLetterDocument(), seal: { png: sealPng(), diameterMm: 42 } }],
    ])('%s: a 150 dpi render gives back the exact URLs', (_, doc) => {
      const urls = doc.seal ? [SITE] : [SITE, MANUAL];
      const pdf = renderPdf([withQr(doc, urls)], fonts);
      expect(decode(renderPng(pdf, 150).png).sort()).toEqual(urls.sort());
    });
  });
});

describe('DOCX', () => {
  it('floats the code as a PNG picture at the layout position (no text moved) and keeps the URLs as hyperlinks', async () => {
    const docx = await readDocx(await renderDocx(withQr(sampleLetterDocument()), { fonts }));
    const document = part(docx, 'word/document.xml');
    const anchors = findAll(document, 'wp:anchor');
    expect(anchors).toHaveLength(1);
    expect(findAll(anchors[0], 'wp:wrapNone')).toHaveLength(1);
    expect(
      findAll(document, 'w:txbxContent').map((t) =>
        findAll(t, 'w:t')
          .map((r) => r.text)
          .join(''),
      ),
    ).toEqual(['扫码申报']);
    const rels = findAll(part(docx, 'word/_rels/document.xml.rels'), 'Relationship');
    expect(
      rels
        .filter((r) => r.attrs.TargetMode === 'External')
        .map((r) => r.attrs.Target)
        .sort(),
    ).toEqual([MANUAL, SITE].sort());
    expect(rels.some((r) => r.attrs.Target === 'media/qr1.png')).toBe(true);
  });

  describeZbar('decoded with zbarimg', () => {
    it('gives back the exact URL from word/media/qr1.png', async () => {
      const docx = await readDocx(await renderDocx(withQr(sampleLetterDocument()), { fonts }));
      expect(decode(await docx.zip.file('word/media/qr1.png')!.async('uint8array'))).toEqual([SITE]);
    });
  });
});

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HazardNoticeError } from '../src/errors';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { CmsSigner } from '../src/render/pdf/pdf-signer';
import { loadSigningKey } from '../src/render/pdf/read-p12';
import { certificateSha256 } from '../src/render/pdf/signing-key';
import { PdfFile } from '../src/render/pdf/pdf-file';
import { renderPdf } from '../src/render/pdf/render-pdf';
import { signPdf } from '../src/render/pdf/sign-pdf';
import { defaultLayout, sampleLetterDocument } from './fixtures/sample-letter-document';
import { makeTestCertificate, pdfsig, TEST_P12_PASSWORD } from './signing-cert';
import { pdfText } from './poppler';
import { hasTool } from './tools';

const tools =
  hasTool('openssl', ['version'], 'openssl') && hasTool('pdfsig', ['-v'], 'poppler-utils') && hasTool('qpdf', ['--version'], 'qpdf');
const d = tools ? describe : describe.skip;

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof HazardNoticeError) return e.code;
    throw e;
  }
  throw new Error('no error');
};

d('signPdf', () => {
  const cert = tools ? makeTestCertificate() : undefined!;
  const fonts = loadFontSet(defaultFontsDir(), defaultLayout);
  const unsigned = renderPdf([sampleLetterDocument()], fonts);
  const two = renderPdf([sampleLetterDocument(), sampleLetterDocument()], fonts);

  it('signs with a detached CMS signature that pdfsig finds valid over the whole document; the unsigned file is its prefix', async () => {
    const key = loadSigningKey(cert.p12, TEST_P12_PASSWORD);
    const at = new Date();
    const { bytes, signature } = await signPdf(unsigned, new CmsSigner(key), at);
    expect(Buffer.from(bytes.subarray(0, unsigned.byteLength)).equals(Buffer.from(unsigned))).toBe(true);
    const out = pdfsig(bytes);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Type: adbe.pkcs7.detached');
    expect(out).toContain('柳州市测试卫生健康局（测试证书）');
    expect(pdfText(bytes)).toBe(pdfText(unsigned));
    const der = new crypto.X509Certificate(cert.certPem).raw;
    expect(signature.certificateSha256).toBe(crypto.createHash('sha256').update(der).digest('hex'));
    expect(signature.certificateSha256).toBe(certificateSha256(key));
    expect(signature.unsignedSha256).toBe(crypto.createHash('sha256').update(unsigned).digest('hex'));
    expect(signature.signedAt).toBe(`${at.toISOString().slice(0, 19)}Z`);
    expect(Buffer.from(bytes).toString('latin1')).toContain(`/M (D:${signature.signedAt.replace(/[-T:Z]/g, '')}Z)`);
  });

  it('a changed byte inside the signed range, in the letter or in the signature dictionary, makes the signature invalid', async () => {
    const { bytes } = await signPdf(unsigned, new CmsSigner(loadSigningKey(cert.p12, TEST_P12_PASSWORD)));
    const text = Buffer.from(bytes).toString('latin1');
    for (const at of [text.indexOf('/Producer') + 1, text.lastIndexOf('/M (D:') + 7]) {
      const tampered = Buffer.from(bytes);
      tampered[at] ^= 0x01;
      const out = pdfsig(tampered);
      expect(out).not.toContain('Signature is Valid');
      expect(out).toContain('Digest Mismatch');
    }
  });

  it('signs a print volume of several pages, the widget on its first page', async () => {
    const { bytes } = await signPdf(two, new CmsSigner(loadSigningKey(cert.p12, TEST_P12_PASSWORD)));
    const out = pdfsig(bytes);
    expect(out).toContain('Signature is Valid');
    expect(out).toContain('Total document signed');
  });

  it.each([
    ['in the page', (annot: number) => `/Annots [${annot} 0 R]`],
    ['in an object of its own', (annot: number, pdf: PdfFile) => `/Annots ${pdf.add(`[${annot} 0 R]`)} 0 R`],
  ])('keeps the catalog (/Metadata of PDF/A) and a page’s annotations (%s), adding the field', async (_, annots) => {
    const pdf = new PdfFile();
    const [catalog, pages, page] = [pdf.reserve(), pdf.reserve(), pdf.reserve()];
    const metadata = pdf.addStream('/Type /Metadata /Subtype /XML', '<x:xmpmeta xmlns:x="adobe:ns:meta/"/>', 'raw');
    const link = pdf.add(`<</Type /Annot /Subtype /Link /Rect [10 10 50 20] /F 4 /A <</S /URI /URI (https://example.org/)>>>>`);
    const content = pdf.addStream('', 'BT ET');
    pdf.set(page, `<</Type /Page /Parent ${pages} 0 R /MediaBox [0 0 595 842] /Contents ${content} 0 R ${annots(link, pdf)}>>`);
    pdf.set(pages, `<</Type /Pages /Kids [${page} 0 R] /Count 1>>`);
    pdf.set(catalog, `<</Type /Catalog /Pages ${pages} 0 R /Metadata ${metadata} 0 R>>`);
    const unsigned = pdf.toBytes(catalog, pdf.add('<</Producer (test)>>'));
    const { bytes } = await signPdf(unsigned, new CmsSigner(loadSigningKey(cert.p12, TEST_P12_PASSWORD)));
    expect(pdfsig(bytes)).toContain('Signature is Valid');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-sig-'));
    fs.writeFileSync(path.join(dir, 'a.pdf'), bytes);
    expect(execFileSync('qpdf', ['--check', path.join(dir, 'a.pdf')], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors',
    );
    const json = JSON.parse(execFileSync('qpdf', ['--json=1', '--json-key=objects', path.join(dir, 'a.pdf')], { encoding: 'utf8' }));
    const objects = json.objects as Record<string, Record<string, unknown>>;
    const root = objects[`${catalog} 0 R`];
    expect(root['/Metadata']).toBe(`${metadata} 0 R`);
    expect(root['/AcroForm']).toMatchObject({ '/SigFlags': 3 });
    const widget = (root['/AcroForm'] as { '/Fields': string[] })['/Fields'][0];
    const pageAnnots = objects[`${page} 0 R`]['/Annots'];
    const list = typeof pageAnnots === 'string' ? (objects[pageAnnots] as unknown as string[]) : (pageAnnots as string[]);
    expect(list).toEqual([`${link} 0 R`, widget]);
    expect(objects[widget]).toMatchObject({ '/FT': '/Sig', '/Rect': [0, 0, 0, 0], '/F': 132, '/P': `${page} 0 R` });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads a p12 made with -legacy (3DES) as well', () => {
    const legacy = makeTestCertificate(30, true);
    expect(loadSigningKey(legacy.p12, TEST_P12_PASSWORD).certificates).toHaveLength(1);
  });

  it('refuses a wrong password, a file that is not PKCS #12, a missing file, and a certificate not valid at signing time', () => {
    expect(codeOf(() => loadSigningKey(cert.p12, 'wrong'))).toBe('E_SIGN_PASSWORD');
    expect(codeOf(() => loadSigningKey(cert.certPem.length > 0 ? __filename : '', TEST_P12_PASSWORD))).toBe('E_SIGN_P12_READ');
    expect(codeOf(() => loadSigningKey('/nonexistent/bureau.p12', TEST_P12_PASSWORD))).toBe('E_SIGN_P12_READ');
    const later = new Date(Date.now() + 40 * 86400_000);
    expect(codeOf(() => loadSigningKey(cert.p12, TEST_P12_PASSWORD, later))).toBe('E_SIGN_CERT_EXPIRED');
    const earlier = new Date(Date.now() - 86400_000);
    expect(codeOf(() => loadSigningKey(cert.p12, TEST_P12_PASSWORD, earlier))).toBe('E_SIGN_CERT_NOT_YET_VALID');
  });

  it('refuses to sign once the certificate has expired (checked at each signature)', async () => {
    const signer = new CmsSigner(loadSigningKey(cert.p12, TEST_P12_PASSWORD));
    await expect(signPdf(unsigned, signer, new Date(Date.now() + 40 * 86400_000))).rejects.toMatchObject({ code: 'E_SIGN_CERT_EXPIRED' });
  });
});

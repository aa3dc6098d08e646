import crypto from 'node:crypto';
import { HazardNoticeError } from '../src/errors';
import { defaultFontsDir, loadFontSet } from '../src/render/layout/fonts';
import { CmsSigner } from '../src/render/pdf/pdf-signer';
import { loadSigningKey } from '../src/render/pdf/read-p12';
import { certificateSha256 } from '../src/render/pdf/signing-key';
import { renderPdf } from '../src/render/pdf/render-pdf';
import { signPdf } from '../src/render/pdf/sign-pdf';
import { defaultLayout, sampleLetterDocument } from './fixtures/sample-letter-document';
import { makeTestCertificate, pdfsig, TEST_P12_PASSWORD } from './signing-cert';
import { pdfText } from './poppler';
import { hasTool } from './tools';

const tools = hasTool('openssl', ['version'], 'openssl') && hasTool('pdfsig', ['-v'], 'poppler-utils');
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

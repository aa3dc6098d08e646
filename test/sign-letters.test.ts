// --sign on `letter` and `batch`: every PDF (letters, print volumes) signed and valid, the password only from the
// environment, the certificate's fingerprint in the manifest and the register, and re-download from the register.

import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Register } from '../src/register/register';
import { loadSigningKey } from '../src/render/pdf/read-p12';
import { runCli } from './cli-run';
import { batch, MAIN_ROWS, readCsvFile, readManifestJson, registerOf, sha256File, writeCsv } from './fixtures/batch/harness';
import { makeTestCertificate, pdfsig, TEST_P12_PASSWORD, type TestCertificate } from './signing-cert';
import { hasTool } from './tools';
import { webApp } from './web/web-harness';

const tools = hasTool('openssl', ['version'], 'openssl') && hasTool('pdfsig', ['-v'], 'poppler-utils');
const d = tools ? describe : describe.skip;
const ENV = 'HAZARD_NOTICE_SIGN_PASSWORD';
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'hn-sign-'));
const sha256 = (b: Uint8Array) => crypto.createHash('sha256').update(b).digest('hex');

function expectSigned(pdf: Uint8Array, what: string): void {
  const out = pdfsig(pdf);
  expect({ what, valid: out.includes('Signature Validation: Signature is Valid.') }).toEqual({ what, valid: true });
  expect({ what, total: out.includes('Total document signed') }).toEqual({ what, total: true });
}

/** Runs the CLI with the password variable set to `password` (unset when undefined). */
async function withPassword<T>(password: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env[ENV];
  if (password === undefined) delete process.env[ENV];
  else process.env[ENV] = password;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env[ENV];
    else process.env[ENV] = before;
  }
}

const letterArgs = (out: string, data: string, ...more: string[]) => [
  'letter',
  ...['--name', '柳州市融昇家具制造有限公司', '--industry', 'C2110', '--county', '柳城县', '--hazards', '甲醛,噪声'],
  ...['--date', '2025-07-31', '--out', out, '--data-dir', data, ...more],
];

d('letter --sign', () => {
  let cert: TestCertificate;
  let fingerprint: string;
  beforeAll(() => {
    cert = makeTestCertificate();
    fingerprint = sha256(new crypto.X509Certificate(cert.certPem).raw);
  });

  it('signs the PDF (valid, whole document), keeps and records the signed file with the fingerprint; DOCX unchanged', async () => {
    const [out, data, plainOut] = [tmp(), tmp(), tmp()];
    const r = await withPassword(TEST_P12_PASSWORD, () => runCli(...letterArgs(out, data, '--sign', cert.p12)));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`PDF 已签名：证书 SHA-256 ${fingerprint}，签名时间 `);
    const pdf = fs.readFileSync(path.join(out, '职业病危害项目申报告知单_柳州市融昇家具制造有限公司.pdf'));
    expectSigned(pdf, 'letter');

    // The unsigned content is the same letter as made without --sign: an exact prefix of the signed file.
    const plain = await runCli(...letterArgs(plainOut, tmp(), '--format', 'pdf'));
    expect(plain.code).toBe(0);
    const unsigned = fs.readFileSync(path.join(plainOut, '职业病危害项目申报告知单_柳州市融昇家具制造有限公司.pdf'));
    expect(pdf.subarray(0, unsigned.length).equals(unsigned)).toBe(true);
    expect(pdf.length).toBeGreaterThan(unsigned.length);

    const register = await Register.inDataDir(data);
    try {
      const [row] = (await register.search()).rows;
      const file = row.files.find((f) => f.format === 'pdf')!;
      expect(file.sha256).toBe(sha256(pdf));
      expect(file.signature).toEqual({ certificateSha256: fingerprint, signedAt: expect.any(String), unsignedSha256: sha256(unsigned) });
      expect(row.files.find((f) => f.format === 'docx')!.signature).toBeUndefined();
      // Re-download: the kept signed file, checked by SHA-256.
      const kept = await register.fileFor(row.id, 'pdf');
      expect(kept).toMatchObject({ remade: false, sha256: sha256(pdf) });
      expect(Buffer.from(kept.bytes).equals(pdf)).toBe(true);
      // The kept file lost: the unsigned content is made again (no key here), checked, said to be unsigned, not kept.
      fs.rmSync(kept.path);
      const remade = await register.fileFor(row.id, 'pdf');
      expect(remade).toMatchObject({ remade: true, unsigned: true, sha256: sha256(unsigned) });
      expect(Buffer.from(remade.bytes).equals(unsigned)).toBe(true);
      expect(fs.existsSync(kept.path)).toBe(false);
      expect((await register.letter(row.id))!.files.find((f) => f.format === 'pdf')!.sha256).toBe(sha256(pdf));
    } finally {
      await register.close();
    }
  });

  it('the web app serves a signed letter as kept; lost, its unsigned content, named and marked as unsigned', async () => {
    const [out, data] = [tmp(), tmp()];
    expect((await withPassword(TEST_P12_PASSWORD, () => runCli(...letterArgs(out, data, '--sign', cert.p12)))).code).toBe(0);
    const signed = fs.readFileSync(path.join(out, '职业病危害项目申报告知单_柳州市融昇家具制造有限公司.pdf'));
    const web = await webApp({ dataDir: data });
    try {
      const id = (await web.app.inject({ method: 'GET', url: '/api/register' })).json().items[0].id;
      const kept = await web.app.inject({ method: 'GET', url: `/api/register/${id}/pdf` });
      expect(kept.rawPayload.equals(signed)).toBe(true);
      expect(kept.headers['x-hazard-notice-signature']).toBeUndefined();
      for (const f of fs.readdirSync(path.join(data, 'letters'), { recursive: true, encoding: 'utf8' })) {
        if (f.endsWith('.pdf')) fs.rmSync(path.join(data, 'letters', f));
      }
      const remade = await web.app.inject({ method: 'GET', url: `/api/register/${id}/pdf` });
      expect(remade.statusCode).toBe(200);
      expect(remade.headers['x-hazard-notice-signature']).toBe('unsigned-remake');
      expect(decodeURIComponent(String(remade.headers['content-disposition']))).toContain('_未签名.pdf');
      expect(signed.subarray(0, remade.rawPayload.length).equals(remade.rawPayload)).toBe(true);
      expect(pdfsig(remade.rawPayload)).not.toContain('Signature is Valid');
    } finally {
      await web.app.close();
    }
  });

  it('takes the password only from HAZARD_NOTICE_SIGN_PASSWORD: unset, wrong, or given as an option, nothing is made', async () => {
    const [out, data] = [tmp(), tmp()];
    const missing = await withPassword(undefined, () => runCli(...letterArgs(out, data, '--sign', cert.p12)));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('错误（E_SIGN_PASSWORD_MISSING）');
    expect(missing.stderr).toContain(ENV);
    const wrong = await withPassword('wrong', () => runCli(...letterArgs(out, data, '--sign', cert.p12)));
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain('错误（E_SIGN_PASSWORD）');
    for (const option of ['--password', '--sign-password', '--pass']) {
      const asOption = await withPassword(undefined, () => runCli(...letterArgs(out, data, '--sign', cert.p12, option, TEST_P12_PASSWORD)));
      expect(asOption.code).not.toBe(0);
    }
    const help = await runCli('letter', '--help');
    expect(help.stdout).toContain(ENV);
    expect(help.stdout).not.toMatch(/--\S*pass/);
    const notP12 = await withPassword(TEST_P12_PASSWORD, () => runCli(...letterArgs(out, data, '--sign', __filename)));
    expect(notP12.stderr).toContain('错误（E_SIGN_P12_READ）');
    const docxOnly = await withPassword(TEST_P12_PASSWORD, () => runCli(...letterArgs(out, data, '--sign', cert.p12, '--format', 'docx')));
    expect(docxOnly.stderr).toContain('错误（E_ARG_SIGN）');
    expect(fs.readdirSync(out)).toEqual([]);
    expect(fs.existsSync(path.join(data, 'register.sqlite'))).toBe(false);
  });
});

d('batch --sign', () => {
  let cert: TestCertificate;
  let fingerprint: string;
  beforeAll(() => {
    cert = makeTestCertificate();
    fingerprint = sha256(new crypto.X509Certificate(cert.certPem).raw);
  });

  it.each([
    ['in the batch thread', {}],
    ['in worker threads', { jobs: 2, inThreadMaxLetters: 0, volumeSize: 2 }],
  ])('signs every letter PDF and print volume %s; manifest and register carry the fingerprint; resumed, kept', async (_, over) => {
    const dir = tmp();
    const input = writeCsv(dir, 'employers.csv', MAIN_ROWS);
    const out = path.join(dir, 'out');
    const signingKey = loadSigningKey(cert.p12, TEST_P12_PASSWORD);
    await batch(input, out, { signingKey, ...over });
    const manifest = readManifestJson(out) as ReturnType<typeof readManifestJson> & { signer: unknown };
    expect(manifest.signer).toEqual({ certificateSha256: fingerprint, subject: expect.stringContaining('柳州市测试卫生健康局') });
    const pdfs = [...manifest.letters.flatMap((l) => l.files.filter((f) => f.format === 'pdf')), ...manifest.printVolumes];
    expect(pdfs.length).toBe(manifest.letters.length + manifest.printVolumes.length);
    for (const f of pdfs) {
      const bytes = fs.readFileSync(path.join(out, f.path));
      expectSigned(bytes, f.path);
      expect(sha256(bytes)).toBe(f.sha256);
      expect((f as { signature?: { certificateSha256: string } }).signature?.certificateSha256).toBe(fingerprint);
    }
    for (const l of manifest.letters) expect(l.files.find((f) => f.format === 'docx')).not.toHaveProperty('signature');
    const csv = readCsvFile(path.join(out, 'manifest.csv')).rows;
    const column = csv[0].indexOf('PDF签名证书SHA-256');
    expect(csv.slice(1).map((r) => r[column])).toEqual(manifest.letters.map(() => fingerprint));

    // Resumed: every file kept (SHA-256 checked), the manifest still says each PDF is signed.
    const again = await batch(input, out, { signingKey, ...over });
    expect(again.lettersKept).toBe(manifest.letters.length);
    expect(readManifestJson(out)).toEqual(manifest);

    const register = await Register.open(registerOf(out));
    try {
      const rows = (await register.search({ pageSize: 200 })).rows;
      expect(rows).toHaveLength(manifest.letters.length);
      for (const r of rows) expect(r.files.find((f) => f.format === 'pdf')!.signature!.certificateSha256).toBe(fingerprint);
      for (const v of manifest.printVolumes) expect((await register.signatureOf(v.sha256))!.certificateSha256).toBe(fingerprint);
      // A batch letter's signed file lives in the batch output only: lost, its unsigned content is remade and said so.
      const pdf = rows[0].files.find((f) => f.format === 'pdf')!;
      const signed = fs.readFileSync(pdf.path);
      fs.rmSync(pdf.path);
      const remade = await register.fileFor(rows[0].id, 'pdf');
      expect(remade).toMatchObject({ remade: true, unsigned: true });
      expect(signed.subarray(0, remade.bytes.byteLength).equals(Buffer.from(remade.bytes))).toBe(true);
    } finally {
      await register.close();
    }
  });

  it('is a batch of its own: the same list signed into an unsigned batch’s folder needs --force', async () => {
    const dir = tmp();
    const input = writeCsv(dir, 'employers.csv', MAIN_ROWS.slice(0, 2));
    const out = path.join(dir, 'out');
    await batch(input, out);
    const signingKey = loadSigningKey(cert.p12, TEST_P12_PASSWORD);
    await expect(batch(input, out, { signingKey })).rejects.toMatchObject({ code: 'E_OUT_EXISTS' });
    await batch(input, out, { signingKey, force: true });
    for (const l of readManifestJson(out).letters) {
      const pdf = l.files.find((f) => f.format === 'pdf')!;
      expectSigned(fs.readFileSync(path.join(out, pdf.path)), pdf.path);
    }
  });

  it('the batch command: --sign with the password from the environment, and E_SIGN_PASSWORD_MISSING without it', async () => {
    const dir = tmp();
    const input = writeCsv(dir, 'employers.csv', MAIN_ROWS.slice(0, 1));
    const out = path.join(dir, 'out');
    const args = ['batch', input, '--out', out, '--data-dir', path.join(dir, 'data'), '--date', '2026-11-29', '--format', 'pdf'];
    const missing = await withPassword(undefined, () => runCli(...args, '--sign', cert.p12));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('错误（E_SIGN_PASSWORD_MISSING）');
    expect(fs.existsSync(out)).toBe(false);
    const r = await withPassword(TEST_P12_PASSWORD, () => runCli(...args, '--sign', cert.p12));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`PDF 均已签名：`);
    expect(r.stdout).toContain(fingerprint);
    const m = readManifestJson(out);
    expectSigned(fs.readFileSync(path.join(out, m.letters[0].files[0].path)), 'letter');
    expectSigned(fs.readFileSync(path.join(out, m.printVolumes[0].path)), 'volume');
    expect(sha256File(path.join(out, m.printVolumes[0].path))).toBe(m.printVolumes[0].sha256);
  });
});

// A throwaway signing certificate for tests: RSA 2048, self-signed, in a password-protected PKCS #12 made by openssl.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEST_P12_PASSWORD = 'test-密码-1';

export interface TestCertificate {
  p12: string;
  /** The certificate (PEM), for its fingerprint. */
  certPem: string;
}

/** Makes a self-signed certificate valid for `days` from now in a .p12 (OpenSSL 3 defaults: AES-256, PBKDF2, HMAC-SHA256). */
export function makeTestCertificate(days = 30, legacy = false): TestCertificate {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-cert-'));
  const [key, cert, p12] = ['key.pem', 'cert.pem', 'bureau.p12'].map((f) => path.join(dir, f));
  const subj = '/C=CN/O=柳州市测试卫生健康局/CN=柳州市测试卫生健康局（测试证书）';
  const req = [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-utf8',
    '-keyout',
    key,
    '-out',
    cert,
    '-days',
    String(days),
    '-subj',
    subj,
  ];
  execFileSync('openssl', req, { stdio: 'ignore' });
  execFileSync(
    'openssl',
    ['pkcs12', '-export', ...(legacy ? ['-legacy'] : []), '-inkey', key, '-in', cert, '-out', p12, '-passout', `pass:${TEST_P12_PASSWORD}`],
    { stdio: 'ignore' },
  );
  return { p12, certPem: fs.readFileSync(cert, 'utf8') };
}

/** `pdfsig` output for a PDF's bytes (poppler-utils). */
export function pdfsig(pdf: Uint8Array): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hn-sig-'));
  const file = path.join(dir, 'in.pdf');
  fs.writeFileSync(file, pdf);
  try {
    const r = spawnSync('pdfsig', [file], { encoding: 'utf8' });
    return r.stdout + r.stderr;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// The bureau's signing key as the rest of the tool holds it (plain data, handed to worker threads), with what is told
// of its certificate: fingerprint, subject, validity. Light on purpose: node-forge (read-p12) and PKI.js (pdf-signer)
// are loaded only when something is signed.

import crypto from 'node:crypto';
import { HazardNoticeError } from '../../errors';

/** What a signer is made from: plain data, so it can be handed to worker threads (loaded and checked once). */
export interface SigningKey {
  /** The private key, PKCS #8 DER. */
  key: Uint8Array;
  /** The signer's certificate (DER) first, then the file's other certificates (its chain). */
  certificates: Uint8Array[];
  /** The file it came from (for messages). */
  file: string;
}

export interface Validity {
  from: Date;
  to: Date;
}

/** The signer's certificate's validity as dates (Node 20's X509Certificate gives them as text). */
export function validityOf(key: SigningKey): Validity {
  const cert = new crypto.X509Certificate(key.certificates[0]);
  return { from: new Date(cert.validFrom), to: new Date(cert.validTo) };
}

/** Refuses a certificate that is not valid at `at` (the signing time). */
export function checkValidAt(key: SigningKey, { from, to }: Validity, at: Date): void {
  const day = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
  if (at > to) {
    throw new HazardNoticeError('E_SIGN_CERT_EXPIRED', `签名证书“${key.file}”已于 ${day(to)}（UTC）过期，不能用于签名；请换用有效的证书`, {
      file: key.file,
      notAfter: to.toISOString(),
    });
  }
  if (at < from) {
    throw new HazardNoticeError(
      'E_SIGN_CERT_NOT_YET_VALID',
      `签名证书“${key.file}”自 ${day(from)}（UTC）起才生效，现在不能用于签名；请核对证书或本机时间`,
      { file: key.file, notBefore: from.toISOString() },
    );
  }
}

/** SHA-256 of the signer's certificate (DER), lower-case hex: what the manifest and the register record. */
export function certificateSha256(key: SigningKey): string {
  return crypto.createHash('sha256').update(key.certificates[0]).digest('hex');
}

/** The certificate's subject (one line), for messages. */
export function certificateSubject(key: SigningKey): string {
  return new crypto.X509Certificate(key.certificates[0]).subject.replace(/\n/g, ', ');
}

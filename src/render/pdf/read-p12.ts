// Reads the bureau's key and certificate from a PKCS #12 (.p12/.pfx) file with node-forge (Node's crypto cannot).

import crypto from 'node:crypto';
import fs from 'node:fs';
import forge from 'node-forge';
import { HazardNoticeError } from '../../errors';
import { checkValidAt, validityOf, type SigningKey } from './signing-key';

const readError = (file: string, reason: string) =>
  new HazardNoticeError('E_SIGN_P12_READ', `无法读取签名证书文件“${file}”：${reason}`, { file });

/**
 * The PKCS #12 structure, its MAC checked and its contents decrypted. OpenSSL 3 (PBES2) derives the decryption keys from
 * the password's UTF-8 bytes, node-forge from its characters (as it should for the MAC): a password beyond ASCII that
 * passed the MAC check is used as UTF-8 for the decryption, the MAC (verified already) left out of that second read.
 */
function readPfx(der: Buffer, password: string): forge.pkcs12.Pkcs12Pfx {
  const asn1 = () => forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary')));
  try {
    return forge.pkcs12.pkcs12FromAsn1(asn1(), false, password);
  } catch (e) {
    if (!/Failed to decrypt|Unable to decrypt/.test((e as Error).message) || /^[\x20-\x7e]*$/.test(password)) throw e;
    const pfx = asn1();
    (pfx.value as forge.asn1.Asn1[]).splice(2, 1);
    return forge.pkcs12.pkcs12FromAsn1(pfx, false, forge.util.encodeUtf8(password));
  }
}

/**
 * Reads the key and its certificate from a PKCS #12 file with its password and checks the certificate is valid
 * `now`. Stable codes: E_SIGN_P12_READ (unreadable, not PKCS #12, no key or no matching certificate),
 * E_SIGN_PASSWORD (wrong password), E_SIGN_KEY_TYPE (not RSA), E_SIGN_CERT_EXPIRED, E_SIGN_CERT_NOT_YET_VALID.
 */
export function loadSigningKey(file: string, password: string, now: Date = new Date()): SigningKey {
  let der: Buffer;
  try {
    der = fs.readFileSync(file);
  } catch (e) {
    throw readError(file, (e as NodeJS.ErrnoException).code === 'ENOENT' ? '文件不存在' : (e as Error).message);
  }
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = readPfx(der, password);
  } catch (e) {
    const message = (e as Error).message;
    if (/password|decrypt/i.test(message)) {
      throw new HazardNoticeError('E_SIGN_PASSWORD', `签名证书文件“${file}”的密码不正确（密码取自环境变量 HAZARD_NOTICE_SIGN_PASSWORD）`, {
        file,
      });
    }
    throw readError(file, `不是有效的 PKCS#12（.p12/.pfx）文件（${message}）`);
  }
  const bags = (type: string) => p12.getBags({ bagType: type })[type] ?? [];
  const keyBag = [...bags(forge.pki.oids.pkcs8ShroudedKeyBag), ...bags(forge.pki.oids.keyBag)][0];
  if (!keyBag) throw readError(file, '文件中没有私钥');
  if (!keyBag.key) {
    throw new HazardNoticeError('E_SIGN_KEY_TYPE', `签名证书文件“${file}”中的私钥不是 RSA 密钥，本工具只支持 RSA 签名`, { file });
  }
  const keyDer = forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(keyBag.key))).getBytes();
  const key = crypto.createPrivateKey({ key: Buffer.from(keyDer, 'binary'), format: 'der', type: 'pkcs8' });
  const certificates = bags(forge.pki.oids.certBag)
    .filter((b) => b.cert)
    .map((b) => Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(b.cert!)).getBytes(), 'binary'));
  const own = certificates.findIndex((c) => new crypto.X509Certificate(c).checkPrivateKey(key));
  if (own < 0) throw readError(file, '文件中没有与私钥对应的证书');
  const signingKey: SigningKey = {
    key: key.export({ format: 'der', type: 'pkcs8' }),
    certificates: [certificates[own], ...certificates.filter((_, i) => i !== own)],
    file,
  };
  checkValidAt(signingKey, validityOf(signingKey), now);
  return signingKey;
}

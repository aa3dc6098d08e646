// The bureau's key and certificate from a PKCS #12 (.p12/.pfx) file, and the detached CMS SignedData (RFC 5652) a
// PDF signature's /Contents holds (/SubFilter /adbe.pkcs7.detached). node-forge reads the PKCS #12 (Node's crypto
// cannot), PKI.js builds the SignedData; the hashing and the RSA signature are Node's own crypto (native, ~1 ms).

import crypto from 'node:crypto';
import fs from 'node:fs';
import * as asn1js from 'asn1js';
import forge from 'node-forge';
import * as pkijs from 'pkijs';
import { Signer } from '@signpdf/utils';
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

/** Node's Web Crypto, typed as PKI.js expects it (the DOM's Crypto). */
type WebCrypto = ConstructorParameters<typeof pkijs.CryptoEngine>[0]['crypto'];

const OID = {
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
};

const readError = (file: string, reason: string) =>
  new HazardNoticeError('E_SIGN_P12_READ', `无法读取签名证书文件“${file}”：${reason}`, { file });

/** The X.509 certificate's validity as dates (Node 20's X509Certificate gives them as text). */
function validity(cert: crypto.X509Certificate): { from: Date; to: Date } {
  return { from: new Date(cert.validFrom), to: new Date(cert.validTo) };
}

/** Refuses a certificate that is not valid at `at` (the signing time). */
export function checkValidAt(key: SigningKey, at: Date): void {
  const cert = new crypto.X509Certificate(key.certificates[0]);
  const { from, to } = validity(cert);
  const day = (d: Date) => d.toISOString().slice(0, 19).replace('T', ' ');
  if (at > to) {
    throw new HazardNoticeError(
      'E_SIGN_CERT_EXPIRED',
      `签名证书“${key.file}”已于 ${day(to)}（UTC）过期，不能用于签名；请换用有效的证书`,
      { file: key.file, notAfter: to.toISOString() },
    );
  }
  if (at < from) {
    throw new HazardNoticeError(
      'E_SIGN_CERT_NOT_YET_VALID',
      `签名证书“${key.file}”自 ${day(from)}（UTC）起才生效，现在不能用于签名；请核对证书或本机时间`,
      { file: key.file, notBefore: from.toISOString() },
    );
  }
}

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
      throw new HazardNoticeError(
        'E_SIGN_PASSWORD',
        `签名证书文件“${file}”的密码不正确（密码取自环境变量 HAZARD_NOTICE_SIGN_PASSWORD）`,
        { file },
      );
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
  checkValidAt(signingKey, now);
  return signingKey;
}

/** SHA-256 of the signer's certificate (DER), lower-case hex: what the manifest and the register record. */
export function certificateSha256(key: SigningKey): string {
  return crypto.createHash('sha256').update(key.certificates[0]).digest('hex');
}

/** The certificate's subject (one line), for messages. */
export function certificateSubject(key: SigningKey): string {
  return new crypto.X509Certificate(key.certificates[0]).subject.replace(/\n/g, ', ');
}

/**
 * Makes the detached CMS signature of the bytes @signpdf/signpdf hands over (the file less its /Contents):
 * SignedData with the signer's certificates and the signed attributes contentType, signingTime and
 * messageDigest (in DER order), RSA PKCS #1 v1.5 with SHA-256.
 */
export class CmsSigner extends Signer {
  private readonly engine = new pkijs.CryptoEngine({ name: 'node', crypto: crypto.webcrypto as unknown as WebCrypto });
  private readonly certificates: pkijs.Certificate[];
  private cryptoKey?: Promise<crypto.webcrypto.CryptoKey>;

  constructor(readonly signingKey: SigningKey) {
    super();
    this.certificates = signingKey.certificates.map((c) => pkijs.Certificate.fromBER(c));
  }

  async sign(content: Buffer, signingTime: Date = new Date()): Promise<Buffer> {
    checkValidAt(this.signingKey, signingTime);
    this.cryptoKey ??= this.engine.importKey(
      'pkcs8',
      this.signingKey.key,
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
      false,
      ['sign'],
    ) as Promise<crypto.webcrypto.CryptoKey>;
    const digest = crypto.createHash('sha256').update(content).digest();
    const cert = this.certificates[0];
    const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
    const signedData = new pkijs.SignedData({
      version: 1,
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
          signedAttrs: new pkijs.SignedAndUnsignedAttributes({
            type: 0,
            attributes: [
              attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
              attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: signingTime })),
              attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
            ],
          }),
        }),
      ],
      certificates: this.certificates,
    });
    await signedData.sign(await this.cryptoKey, 0, 'SHA-256', undefined, this.engine);
    const cms = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
    return Buffer.from(cms.toSchema().toBER(false));
  }
}

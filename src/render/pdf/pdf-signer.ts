// The detached CMS SignedData (RFC 5652) a PDF signature's /Contents holds (/SubFilter /adbe.pkcs7.detached): PKI.js
// encodes it; the hashing and the RSA signature are Node's own crypto (native, ~0.5 ms).

import crypto from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { Signer } from '@signpdf/utils';
import { checkValidAt, validityOf, type SigningKey, type Validity } from './signing-key';

const OID = {
  data: '1.2.840.113549.1.7.1',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha256WithRsa: '1.2.840.113549.1.1.11',
};

/** A certificate written as it was read: PKI.js would rebuild its encoding from its fields at every signature (1.7 ms). */
class EncodedCertificate extends pkijs.Certificate {
  private readonly encoded: asn1js.Sequence;

  constructor(der: Uint8Array) {
    const decode = () => asn1js.fromBER(Uint8Array.from(der)).result as asn1js.Sequence;
    super({ schema: decode() });
    this.encoded = decode();
  }

  override toSchema(): asn1js.Sequence {
    return this.encoded;
  }
}

/**
 * Makes the detached CMS signature of the bytes @signpdf/signpdf hands over (the file less its /Contents):
 * SignedData with the signer's certificates and the signed attributes contentType, signingTime and
 * messageDigest (in DER order), RSA PKCS #1 v1.5 with SHA-256.
 */
export class CmsSigner extends Signer {
  private readonly certificates: pkijs.Certificate[];
  private readonly key: crypto.KeyObject;
  private readonly validity: Validity;

  constructor(readonly signingKey: SigningKey) {
    super();
    this.certificates = signingKey.certificates.map((c) => new EncodedCertificate(c));
    this.validity = validityOf(signingKey);
    this.key = crypto.createPrivateKey({ key: Buffer.from(signingKey.key), format: 'der', type: 'pkcs8' });
  }

  async sign(content: Buffer, signingTime: Date = new Date()): Promise<Buffer> {
    checkValidAt(this.signingKey, this.validity, signingTime);
    const digest = crypto.createHash('sha256').update(content).digest();
    const cert = this.certificates[0];
    const attribute = (type: string, value: asn1js.AsnType) => new pkijs.Attribute({ type, values: [value] });
    const sha256 = new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256, algorithmParams: new asn1js.Null() });
    const signedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 0,
      attributes: [
        attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
        attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: signingTime })),
        attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
      ],
    });
    // What is signed is the attributes' DER with the SET OF tag (RFC 5652 5.4), signed here by Node's crypto: synchronous
    // and native (PKI.js's own sign() goes through Web Crypto's thread pool, 4-5 times slower in a busy batch).
    const signedAttrsDer = new Uint8Array(signedAttrs.toSchema().toBER());
    signedAttrsDer[0] = 0x31;
    const signedData = new pkijs.SignedData({
      version: 1,
      digestAlgorithms: [sha256],
      encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
      signerInfos: [
        new pkijs.SignerInfo({
          version: 1,
          sid: new pkijs.IssuerAndSerialNumber({ issuer: cert.issuer, serialNumber: cert.serialNumber }),
          digestAlgorithm: sha256,
          signedAttrs,
          signatureAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRsa, algorithmParams: new asn1js.Null() }),
          signature: new asn1js.OctetString({ valueHex: crypto.sign('sha256', signedAttrsDer, this.key) }),
        }),
      ],
      certificates: this.certificates,
    });
    const cms = new pkijs.ContentInfo({ contentType: pkijs.ContentInfo.SIGNED_DATA, content: signedData.toSchema(true) });
    return Buffer.from(cms.toSchema().toBER(false));
  }
}

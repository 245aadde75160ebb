/**
 * Signing credentials (private key + certificate + optional chain) from PEM files or a PKCS#12 file.
 * The key stays a Node KeyObject; the object never prints or serialises it, and no error message carries
 * a password or key material.
 */
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { PkiError } from './errors.js';
import { forge } from './forge.js';
import { readCertificate, splitPemCertificates, type CertificateInfo } from './x509.js';

export interface PemSigningSource {
  /** Private key, PEM (PKCS#8 or PKCS#1, optionally encrypted). */
  keyPem: string | Uint8Array;
  /** Certificate, PEM; further certificates in the same text are taken as the chain. */
  certPem: string | Uint8Array;
  keyPassphrase?: string;
  /** Extra CA certificates, PEM. */
  chainPem?: string | Uint8Array;
}

export interface Pkcs12SigningSource {
  pkcs12: Uint8Array;
  password: string;
}

export type SigningCredentialSource = PemSigningSource | Pkcs12SigningSource;

export class SigningCredentials {
  readonly #privateKey: KeyObject;

  constructor(
    privateKey: KeyObject,
    readonly certificate: CertificateInfo,
    readonly chain: readonly CertificateInfo[] = [],
  ) {
    if (privateKey.type !== 'private') throw new PkiError('PKI-KEY-UNREADABLE', 'the key is not a private key');
    if (!samePublicKey(createPublicKey(privateKey), certificate.publicKey)) {
      throw new PkiError('PKI-KEY-MISMATCH', `the private key does not belong to the certificate ${certificate.subjectDn}`);
    }
    this.#privateKey = privateKey;
  }

  get privateKey(): KeyObject {
    return this.#privateKey;
  }

  toJSON(): Record<string, unknown> {
    return {
      certificate: this.certificate.subjectDn,
      serialNumber: this.certificate.serialNumber,
      chain: this.chain.map((c) => c.subjectDn),
      privateKey: '[redacted]',
    };
  }

  [inspect.custom](): string {
    return `SigningCredentials { certificate: ${JSON.stringify(this.certificate.subjectDn)}, privateKey: [redacted] }`;
  }
}

function samePublicKey(a: KeyObject, b: KeyObject): boolean {
  const der = (k: KeyObject) => k.export({ type: 'spki', format: 'der' });
  return der(a).equals(der(b));
}

function text(v: string | Uint8Array): string {
  return typeof v === 'string' ? v : Buffer.from(v).toString('latin1');
}

/** Loads credentials from PEM (key + certificate) or PKCS#12 (+ password). */
export function loadSigningCredentials(source: SigningCredentialSource): SigningCredentials {
  return 'pkcs12' in source ? fromPkcs12(source) : fromPem(source);
}

function fromPem(source: PemSigningSource): SigningCredentials {
  let key: KeyObject;
  try {
    key = createPrivateKey({
      key: text(source.keyPem),
      format: 'pem',
      ...(source.keyPassphrase !== undefined ? { passphrase: source.keyPassphrase } : {}),
    });
  } catch {
    throw new PkiError('PKI-KEY-UNREADABLE', 'the private key cannot be read (not PEM, or wrong passphrase)');
  }
  const certs = splitPemCertificates(source.certPem);
  if (certs.length === 0) throw new PkiError('PKI-CERTIFICATE-UNREADABLE', 'no PEM certificate in certPem');
  const chain = [...certs.slice(1), ...(source.chainPem ? splitPemCertificates(source.chainPem) : [])].map((c) => readCertificate(c));
  return new SigningCredentials(key, readCertificate(certs[0]!), chain);
}

function fromPkcs12(source: Pkcs12SigningSource): SigningCredentials {
  let p12: ReturnType<typeof forge.pkcs12.pkcs12FromAsn1>;
  try {
    const asn1 = forge.asn1.fromDer(Buffer.from(source.pkcs12).toString('binary'));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, source.password);
  } catch {
    // forge's messages may quote structure details, never the password; keep ours generic anyway.
    throw new PkiError('PKI-PKCS12-UNREADABLE', 'the PKCS#12 file cannot be opened (wrong password, or not a PKCS#12 file)');
  }
  const keys: KeyObject[] = [];
  const certs: CertificateInfo[] = [];
  for (const safe of p12.safeContents) {
    for (const bag of safe.safeBags) {
      if (bag.type === forge.pki.oids.pkcs8ShroudedKeyBag || bag.type === forge.pki.oids.keyBag) {
        const der = bag.key
          ? forge.asn1.toDer(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key))).getBytes()
          : forge.asn1.toDer(bag.asn1).getBytes();
        keys.push(createPrivateKey({ key: Buffer.from(der, 'binary'), format: 'der', type: 'pkcs8' }));
      } else if (bag.type === forge.pki.oids.certBag) {
        const asn1 = bag.cert ? forge.pki.certificateToAsn1(bag.cert) : bag.asn1;
        certs.push(readCertificate(Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary')));
      }
    }
  }
  const key = keys[0];
  if (!key) throw new PkiError('PKI-PKCS12-NO-KEY', 'the PKCS#12 file holds no private key');
  const pub = createPublicKey(key);
  const leaf = certs.find((c) => samePublicKey(pub, c.publicKey));
  if (!leaf) throw new PkiError('PKI-KEY-MISMATCH', 'the PKCS#12 file holds no certificate for its private key');
  return new SigningCredentials(
    key,
    leaf,
    certs.filter((c) => c !== leaf),
  );
}

/**
 * X.509 certificates as the VIHF and XAdES code needs them: RFC 2253 subject/issuer, decimal serial,
 * validity, key usage, extended key usage, CA flag, public key. The DER is read with forge's ASN.1
 * decoder (whatever the key type) and cross-checked by Node's X509Certificate (OpenSSL).
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import type { asn1 } from 'node-forge';
import { dnFromAsn1, formatRfc2253, type DnRdns } from './dn.js';
import { PkiError } from './errors.js';
import { asn1FromDer, forge } from './forge.js';

export const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
] as const;
export type KeyUsage = (typeof KEY_USAGES)[number];

export const EXTENDED_KEY_USAGE = {
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  codeSigning: '1.3.6.1.5.5.7.3.3',
  emailProtection: '1.3.6.1.5.5.7.3.4',
} as const;

export interface CertificateInfo {
  /** DER bytes. */
  readonly der: Buffer;
  /** Base64 of the DER, on one line (what X509Certificate elements carry). */
  readonly base64: string;
  readonly pem: string;
  readonly subject: DnRdns;
  readonly issuer: DnRdns;
  /** RFC 2253 subject DN, e.g. `CN=serviceps.sesam-vitale.fr,OU=339172288100052,O=GIE SESAM VITALE,ST=Sarthe (72),C=FR`. */
  readonly subjectDn: string;
  readonly issuerDn: string;
  /** Serial number in decimal (as XAdES X509SerialNumber wants it). */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** Key usage bits, or undefined when the extension is absent. */
  readonly keyUsage: ReadonlySet<KeyUsage> | undefined;
  /** Extended key usage OIDs, or undefined when the extension is absent. */
  readonly extKeyUsage: readonly string[] | undefined;
  readonly isCa: boolean;
  readonly publicKey: KeyObject;
  readonly x509: X509Certificate;
}

const EXT_KEY_USAGE = '2.5.29.15';
const EXT_EXT_KEY_USAGE = '2.5.29.37';
const EXT_BASIC_CONSTRAINTS = '2.5.29.19';

/** Certificate bytes from PEM, bare base64 (an X509Certificate element's text) or DER. */
export function certificateDer(input: string | Uint8Array): Buffer {
  if (typeof input !== 'string') {
    const buf = Buffer.from(input);
    // Bytes that are PEM text rather than DER.
    if (buf.subarray(0, 11).toString('latin1') === '-----BEGIN ') return certificateDer(buf.toString('latin1'));
    return buf;
  }
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(input);
  const b64 = (pem ? pem[1]! : input).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    throw new PkiError('PKI-CERTIFICATE-UNREADABLE', 'the certificate is neither PEM, base64 nor DER');
  }
  return Buffer.from(b64, 'base64');
}

/** Every certificate of a PEM bundle, in order. */
export function splitPemCertificates(pem: string | Uint8Array): string[] {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem).toString('latin1');
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = Buffer.from(der).toString('base64');
  return `-----BEGIN ${label}-----\n${b64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
}

/** Reads a certificate (PEM, base64 or DER). Throws PkiError PKI-CERTIFICATE-UNREADABLE. */
export function readCertificate(input: string | Uint8Array): CertificateInfo {
  const der = certificateDer(input);
  let x509: X509Certificate;
  let tbs: asn1.Asn1[];
  try {
    x509 = new X509Certificate(der);
    const cert = asn1FromDer(der);
    tbs = children(children(cert)[0]);
  } catch (e) {
    if (e instanceof PkiError) throw e;
    throw new PkiError('PKI-CERTIFICATE-UNREADABLE', `the certificate cannot be decoded (${(e as Error).message})`);
  }
  // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, spki, …, [3] extensions.
  const first = tbs[0];
  const base = first && first.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && first.type === 0 ? 1 : 0;
  const issuer = dnFromAsn1(tbs[base + 2]!);
  const subject = dnFromAsn1(tbs[base + 4]!);
  const extensions = readExtensions(tbs.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 3));
  const ku = extensions.get(EXT_KEY_USAGE);
  const eku = extensions.get(EXT_EXT_KEY_USAGE);
  const bc = extensions.get(EXT_BASIC_CONSTRAINTS);
  return {
    der,
    base64: der.toString('base64'),
    pem: toPem(der),
    subject,
    issuer,
    subjectDn: formatRfc2253(subject),
    issuerDn: formatRfc2253(issuer),
    serialNumber: BigInt(`0x${x509.serialNumber}`).toString(10),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    keyUsage: ku === undefined ? undefined : readKeyUsage(ku),
    extKeyUsage: eku === undefined ? undefined : children(asn1FromDer(eku)).map((o) => forge.asn1.derToOid(o.value as string)),
    isCa: bc === undefined ? false : readBasicConstraintsCa(bc),
    publicKey: x509.publicKey,
    x509,
  };
}

function children(node: asn1.Asn1 | undefined): asn1.Asn1[] {
  return node && Array.isArray(node.value) ? node.value : [];
}

/** Extension OID → extnValue bytes (binary string). */
function readExtensions(container: asn1.Asn1 | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const ext of children(children(container)[0])) {
    const parts = children(ext);
    const oid = parts[0];
    const value = parts[parts.length - 1];
    if (oid && value && typeof oid.value === 'string' && typeof value.value === 'string') {
      out.set(forge.asn1.derToOid(oid.value), value.value);
    }
  }
  return out;
}

function readKeyUsage(extnValue: string): Set<KeyUsage> {
  const bits = asn1FromDer(extnValue).value as string;
  // First byte of a BIT STRING: number of unused bits; then bit 0 is the MSB of the second byte.
  const set = new Set<KeyUsage>();
  KEY_USAGES.forEach((name, i) => {
    const byte = bits.charCodeAt(1 + (i >> 3));
    if (!Number.isNaN(byte) && byte & (0x80 >> (i & 7))) set.add(name);
  });
  return set;
}

function readBasicConstraintsCa(extnValue: string): boolean {
  const first = children(asn1FromDer(extnValue))[0];
  return !!first && first.type === forge.asn1.Type.BOOLEAN && first.value !== '\x00';
}

/**
 * The structure's TLS client certificate (mutual TLS) and the TLS settings of the transport.
 * PKCS#12 files are decoded with node-forge, which reads the legacy encryptions (RC2, 3DES) IGC-Santé files often
 * use and OpenSSL 3 refuses; when forge cannot read a file (non-RSA key...), Node's own PKCS#12 support is tried.
 * Decrypted keys live only in memory, inside ClientCredentials, which never prints them.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { createSecureContext } from 'node:tls';
import { inspect } from 'node:util';
import forge from 'node-forge';
import { revealSecret, type Secret } from '../config/secret.js';
import { ConfigError } from '../errors/config-error.js';
import { text } from '../errors/types.js';

/** The TLS 1.2 suites the DMP accepts for software (LPS) access (PDT-INF-579, dmp-interface.md §1.1). */
export const DMP_TLS12_CIPHERS = 'ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-SHA384';

export interface PemCredentialSource {
  /** Leaf certificate, optionally followed by its chain. */
  certPem: string | Uint8Array;
  keyPem: string | Uint8Array;
  keyPassword?: string | Secret;
}

export interface Pkcs12CredentialSource {
  pkcs12: Uint8Array;
  password: string | Secret;
}

export type ClientCredentialSource = PemCredentialSource | Pkcs12CredentialSource;

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  expired: boolean;
  notYetValid: boolean;
}

type Material = { kind: 'pem'; key: string; cert: string } | { kind: 'pfx'; pfx: Buffer; passphrase: string };

/** A loaded client certificate: key material hidden, summary public. */
export class ClientCredentials {
  readonly #material: Material;
  /** Undefined only when Node's PKCS#12 reader had to be used (no certificate to show). */
  readonly summary: CertificateSummary | undefined;

  constructor(material: Material, summary: CertificateSummary | undefined) {
    this.#material = material;
    this.summary = summary;
  }

  /** The options node:tls / undici's connector take. */
  tlsOptions(): { key: string; cert: string } | { pfx: Buffer; passphrase: string } {
    const m = this.#material;
    return m.kind === 'pem' ? { key: m.key, cert: m.cert } : { pfx: m.pfx, passphrase: m.passphrase };
  }

  toJSON(): { summary: CertificateSummary | undefined } {
    return { summary: this.summary };
  }

  [inspect.custom](): string {
    return `ClientCredentials(${this.summary ? this.summary.subject : 'PKCS#12'})`;
  }
}

function certError(field: string, fr: string, en: string, cause?: unknown): ConfigError {
  return new ConfigError({
    code: 'CONFIG-CERTIFICATE',
    message: text(`Certificat ${field} : ${fr}`, `Certificate ${field}: ${en}`),
    issues: [{ field, message: en }],
    cause,
  });
}

export function summarizeCertificate(pem: string, now: Date = new Date()): CertificateSummary {
  const x = new X509Certificate(pem);
  const from = new Date(x.validFrom);
  const to = new Date(x.validTo);
  return {
    subject: x.subject.replace(/\n/g, ', '),
    issuer: x.issuer.replace(/\n/g, ', '),
    serialNumber: x.serialNumber,
    validFrom: from.toISOString(),
    validTo: to.toISOString(),
    fingerprint256: x.fingerprint256,
    expired: now > to,
    notYetValid: now < from,
  };
}

const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });

/** Throws unless the private key is the certificate's. */
function checkKeyMatches(keyPem: string, certPem: string, field: string): void {
  const certKey = new X509Certificate(certPem).publicKey;
  if (!spki(createPublicKey(keyPem)).equals(spki(certKey))) {
    throw certError(field, 'la clé privée ne correspond pas au certificat', 'the private key does not match the certificate');
  }
}

const toText = (v: string | Uint8Array): string => (typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));

/**
 * Loads a client certificate from PEM text or PKCS#12 bytes. `field` names the configuration field in errors
 * (`auth.p12`). Throws ConfigError CONFIG-CERTIFICATE on a wrong password, an unreadable file or a key that does
 * not match the certificate.
 */
export function loadClientCredentials(source: ClientCredentialSource, field = 'auth'): ClientCredentials {
  return 'pkcs12' in source ? loadPkcs12(source, field) : loadPem(source, field);
}

function loadPem(source: PemCredentialSource, field: string): ClientCredentials {
  const certText = toText(source.certPem);
  const blocks = certText.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g);
  if (!blocks?.length) throw certError(`${field}.cert`, 'aucun certificat PEM trouvé', 'no PEM certificate found');
  let key: string;
  try {
    const passphrase = revealSecret(source.keyPassword);
    key = createPrivateKey(passphrase === undefined ? toText(source.keyPem) : { key: toText(source.keyPem), passphrase })
      .export({ type: 'pkcs8', format: 'pem' })
      .toString();
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (/BAD_DECRYPT|BAD_PASSWORD|INTERRUPTED_OR_CANCELLED/.test(code) || /passphrase/i.test((err as Error).message)) {
      throw certError(`${field}.keyPassword`, 'mot de passe de la clé erroné ou manquant', 'wrong or missing key password', err);
    }
    throw certError(`${field}.key`, 'clé privée PEM illisible', 'unreadable PEM private key', err);
  }
  let summary: CertificateSummary;
  try {
    summary = summarizeCertificate(blocks[0]!);
  } catch (err) {
    throw certError(`${field}.cert`, 'certificat PEM illisible', 'unreadable PEM certificate', err);
  }
  checkKeyMatches(key, blocks[0]!, field);
  return new ClientCredentials({ kind: 'pem', key, cert: blocks.join('\n') + '\n' }, summary);
}

function loadPkcs12(source: Pkcs12CredentialSource, field: string): ClientCredentials {
  const password = revealSecret(source.password) ?? '';
  const bytes = Buffer.from(source.pkcs12);
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(bytes.toString('binary')));
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/MAC could not be verified|Invalid password/i.test(message)) {
      throw certError(`${field}.p12Password`, 'mot de passe PKCS#12 erroné', 'wrong PKCS#12 password', err);
    }
    return loadPkcs12Natively(bytes, password, field, err);
  }
  const keyBag =
    p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!]?.[0] ??
    p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!]?.[0];
  const certs = (p12.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!] ?? []).flatMap((b) => (b.cert ? [forge.pki.certificateToPem(b.cert)] : []));
  if (!keyBag?.key) return loadPkcs12Natively(bytes, password, field, new Error('no private key readable by node-forge'));
  if (!certs.length) throw certError(`${field}.p12`, 'le fichier PKCS#12 ne contient aucun certificat', 'the PKCS#12 file holds no certificate');
  const key = forge.pki.privateKeyToPem(keyBag.key);
  // The leaf is the certificate of the key; the others are its chain.
  const pub = spki(createPublicKey(key));
  const leafIndex = certs.findIndex((c) => spki(new X509Certificate(c).publicKey).equals(pub));
  if (leafIndex < 0) throw certError(`${field}.p12`, 'aucun certificat du fichier ne correspond à la clé privée', 'no certificate in the file matches the private key');
  const ordered = [certs[leafIndex]!, ...certs.filter((_, i) => i !== leafIndex)];
  return new ClientCredentials({ kind: 'pem', key: createPrivateKey(key).export({ type: 'pkcs8', format: 'pem' }).toString(), cert: ordered.join('') }, summarizeCertificate(ordered[0]!));
}

function loadPkcs12Natively(pfx: Buffer, passphrase: string, field: string, forgeError: unknown): ClientCredentials {
  try {
    createSecureContext({ pfx, passphrase });
  } catch (err) {
    const message = (err as Error).message ?? '';
    if (/mac verify failure|bad decrypt/i.test(message)) throw certError(`${field}.p12Password`, 'mot de passe PKCS#12 erroné', 'wrong PKCS#12 password', err);
    throw certError(`${field}.p12`, 'fichier PKCS#12 illisible', `unreadable PKCS#12 file (${message || (forgeError as Error).message})`, err);
  }
  return new ClientCredentials({ kind: 'pfx', pfx, passphrase }, undefined);
}

export interface TlsSettings {
  /** The structure's authentication certificate (mutual TLS). */
  client?: ClientCredentials;
  /** Trusted authorities (PEM), e.g. the IGC-Santé chain. Replaces Node's default list when given. */
  ca?: string | string[];
  /** Default TLSv1.2 (the DMP's minimum and, for software access, only version). */
  minVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Default: minVersion, i.e. TLSv1.2 (dmp-interface.md §1.1); TLSv1.3 for other servers. */
  maxVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** OpenSSL cipher list; default Node's (which includes DMP_TLS12_CIPHERS). */
  ciphers?: string;
  /** Default true. Turning it off is for tests against self-signed servers only. */
  rejectUnauthorized?: boolean;
  servername?: string;
}

/** Options for undici's connector (node:tls ConnectionOptions). */
export function connectOptions(settings: TlsSettings = {}): Record<string, unknown> {
  const minVersion = settings.minVersion ?? 'TLSv1.2';
  const out: Record<string, unknown> = {
    minVersion,
    maxVersion: settings.maxVersion ?? minVersion,
    rejectUnauthorized: settings.rejectUnauthorized ?? true,
  };
  if (settings.client) Object.assign(out, settings.client.tlsOptions());
  if (settings.ca !== undefined) out.ca = settings.ca;
  if (settings.ciphers) out.ciphers = settings.ciphers;
  if (settings.servername) out.servername = settings.servername;
  return out;
}

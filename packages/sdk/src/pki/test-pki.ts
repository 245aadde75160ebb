/**
 * A throw-away PKI for tests and for the simulator: a CA, a structure "ORG SIGN" signature certificate
 * (the "cachet" that signs indirect-mode VIHF and the lot XAdES), an "AUTH_CLI" authentication
 * certificate (mTLS only: signing a VIHF with it must fail) and a CPS-like signature certificate
 * (direct mode). Key usages mirror IGC-Santé certificates (see usage.ts). Never use these outside tests.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { pki } from 'node-forge';
import { loadSigningCredentials, type SigningCredentials } from './credentials.js';
import { dnKeywordOid } from './dn.js';
import { forge } from './forge.js';
import { readCertificate, type CertificateInfo, EXTENDED_KEY_USAGE, type KeyUsage } from './x509.js';

/** A subject in ASN.1 order (most general first): `[['C','FR'], ['O','…'], ['CN','…']]`; types are keywords or OIDs. */
export type DnSpec = ReadonlyArray<readonly [type: string, value: string]>;

export type TestCertificateProfile = 'ca' | 'org-sign' | 'auth-cli' | 'cps-sign';

interface ProfileUsage {
  keyUsage: KeyUsage[];
  extKeyUsage?: string[];
  ca: boolean;
}

const PROFILES: Readonly<Record<TestCertificateProfile, ProfileUsage>> = {
  ca: { keyUsage: ['keyCertSign', 'cRLSign'], ca: true },
  // IGC-Santé ORG SIGN ("cachet") as in the official signed VIHF sample: digitalSignature + nonRepudiation, emailProtection.
  'org-sign': { keyUsage: ['digitalSignature', 'nonRepudiation'], extKeyUsage: [EXTENDED_KEY_USAGE.emailProtection], ca: false },
  // Structure authentication certificate: TLS client authentication only.
  'auth-cli': { keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: [EXTENDED_KEY_USAGE.clientAuth], ca: false },
  // CPS signature key as in the official lot signature sample: nonRepudiation only.
  'cps-sign': { keyUsage: ['nonRepudiation'], extKeyUsage: [EXTENDED_KEY_USAGE.emailProtection], ca: false },
};

export interface TestCertificateOptions {
  subject?: DnSpec;
  notBefore?: Date;
  notAfter?: Date;
  /** Hex serial number (default: 16 random bytes). */
  serialNumber?: string;
  /** Override the profile's key usage / extended key usage (an empty array drops the extension). */
  keyUsage?: KeyUsage[];
  extKeyUsage?: string[];
  keyBits?: number;
}

export interface Pkcs12Options {
  /** 3DES instead of AES-256, as older IGC-Santé exports. */
  legacy?: boolean;
  friendlyName?: string;
}

export class TestCertificate {
  readonly certificate: CertificateInfo;

  constructor(
    readonly certPem: string,
    /** Test key only: never reuse outside tests. */
    readonly keyPem: string,
    readonly issuer?: TestCertificate,
  ) {
    this.certificate = readCertificate(certPem);
  }

  get subjectDn(): string {
    return this.certificate.subjectDn;
  }

  /** Issuer certificates up to the root (not including this one). */
  chain(): TestCertificate[] {
    const out: TestCertificate[] = [];
    for (let c = this.issuer; c; c = c.issuer) out.push(c);
    return out;
  }

  credentials(): SigningCredentials {
    return loadSigningCredentials({ keyPem: this.keyPem, certPem: this.certPem, chainPem: this.chain().map((c) => c.certPem).join('') });
  }

  /** PKCS#12 (key, certificate and its chain) protected by `password`. */
  toPkcs12(password: string, options: Pkcs12Options = {}): Buffer {
    const key = forge.pki.privateKeyFromPem(this.keyPem);
    const certs = [this, ...this.chain()].map((c) => forge.pki.certificateFromPem(c.certPem));
    const asn1 = forge.pkcs12.toPkcs12Asn1(key, certs, password, {
      algorithm: options.legacy ? '3des' : 'aes256',
      friendlyName: options.friendlyName ?? 'dmpkit test',
    });
    return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
  }

  /** Issues a certificate signed by this one (which must be a CA). */
  issue(profile: TestCertificateProfile, options: TestCertificateOptions = {}): TestCertificate {
    return makeCertificate(profile, options, this);
  }
}

const DAY = 86_400_000;

function subjectAttributes(spec: DnSpec): pki.CertificateField[] {
  return spec.map(([type, value]) => {
    const oid = dnKeywordOid(type);
    if (!oid) throw new Error(`unknown DN attribute type ${type}`);
    // countryName is a PrintableString (RFC 5280); everything else UTF8String, as IGC-Santé does.
    const tag = oid === '2.5.4.6' ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8;
    // The typings call the tag a Class; forge takes the universal type number there.
    return { type: oid, value, valueTagClass: tag as unknown as pki.CertificateField['valueTagClass'] };
  });
}

function keyUsageExtension(usages: KeyUsage[]): Record<string, unknown> {
  const ext: Record<string, unknown> = { name: 'keyUsage', critical: true };
  for (const u of usages) ext[u] = true;
  return ext;
}

function makeCertificate(profile: TestCertificateProfile, options: TestCertificateOptions, issuer?: TestCertificate): TestCertificate {
  const usage = PROFILES[profile];
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: options.keyBits ?? 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial: clear the top bit.
  const serial = options.serialNumber ?? randomBytes(16).toString('hex').replace(/^./, (c) => (parseInt(c, 16) & 7).toString(16));
  cert.serialNumber = serial;
  const now = Date.now();
  cert.validity.notBefore = options.notBefore ?? new Date(now - DAY);
  cert.validity.notAfter = options.notAfter ?? new Date(now + 365 * DAY);
  const subject = subjectAttributes(options.subject ?? defaultSubject(profile));
  cert.setSubject(subject);
  cert.setIssuer(issuer ? forge.pki.certificateFromPem(issuer.certPem).subject.attributes : subject);
  const extensions: Record<string, unknown>[] = [{ name: 'basicConstraints', cA: usage.ca, critical: usage.ca }];
  const ku = options.keyUsage ?? usage.keyUsage;
  if (ku.length > 0) extensions.push(keyUsageExtension(ku));
  const eku = options.extKeyUsage ?? usage.extKeyUsage ?? [];
  if (eku.length > 0) {
    // forge names the EKU purposes it knows; pass them by OID through its generic "id" form.
    extensions.push({ id: '2.5.29.37', value: ekuDer(eku) });
  }
  extensions.push({ name: 'subjectKeyIdentifier' });
  if (issuer) {
    extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: forge.pki.certificateFromPem(issuer.certPem).generateSubjectKeyIdentifier().getBytes() });
  }
  cert.setExtensions(extensions);
  const signer = forge.pki.privateKeyFromPem(issuer ? issuer.keyPem : keyPem);
  cert.sign(signer, forge.md.sha256.create());
  return new TestCertificate(forge.pki.certificateToPem(cert), keyPem, issuer);
}

function ekuDer(oids: string[]): string {
  const seq = forge.asn1.create(
    forge.asn1.Class.UNIVERSAL,
    forge.asn1.Type.SEQUENCE,
    true,
    oids.map((o) => forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.OID, false, forge.asn1.oidToDer(o).getBytes())),
  );
  return forge.asn1.toDer(seq).getBytes();
}

/** Test structure and professional, as in the official DMP examples (fictional identifiers). */
export const TEST_IDENTITIES = {
  structureId: '499900063480001',
  structureName: 'CABINET DR LIBRE TEST',
  state: 'Sarthe (72)',
  psIdNat: '899900063480',
  psGivenName: 'MAX',
  psFamilyName: 'LIBRE',
} as const;

function defaultSubject(profile: TestCertificateProfile): DnSpec {
  const t = TEST_IDENTITIES;
  switch (profile) {
    case 'ca':
      return [['C', 'FR'], ['O', 'DMPKIT TEST'], ['OU', 'DMPKIT TEST PKI'], ['CN', 'DMPKIT TEST AC']];
    case 'cps-sign':
      return [['C', 'FR'], ['T', 'Médecin'], ['GN', t.psGivenName], ['SN', t.psFamilyName], ['CN', t.psIdNat]];
    default:
      // ORG SIGN and AUTH_CLI share one DN (the PSC proxy README requires identical DNs).
      return [['C', 'FR'], ['ST', t.state], ['O', t.structureName], ['OU', t.structureId], ['CN', 'dmpkit.test']];
  }
}

export function createTestCa(options: TestCertificateOptions = {}): TestCertificate {
  return makeCertificate('ca', options);
}

export interface TestPki {
  ca: TestCertificate;
  orgSign: TestCertificate;
  authCli: TestCertificate;
  cps: TestCertificate;
}

/** A CA and the three end-entity certificates, valid from yesterday for a year. */
export function createTestPki(options: { notBefore?: Date; notAfter?: Date } = {}): TestPki {
  const ca = createTestCa({ ...options });
  return {
    ca,
    orgSign: ca.issue('org-sign', options),
    authCli: ca.issue('auth-cli', options),
    cps: ca.issue('cps-sign', options),
  };
}


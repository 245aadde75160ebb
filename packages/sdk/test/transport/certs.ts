/**
 * A throw-away PKI for the mTLS tests: a CA, a server certificate for 127.0.0.1/localhost, client certificates
 * (trusted, from another CA, expired), as PEM and PKCS#12. Keys come from Node's native RSA generator (fast);
 * certificates are built with node-forge.
 */
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';

export interface Issued {
  certPem: string;
  keyPem: string;
  cert: forge.pki.Certificate;
  key: forge.pki.rsa.PrivateKey;
}

let serial = 1;

function keyPair(): { pem: string; key: forge.pki.rsa.PrivateKey; pub: forge.pki.rsa.PublicKey } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const key = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  return { pem, key, pub: forge.pki.setRsaPublicKey(key.n, key.e) };
}

interface IssueOptions {
  cn: string;
  issuer?: Issued;
  ca?: boolean;
  san?: { dns?: string[]; ip?: string[] };
  notBefore?: Date;
  notAfter?: Date;
  clientAuth?: boolean;
}

export function issue(options: IssueOptions): Issued {
  const kp = keyPair();
  const cert = forge.pki.createCertificate();
  cert.publicKey = kp.pub;
  cert.serialNumber = (serial++).toString(16).padStart(4, '0');
  cert.validity.notBefore = options.notBefore ?? new Date(Date.now() - 3600_000);
  cert.validity.notAfter = options.notAfter ?? new Date(Date.now() + 365 * 24 * 3600_000);
  const subject = [{ name: 'commonName', value: options.cn }, { name: 'organizationName', value: 'dmpkit test' }, { name: 'countryName', value: 'FR' }];
  cert.setSubject(subject);
  cert.setIssuer(options.issuer ? options.issuer.cert.subject.attributes : subject);
  const extensions: object[] = [{ name: 'basicConstraints', cA: options.ca ?? false }];
  if (options.ca) extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true });
  else extensions.push({ name: 'keyUsage', digitalSignature: true, keyEncipherment: true }, { name: 'extKeyUsage', serverAuth: !options.clientAuth, clientAuth: options.clientAuth ?? false });
  if (options.san) {
    extensions.push({
      name: 'subjectAltName',
      altNames: [...(options.san.dns ?? []).map((value) => ({ type: 2, value })), ...(options.san.ip ?? []).map((ip) => ({ type: 7, ip }))],
    });
  }
  cert.setExtensions(extensions);
  cert.sign(options.issuer?.key ?? kp.key, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: kp.pem, cert, key: kp.key };
}

/** PKCS#12 of a key + certificate chain; `algorithm` '3des' is the legacy kind IGC-Santé files use. */
export function toPkcs12(issued: Issued, password: string, chain: Issued[] = [], algorithm: 'aes256' | '3des' = 'aes256'): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(issued.key, [issued.cert, ...chain.map((c) => c.cert)], password, { algorithm, generateLocalKeyId: true, friendlyName: 'dmpkit test' });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

/** An encrypted PKCS#8 PEM of the key. */
export function encryptedKeyPem(issued: Issued, password: string): string {
  const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(issued.key));
  const encrypted = forge.pki.encryptPrivateKeyInfo(info, password, { algorithm: 'aes256' });
  return forge.pki.encryptedPrivateKeyToPem(encrypted);
}

export interface TestPki {
  ca: Issued;
  otherCa: Issued;
  server: Issued;
  client: Issued;
  foreignClient: Issued;
  expiredClient: Issued;
}

let cached: TestPki | undefined;

export function testPki(): TestPki {
  if (cached) return cached;
  const ca = issue({ cn: 'dmpkit test CA', ca: true });
  const otherCa = issue({ cn: 'other CA', ca: true });
  cached = {
    ca,
    otherCa,
    server: issue({ cn: 'localhost', issuer: ca, san: { dns: ['localhost'], ip: ['127.0.0.1'] } }),
    client: issue({ cn: 'CABINET TEST AUTH_CLI', issuer: ca, clientAuth: true }),
    foreignClient: issue({ cn: 'someone else', issuer: otherCa, clientAuth: true }),
    expiredClient: issue({ cn: 'expired client', issuer: ca, clientAuth: true, notBefore: new Date(Date.now() - 3 * 24 * 3600_000), notAfter: new Date(Date.now() - 24 * 3600_000) }),
  };
  return cached;
}

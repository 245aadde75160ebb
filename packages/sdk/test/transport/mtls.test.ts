/** Mutual TLS against a real HTTPS server on 127.0.0.1 that requires a client certificate (generated test PKI). */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapTransport, loadClientCredentials, type TlsSettings } from '../../src/transport/index.js';
import { ConfigError, TransportError, explainError } from '../../src/errors/index.js';
import { Secret } from '../../src/config/index.js';
import { encryptedKeyPem, issue, testPki, toPkcs12 } from './certs.js';
import { SOAP12, SUCCESS_BODY, httpsServer, soapEnvelope, type TestServer } from './servers.js';

const pki = testPki();
const answer = (_r: unknown, res: import('node:http').ServerResponse) => {
  res.setHeader('content-type', SOAP12);
  res.end(SUCCESS_BODY);
};

async function send(server: TestServer, tls: TlsSettings, host = '127.0.0.1') {
  const t = new SoapTransport({ tls, retry: { attempts: 1 } });
  try {
    return await t.send({ url: `https://${host}:${server.port}/si-dmp-server/v2/services/registry`, body: Buffer.from(soapEnvelope('<q/>')), contentType: SOAP12, mode: 'read' });
  } finally {
    await t.close();
  }
}

async function sendError(server: TestServer, tls: TlsSettings, host?: string): Promise<TransportError> {
  const err = await send(server, tls, host).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TransportError);
  return err as TransportError;
}

describe('mutual TLS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await httpsServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, answer);
  });
  afterAll(() => server.close());

  it('authenticates with a PEM certificate and key, over TLS 1.2', async () => {
    const client = loadClientCredentials({ certPem: pki.client.certPem, keyPem: pki.client.keyPem });
    const res = await send(server, { client, ca: pki.ca.certPem });
    expect(res.status).toBe(200);
    const got = server.received.at(-1)!;
    expect(got.clientCertCn).toBe('CABINET TEST AUTH_CLI');
    expect(got.tlsProtocol).toBe('TLSv1.2');
  });

  it('authenticates with a PKCS#12 file and its password (AES and the legacy 3DES encryption)', async () => {
    for (const algorithm of ['aes256', '3des'] as const) {
      const client = loadClientCredentials({ pkcs12: toPkcs12(pki.client, 'secret-pass', [pki.ca], algorithm), password: new Secret('secret-pass') });
      expect(client.summary?.subject).toContain('CN=CABINET TEST AUTH_CLI');
      expect(client.summary?.issuer).toContain('CN=dmpkit test CA');
      expect(client.summary?.expired).toBe(false);
      expect((await send(server, { client, ca: pki.ca.certPem })).status).toBe(200);
      expect(server.received.at(-1)!.clientCertCn).toBe('CABINET TEST AUTH_CLI');
    }
  });

  it('reports a missing client certificate as client-certificate', async () => {
    const err = await sendError(server, { ca: pki.ca.certPem });
    expect(err.transportKind).toBe('client-certificate');
    expect(err.code).toBe('TRANSPORT-CLIENT-CERTIFICATE');
    const d = explainError(err);
    expect(d.known).toBe(true);
    expect(d.items[0]!.fix.en).toMatch(/AUTH_CLI/);
  });

  it('reports a client certificate from an unknown authority, or expired, as client-certificate', async () => {
    const foreign = loadClientCredentials({ certPem: pki.foreignClient.certPem, keyPem: pki.foreignClient.keyPem });
    expect((await sendError(server, { client: foreign, ca: pki.ca.certPem })).transportKind).toBe('client-certificate');
    const expired = loadClientCredentials({ certPem: pki.expiredClient.certPem, keyPem: pki.expiredClient.keyPem });
    expect(expired.summary?.expired).toBe(true);
    expect((await sendError(server, { client: expired, ca: pki.ca.certPem })).transportKind).toBe('client-certificate');
  });

  it('rejects a server certificate it cannot trust (no CA configured)', async () => {
    const client = loadClientCredentials({ certPem: pki.client.certPem, keyPem: pki.client.keyPem });
    const err = await sendError(server, { client });
    expect(err.transportKind).toBe('certificate');
    expect(err.systemCode).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it('rejects a server certificate issued for another host name', async () => {
    const other = issue({ cn: 'other.example', issuer: pki.ca, san: { dns: ['other.example'] } });
    const wrongName = await httpsServer({ key: other.keyPem, cert: other.certPem }, answer);
    const err = await sendError(wrongName, { ca: pki.ca.certPem });
    expect(err.transportKind).toBe('certificate');
    expect(err.systemCode).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
    await wrongName.close();
  });

  it('does not go below TLS 1.2, and by default not above it (the DMP’s LPS access is TLS 1.2 only)', async () => {
    const tls13 = await httpsServer({ key: pki.server.keyPem, cert: pki.server.certPem, minVersion: 'TLSv1.3' }, answer);
    expect((await sendError(tls13, { ca: pki.ca.certPem })).transportKind).toBe('tls');
    expect((await send(tls13, { ca: pki.ca.certPem, maxVersion: 'TLSv1.3' })).status).toBe(200);
    await tls13.close();
    const tls11 = await httpsServer({ key: pki.server.keyPem, cert: pki.server.certPem, maxVersion: 'TLSv1.1', minVersion: 'TLSv1', ciphers: 'DEFAULT:@SECLEVEL=0' }, answer);
    expect((await sendError(tls11, { ca: pki.ca.certPem })).transportKind).toBe('tls');
    await tls11.close();
  });
});

describe('loading client certificates', () => {
  it('names the password field when the PKCS#12 password is wrong', () => {
    const p12 = toPkcs12(pki.client, 'right');
    const err = (() => {
      try {
        loadClientCredentials({ pkcs12: p12, password: 'hunter2-xyz' }, 'auth');
      } catch (e) {
        return e;
      }
    })() as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.code).toBe('CONFIG-CERTIFICATE');
    expect(err.issues[0]!.field).toBe('auth.p12Password');
    expect(JSON.stringify(err) + err.message).not.toContain('hunter2-xyz');
  });

  it('names the file field when the bytes are not PKCS#12', () => {
    expect(() => loadClientCredentials({ pkcs12: Buffer.from('not a pkcs12 file'), password: 'x' }, 'signature')).toThrow(
      expect.objectContaining({ code: 'CONFIG-CERTIFICATE', issues: [expect.objectContaining({ field: 'signature.p12' })] }),
    );
  });

  it('refuses a key that does not match the certificate', () => {
    expect(() => loadClientCredentials({ certPem: pki.client.certPem, keyPem: pki.foreignClient.keyPem })).toThrow(/does not match the certificate/);
  });

  it('reads an encrypted PEM key with its password, and names keyPassword when it is wrong', () => {
    const keyPem = encryptedKeyPem(pki.client, 'pem-pass');
    expect(loadClientCredentials({ certPem: pki.client.certPem, keyPem, keyPassword: new Secret('pem-pass') }).summary?.subject).toContain('AUTH_CLI');
    expect(() => loadClientCredentials({ certPem: pki.client.certPem, keyPem, keyPassword: 'nope' })).toThrow(
      expect.objectContaining({ issues: [expect.objectContaining({ field: 'auth.keyPassword' })] }),
    );
    expect(() => loadClientCredentials({ certPem: 'no certificate here', keyPem })).toThrow(expect.objectContaining({ issues: [expect.objectContaining({ field: 'auth.cert' })] }));
  });

  it('never shows key material', () => {
    const c = loadClientCredentials({ certPem: pki.client.certPem, keyPem: pki.client.keyPem });
    const shown = JSON.stringify(c) + inspect(c) + String(c);
    expect(shown).not.toMatch(/PRIVATE KEY|BEGIN RSA/);
    expect(JSON.stringify(c)).toContain('AUTH_CLI');
  });
});

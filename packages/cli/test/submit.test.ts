/**
 * `dmp submit`, `dmp status`, `dmp authorize` as a user runs them (subprocess, profile from DMPKIT_* variables) against
 * a real HTTP server on 127.0.0.1 answering with our codecs: what was sent, what is printed, exit codes 0/4/5.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildFault,
  buildPatientQueryResponse,
  buildSetAuthorizationResponse,
  buildSoapResponse,
  createTestPki,
  decodeMessage,
  DMP_TRANSACTIONS,
  encodeRegistryResponse,
  ERROR_SEVERITY,
  RESPONSE_STATUS,
  type DecodedMessage,
  type DecodedProvideAndRegister,
} from '@dmpkit/sdk';
import { BIN, expectGolden, requireBuiltCli, sandbox, type RunResult, type Sandbox } from './helpers.js';

const CDA = resolve(__dirname, '../../../fixtures/cda/valid/n1-pdf.xml');
type Answer = (d: DecodedMessage) => { status?: number; body: string };

let sb: Sandbox;
let server: Server;
let url = '';
const seen: DecodedMessage[] = [];
let answer: Answer = () => ({ status: 500, body: '' });

const reply = (d: DecodedMessage, action: string, body: string, status = 200) => ({ status, body: buildSoapResponse({ action, body, ...(d.soap?.addressing.messageId ? { relatesTo: d.soap.addressing.messageId } : {}) }).xml });

beforeAll(async () => {
  requireBuiltCli();
  sb = sandbox();
  const pki = createTestPki();
  sb.write('sign.crt', pki.orgSign.certPem + pki.ca.certPem);
  sb.write('sign.key', pki.orgSign.keyPem);
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const d = decodeMessage(Buffer.concat(parts), req.headers['content-type']);
      seen.push(d);
      const a = answer(d);
      res.writeHead(a.status ?? 200, { 'content-type': 'application/soap+xml; charset=UTF-8' });
      res.end(a.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/si-dmp-server/v2/services`;
});
afterAll(async () => {
  sb.cleanup();
  await new Promise<void>((r) => server.close(() => r()));
});

/** The CLI as a child process, without blocking this process (the server answers from here). */
function run(args: string[]): Promise<RunResult> {
  const env = {
    ...sb.env,
    DMPKIT_ENDPOINT: url,
    DMPKIT_SIGN_CERT: resolve(sb.dir, 'sign.crt'),
    DMPKIT_SIGN_KEY: resolve(sb.dir, 'sign.key'),
    DMPKIT_STRUCTURE_ID: '499900063480001',
    DMPKIT_SECTEUR_ACTIVITE: 'SA07',
    DMPKIT_LPS_NAME: 'dmpkit',
    DMPKIT_LPS_VERSION: '0.1.0',
    DMPKIT_LPS_HOMOLOGATION: 'TEST',
    DMPKIT_LPS_ID: '1.2.250.1.999.1.1.7898',
    DMPKIT_PS_ID: '899900063480',
    DMPKIT_PS_NAME: 'MAX LIBRE',
    DMPKIT_PS_PROFESSION: '10',
    DMPKIT_PS_SPECIALTY: 'SM26',
    DMPKIT_AUTH_MODE: 'INDIRECTE',
    DMPKIT_RETRY_ATTEMPTS: '1',
    DMPKIT_HEADERS_TIMEOUT_MS: '3000',
  };
  return new Promise((done, fail) => {
    const p = spawn(process.execPath, [BIN, ...args], { cwd: sb.dir, env });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    p.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    p.on('error', fail);
    p.on('close', (code) => done({ code, stdout, stderr }));
  });
}

describe('dmp submit', () => {
  it('--dry-run prints metadata, findings and the envelope, sends nothing, masks the INS', async () => {
    const before = seen.length;
    const r = await run(['submit', '--dry-run', CDA]);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.length).toBe(before);
    expect(r.stdout).toContain('Metadata (dry run: nothing sent)');
    expect(r.stdout).toContain('Findings: none');
    expect(r.stdout).toMatch(/Envelope \(multipart\/related, 2 attachment\(s\)\)\n<soap:Envelope/);
    expect(r.stdout).not.toContain('100000000000047');
    // Stable part of the report (uniqueIds and times change with each run).
    const stable = r.stdout.split('Envelope (')[0]!.replace(/1\.2\.250\.1\.999\.1\.1\.7898\.\d+/g, '<new uniqueId>').replace(/\b20\d{12}\b/g, '<now>').replace(/hash: [0-9a-f]{40}\n    size: \d+\n  Association Association01/, 'hash: <xades hash>\n    size: <n>\n  Association Association01');
    expectGolden('submit-dry-run.txt', stable);
  });

  it('submits the lot: ITI-41 MTOM to the repository, prints the uniqueId and correlation id (exit 0)', async () => {
    answer = (d) => reply(d, DMP_TRANSACTIONS['TD2.1'].response, encodeRegistryResponse({ status: RESPONSE_STATUS.Success, errors: [] }));
    const r = await run(['submit', CDA]);
    expect(r.code, r.stderr).toBe(0);
    const sent = seen.at(-1)!;
    expect(sent.format).toBe('mime-multipart');
    expect((sent.xds as DecodedProvideAndRegister).objects.documentEntries.map((e) => e.uniqueId)).toContain('1.2.250.1.999.1.1.1.1');
    expect(r.stdout).toMatch(/^submitted: 1 document\(s\) in lot 1\.2\.250\.1\.999\.1\.1\.7898\.\d+ \(Success\)\n  1\.2\.250\.1\.999\.1\.1\.1\.1\ncorrelation id: urn:uuid:/);
  });

  it('a registry Failure is a DMP refusal (exit 4) with its code and the correlation id', async () => {
    answer = (d) => reply(d, DMP_TRANSACTIONS['TD2.1'].response, encodeRegistryResponse({ status: RESPONSE_STATUS.Failure, errors: [{ errorCode: 'XDSDuplicateUniqueIdInRegistry', codeContext: 'uniqueId 1.2.250.1.999.1.1.1.1', severity: ERROR_SEVERITY.Error }] }));
    const r = await run(['submit', CDA]);
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/error: TD2\.1: XDSDuplicateUniqueIdInRegistry/);
    expect(r.stderr).toMatch(/correlation id urn:uuid:/);
  });

  it('metadata errors refuse the lot before sending (exit 4)', async () => {
    const before = seen.length;
    const r = await run(['submit', CDA, '--ins', '207058575627097', '--ins-oid', '1.2.250.1.213.1.4.10']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('the lot was not sent');
    expect(r.stdout).toMatch(/error\s+XDS-/);
    expect(seen.length).toBe(before);
  });
});

describe('dmp status and dmp authorize', () => {
  it('status: TD0.2 answer printed (exit 0)', async () => {
    answer = (d) =>
      reply(d, DMP_TRANSACTIONS['TD0.2'].response, buildPatientQueryResponse({
        id: { root: '1.2.250.1.213.4.1.1.1.1', extension: 'r' }, creationTime: '20260115100000', targetMessageId: { root: '1.2.3', extension: 'q' }, reason: 'TEST_EXST',
        queryId: { root: '1.2.3', extension: 'q' }, queryResponseCode: 'OK', patient: { ids: [{ root: '1.2.250.1.213.1.4.10', extension: '207058575627097' }], status: 'active' }, authorization: 'VALIDE', medecinTraitant: true,
      }));
    const r = await run(['status', '--ins', '207058575627097', '--ins-oid', '1.2.250.1.213.1.4.10']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^DMP: active\nauthorization: VALIDE\nmédecin traitant DMP: yes\n/);
    expect(seen.at(-1)!.payload.name).toBe('PRPA_IN201307UV02');
  });

  it('status: a DMPInvalidCertificate fault is exit 4', async () => {
    answer = (d) => reply(d, 'http://www.w3.org/2005/08/addressing/soap/fault', buildFault({ code: 'Sender', subcodes: [{ namespace: 'http://www.w3.org/2003/05/soap-envelope', local: 'DMPInvalidCertificate' }], reason: 'Not a valid signature certificate' }), 500);
    const r = await run(['status', '--ins', '207058575627097', '--ins-oid', '1.2.250.1.213.1.4.10']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('DMPInvalidCertificate');
  });

  it('authorize add --medecin-traitant: TD0.3 AJOUT with the role', async () => {
    answer = (d) => reply(d, DMP_TRANSACTIONS['TD0.3'].response, buildSetAuthorizationResponse({ status: 'DMPOk' }));
    const r = await run(['authorize', 'add', '--medecin-traitant', '--ins', '207058575627097', '--ins-oid', '1.2.250.1.213.1.4.10']);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.at(-1)!.dmp).toMatchObject({ kind: 'setAuthorization', request: { action: 'AJOUT', role: 'MEDECIN_TRAITANT' } });
    expect(r.stdout).toMatch(/^DMPOk\ncorrelation id: urn:uuid:/);
  });

  it('nothing listening: exit 5', async () => {
    const r = await run(['status', '--ins', '207058575627097', '--ins-oid', '1.2.250.1.213.1.4.10', '--endpoint', 'http://127.0.0.1:9/x']);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain('TRANSPORT-CONNECTION-REFUSED');
  });
});

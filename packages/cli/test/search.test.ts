/**
 * `dmp search`, `dmp get`, `dmp update` as a user runs them (subprocess, profile from DMPKIT_* variables) against a
 * real HTTP server on 127.0.0.1 answering with our codecs: the query sent, what is printed, the bytes written.
 */
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  AVAILABILITY_STATUS,
  buildMtom,
  buildSoapResponse,
  emptyRegistryObjectList,
  encodeAdhocQueryResponse,
  encodeRetrieveDocumentSetResponse,
  type DecodedAdhocQueryRequest,
  type DecodedSubmitObjectsRequest,
  type DocumentEntry,
  createTestPki,
  decodeMessage,
  DMP_TRANSACTIONS,
  encodeRegistryResponse,
  RESPONSE_STATUS,
  type DecodedMessage,
} from '@dmpkit/sdk';
import { BIN, requireBuiltCli, sandbox, type RunResult, type Sandbox } from './helpers.js';

type Answer = (d: DecodedMessage) => { status?: number; body: string | Buffer; contentType?: string };

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
      res.writeHead(a.status ?? 200, { 'content-type': a.contentType ?? 'application/soap+xml; charset=UTF-8' });
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


const INS = ['--ins', '207058575627097', '--ins-oid', '1.2.250.1.213.1.4.10'];
const ENTRY: DocumentEntry = {
  entryUUID: 'urn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000a1',
  logicalId: 'urn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000b1',
  version: '2',
  uniqueId: '1.2.250.1.999.1.1.7898.1.42',
  mimeType: 'text/xml',
  title: 'Compte rendu (test)',
  availabilityStatus: AVAILABILITY_STATUS.Approved,
  patientId: '207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH',
  sourcePatientInfo: [],
  authors: [],
  creationTime: '20240105093000',
  typeCode: { code: '11488-4', codingScheme: '2.16.840.1.113883.6.1', displayName: 'CR de consultation' },
  healthcareFacilityTypeCode: { code: 'SA07', codingScheme: '1.2.250.1.71.4.2.4' },
  confidentialityCode: [{ code: 'N', codingScheme: '2.16.840.1.113883.5.25' }, { code: 'MASQUE_PS', codingScheme: '1.2.250.1.213.1.1.4.13' }],
  eventCodeList: [],
  referenceIdList: [],
  repositoryUniqueId: '1.2.250.1.213.4.1.1.1.2',
};
const queryAnswer: Answer = (d) => reply(d, DMP_TRANSACTIONS['TD3.1'].response, encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], objects: { ...emptyRegistryObjectList(), documentEntries: [ENTRY] } }));
const slots = (d: DecodedMessage) => Object.fromEntries((d.xds as DecodedAdhocQueryRequest).slots.map((s) => [s.name, s.values.join('|')]));

describe('dmp search', () => {
  it('turns the flags into FindDocuments parameters and prints one line per document', async () => {
    answer = queryAnswer;
    const r = await run(['search', ...INS, '--status', 'Approved,Archived', '--type-code', '11488-4^2.16.840.1.113883.6.1', '--service-from', '2024-01-01', '--confidentiality', 'MASQUE_PS^1.2.250.1.213.1.1.4.13']);
    expect(r.code, r.stderr).toBe(0);
    const p = slots(seen.at(-1)!);
    expect(p.$XDSDocumentEntryStatus).toContain('Archived');
    expect(p.$XDSDocumentEntryTypeCode).toContain('11488-4^^2.16.840.1.113883.6.1');
    expect(p.$XDSDocumentEntryServiceStartTimeFrom).toBe('20240101');
    expect(r.stdout).toMatch(/^1 document\(s\)\n1\.2\.250\.1\.999\.1\.1\.7898\.1\.42\turn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000a1\tApproved\t20240105093000\tCR de consultation\tCompte rendu \(test\)\tMASQUE_PS\ncorrelation id: urn:uuid:/);
  });

  it('a bad flag value is a usage error (exit 2), nothing sent', async () => {
    const before = seen.length;
    const r = await run(['search', ...INS, '--status', 'Lost']);
    expect(r.code).toBe(2);
    expect(seen.length).toBe(before);
  });
});

describe('dmp get', () => {
  it('by entryUUID: GetDocuments for its uniqueId, then the retrieve; bytes written to -o', async () => {
    const content = Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"><title>t</title></ClinicalDocument>');
    answer = (d) => {
      if (d.payload.name === 'AdhocQueryRequest') return queryAnswer(d);
      const action = DMP_TRANSACTIONS['TD3.2'].response;
      const body = encodeRetrieveDocumentSetResponse({ status: RESPONSE_STATUS.Success, errors: [] }, [{ repositoryUniqueId: '1.2.250.1.213.4.1.1.1.2', documentUniqueId: ENTRY.uniqueId, mimeType: 'text/xml', transfer: { kind: 'xop', contentId: 'doc@dmp' } }]);
      const mtom = buildMtom({ root: buildSoapResponse({ action, body }).xml, action, attachments: [{ contentId: 'doc@dmp', contentType: 'text/xml', data: content }] });
      return { body: Buffer.concat(mtom.chunks as Buffer[]), contentType: mtom.contentType };
    };
    const start = seen.length;
    const r = await run(['get', ENTRY.entryUUID!, ...INS, '-o', 'doc.xml']);
    expect(r.code, r.stderr).toBe(0);
    expect(seen.slice(start).map((d) => d.payload.name)).toEqual(['AdhocQueryRequest', 'RetrieveDocumentSetRequest']);
    expect(readFileSync(resolve(sb.dir, 'doc.xml')).equals(content)).toBe(true);
    expect(r.stderr).toMatch(/written to doc\.xml; correlation id urn:uuid:/);
  });
});

describe('dmp update', () => {
  it('unmask: ITI-57 metadata update without MASQUE_PS, PreviousVersion 2', async () => {
    answer = (d) => (d.payload.name === 'AdhocQueryRequest' ? queryAnswer(d) : reply(d, DMP_TRANSACTIONS['TD3.3'].response, encodeRegistryResponse({ status: RESPONSE_STATUS.Success, errors: [] })));
    const r = await run(['update', 'unmask', ENTRY.uniqueId, ...INS]);
    expect(r.code, r.stderr).toBe(0);
    const sor = seen.at(-1)!.xds as DecodedSubmitObjectsRequest;
    expect(sor.objects.documentEntries[0]!.confidentialityCode.map((c) => c.code)).toEqual(['N']);
    expect(sor.objects.associations[0]!.previousVersion).toBe('2');
    expect(r.stdout).toMatch(/^unmask: 1\.2\.250\.1\.999\.1\.1\.7898\.1\.42 \(urn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000a1\) confidentiality N — Success/);
  });

  it('archive of an unknown document: exit 4, nothing but the lookup sent', async () => {
    answer = (d) => reply(d, DMP_TRANSACTIONS['TD3.1'].response, encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], objects: emptyRegistryObjectList() }));
    const start = seen.length;
    const r = await run(['update', 'archive', '1.2.3.4', ...INS]);
    expect(r.code).toBe(4);
    expect(seen.slice(start).map((d) => d.payload.name)).toEqual(['AdhocQueryRequest']);
  });

  it('an unknown action is a usage error', async () => {
    const r = await run(['update', 'shred', ENTRY.uniqueId, ...INS]);
    expect(r.code).toBe(2);
  });
});

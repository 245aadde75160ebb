/** TD2.1 (submission, replacement, refusal, no blind retry) and TD3.3 (status and visibility updates) over real HTTP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ASSOCIATION_TYPE,
  AVAILABILITY_STATUS,
  DMP_TRANSACTIONS,
  SubmissionRefusedError,
  SubmitDocumentsCommand,
  TransportError,
  UpdateDocumentCommand,
  sha1Hex,
  verifyLotSignature,
  verifyVihf,
  type DecodedAdhocQueryRequest,
  type DecodedProvideAndRegister,
  type DecodedSubmitObjectsRequest,
} from '../../src/index.js';
import { cdaFixture, makeClient, PATIENT, testPki } from './fixtures.js';
import { queryReply, registryReply, storedEntry } from './responses.js';
import { startServer, type CapturedRequest, type Reply, type TestServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(() => ({ status: 500, body: 'no handler', contentType: 'text/plain' }));
});
afterAll(() => server.close());

const CDA_PATIENT = { ins: '100000000000047', oid: '1.2.250.1.213.1.4.10' };
const ITI41 = DMP_TRANSACTIONS['TD2.1'];
const ITI57 = DMP_TRANSACTIONS['TD3.3'];
const TD31 = DMP_TRANSACTIONS['TD3.1'];

const isQuery = (r: CapturedRequest) => r.action === TD31.request;
const queryIds = (r: CapturedRequest) => (r.decoded.xds as DecodedAdhocQueryRequest).slots.find((s) => s.name === '$XDSDocumentEntryUniqueId')?.values.join('') ?? '';

describe('TD2.1 submission', () => {
  it('sends an MTOM lot with the document, its XAdES signature entry and a signed VIHF', async () => {
    const cda = cdaFixture();
    server.setHandler((req) => registryReply(req, ITI41.response));
    const client = makeClient(server.baseUrl);
    const out = await client.send(new SubmitDocumentsCommand({ documents: [{ content: cda, file: 'n1-pdf.xml' }] }));
    const req = server.requests.at(-1)!;
    expect(req.service).toBe('repository');
    expect(req.action).toBe(ITI41.request);
    expect(req.contentType).toMatch(/^multipart\/related;.*type="application\/xop\+xml"/);
    expect(req.attachments).toHaveLength(2);
    // The document travels byte for byte.
    expect(Buffer.from(req.attachments[0]!.body).equals(cda)).toBe(true);
    const vihf = verifyVihf(req.envelope, { trustedCertificates: [testPki().ca.certPem], requirePatient: true });
    expect(vihf.problems).toEqual([]);
    expect(vihf.context?.patient).toEqual(CDA_PATIENT);

    const pnr = req.decoded.xds as DecodedProvideAndRegister;
    expect(pnr.kind).toBe('ProvideAndRegisterDocumentSetRequest');
    const [doc, sig] = pnr.objects.documentEntries;
    expect(doc!.hash).toBe(sha1Hex(cda));
    expect(doc!.size).toBe(cda.length);
    expect(sig!.formatCode?.code).toBe('http://www.w3.org/2000/09/xmldsig#');
    const signs = pnr.objects.associations.find((a) => a.type === ASSOCIATION_TYPE.signs)!;
    expect(signs.sourceObject).toBe(sig!.entryUUID);
    const xades = verifyLotSignature(req.attachments[1]!.body, {
      documents: [{ uniqueId: doc!.uniqueId, content: cda }],
      submissionSetUniqueId: pnr.objects.submissionSets[0]!.uniqueId,
      trustedCertificates: [testPki().ca.certPem],
    });
    expect(xades.problems).toEqual([]);
    expect(xades.ok).toBe(true);

    expect(out.status).toBe('Success');
    expect(out.documents).toEqual([{ uniqueId: doc!.uniqueId, title: doc!.title }]);
    expect(out.submissionSetUniqueId).toBe(pnr.objects.submissionSets[0]!.uniqueId);
    expect(out.$metadata.correlationId).toBe(req.messageId);
    await client.close();
  });

  it('replaces a document: GetDocuments by uniqueId first, then RPLC to its entryUUID', async () => {
    const old = storedEntry({ patientId: '100000000000047^^^&1.2.250.1.213.1.4.10&ISO^NH' });
    server.setHandler((req) => (isQuery(req) ? queryReply(req, [old]) : registryReply(req, ITI41.response)));
    const client = makeClient(server.baseUrl);
    const start = server.requests.length;
    const out = await client.send(new SubmitDocumentsCommand({ documents: [{ content: cdaFixture(), replaces: old.uniqueId }] }));
    const [lookup, submit] = server.requests.slice(start);
    expect(queryIds(lookup!)).toContain(old.uniqueId);
    const rplc = (submit!.decoded.xds as DecodedProvideAndRegister).objects.associations.find((a) => a.type === ASSOCIATION_TYPE.RPLC)!;
    expect(rplc.targetObject).toBe(old.entryUUID);
    expect(out.documents[0]!.replaces).toBe(old.uniqueId);
    await client.close();
  });

  it('refuses a lot whose metadata has errors, without sending; force sends it', async () => {
    server.setHandler((req) => registryReply(req, ITI41.response));
    const client = makeClient(server.baseUrl);
    const start = server.requests.length;
    // Another patient than the CDA's: the VIHF resource-id and the lot's patientId disagree.
    const err = await client.send(new SubmitDocumentsCommand({ documents: [{ content: cdaFixture() }], patient: PATIENT })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SubmissionRefusedError);
    expect((err as SubmissionRefusedError).findings.some((f) => f.severity === 'error')).toBe(true);
    expect(server.requests.length).toBe(start);
    const forced = await client.send(new SubmitDocumentsCommand({ documents: [{ content: cdaFixture() }], patient: PATIENT, force: true }));
    expect(forced.findings.some((f) => f.severity === 'error')).toBe(true);
    expect(server.requests.length).toBe(start + 1);
    await client.close();
  });

  it('a lost response is not resent blindly: found by uniqueId, the submission is reported done', async () => {
    let submits = 0;
    server.setHandler((req): Reply => {
      if (isQuery(req)) return queryReply(req, [], submits > 0 ? ['urn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000c1'] : []);
      submits++;
      return { hang: true, body: '' };
    });
    const client = makeClient(server.baseUrl, { transportOptions: { retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }, timeouts: { connectMs: 1000, headersMs: 300, bodyMs: 300 } } });
    const out = await client.send(new SubmitDocumentsCommand({ documents: [{ content: cdaFixture() }] }));
    expect(submits).toBe(1);
    expect(out.confirmedAfterTransportFailure).toBe(true);
    expect(out.$metadata.correlationId).toMatch(/^urn:uuid:/);
    await client.close();
  });

  it('not found after the failure: retried once (transport policy), then the transport error with its correlation id', async () => {
    let submits = 0;
    server.setHandler((req): Reply => {
      if (isQuery(req)) return queryReply(req, []);
      submits++;
      return { hang: true, body: '' };
    });
    const client = makeClient(server.baseUrl, { transportOptions: { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 }, timeouts: { connectMs: 1000, headersMs: 300, bodyMs: 300 } } });
    const err = await client.send(new SubmitDocumentsCommand({ documents: [{ content: cdaFixture() }] })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).transportKind).toBe('headers-timeout');
    expect((err as TransportError).correlationId).toMatch(/^urn:uuid:/);
    expect((err as TransportError).transaction).toBe('TD2.1');
    expect(submits).toBe(2);
    await client.close();
  });

  it('without retries configured, a lost response is still checked by uniqueId before reporting a failure', async () => {
    let submits = 0;
    server.setHandler((req): Reply => {
      if (isQuery(req)) return queryReply(req, [], ['urn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000c1']);
      submits++;
      return { hang: true, body: '' };
    });
    const client = makeClient(server.baseUrl, { transportOptions: { retry: { attempts: 1 }, timeouts: { connectMs: 1000, headersMs: 300, bodyMs: 300 } } });
    const out = await client.send(new SubmitDocumentsCommand({ documents: [{ content: cdaFixture() }] }));
    expect(submits).toBe(1);
    expect(out.confirmedAfterTransportFailure).toBe(true);
    expect(out.$metadata.warnings).toEqual(['TRANSPORT-HEADERS-TIMEOUT']);
    await client.close();
  });
});

describe('TD3.3 updates', () => {
  it('archive: UpdateAvailabilityStatus from the registry’s current status', async () => {
    const entry = storedEntry();
    server.setHandler((req) => (isQuery(req) ? queryReply(req, [entry]) : registryReply(req, ITI57.response)));
    const client = makeClient(server.baseUrl);
    const out = await client.send(new UpdateDocumentCommand({ patient: PATIENT, action: 'archive', document: entry.uniqueId }));
    const req = server.requests.at(-1)!;
    expect(req.action).toBe(ITI57.request);
    const sor = req.decoded.xds as DecodedSubmitObjectsRequest;
    const a = sor.objects.associations.find((x) => x.type === ASSOCIATION_TYPE.UpdateAvailabilityStatus)!;
    expect(a.targetObject).toBe(entry.entryUUID);
    expect(a.originalStatus).toBe(AVAILABILITY_STATUS.Approved);
    expect(a.newStatus).toBe(AVAILABILITY_STATUS.Archived);
    expect(out.change).toEqual({ from: AVAILABILITY_STATUS.Approved, to: AVAILABILITY_STATUS.Archived });
    await client.close();
  });

  it('mask: a new metadata version with MASQUE_PS, same lid, PreviousVersion', async () => {
    const entry = storedEntry({ version: '3' });
    server.setHandler((req) => (isQuery(req) ? queryReply(req, [entry]) : registryReply(req, ITI57.response)));
    const client = makeClient(server.baseUrl);
    await client.send(new UpdateDocumentCommand({ patient: PATIENT, action: 'mask', document: entry.entryUUID! }));
    const sor = server.requests.at(-1)!.decoded.xds as DecodedSubmitObjectsRequest;
    const e = sor.objects.documentEntries[0]!;
    expect(e.logicalId).toBe(entry.logicalId);
    expect(e.confidentialityCode.map((c) => c.code)).toEqual(['N', 'MASQUE_PS']);
    const hm = sor.objects.associations.find((x) => x.type === ASSOCIATION_TYPE.HasMember)!;
    expect(hm.previousVersion).toBe('3');
    await client.close();
  });

  it('a document the registry does not know is reported before any update is sent', async () => {
    server.setHandler((req) => queryReply(req, []));
    const client = makeClient(server.baseUrl);
    const start = server.requests.length;
    await expect(client.send(new UpdateDocumentCommand({ patient: PATIENT, action: 'delete', document: '1.2.3.4' }))).rejects.toMatchObject({ code: 'DOCUMENT-NOT-FOUND' });
    expect(server.requests.slice(start).every(isQuery)).toBe(true);
    await client.close();
  });
});

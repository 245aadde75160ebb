/** TD0.2, TD1.3a, TD3.1, TD3.2, TD0.3, TD0.4, TD1.6 against a real HTTP server on 127.0.0.1. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildListAuthorizationByPatientResponse,
  buildPatientListResponse,
  buildSetAuthorizationResponse,
  DMP_TRANSACTIONS,
  FindDocumentsCommand,
  FindSubmissionSetsCommand,
  GetAdminDataCommand,
  GetAssociationsCommand,
  GetDocumentsAndAssociationsCommand,
  GetDmpStatusCommand,
  GetDocumentsCommand,
  ListAuthorizationsCommand,
  ListAuthorizedPatientsCommand,
  RetrieveDocumentsCommand,
  SetAuthorizationCommand,
  verifyVihf,
  type DecodedAdhocQueryRequest,
} from '../../src/index.js';
import { XDS_CORPUS } from '../support/corpus.js';
import { makeClient, PATIENT, testPki } from './fixtures.js';
import { patientQueryReply, queryReply, retrieveReply, storedEntry } from './responses.js';
import { soapReply, startServer, type TestServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(() => ({ status: 500, body: 'no handler', contentType: 'text/plain' }));
});
afterAll(() => server.close());

function lastRequest() {
  return server.requests.at(-1)!;
}

describe('TD0.2 status', () => {
  it('sends a signed HL7v3 query to the patients service and reads the status', async () => {
    const corpusFile = join(XDS_CORPUS, 'dmp-td0.2-test-existence-response.xml');
    // The official example answer when the corpus is here; our codec's otherwise.
    server.setHandler((req) => (existsSync(corpusFile) ? { body: readFileSync(corpusFile), contentType: 'application/soap+xml; charset=UTF-8' } : patientQueryReply(req)));
    const client = makeClient(server.baseUrl);
    const out = await client.send(new GetDmpStatusCommand({ patient: PATIENT }));
    const req = lastRequest();
    expect(req.service).toBe('patients');
    expect(req.action).toBe(DMP_TRANSACTIONS['TD0.2'].request);
    expect(req.decoded.payload.name).toBe('PRPA_IN201307UV02');
    const vihf = verifyVihf(req.envelope, { trustedCertificates: [testPki().ca.certPem], requirePatient: true });
    expect(vihf.problems).toEqual([]);
    expect(vihf.context?.patient).toEqual(PATIENT);
    expect(out.dmpExists).toBe(true);
    expect(out.authorization).toBe('VALIDE');
    expect(out.$metadata.correlationId).toBe(req.messageId);
    expect(out.$metadata.transaction).toBe('TD0.2');
    await client.close();
  });

  it('reports a DMP that does not exist (NF)', async () => {
    server.setHandler((req) => patientQueryReply(req, { exists: false }));
    const client = makeClient(server.baseUrl);
    const out = await client.send(new GetDmpStatusCommand({ patient: PATIENT }));
    expect(out.dmpExists).toBe(false);
    await client.close();
  });

  it('TD1.3a asks for CNSLT_DATA', async () => {
    server.setHandler((req) => patientQueryReply(req));
    const client = makeClient(server.baseUrl);
    await client.send(new GetAdminDataCommand({ patient: PATIENT }));
    expect(lastRequest().envelope).toContain('CNSLT_DATA');
    await client.close();
  });

  it('refuses an invalid INS before sending', async () => {
    const client = makeClient(server.baseUrl);
    const before = server.requests.length;
    await expect(client.send(new GetDmpStatusCommand({ patient: { ins: '207058575627000', oid: PATIENT.oid } }))).rejects.toMatchObject({ code: 'CLIENT-INPUT' });
    expect(server.requests.length).toBe(before);
    await client.close();
  });
});

describe('TD3.1 queries', () => {
  it('FindDocuments sends every filter given and decodes the entries', async () => {
    server.setHandler((req) => queryReply(req, [storedEntry()]));
    const client = makeClient(server.baseUrl);
    const out = await client.send(
      new FindDocumentsCommand({
        patient: PATIENT,
        status: ['Approved', 'Archived'],
        classCode: [{ code: '10', codingScheme: '1.2.250.1.213.1.1.4.1' }],
        serviceStartTimeFrom: '20240101',
        confidentialityCode: [{ code: 'MASQUE_PS', codingScheme: '1.2.250.1.213.1.1.4.13' }],
      }),
    );
    const req = lastRequest();
    expect(req.service).toBe('registry');
    const q = req.decoded.xds as DecodedAdhocQueryRequest;
    expect(q.kind).toBe('AdhocQueryRequest');
    const params = Object.fromEntries(q.slots.map((s) => [s.name, s.values.join('|')]));
    expect(params.$XDSDocumentEntryPatientId).toBe("'207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH'");
    expect(params.$XDSDocumentEntryStatus).toContain('urn:asip:ci-sis:2010:StatusType:Archived');
    expect(params.$XDSDocumentEntryClassCode).toContain("10^^1.2.250.1.213.1.1.4.1");
    expect(params.$XDSDocumentEntryServiceStartTimeFrom).toBe('20240101');
    expect(params.$XDSDocumentEntryConfidentialityCode).toContain('MASQUE_PS');
    expect(out.documentEntries).toHaveLength(1);
    expect(out.documentEntries[0]!.uniqueId).toBe(storedEntry().uniqueId);
    expect(out.$metadata.correlationId).toBe(req.messageId);
    await client.close();
  });

  it('GetDocuments by entryUUID', async () => {
    server.setHandler((req) => queryReply(req, [storedEntry()]));
    const client = makeClient(server.baseUrl);
    await client.send(new GetDocumentsCommand({ patient: PATIENT, entryUUIDs: [storedEntry().entryUUID!] }));
    const q = lastRequest().decoded.xds as DecodedAdhocQueryRequest;
    expect(q.slots.map((s) => s.name)).toContain('$XDSDocumentEntryEntryUUID');
    await client.close();
  });

  it('FindSubmissionSets, GetAssociations and GetDocumentsAndAssociations use their stored query ids', async () => {
    server.setHandler((req) => queryReply(req, [storedEntry()]));
    const client = makeClient(server.baseUrl);
    await client.send(new FindSubmissionSetsCommand({ patient: PATIENT, submissionTimeFrom: '20260101' }));
    const fss = lastRequest().decoded.xds as DecodedAdhocQueryRequest;
    expect(fss.queryName).toBe('FindSubmissionSets');
    expect(fss.slots.find((x) => x.name === '$XDSSubmissionSetSubmissionTimeFrom')?.values).toEqual(['20260101']);
    await client.send(new GetAssociationsCommand({ patient: PATIENT, uuids: [storedEntry().entryUUID!] }));
    expect((lastRequest().decoded.xds as DecodedAdhocQueryRequest).queryName).toBe('GetAssociations');
    const out = await client.send(new GetDocumentsAndAssociationsCommand({ patient: PATIENT, uniqueIds: [storedEntry().uniqueId] }));
    expect((lastRequest().decoded.xds as DecodedAdhocQueryRequest).queryName).toBe('GetDocumentsAndAssociations');
    expect(out.documentEntries).toHaveLength(1);
    await client.close();
  });

  it('GetDocuments needs exactly one kind of id', async () => {
    const client = makeClient(server.baseUrl);
    await expect(client.send(new GetDocumentsCommand({ patient: PATIENT }))).rejects.toMatchObject({ code: 'CLIENT-INPUT' });
    await client.close();
  });
});

describe('TD3.2 retrieve', () => {
  it('reads the document bytes from the MTOM response', async () => {
    const content = Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"/>');
    server.setHandler((req) => retrieveReply(req, [{ uniqueId: '1.2.250.1.999.1.1.7898.1.42', content }]));
    const client = makeClient(server.baseUrl);
    const out = await client.send(new RetrieveDocumentsCommand({ patient: PATIENT, uniqueIds: ['1.2.250.1.999.1.1.7898.1.42'] }));
    expect(lastRequest().service).toBe('repository');
    expect(lastRequest().envelope).toContain('<xdsb:RepositoryUniqueId>1.2.250.1.213.4.1.1.1.2</xdsb:RepositoryUniqueId>');
    expect(Buffer.from(out.documents[0]!.content).equals(content)).toBe(true);
    await client.close();
  });

  it('refuses an entryUUID (the DMP would answer XDSDocumentUniqueIdError)', async () => {
    const client = makeClient(server.baseUrl);
    await expect(client.send(new RetrieveDocumentsCommand({ patient: PATIENT, uniqueIds: ['urn:uuid:0b0e4a2c-3a1f-4c55-9a0d-0000000000a1'] }))).rejects.toMatchObject({ code: 'CLIENT-INPUT' });
    await client.close();
  });
});

describe('DMP services (TD0.3, TD0.4, TD1.6)', () => {
  it('TD0.3 setAuthorization goes to habilitations', async () => {
    server.setHandler((req) => soapReply(req, DMP_TRANSACTIONS['TD0.3'].response, buildSetAuthorizationResponse({ status: 'DMPOk', context: 'Autorisation déjà présente aucune action effectuée' })));
    const client = makeClient(server.baseUrl);
    const out = await client.send(new SetAuthorizationCommand({ patient: PATIENT, action: 'AJOUT', role: 'MEDECIN_TRAITANT' }));
    expect(lastRequest().service).toBe('habilitations');
    expect(lastRequest().envelope).toMatch(/<[\w:]*action>AJOUT<\/[\w:]*action>/);
    expect(out.status).toBe('DMPOk');
    await client.close();
  });

  it('TD0.4 patientList carries no patient in the VIHF', async () => {
    server.setHandler((req) => soapReply(req, DMP_TRANSACTIONS['TD0.4'].response, buildPatientListResponse({ status: 'DMPOk' }, [{ patientIdentifiers: [{ nationalId: '207058575627097', nationalIdType: 'NIR' }], mt: true }])));
    const client = makeClient(server.baseUrl);
    const out = await client.send(new ListAuthorizedPatientsCommand({ since: new Date('2026-01-01T00:00:00Z') }));
    const vihf = verifyVihf(lastRequest().envelope, { trustedCertificates: [testPki().ca.certPem] });
    expect(vihf.context?.patient).toBeUndefined();
    expect(lastRequest().envelope).toContain('20260101000000');
    expect(out.patients).toHaveLength(1);
    await client.close();
  });

  it('TD1.6 lists authorizations', async () => {
    server.setHandler((req) =>
      soapReply(req, DMP_TRANSACTIONS['TD1.6'].response, buildListAuthorizationByPatientResponse({ status: 'DMPOk' }, [{ nationalId: '899900063480', codeSpeciality: [], libSpeciality: [], mode: 'ACTIVE', specificRight: [] }])),
    );
    const client = makeClient(server.baseUrl);
    const out = await client.send(new ListAuthorizationsCommand({ patient: PATIENT, mode: 'ACTIVE' }));
    expect(out.authorizations[0]!.mode).toBe('ACTIVE');
    await client.close();
  });
});

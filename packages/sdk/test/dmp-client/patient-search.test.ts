/** TD0.5 (PDQv3 search without INS) against a real HTTP server: the query parameters sent, the patients read, a NACK. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DMP_TRANSACTIONS, Hl7v3NackError, SearchPatientCommand, verifyVihf } from '../../src/index.js';
import { makeClient, testPki } from './fixtures.js';
import { soapReply, startServer, type CapturedRequest, type TestServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(() => ({ status: 500, body: '', contentType: 'text/plain' }));
});
afterAll(() => server.close());

/** A PRPA_IN201306UV02 answering with one patient whose family name is the one asked for (so the test sees the echo). */
function pdqReply(req: CapturedRequest, ack = 'AA'): ReturnType<typeof soapReply> {
  const family = /<family>([^<]*)<\/family>/.exec(req.envelope)?.[1] ?? '';
  const detail = ack === 'AA' ? '' : '<acknowledgementDetail typeCode="E"><code code="DMPTooManyResults"/><text>Trop de résultats</text></acknowledgementDetail>';
  const subject =
    ack === 'AA'
      ? `<subject typeCode="SUBJ"><registrationEvent classCode="REG" moodCode="EVN"><subject1 typeCode="SBJ"><patient classCode="PAT"><id root="1.2.250.1.213.1.4.10" extension="248039263001064"/><statusCode code="active"/>` +
        `<patientPerson><name><family qualifier="BR">${family}</family><given>ALICE</given></name><administrativeGenderCode code="F"/><birthTime value="19800101"/></patientPerson></patient></subject1></registrationEvent></subject>`
      : '';
  const body =
    `<PRPA_IN201306UV02 xmlns="urn:hl7-org:v3" ITSVersion="XML_1.0"><id root="1.2.250.1.213.4.1.1.1.1" extension="r1"/><creationTime value="20260115100000"/>` +
    `<interactionId root="2.16.840.1.113883.1.6" extension="PRPA_IN201306UV02"/><acknowledgement typeCode="${ack}">${detail}</acknowledgement>` +
    `<controlActProcess classCode="CACT" moodCode="EVN">${subject}<queryAck><queryResponseCode code="${ack === 'AA' ? 'OK' : 'AE'}"/></queryAck></controlActProcess></PRPA_IN201306UV02>`;
  return soapReply(req, DMP_TRANSACTIONS['TD0.5'].response, body);
}

describe('TD0.5 patient search', () => {
  it('sends the traits as PDQv3 parameters without patient in the VIHF, reads the patients', async () => {
    server.setHandler((req) => pdqReply(req));
    const client = makeClient(server.baseUrl);
    const out = await client.send(new SearchPatientCommand({ family: 'DMPKIT-TEST', gender: 'F', birthDate: '19800101' }));
    const req = server.requests.at(-1)!;
    expect(req.service).toBe('patients');
    expect(req.action).toBe(DMP_TRANSACTIONS['TD0.5'].request);
    expect(req.envelope).toContain('<livingSubjectBirthTime><value value="19800101"/>');
    expect(verifyVihf(req.envelope, { trustedCertificates: [testPki().ca.certPem] }).context?.patient).toBeUndefined();
    expect(out.queryResponseCode).toBe('OK');
    expect(out.patients).toEqual([{ ids: [{ root: '1.2.250.1.213.1.4.10', extension: '248039263001064' }], status: 'active', family: ['DMPKIT-TEST'], given: ['ALICE'], gender: 'F', birthTime: '19800101' }]);
    await client.close();
  });

  it('a negative acknowledgement is an Hl7v3NackError with the correlation id', async () => {
    server.setHandler((req) => pdqReply(req, 'AE'));
    const client = makeClient(server.baseUrl);
    const err = await client.send(new SearchPatientCommand({ family: 'X' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Hl7v3NackError);
    expect((err as Hl7v3NackError).code).toBe('DMPTooManyResults');
    expect((err as Hl7v3NackError).correlationId).toBe(server.requests.at(-1)!.messageId);
    await client.close();
  });

  it('needs a name or a birth date', async () => {
    const client = makeClient(server.baseUrl);
    await expect(client.send(new SearchPatientCommand({ gender: 'F' }))).rejects.toMatchObject({ code: 'CLIENT-INPUT' });
    await client.close();
  });
});

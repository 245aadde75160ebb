/** Typed errors from real HTTP exchanges: SOAP fault, registry Failure, HL7v3 NACK, DMP service status, timeout; middleware. */
import nock from 'nock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildSetAuthorizationResponse,
  DMP_TRANSACTIONS,
  DmpServiceError,
  explainError,
  FindDocumentsCommand,
  GetDmpStatusCommand,
  Hl7v3NackError,
  loggingMiddleware,
  recordingMiddleware,
  RegistryError,
  RetrieveDocumentsCommand,
  SetAuthorizationCommand,
  SoapFaultError,
  TransportError,
  UnexpectedResponseError,
  type ClientExchange,
  type LogEvent,
} from '../../src/index.js';
import { makeClient, PATIENT } from './fixtures.js';
import { invalidCertificateFault, patientQueryReply, queryReply, registryReply, storedEntry } from './responses.js';
import { soapReply, startServer, type TestServer } from './server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer(() => ({ status: 500, body: 'no handler', contentType: 'text/plain' }));
});
afterAll(() => server.close());

async function failure(send: () => Promise<unknown>): Promise<unknown> {
  return send().then(
    () => {
      throw new Error('expected a failure');
    },
    (e: unknown) => e,
  );
}

describe('typed errors', () => {
  it('SOAP fault DMPInvalidCertificate (HTTP 500) → SoapFaultError with the correlation id, explained by the catalogue', async () => {
    server.setHandler((req) => invalidCertificateFault(req));
    const client = makeClient(server.baseUrl);
    const err = await failure(() => client.send(new GetDmpStatusCommand({ patient: PATIENT })));
    expect(err).toBeInstanceOf(SoapFaultError);
    const f = err as SoapFaultError;
    expect(f.code).toContain('DMPInvalidCertificate');
    expect(f.httpStatus).toBe(500);
    expect(f.correlationId).toBe(server.requests.at(-1)!.messageId);
    expect(f.transaction).toBe('TD0.2');
    const d = explainError(f);
    expect(d.items[0]!.known).toBe(true);
    await client.close();
  });

  it('RegistryResponse Failure → RegistryError with code, codeContext, location', async () => {
    server.setHandler((req) => registryReply(req, DMP_TRANSACTIONS['TD3.1'].response, [{ errorCode: 'XDSUnknownPatientId', codeContext: 'patient inconnu', location: 'registry' }]));
    const client = makeClient(server.baseUrl);
    const err = await failure(() => client.send(new FindDocumentsCommand({ patient: PATIENT })));
    expect(err).toBeInstanceOf(RegistryError);
    const r = err as RegistryError;
    expect(r.code).toBe('XDSUnknownPatientId');
    expect(r.errors[0]).toMatchObject({ errorCode: 'XDSUnknownPatientId', severity: 'Error', codeContext: 'patient inconnu', location: 'registry' });
    expect(r.correlationId).toBe(server.requests.at(-1)!.messageId);
    await client.close();
  });

  it('HL7v3 negative acknowledgement → Hl7v3NackError', async () => {
    server.setHandler((req) => patientQueryReply(req, { nack: { code: 'DMPClosed', text: 'DMP fermé' } }));
    const client = makeClient(server.baseUrl);
    const err = await failure(() => client.send(new GetDmpStatusCommand({ patient: PATIENT })));
    expect(err).toBeInstanceOf(Hl7v3NackError);
    expect((err as Hl7v3NackError).code).toBe('DMPClosed');
    expect((err as Hl7v3NackError).correlationId).toMatch(/^urn:uuid:/);
    await client.close();
  });

  it('DMP service status other than DMPOk → DmpServiceError', async () => {
    server.setHandler((req) => soapReply(req, DMP_TRANSACTIONS['TD0.3'].response, buildSetAuthorizationResponse({ status: 'DMPAccessDenied', context: 'refus' })));
    const client = makeClient(server.baseUrl);
    const err = await failure(() => client.send(new SetAuthorizationCommand({ patient: PATIENT, action: 'SUPPRESSION' })));
    expect(err).toBeInstanceOf(DmpServiceError);
    expect((err as DmpServiceError).status).toBe('DMPAccessDenied');
    await client.close();
  });

  it('a response of another transaction → UnexpectedResponseError', async () => {
    server.setHandler((req) => queryReply(req, [storedEntry()]));
    const client = makeClient(server.baseUrl);
    const err = await failure(() => client.send(new RetrieveDocumentsCommand({ patient: PATIENT, uniqueIds: ['1.2.3'] })));
    expect(err).toBeInstanceOf(UnexpectedResponseError);
    expect((err as UnexpectedResponseError).received).toBe('AdhocQueryResponse');
    expect((err as UnexpectedResponseError).correlationId).toMatch(/^urn:uuid:/);
    await client.close();
  });

  it('no answer in time → TransportError headers-timeout (a read is retried per policy)', async () => {
    server.setHandler(() => ({ hang: true, body: '' }));
    const client = makeClient(server.baseUrl, { transportOptions: { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, timeouts: { connectMs: 1000, headersMs: 200, bodyMs: 200 } } });
    const before = server.requests.length;
    const err = await failure(() => client.send(new FindDocumentsCommand({ patient: PATIENT })));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).transportKind).toBe('headers-timeout');
    expect((err as TransportError).transaction).toBe('TD3.1');
    expect(server.requests.length - before).toBe(2);
    await client.close();
  });

  it('connection reset mid-response (nock: a real server cannot cut its own reply this way) → TransportError', async () => {
    nock('http://dmp.test').post('/v2/services/registry').replyWithError({ code: 'ECONNRESET', message: 'socket hang up' });
    const client = makeClient('http://dmp.test/v2/services');
    const err = await failure(() => client.send(new FindDocumentsCommand({ patient: PATIENT })));
    expect(err).toBeInstanceOf(TransportError);
    expect((err as TransportError).correlationId).toMatch(/^urn:uuid:/);
    nock.cleanAll();
    await client.close();
  });
});

describe('middleware', () => {
  it('logs one event per exchange without bodies, and records with health data redacted by default', async () => {
    server.setHandler((req) => patientQueryReply(req));
    const events: LogEvent[] = [];
    const exchanges: ClientExchange[] = [];
    const client = makeClient(server.baseUrl, { middleware: [loggingMiddleware((e) => events.push(e)), recordingMiddleware((x) => void exchanges.push(x))] });
    const out = await client.send(new GetDmpStatusCommand({ patient: PATIENT }));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ level: 'info', transaction: 'TD0.2', httpStatus: 200, correlationId: out.$metadata.correlationId });
    expect(JSON.stringify(events)).not.toContain(PATIENT.ins);
    expect(exchanges[0]!.redacted).toBe(true);
    expect(exchanges[0]!.request.body.toString()).not.toContain(PATIENT.ins);
    expect(exchanges[0]!.response!.body.toString()).not.toContain(PATIENT.ins);
    // Unredacted on request only.
    const raw: ClientExchange[] = [];
    client.use(recordingMiddleware((x) => void raw.push(x), { redact: false }));
    await client.send(new GetDmpStatusCommand({ patient: PATIENT }));
    expect(raw[0]!.request.body.toString()).toContain(PATIENT.ins);
    await client.close();
  });
});

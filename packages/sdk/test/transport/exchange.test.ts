/** SoapTransport against real HTTP servers on 127.0.0.1: what is sent, what comes back, and every failure kind. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SoapTransport, type SoapRequest } from '../../src/transport/index.js';
import { TransportError, explainError } from '../../src/errors/index.js';
import { SOAP12, SUCCESS_BODY, afterRequest, closedPort, httpServer, rawServer, soapEnvelope, type TestServer } from './servers.js';

function post(url: string, extra: Partial<SoapRequest> = {}): SoapRequest {
  return { url, body: Buffer.from(soapEnvelope('<q/>')), contentType: SOAP12, mode: 'read', transaction: 'TD3.1', ...extra };
}

async function failure(p: Promise<unknown>): Promise<TransportError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a TransportError').toBeInstanceOf(TransportError);
  return err as TransportError;
}

describe('a successful exchange', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await httpServer((_req, res) => {
      res.setHeader('content-type', SOAP12);
      res.end(SUCCESS_BODY);
    });
  });
  afterAll(() => server.close());

  it('POSTs the exact bytes with Content-Type and Content-Length, and returns status, headers, body and a urn:uuid correlation id', async () => {
    const t = new SoapTransport();
    const body = Buffer.from(soapEnvelope('<q>é</q>'));
    const res = await t.send(post(`${server.url}/si-dmp-server/v2/services/registry`, { body }));
    const got = server.received.at(-1)!;
    expect(got.method).toBe('POST');
    expect(got.url).toBe('/si-dmp-server/v2/services/registry');
    expect(got.body.equals(body)).toBe(true);
    expect(got.headers['content-type']).toBe(SOAP12);
    expect(got.headers['content-length']).toBe(String(body.length));
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe(SUCCESS_BODY);
    expect(res.contentType).toBe(SOAP12);
    expect(res.correlationId).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(res.attempts).toBe(1);
    expect(res.timing.attempts[0]!.outcome).toBe('response');
    expect(res.timing.attempts[0]!.headersMs).toBeGreaterThanOrEqual(0);
    await t.close();
  });

  it('sends an MTOM package given as chunks without concatenating them first, and keeps a given correlation id', async () => {
    const t = new SoapTransport();
    const chunks = [Buffer.from('--b\r\nContent-Type: application/xop+xml\r\n\r\n'), Buffer.from(soapEnvelope('<x/>')), Buffer.alloc(300_000, 7), Buffer.from('\r\n--b--\r\n')];
    const res = await t.send(post(server.url, { body: chunks, contentType: 'multipart/related; boundary=b; type="application/xop+xml"', correlationId: 'urn:uuid:11111111-2222-3333-4444-555555555555', mode: 'write' }));
    const got = server.received.at(-1)!;
    expect(got.body.equals(Buffer.concat(chunks))).toBe(true);
    expect(got.headers['content-length']).toBe(String(Buffer.concat(chunks).length));
    expect(res.correlationId).toBe('urn:uuid:11111111-2222-3333-4444-555555555555');
    await t.close();
  });

  it('sends the SOAPAction header when asked (SOAP 1.1)', async () => {
    const t = new SoapTransport();
    await t.send(post(server.url, { contentType: 'text/xml; charset=UTF-8', soapAction: 'urn:ihe:iti:2007:RegistryStoredQuery' }));
    expect(server.received.at(-1)!.headers.soapaction).toBe('"urn:ihe:iti:2007:RegistryStoredQuery"');
    await t.close();
  });

  it('refuses a malformed request before any network traffic, naming the field', async () => {
    const t = new SoapTransport();
    await expect(t.send(post('ftp://x/y'))).rejects.toThrow(/url must be http/);
    await expect(t.send(post(server.url, { mode: 'sometimes' as never }))).rejects.toThrow(/mode must be "read" or "write"/);
    await expect(t.send(post(server.url, { contentType: ' ' }))).rejects.toThrow(/contentType is required/);
    await expect(t.send(post(server.url, { body: 'text' as never }))).rejects.toThrow(/body must be/);
    await t.close();
  });
});

describe('HTTP statuses', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await httpServer((req, res) => {
      if (req.url === '/fault') {
        res.statusCode = 500;
        res.setHeader('content-type', SOAP12);
        res.end(soapEnvelope('<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code></soap:Fault>'));
      } else if (req.url === '/missing') {
        res.statusCode = 404;
        res.setHeader('content-type', 'text/html');
        res.end('<html><body><h1>404 Not Found</h1> no service 207058575627097 here</body></html>');
      } else if (req.url === '/portal') {
        res.setHeader('content-type', 'text/html; charset=utf-8');
        res.end('<html>Bienvenue sur le portail</html>');
      } else if (req.url === '/empty') {
        res.end();
      }
    });
  });
  afterAll(() => server.close());

  it('returns a 500 that carries a SOAP fault (the codec turns it into SoapFaultError)', async () => {
    const t = new SoapTransport();
    const res = await t.send(post(`${server.url}/fault`));
    expect(res.status).toBe(500);
    expect(res.body.toString()).toContain('soap:Sender');
    await t.close();
  });

  it('turns a non-SOAP error page into http-status with a sanitised excerpt', async () => {
    const t = new SoapTransport();
    const err = await failure(t.send(post(`${server.url}/missing`)));
    expect(err.transportKind).toBe('http-status');
    expect(err.code).toBe('TRANSPORT-HTTP-STATUS');
    expect(err.httpStatus).toBe(404);
    expect(err.bodyExcerpt).toContain('404 Not Found');
    expect(err.bodyExcerpt).not.toContain('207058575627097');
    expect(err.correlationId).toMatch(/^urn:uuid:/);
    expect(err.transaction).toBe('TD3.1');
    expect(err.retry).toEqual({ attempts: 1, stoppedBy: 'not-retryable' });
    const d = explainError(err);
    expect(d.items.map((i) => i.code)).toEqual(['TRANSPORT-HTTP-STATUS', 'HTTP-404']);
    expect(d.known).toBe(true);
    await t.close();
  });

  it('turns a 200 that is not SOAP (HTML, empty) into not-soap', async () => {
    const t = new SoapTransport();
    expect((await failure(t.send(post(`${server.url}/portal`)))).transportKind).toBe('not-soap');
    const empty = await failure(t.send(post(`${server.url}/empty`)));
    expect(empty.transportKind).toBe('not-soap');
    expect(empty.httpStatus).toBe(200);
    await t.close();
  });
});

describe('network failures', () => {
  it('connection refused', async () => {
    const port = await closedPort();
    const t = new SoapTransport({ retry: { attempts: 1 } });
    const err = await failure(t.send(post(`http://127.0.0.1:${port}/x`)));
    expect(err.transportKind).toBe('connection-refused');
    expect(err.systemCode).toBe('ECONNREFUSED');
    expect(err.phase).toBe('connect');
    expect(err.endpoint).toBe(`http://127.0.0.1:${port}/x`);
    await t.close();
  });

  it('DNS failure', async () => {
    const t = new SoapTransport({ retry: { attempts: 1 } });
    const err = await failure(t.send(post('http://dmpkit-test.invalid/si-dmp-server/v2/services/registry')));
    expect(err.transportKind).toBe('dns');
    expect(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA']).toContain(err.systemCode);
    await t.close();
  });

  it('connect timeout: a TLS server that never answers the handshake', async () => {
    const silent = await rawServer(() => undefined);
    const t = new SoapTransport({ timeouts: { connectMs: 200 }, retry: { attempts: 1 } });
    const err = await failure(t.send(post(`https://127.0.0.1:${silent.port}/x`)));
    expect(err.transportKind).toBe('connect-timeout');
    expect(err.code).toBe('TRANSPORT-CONNECT-TIMEOUT');
    await t.close();
    await silent.close();
  });

  it('headers timeout: the server takes the request and does not answer', async () => {
    const slow = await httpServer(() => undefined);
    const t = new SoapTransport({ timeouts: { headersMs: 200 }, retry: { attempts: 1 } });
    const err = await failure(t.send(post(slow.url)));
    expect(err.transportKind).toBe('headers-timeout');
    expect(err.phase).toBe('headers');
    await t.close();
    await slow.close();
  });

  it('body timeout: the response stalls after its headers', async () => {
    const stall = await httpServer((_req, res) => {
      res.writeHead(200, { 'content-type': SOAP12, 'content-length': '5000' });
      res.write('<soap:Envelope');
    });
    const t = new SoapTransport({ timeouts: { bodyMs: 200 }, retry: { attempts: 1 } });
    const err = await failure(t.send(post(stall.url)));
    expect(err.transportKind).toBe('body-timeout');
    expect(err.phase).toBe('body');
    expect(err.bytesReceived).toBe('<soap:Envelope'.length);
    await t.close();
    await stall.close();
  });

  it('connection reset in the middle of the body (RST from the server)', async () => {
    const server = await rawServer((socket) =>
      afterRequest(socket, () => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: ${SOAP12}\r\nContent-Length: 4000\r\n\r\n`);
        socket.write(Buffer.alloc(1000, 0x41), () => setTimeout(() => socket.resetAndDestroy(), 20));
      }),
    );
    const t = new SoapTransport({ retry: { attempts: 1 } });
    const err = await failure(t.send(post(server.url)));
    expect(err.transportKind).toBe('connection-reset');
    expect(err.systemCode).toBe('ECONNRESET');
    expect(err.phase).toBe('body');
    await t.close();
    await server.close();
  });

  it('truncated body: the server closes before Content-Length bytes', async () => {
    const server = await rawServer((socket) =>
      afterRequest(socket, () => {
        socket.end(`HTTP/1.1 200 OK\r\nContent-Type: ${SOAP12}\r\nContent-Length: 4000\r\n\r\n<soap:Envelope>`);
      }),
    );
    const t = new SoapTransport({ retry: { attempts: 1 } });
    const err = await failure(t.send(post(server.url)));
    expect(err.transportKind).toBe('truncated');
    expect(err.phase).toBe('body');
    await t.close();
    await server.close();
  });

  it('truncated multipart: a complete HTTP message whose MTOM package lacks its close delimiter', async () => {
    const cut = [
      '--uuid:9d70af7a',
      'Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"',
      'Content-ID: <root.message@cxf.apache.org>',
      '',
      soapEnvelope('<x/>'),
      '--uuid:9d70af7a',
      'Content-Type: application/octet-stream',
      'Content-ID: <doc1@urn:ihe:iti:xds-b:2007>',
      '',
      'PDF-BYTES-BUT-NOT-ALL',
    ].join('\r\n');
    const server = await httpServer((_req, res) => {
      res.setHeader('content-type', 'multipart/related; type="application/xop+xml"; boundary="uuid:9d70af7a"; start="<root.message@cxf.apache.org>"');
      res.end(cut);
    });
    const t = new SoapTransport({ retry: { attempts: 1 } });
    const err = await failure(t.send(post(server.url)));
    expect(err.transportKind).toBe('truncated');
    expect(err.detail).toMatch(/close delimiter/);
    // The same package with its close delimiter (and an epilogue, as seen in the corpus) goes through.
    await server.close();
    const whole = await httpServer((_req, res) => {
      res.setHeader('content-type', 'multipart/related; type="application/xop+xml"; boundary="uuid:9d70af7a"');
      res.end(`${cut}\r\n--uuid:9d70af7a--\r\nTarget endpoint: https://example\r\n`);
    });
    expect((await t.send(post(whole.url))).status).toBe(200);
    await t.close();
    await whole.close();
  });

  it('too large: stops reading past maxResponseBytes (declared or streamed)', async () => {
    const server = await httpServer((req, res) => {
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-type': SOAP12, 'content-length': '5000' });
        res.end(Buffer.alloc(5000, 0x20));
      } else {
        res.writeHead(200, { 'content-type': SOAP12 });
        for (let i = 0; i < 10; i++) res.write(Buffer.alloc(1000, 0x20));
        res.end();
      }
    });
    const t = new SoapTransport({ maxResponseBytes: 2048 });
    const declared = await failure(t.send(post(`${server.url}/declared`)));
    expect(declared.transportKind).toBe('too-large');
    expect(declared.limit).toBe(2048);
    const streamed = await failure(t.send(post(`${server.url}/streamed`)));
    expect(streamed.transportKind).toBe('too-large');
    expect(streamed.bytesReceived).toBeGreaterThan(2048);
    // A per-request limit overrides the transport's.
    expect((await failure(t.send(post(`${server.url}/streamed`, { maxResponseBytes: 20_000 })))).transportKind).toBe('not-soap');
    await t.close();
    await server.close();
  });

  it('aborted by the caller', async () => {
    const slow = await httpServer(() => undefined);
    const t = new SoapTransport();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const err = await failure(t.send(post(slow.url, { signal: controller.signal })));
    expect(err.transportKind).toBe('aborted');
    expect(err.retry?.stoppedBy).toBe('not-retryable');
    await t.close();
    await slow.close();
  });

  it('every error serialises without health data and carries the correlation id', async () => {
    const port = await closedPort();
    const t = new SoapTransport({ retry: { attempts: 1 } });
    const err = await failure(t.send(post(`http://127.0.0.1:${port}/x`, { correlationId: 'urn:uuid:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee' })));
    const json = JSON.parse(JSON.stringify(err));
    expect(json.correlationId).toBe('urn:uuid:aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee');
    expect(json.code).toBe('TRANSPORT-CONNECTION-REFUSED');
    expect(json.details.retry).toEqual({ attempts: 1, stoppedBy: 'attempts-exhausted' });
    await t.close();
  });
});

/**
 * Retries: reads are retried on transient failures with backoff and jitter; a write (ITI-41) is only retried when
 * the request provably never left, or when the caller's beforeRetry check (did the uniqueId land?) says so.
 */
import { describe, expect, it } from 'vitest';
import { SoapTransport, backoffDelay, retryAfterMs, retryClass, DEFAULT_RETRY_POLICY, type RetryContext, type SoapRequest } from '../../src/transport/index.js';
import { TransportError } from '../../src/errors/index.js';
import { SOAP12, SUCCESS_BODY, afterRequest, closedPort, httpServer, rawServer, soapEnvelope } from './servers.js';

function recorderSleep() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

const req = (url: string, mode: 'read' | 'write', extra: Partial<SoapRequest> = {}): SoapRequest => ({
  url,
  body: Buffer.from(soapEnvelope('<x/>')),
  contentType: SOAP12,
  mode,
  transaction: mode === 'write' ? 'TD2.1' : 'TD3.1',
  ...extra,
});

/** Answers 503 (HTML) for the first `failures` requests, then success. */
async function flakyServer(failures: number, status = 503, headers: Record<string, string> = {}) {
  let n = 0;
  return httpServer((_r, res) => {
    n++;
    if (n <= failures) {
      res.writeHead(status, { 'content-type': 'text/html', ...headers });
      res.end('<html>Service Unavailable</html>');
    } else {
      res.setHeader('content-type', SOAP12);
      res.end(SUCCESS_BODY);
    }
  });
}

describe('reads', () => {
  it('are retried on 503 with exponential backoff and jitter, then succeed; the correlation id is the same for all attempts', async () => {
    const server = await flakyServer(2);
    const { delays, sleep } = recorderSleep();
    const t = new SoapTransport({ sleep, random: () => 0.5, retry: { attempts: 3, baseDelayMs: 100, maxDelayMs: 1000 } });
    const res = await t.send(req(server.url, 'read'));
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(3);
    expect(server.received).toHaveLength(3);
    // equal jitter: exp/2 + random * exp/2 with exp = 100, 200.
    expect(delays).toEqual([75, 150]);
    expect(res.timing.attempts.map((a) => a.outcome)).toEqual(['http-status', 'http-status', 'response']);
    await t.close();
    await server.close();
  });

  it('give up after the configured attempts with the last error and why they stopped', async () => {
    const server = await flakyServer(10);
    const { sleep } = recorderSleep();
    const t = new SoapTransport({ sleep, retry: { attempts: 2 } });
    const err = (await t.send(req(server.url, 'read')).catch((e: unknown) => e)) as TransportError;
    expect(err).toBeInstanceOf(TransportError);
    expect(err.httpStatus).toBe(503);
    expect(err.retry).toEqual({ attempts: 2, stoppedBy: 'attempts-exhausted' });
    expect(err.bodyExcerpt).toContain('Service Unavailable');
    expect(server.received).toHaveLength(2);
    await t.close();
    await server.close();
  });

  it('are retried after a connection reset', async () => {
    let n = 0;
    const server = await rawServer((socket) =>
      afterRequest(socket, () => {
        if (++n === 1) return socket.resetAndDestroy();
        socket.end(`HTTP/1.1 200 OK\r\nContent-Type: ${SOAP12}\r\nContent-Length: ${Buffer.byteLength(SUCCESS_BODY)}\r\n\r\n${SUCCESS_BODY}`);
      }),
    );
    const t = new SoapTransport({ sleep: async () => undefined });
    const res = await t.send(req(server.url, 'read'));
    expect(res.attempts).toBe(2);
    expect(res.timing.attempts[0]!.outcome).toBe('connection-reset');
    await t.close();
    await server.close();
  });

  it('honour Retry-After (capped at maxDelayMs)', async () => {
    const server = await flakyServer(1, 503, { 'retry-after': '2' });
    const { delays, sleep } = recorderSleep();
    const t = new SoapTransport({ sleep, retry: { maxDelayMs: 5000 } });
    await t.send(req(server.url, 'read'));
    expect(delays).toEqual([2000]);
    await t.close();
    await server.close();
  });

  it('are not retried on failures that will not get better (404, TLS, not SOAP)', async () => {
    const server = await flakyServer(5, 404);
    const { delays, sleep } = recorderSleep();
    const t = new SoapTransport({ sleep });
    const err = (await t.send(req(server.url, 'read')).catch((e: unknown) => e)) as TransportError;
    expect(err.retry?.stoppedBy).toBe('not-retryable');
    expect(delays).toEqual([]);
    expect(server.received).toHaveLength(1);
    await t.close();
    await server.close();
  });

  it('return a retryable status that carries a SOAP fault once retries are over, for the codec to explain', async () => {
    const server = await httpServer((_r, res) => {
      res.writeHead(503, { 'content-type': SOAP12 });
      res.end(soapEnvelope('<soap:Fault><soap:Code><soap:Value>soap:Receiver</soap:Value></soap:Code></soap:Fault>'));
    });
    const t = new SoapTransport({ sleep: async () => undefined, retry: { attempts: 2 } });
    const res = await t.send(req(server.url, 'read'));
    expect(res.status).toBe(503);
    expect(res.attempts).toBe(2);
    expect(res.body.toString()).toContain('soap:Receiver');
    await t.close();
    await server.close();
  });
});

describe('writes (submission)', () => {
  it('are never retried blindly when the request may have been processed (503, timeout)', async () => {
    const server = await flakyServer(1);
    const { delays, sleep } = recorderSleep();
    const t = new SoapTransport({ sleep });
    const err = (await t.send(req(server.url, 'write')).catch((e: unknown) => e)) as TransportError;
    expect(err.retry).toEqual({ attempts: 1, stoppedBy: 'write-not-retried' });
    expect(server.received).toHaveLength(1);
    expect(delays).toEqual([]);
    await t.close();
    await server.close();

    const slow = await httpServer(() => undefined);
    const t2 = new SoapTransport({ sleep, timeouts: { headersMs: 150 } });
    const timeout = (await t2.send(req(slow.url, 'write')).catch((e: unknown) => e)) as TransportError;
    expect(timeout.transportKind).toBe('headers-timeout');
    expect(timeout.retry?.stoppedBy).toBe('write-not-retried');
    expect(slow.received).toHaveLength(1);
    await t2.close();
    await slow.close();
  });

  it('are retried without a check when the connection was refused (the request never left)', async () => {
    const port = await closedPort();
    let server: Awaited<ReturnType<typeof httpServer>> | undefined;
    // The repository comes up on that port while the transport waits before its second attempt.
    const sleep = async () => {
      server ??= await httpServer((_r, res) => {
        res.setHeader('content-type', SOAP12);
        res.end(SUCCESS_BODY);
      }, port);
    };
    const t = new SoapTransport({ sleep });
    const res = await t.send(req(`http://127.0.0.1:${port}/repository`, 'write'));
    expect(res.attempts).toBe(2);
    expect(res.timing.attempts.map((a) => a.outcome)).toEqual(['connection-refused', 'response']);
    expect(server!.received).toHaveLength(1);
    await t.close();
    await server?.close();
  });

  it('are retried after beforeRetry confirms by uniqueId that the first attempt did not land', async () => {
    // The repository: the first request is lost before processing (connection cut), the second is stored.
    const landed = new Set<string>();
    let n = 0;
    const server = await rawServer((socket) =>
      afterRequest(socket, (request) => {
        const uniqueId = /uniqueId="([^"]+)"/.exec(request.toString())![1]!;
        if (++n === 1) return socket.resetAndDestroy();
        landed.add(uniqueId);
        socket.end(`HTTP/1.1 200 OK\r\nContent-Type: ${SOAP12}\r\nContent-Length: ${Buffer.byteLength(SUCCESS_BODY)}\r\n\r\n${SUCCESS_BODY}`);
      }),
    );
    const checks: RetryContext[] = [];
    const t = new SoapTransport({ sleep: async () => undefined });
    const res = await t.send(
      req(server.url, 'write', {
        body: Buffer.from(soapEnvelope('<doc uniqueId="1.2.250.1.999.1.1.7898.1.42"/>')),
        beforeRetry: async (ctx) => {
          checks.push(ctx);
          return landed.has('1.2.250.1.999.1.1.7898.1.42') ? 'stop' : 'retry';
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.attempts).toBe(2);
    expect(landed.has('1.2.250.1.999.1.1.7898.1.42')).toBe(true);
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ failedAttempt: 1, nextAttempt: 2, mode: 'write', transaction: 'TD2.1', correlationId: res.correlationId });
    expect(checks[0]!.error.transportKind).toBe('connection-reset');
    await t.close();
    await server.close();
  });

  it('stop when beforeRetry finds the document already registered (the answer was lost, not the submission)', async () => {
    const landed = new Set<string>();
    const server = await httpServer((r) => {
      // Stores the document, then never answers: the client times out.
      landed.add(/uniqueId="([^"]+)"/.exec(r.body.toString())![1]!);
    });
    const t = new SoapTransport({ sleep: async () => undefined, timeouts: { headersMs: 150 } });
    let foundByCheck = false;
    const err = (await t
      .send(
        req(server.url, 'write', {
          body: Buffer.from(soapEnvelope('<doc uniqueId="1.2.3.4.5"/>')),
          beforeRetry: (ctx) => {
            foundByCheck = landed.has('1.2.3.4.5');
            expect(ctx.error.transportKind).toBe('headers-timeout');
            return foundByCheck ? 'stop' : 'retry';
          },
        }),
      )
      .catch((e: unknown) => e)) as TransportError;
    expect(foundByCheck).toBe(true);
    expect(err.retry).toEqual({ attempts: 1, stoppedBy: 'before-retry' });
    expect(server.received).toHaveLength(1);
    await t.close();
    await server.close();
  });

  it('stop when the check itself fails, keeping its message', async () => {
    const server = await flakyServer(3);
    const t = new SoapTransport({ sleep: async () => undefined });
    const err = (await t
      .send(
        req(server.url, 'write', {
          beforeRetry: () => {
            throw new Error('registry unreachable for patient 207058575627097');
          },
        }),
      )
      .catch((e: unknown) => e)) as TransportError;
    expect(err.retry?.stoppedBy).toBe('before-retry-failed');
    expect(err.retry?.hookError).toContain('registry unreachable');
    expect(err.retry?.hookError).not.toContain('207058575627097');
    expect(server.received).toHaveLength(1);
    await t.close();
    await server.close();
  });
});

describe('retry policy helpers', () => {
  const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, maxDelayMs: 1000 };

  it('backoffDelay doubles, is capped, and keeps at least half the delay', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 0.999)).toBe(100);
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
    expect(backoffDelay(10, policy, () => 1)).toBe(1000);
  });

  it('retryAfterMs reads seconds and HTTP dates', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(undefined)).toBeUndefined();
  });

  it('retryClass tells apart what never left, what may have been processed, and what cannot improve', () => {
    const e = (kind: TransportError['transportKind'], extra: object = {}) => new TransportError({ kind, ...extra });
    expect(retryClass(e('connection-refused'), policy)).toBe('not-sent');
    expect(retryClass(e('connect-timeout'), policy)).toBe('not-sent');
    expect(retryClass(e('dns', { systemCode: 'EAI_AGAIN' }), policy)).toBe('not-sent');
    expect(retryClass(e('dns', { systemCode: 'ENOTFOUND' }), policy)).toBe('final');
    expect(retryClass(e('headers-timeout'), policy)).toBe('maybe-sent');
    expect(retryClass(e('connection-reset'), policy)).toBe('maybe-sent');
    expect(retryClass(e('http-status', { httpStatus: 503 }), policy)).toBe('maybe-sent');
    expect(retryClass(e('http-status', { httpStatus: 502 }), policy)).toBe('final');
    expect(retryClass(e('http-status', { httpStatus: 502 }), { ...policy, retryStatuses: [502, 503] })).toBe('maybe-sent');
    expect(retryClass(e('certificate'), policy)).toBe('final');
    expect(retryClass(e('too-large'), policy)).toBe('final');
  });
});

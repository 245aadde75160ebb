/**
 * The HTTP client of the SDK: POSTs a SOAP message (plain or MTOM, built by the codecs) to a DMP endpoint over
 * undici, with mutual TLS, timeouts, a response size bound, safe retries and recording. It knows nothing of SOAP
 * beyond recognising a SOAP body: a response with a SOAP body is returned whatever its status (HTTP 500 carries
 * faults, which the codec turns into SoapFaultError); anything else that is not a 2xx SOAP answer is a TransportError.
 */
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { Agent, request, type Dispatcher } from 'undici';
import { TransportError, type TransportErrorKind, type TransportPhase } from '../errors/transport-error.js';
import { sanitizeText } from '../errors/sanitize.js';
import { classifyError } from './classify.js';
import { newCorrelationId } from './correlation.js';
import { contentTypeParams, hasCloseDelimiter } from './multipart.js';
import { callbackRecorder, directoryRecorder, sha256Hex, type ExchangeRecorder, type RecordedExchange, type RecordedMessage } from './recorder.js';
import { redactBody, redactHeaders } from './redact.js';
import { DEFAULT_RETRY_POLICY, backoffDelay, retryAfterMs, retryClass, type RetryPolicy } from './retry.js';
import { connectOptions, type TlsSettings } from './tls.js';

export interface Timeouts {
  /** TCP + TLS handshake. */
  connectMs: number;
  /** From the end of the request to the response headers (server processing time). */
  headersMs: number;
  /** Longest silence while the response body arrives. */
  bodyMs: number;
}

export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 10_000, headersMs: 60_000, bodyMs: 30_000 };

/** Large enough for a retrieve of several big documents, small enough to protect the process. */
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

export interface RecordingOptions {
  /** Write each attempt under this directory (see recorder.ts for the layout). */
  dir?: string;
  /** Receive each attempt. */
  onExchange?: (exchange: RecordedExchange) => void | Promise<void>;
  /** Health data is redacted unless this is explicitly `false`. */
  redact?: boolean;
}

export interface TransportOptions {
  tls?: TlsSettings;
  timeouts?: Partial<Timeouts>;
  maxResponseBytes?: number;
  retry?: Partial<RetryPolicy>;
  record?: RecordingOptions;
  userAgent?: string;
  /** Waits between attempts (tests pass a fake). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Jitter source, in [0, 1). */
  random?: () => number;
  /** Where recording failures are reported (they never fail the exchange). Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

/** read: queries, retrieve, status (idempotent). write: submission, update, authorization change. */
export type RequestMode = 'read' | 'write';

export interface RetryContext {
  correlationId: string;
  transaction?: string;
  mode: RequestMode;
  failedAttempt: number;
  nextAttempt: number;
  error: TransportError;
  delayMs: number;
}

/**
 * Called before every retry. For a submission the client passes a check that the document did not land (search
 * by uniqueId): `retry` if it did not, `stop` otherwise (the client then reports the first attempt's success).
 * A hook that throws stops the retries too; its message is kept on the error.
 */
export type BeforeRetryHook = (context: RetryContext) => 'retry' | 'stop' | Promise<'retry' | 'stop'>;

export interface SoapRequest {
  url: string;
  /** The message as the codec built it: one buffer, or the chunks of an MTOM package (not concatenated). */
  body: Uint8Array | readonly Uint8Array[];
  /** `application/soap+xml; charset=UTF-8; action="…"` or the MTOM `multipart/related; …`. */
  contentType: string;
  mode: RequestMode;
  beforeRetry?: BeforeRetryHook;
  /** SOAP 1.1 SOAPAction header, when the codec needs one. */
  soapAction?: string;
  /** `TD2.1`, `ITI-41`…: named in errors and recordings. */
  transaction?: string;
  /** Default: a new urn:uuid (the client may pass the WS-Addressing MessageID). */
  correlationId?: string;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  maxResponseBytes?: number;
}

export interface AttemptTiming {
  attempt: number;
  startedAt: string;
  durationMs: number;
  /** Until the response headers. */
  headersMs?: number;
  outcome: 'response' | TransportErrorKind;
}

export interface SoapResponse {
  correlationId: string;
  url: string;
  status: number;
  /** Lowercased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  contentType: string;
  body: Buffer;
  attempts: number;
  timing: { startedAt: string; durationMs: number; attempts: AttemptTiming[] };
}

interface AttemptResult {
  response?: { status: number; headers: Record<string, string>; body: Buffer };
  error?: TransportError;
  timing: AttemptTiming;
}

const defaultSleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/** The URL without credentials or query string, for messages and errors. */
export function displayEndpoint(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

function looksLikeSoap(contentType: string, body: Buffer): boolean {
  const type = contentTypeParams(contentType).type;
  if (!(type.includes('xml') || type === 'multipart/related')) return false;
  return body.subarray(0, 65536).toString('latin1').includes('Envelope');
}

function textExcerpt(contentType: string, body: Buffer): string | undefined {
  const type = contentTypeParams(contentType).type;
  if (body.length === 0) return undefined;
  if (!(type.startsWith('text/') || type.includes('xml') || type.includes('json') || type.includes('html'))) return undefined;
  return body.subarray(0, 600).toString('utf8').replace(/\s+/g, ' ').trim();
}

function normalizeHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

export class SoapTransport {
  readonly #agent: Agent;
  readonly #timeouts: Timeouts;
  readonly #retry: RetryPolicy;
  readonly #maxResponseBytes: number;
  readonly #recorders: ExchangeRecorder[] = [];
  readonly #redact: boolean;
  readonly #userAgent: string;
  readonly #hasClientCert: boolean;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #random: () => number;
  readonly #warn: (message: string) => void;

  constructor(options: TransportOptions = {}) {
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
    for (const [name, value] of Object.entries(this.#timeouts)) {
      if (!Number.isInteger(value) || value <= 0) throw new TypeError(`transport: timeouts.${name} must be a positive integer (milliseconds)`);
    }
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    if (!Number.isInteger(this.#retry.attempts) || this.#retry.attempts < 1) throw new TypeError('transport: retry.attempts must be an integer ≥ 1');
    this.#maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    if (!(this.#maxResponseBytes > 0)) throw new TypeError('transport: maxResponseBytes must be positive');
    if (options.record?.dir) this.#recorders.push(directoryRecorder(options.record.dir));
    if (options.record?.onExchange) this.#recorders.push(callbackRecorder(options.record.onExchange));
    this.#redact = options.record?.redact !== false;
    this.#userAgent = options.userAgent ?? 'dmpkit';
    this.#hasClientCert = options.tls?.client !== undefined;
    this.#sleep = options.sleep ?? defaultSleep;
    this.#random = options.random ?? Math.random;
    this.#warn = options.onWarning ?? ((m) => process.emitWarning(m, 'DmpkitRecordingWarning'));
    this.#agent = new Agent({
      connect: { ...connectOptions(options.tls), timeout: this.#timeouts.connectMs },
      headersTimeout: this.#timeouts.headersMs,
      bodyTimeout: this.#timeouts.bodyMs,
    });
  }

  async close(): Promise<void> {
    await this.#agent.close();
  }

  async send(req: SoapRequest): Promise<SoapResponse> {
    checkRequest(req);
    const correlationId = req.correlationId ?? newCorrelationId();
    const chunks = (Array.isArray(req.body) ? req.body : [req.body]) as Uint8Array[];
    const length = chunks.reduce((n, c) => n + c.byteLength, 0);
    const headers: Record<string, string> = {
      ...Object.fromEntries(Object.entries(req.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
      'content-type': req.contentType,
      'content-length': String(length),
      'user-agent': this.#userAgent,
    };
    if (req.soapAction !== undefined) headers.soapaction = `"${req.soapAction}"`;
    const limit = req.maxResponseBytes ?? this.#maxResponseBytes;
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const timings: AttemptTiming[] = [];
    let requestBody: Buffer | undefined;
    const toResponse = (response: NonNullable<AttemptResult['response']>, attempts: number): SoapResponse => ({
      correlationId,
      url: req.url,
      status: response.status,
      headers: response.headers,
      contentType: response.headers['content-type'] ?? '',
      body: response.body,
      attempts,
      timing: { startedAt, durationMs: Math.round(performance.now() - started), attempts: timings },
    });

    for (let attempt = 1; ; attempt++) {
      const result = await this.#attempt(req, headers, chunks, limit, attempt);
      timings.push(result.timing);
      if (this.#recorders.length) {
        requestBody ??= Buffer.concat(chunks);
        await this.#record(req, correlationId, attempt, headers, requestBody, result);
      }
      const response = result.response;
      const soapBody = response ? looksLikeSoap(response.headers['content-type'] ?? '', response.body) : false;
      let error = result.error;
      if (response && !error) {
        if (this.#retry.retryStatuses.includes(response.status)) error = this.#statusError(req, response, soapBody);
        else return toResponse(response, attempt);
      }
      const failure = error!;
      failure.withContext({ correlationId, transaction: req.transaction });
      failure.elapsedMs = Math.round(performance.now() - started);
      const giveUp = async (stoppedBy: NonNullable<TransportError['retry']>['stoppedBy'], hookError?: string): Promise<SoapResponse> => {
        failure.retry = { attempts: attempt, stoppedBy, ...(hookError ? { hookError } : {}) };
        // A retryable status that still carries a SOAP fault: the codec will say more than "HTTP 503".
        if (response && soapBody) return toResponse(response, attempt);
        throw failure;
      };
      const cls = retryClass(failure, this.#retry);
      if (cls === 'final') return giveUp('not-retryable');
      if (attempt >= this.#retry.attempts) return giveUp('attempts-exhausted');
      const retryAfter = response ? retryAfterMs(response.headers['retry-after']) : undefined;
      const delayMs = Math.min(this.#retry.maxDelayMs, Math.max(backoffDelay(attempt, this.#retry, this.#random), retryAfter ?? 0));
      if (req.beforeRetry) {
        let verdict: 'retry' | 'stop';
        try {
          verdict = await req.beforeRetry({ correlationId, transaction: req.transaction, mode: req.mode, failedAttempt: attempt, nextAttempt: attempt + 1, error: failure, delayMs });
        } catch (hookErr) {
          return giveUp('before-retry-failed', sanitizeText(String((hookErr as Error)?.message ?? hookErr), { max: 300 }));
        }
        if (verdict !== 'retry') return giveUp('before-retry');
      } else if (req.mode === 'write' && cls === 'maybe-sent') {
        // A submission that may have been processed is never sent twice blindly.
        return giveUp('write-not-retried');
      }
      try {
        await this.#sleep(delayMs, req.signal);
      } catch (abortReason) {
        throw new TransportError({ kind: 'aborted', endpoint: displayEndpoint(req.url), correlationId, transaction: req.transaction, cause: abortReason, retry: { attempts: attempt, stoppedBy: 'not-retryable' } });
      }
    }
  }

  #statusError(req: SoapRequest, response: NonNullable<AttemptResult['response']>, soapBody: boolean): TransportError {
    const contentType = response.headers['content-type'] ?? '';
    return new TransportError({
      kind: 'http-status',
      endpoint: displayEndpoint(req.url),
      phase: 'body',
      httpStatus: response.status,
      contentType,
      bodyExcerpt: soapBody ? undefined : textExcerpt(contentType, response.body),
      bytesReceived: response.body.length,
    });
  }

  async #attempt(req: SoapRequest, headers: Record<string, string>, chunks: Uint8Array[], limit: number, attempt: number): Promise<AttemptResult> {
    const t0 = performance.now();
    const startedAt = new Date().toISOString();
    const endpoint = displayEndpoint(req.url);
    let phase: TransportPhase = 'request';
    let headersMs: number | undefined;
    let received = 0;
    const timing = (outcome: AttemptTiming['outcome']): AttemptTiming => {
      const t: AttemptTiming = { attempt, startedAt, durationMs: Math.round(performance.now() - t0), outcome };
      if (headersMs !== undefined) t.headersMs = headersMs;
      return t;
    };
    const fail = (init: ConstructorParameters<typeof TransportError>[0]): AttemptResult => ({ error: new TransportError(init), timing: timing(init.kind) });
    let res: Dispatcher.ResponseData;
    try {
      res = await request(req.url, {
        method: 'POST',
        headers,
        // A fresh stream per attempt over the same chunks: retries resend without copying the MTOM package.
        body: chunks.length === 1 ? Buffer.from(chunks[0]!.buffer, chunks[0]!.byteOffset, chunks[0]!.byteLength) : Readable.from(chunks, { objectMode: false }),
        dispatcher: this.#agent,
        signal: req.signal,
      });
    } catch (err) {
      const c = classifyError(err, phase, this.#hasClientCert);
      return fail({ kind: c.kind, endpoint, phase: c.kind === 'connect-timeout' || c.kind === 'connection-refused' || c.kind === 'dns' ? 'connect' : 'headers', systemCode: c.systemCode, detail: c.detail, cause: err });
    }
    headersMs = Math.round(performance.now() - t0);
    phase = 'body';
    const resHeaders = normalizeHeaders(res.headers as Record<string, string | string[] | undefined>);
    const contentType = resHeaders['content-type'] ?? '';
    const declared = Number(resHeaders['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      discard(res.body);
      return fail({ kind: 'too-large', endpoint, phase, httpStatus: res.statusCode, contentType, limit, bytesReceived: 0, detail: `Content-Length ${declared} > limit ${limit}` });
    }
    const parts: Buffer[] = [];
    try {
      for await (const chunk of res.body) {
        const b = chunk as Buffer;
        received += b.length;
        if (received > limit) {
          discard(res.body);
          return fail({ kind: 'too-large', endpoint, phase, httpStatus: res.statusCode, contentType, limit, bytesReceived: received });
        }
        parts.push(b);
      }
    } catch (err) {
      const c = classifyError(err, phase, this.#hasClientCert);
      return fail({ kind: c.kind, endpoint, phase, httpStatus: res.statusCode, contentType, bytesReceived: received, systemCode: c.systemCode, detail: c.detail, cause: err });
    }
    const body = Buffer.concat(parts);
    const { type, params } = contentTypeParams(contentType);
    if (type.startsWith('multipart/') && params.boundary && !hasCloseDelimiter(body, params.boundary)) {
      return fail({ kind: 'truncated', endpoint, phase, httpStatus: res.statusCode, contentType, bytesReceived: received, detail: 'multipart body without its close delimiter' });
    }
    const soap = looksLikeSoap(contentType, body);
    if (!soap) {
      const ok = res.statusCode >= 200 && res.statusCode < 300;
      if (!ok && this.#retry.retryStatuses.includes(res.statusCode)) {
        // Reported by send(), which decides on the retry with the response at hand.
        return { response: { status: res.statusCode, headers: resHeaders, body }, timing: timing('http-status') };
      }
      return fail({
        kind: ok ? 'not-soap' : 'http-status',
        endpoint,
        phase,
        httpStatus: res.statusCode,
        contentType,
        bodyExcerpt: textExcerpt(contentType, body),
        bytesReceived: received,
      });
    }
    return { response: { status: res.statusCode, headers: resHeaders, body }, timing: timing('response') };
  }

  async #record(req: SoapRequest, correlationId: string, attempt: number, headers: Record<string, string>, requestBody: Buffer, result: AttemptResult): Promise<void> {
    const redact = this.#redact;
    const message = (h: Record<string, string>, body: Buffer): RecordedMessage => ({
      headers: redactHeaders(h, redact),
      body: redact ? redactBody(body, h['content-type']) : body,
      originalBytes: body.length,
      originalSha256: sha256Hex(body),
    });
    const exchange: RecordedExchange = {
      correlationId,
      attempt,
      mode: req.mode,
      method: 'POST',
      url: displayEndpoint(req.url),
      startedAt: result.timing.startedAt,
      durationMs: result.timing.durationMs,
      redacted: redact,
      request: message(headers, requestBody),
    };
    if (req.transaction) exchange.transaction = req.transaction;
    if (result.response) exchange.response = { status: result.response.status, ...message(result.response.headers, result.response.body) };
    if (result.error) exchange.error = result.error.withContext({ correlationId, transaction: req.transaction }).toJSON();
    for (const recorder of this.#recorders) {
      try {
        await recorder.record(exchange);
      } catch (err) {
        this.#warn(`dmpkit: recording of exchange ${correlationId} attempt ${attempt} failed: ${(err as Error).message}`);
      }
    }
  }
}

/** Stops a response body we will not read; the abort it causes is expected, not an error to surface. */
function discard(body: Dispatcher.ResponseData['body']): void {
  body.on('error', () => undefined);
  body.destroy();
}

function checkRequest(req: SoapRequest): void {
  let url: URL;
  try {
    url = new URL(req.url);
  } catch {
    throw new TypeError(`transport: url is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`transport: url must be http(s), got ${url.protocol}`);
  if (req.mode !== 'read' && req.mode !== 'write') throw new TypeError(`transport: mode must be "read" or "write" (a submission is "write": it is never retried blindly)`);
  if (!req.contentType?.trim()) throw new TypeError('transport: contentType is required');
  const chunks = Array.isArray(req.body) ? req.body : [req.body];
  if (!chunks.every((c) => c instanceof Uint8Array)) throw new TypeError('transport: body must be a Buffer/Uint8Array or an array of them');
  if (req.beforeRetry !== undefined && typeof req.beforeRetry !== 'function') throw new TypeError('transport: beforeRetry must be a function');
}

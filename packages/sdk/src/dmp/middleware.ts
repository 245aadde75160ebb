/**
 * The client's middleware stack (AWS SDK v3 style, reduced to the one step that matters here): each middleware
 * wraps the handler that sends a built SOAP request and returns the raw response. Logging and recording are
 * middlewares; they only see what the transport sees, and health data is redacted unless asked otherwise.
 */
import { TransportError } from '../errors/transport-error.js';
import type { DmpTransaction } from '../soap/actions.js';
import { redactBody, redactHeaders } from '../transport/redact.js';
import type { SoapRequest, SoapResponse } from '../transport/soap-transport.js';

export type SendHandler = (request: SoapRequest) => Promise<SoapResponse>;

export interface MiddlewareContext {
  transaction: DmpTransaction;
  /** The command's class name (`SubmitDocumentsCommand`). */
  commandName: string;
}

export type DmpMiddleware = (next: SendHandler, context: MiddlewareContext) => SendHandler;

export interface LogEvent {
  level: 'info' | 'error';
  transaction: DmpTransaction;
  command: string;
  correlationId?: string;
  url: string;
  httpStatus?: number;
  attempts?: number;
  durationMs: number;
  /** Error code (no message text: it could quote the response). */
  errorCode?: string;
}

/** One event per exchange: transaction, correlation id, status, timing. Never a body. */
export function loggingMiddleware(log: (event: LogEvent) => void): DmpMiddleware {
  return (next, ctx) => async (req) => {
    const started = Date.now();
    const base = { transaction: ctx.transaction, command: ctx.commandName, url: req.url, ...(req.correlationId ? { correlationId: req.correlationId } : {}) };
    try {
      const res = await next(req);
      log({ ...base, level: 'info', httpStatus: res.status, attempts: res.attempts, durationMs: Date.now() - started });
      return res;
    } catch (err) {
      log({ ...base, level: 'error', durationMs: Date.now() - started, errorCode: err instanceof TransportError ? err.code : 'UNEXPECTED' });
      throw err;
    }
  };
}

export interface ClientExchange {
  transaction: DmpTransaction;
  correlationId?: string;
  url: string;
  request: { contentType: string; headers: Record<string, string>; body: Buffer };
  response?: { status: number; headers: Record<string, string>; body: Buffer };
  errorCode?: string;
  redacted: boolean;
}

/**
 * Hands each exchange (as sent and as received, after retries) to `onExchange`; bodies are redacted (INS, names,
 * document contents) unless `redact: false`. For per-attempt recording to disk, use the transport's `record`.
 */
export function recordingMiddleware(onExchange: (exchange: ClientExchange) => void | Promise<void>, options: { redact?: boolean } = {}): DmpMiddleware {
  const redact = options.redact !== false;
  return (next, ctx) => async (req) => {
    const chunks = Array.isArray(req.body) ? (req.body as Uint8Array[]) : [req.body as Uint8Array];
    const body = Buffer.concat(chunks);
    const request = {
      contentType: req.contentType,
      headers: redactHeaders({ 'content-type': req.contentType, ...(req.headers ?? {}) }, redact),
      body: redact ? redactBody(body, req.contentType) : body,
    };
    const base = { transaction: ctx.transaction, url: req.url, redacted: redact, ...(req.correlationId ? { correlationId: req.correlationId } : {}) };
    try {
      const res = await next(req);
      await onExchange({ ...base, request, response: { status: res.status, headers: redactHeaders(res.headers, redact), body: redact ? redactBody(res.body, res.contentType) : res.body } });
      return res;
    } catch (err) {
      await onExchange({ ...base, request, errorCode: err instanceof TransportError ? err.code : 'UNEXPECTED' });
      throw err;
    }
  };
}

/**
 * Recording of raw exchanges for support (anchors.md §4: "both raw exchanges, always"): request and response
 * bytes, headers, status, timing and the error, per attempt. Bodies are redacted before any recorder sees them
 * unless redaction was turned off explicitly (see redact.ts).
 * A directory recording is one folder per attempt with `request.http` and `response.http` (HTTP/1.1 messages,
 * readable by `dmp inspect`) and `exchange.json` (everything else).
 */
import { createHash } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DmpErrorJson } from '../errors/dmp-error.js';

export interface RecordedMessage {
  headers: Record<string, string>;
  /** Redacted unless the exchange says `redacted: false`. */
  body: Buffer;
  /** Size and SHA-256 of the original body, before redaction. */
  originalBytes: number;
  originalSha256: string;
}

export interface RecordedExchange {
  correlationId: string;
  attempt: number;
  transaction?: string;
  mode: 'read' | 'write';
  method: 'POST';
  url: string;
  startedAt: string;
  durationMs: number;
  /** Whether health data was redacted from bodies and headers. */
  redacted: boolean;
  request: RecordedMessage;
  response?: RecordedMessage & { status: number };
  error?: DmpErrorJson;
}

export interface ExchangeRecorder {
  record(exchange: RecordedExchange): void | Promise<void>;
}

export function sha256Hex(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The request as an HTTP/1.1 message (request line, headers, blank line, body). */
export function httpRequestMessage(exchange: RecordedExchange): Buffer {
  const url = new URL(exchange.url);
  const head = [`POST ${url.pathname}${url.search} HTTP/1.1`, `host: ${url.host}`, ...Object.entries(exchange.request.headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), exchange.request.body]);
}

export function httpResponseMessage(response: NonNullable<RecordedExchange['response']>): Buffer {
  const head = [`HTTP/1.1 ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trimEnd(), ...Object.entries(response.headers).map(([k, v]) => `${k}: ${v}`)];
  return Buffer.concat([Buffer.from(head.join('\r\n') + '\r\n\r\n', 'latin1'), response.body]);
}

/** Folder name: sortable time, transaction, start of the correlation id, attempt. */
export function exchangeFolderName(exchange: RecordedExchange): string {
  const stamp = exchange.startedAt.replace(/[-:]/g, '').replace(/\.(\d{3})Z$/, '$1Z');
  const tx = (exchange.transaction ?? 'exchange').replace(/[^\w.-]+/g, '_');
  const id = exchange.correlationId.replace(/^urn:uuid:/, '').slice(0, 8);
  return `${stamp}_${tx}_${id}_a${exchange.attempt}`;
}

/** Writes each attempt to `<dir>/<folder>/` (folders 0700, files 0600: recordings may hold health data when not redacted). */
export function directoryRecorder(dir: string): ExchangeRecorder {
  return {
    async record(exchange) {
      const folder = join(dir, exchangeFolderName(exchange));
      await mkdir(folder, { recursive: true, mode: 0o700 });
      await writeFile(join(folder, 'request.http'), httpRequestMessage(exchange), { mode: 0o600 });
      if (exchange.response) await writeFile(join(folder, 'response.http'), httpResponseMessage(exchange.response), { mode: 0o600 });
      const meta = {
        correlationId: exchange.correlationId,
        attempt: exchange.attempt,
        transaction: exchange.transaction,
        mode: exchange.mode,
        url: exchange.url,
        startedAt: exchange.startedAt,
        durationMs: exchange.durationMs,
        redacted: exchange.redacted,
        request: { headers: exchange.request.headers, originalBytes: exchange.request.originalBytes, originalSha256: exchange.request.originalSha256, file: 'request.http' },
        response: exchange.response && {
          status: exchange.response.status,
          headers: exchange.response.headers,
          originalBytes: exchange.response.originalBytes,
          originalSha256: exchange.response.originalSha256,
          file: 'response.http',
        },
        error: exchange.error,
      };
      await writeFile(join(folder, 'exchange.json'), JSON.stringify(meta, null, 2) + '\n', { mode: 0o600 });
    },
  };
}

export function callbackRecorder(callback: (exchange: RecordedExchange) => void | Promise<void>): ExchangeRecorder {
  return { record: callback };
}

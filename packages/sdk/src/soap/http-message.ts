/**
 * Splitting a saved HTTP exchange (request or response) into start line, headers and body. Captures are
 * not clean: a logging tool's line may precede the start line (Netty's `DefaultHttpRequest(chunked:
 * false)`), header lines may end with spaces, Content-Length rarely matches a reformatted body (it is
 * reported, never relied on). A chunked body is de-chunked.
 */
import { IssueLog } from '../xds/issues.js';
import type { MimeHeader } from './mtom.js';

export interface HttpHead {
  kind: 'request' | 'response';
  startLine: string;
  method?: string;
  target?: string;
  /** `HTTP/1.1`. */
  version: string;
  status?: number;
  reason?: string;
  headers: MimeHeader[];
  /** Lines before the start line (capture tool noise). */
  preamble: string[];
}

const RESPONSE_LINE = /^(HTTP\/\d(?:\.\d)?) (\d{3})(?: (.*))?$/;
const REQUEST_LINE = /^([A-Z]+) (\S+) (HTTP\/\d(?:\.\d)?)$/;

/** Looks at the first lines only: an HTTP head is at the top or not at all. */
const MAX_PREAMBLE_LINES = 3;
const MAX_HEAD_BYTES = 64 * 1024;

export function headerValue(headers: readonly MimeHeader[], name: string): string | undefined {
  const n = name.toLowerCase();
  return headers.find((h) => h.name.toLowerCase() === n)?.value;
}

/** The HTTP head and the body, or no head when the bytes do not start with an HTTP message. */
export function splitHttpMessage(bytes: Uint8Array, log: IssueLog): { head?: HttpHead; body: Uint8Array } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const preamble: string[] = [];
  let pos = 0;
  let startLine: string | undefined;
  for (let n = 0; n <= MAX_PREAMBLE_LINES && pos < buf.length; n++) {
    let eol = buf.indexOf(0x0a, pos);
    if (eol < 0) eol = buf.length;
    // Only the start of a line is looked at: a one-line 6 MB XML body must not become a string here.
    const line = buf.toString('latin1', pos, Math.min(eol, pos + MAX_HEAD_BYTES)).replace(/\r$/, '').trim();
    pos = eol + 1;
    if (RESPONSE_LINE.test(line) || REQUEST_LINE.test(line)) {
      startLine = line;
      break;
    }
    if (line === '' || line.startsWith('<') || line.startsWith('--') || line.startsWith('{')) return { body: bytes };
    preamble.push(line);
  }
  if (startLine === undefined) return { body: bytes };
  const headers: MimeHeader[] = [];
  let bodyStart = buf.length;
  while (pos < buf.length) {
    let eol = buf.indexOf(0x0a, pos);
    if (eol < 0) eol = buf.length;
    const line = buf.toString('latin1', pos, eol).replace(/\r$/, '');
    pos = eol + 1;
    if (line.trim() === '') {
      bodyStart = Math.min(pos, buf.length);
      break;
    }
    if (pos > MAX_HEAD_BYTES) {
      log.error('HTTP_HEAD_TOO_LARGE', `HTTP headers exceed ${MAX_HEAD_BYTES} bytes`);
      return { body: bytes };
    }
    if (/^[ \t]/.test(line) && headers.length) headers[headers.length - 1]!.value += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
      else log.warn('HTTP_BAD_HEADER', 'an HTTP header line has no name');
    }
  }
  const head: HttpHead = { kind: 'request', startLine, version: '', headers, preamble };
  const resp = RESPONSE_LINE.exec(startLine);
  if (resp) {
    head.kind = 'response';
    head.version = resp[1]!;
    head.status = Number(resp[2]);
    if (resp[3]) head.reason = resp[3];
  } else {
    const req = REQUEST_LINE.exec(startLine)!;
    head.method = req[1]!;
    head.target = req[2]!;
    head.version = req[3]!;
  }
  if (preamble.length) log.info('HTTP_PREAMBLE', `${preamble.length} line(s) before the HTTP start line (capture tool output, ignored)`);
  let body: Uint8Array = buf.subarray(bodyStart);
  if (headerValue(headers, 'transfer-encoding')?.toLowerCase().includes('chunked')) body = dechunk(body, log);
  const declared = headerValue(headers, 'content-length');
  if (declared !== undefined && Number(declared) !== body.byteLength) {
    log.info('HTTP_CONTENT_LENGTH', `Content-Length says ${declared} bytes, the body has ${body.byteLength} (a reformatted capture?)`);
  }
  return { head, body };
}

function dechunk(body: Uint8Array, log: IssueLog): Uint8Array {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const out: Buffer[] = [];
  let pos = 0;
  for (;;) {
    const eol = buf.indexOf(0x0a, pos);
    if (eol < 0) break;
    const size = parseInt(buf.toString('latin1', pos, eol).trim().split(';')[0]!, 16);
    if (!Number.isFinite(size)) {
      log.warn('HTTP_BAD_CHUNK', 'malformed chunk size; body kept as is');
      return body;
    }
    if (size === 0) return Buffer.concat(out);
    out.push(buf.subarray(eol + 1, eol + 1 + size));
    pos = eol + 1 + size;
    if (buf[pos] === 0x0d) pos++;
    if (buf[pos] === 0x0a) pos++;
  }
  log.warn('HTTP_BAD_CHUNK', 'chunked body without its final chunk; kept what was read');
  return Buffer.concat(out);
}

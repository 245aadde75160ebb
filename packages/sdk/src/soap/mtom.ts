/**
 * MTOM/XOP (multipart/related, type application/xop+xml): building and reading.
 *
 * Building is streaming-friendly: the message is a list of chunks — small header Buffers around the
 * caller's own attachment buffers (or Readables) — so a 5 MB document is never copied; `contentLength`
 * is given when every chunk's size is known, and `mtomStream` turns the chunks into one Readable.
 *
 * Reading takes the body bytes and, when known, the Content-Type header; without it the boundary is
 * sniffed from the first delimiter line (DMP/CXF captures start there). It accepts LF or CRLF, transport
 * padding after delimiters, a leading CRLF, an epilogue, header names in any case and order, base64 or
 * quoted-printable parts, and reports — never throws on — a missing close delimiter, a `start` that names
 * no part, and sizes over the bounds. Part bodies are views into the input (no copy) unless transfer-encoded.
 */
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { IssueLog } from '../xds/issues.js';
import type { XopResolver } from '../xds/ebrim-decode.js';
import { parseContentType, quoteParam } from './content-type.js';
import { soapMediaType, type SoapVersion } from './namespaces.js';

// --- building -----------------------------------------------------------------------------------------

export interface MtomAttachment {
  /** Content-ID without angle brackets (e.g. `doc1.<uuid>@dmpkit`). */
  contentId: string;
  /** Default application/octet-stream. */
  contentType?: string;
  data: Uint8Array | Readable;
  /** Byte length of a Readable's data, when known (gives the message a Content-Length). */
  length?: number;
}

export interface BuildMtomInput {
  /** The SOAP envelope (XML text or UTF-8 bytes) holding xop:Include references to the attachments. */
  root: string | Uint8Array;
  /** Default 1.2 (root part type application/soap+xml). */
  soapVersion?: SoapVersion;
  /** The SOAP action, added to the Content-Types as SOAP 1.2 allows (DRIMbox does the same). */
  action?: string;
  attachments: readonly MtomAttachment[];
  /** Default: random. Checked against in-memory attachments. */
  boundary?: string;
  /** Default `root.message@dmpkit`. */
  rootContentId?: string;
}

export interface MtomMessage {
  /** Value of the HTTP Content-Type header. */
  contentType: string;
  boundary: string;
  rootContentId: string;
  /** The body, in order: header Buffers and the caller's own attachment buffers/streams. */
  chunks: Array<Uint8Array | Readable>;
  /** Total byte length, when every chunk's length is known. */
  contentLength?: number;
}

const CRLF = '\r\n';

function newBoundary(): string {
  return `MIMEBoundary_${randomBytes(16).toString('hex')}`;
}

function bytesContain(haystack: Uint8Array, needle: Buffer): boolean {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle) >= 0;
}

export function buildMtom(input: BuildMtomInput): MtomMessage {
  const version = input.soapVersion ?? '1.2';
  const startInfo = soapMediaType(version);
  const rootContentId = input.rootContentId ?? 'root.message@dmpkit';
  const root = typeof input.root === 'string' ? Buffer.from(input.root, 'utf-8') : input.root;
  let boundary = input.boundary ?? newBoundary();
  // A delimiter inside a part would cut it: pick another random boundary (never for a caller's own).
  for (let tries = 0; [root, ...input.attachments.map((a) => a.data)].some((d) => d instanceof Uint8Array && bytesContain(d, Buffer.from(`--${boundary}`))); tries++) {
    if (input.boundary !== undefined || tries > 3) throw new Error('the MIME boundary occurs inside a part; choose another boundary');
    boundary = newBoundary();
  }
  const action = input.action !== undefined ? `; action=${quoteParam(input.action)}` : '';
  const chunks: Array<Uint8Array | Readable> = [];
  let length: number | undefined = 0;
  const push = (c: Uint8Array | Readable, n: number | undefined) => {
    chunks.push(c);
    length = length === undefined || n === undefined ? undefined : length + n;
  };
  const head = (s: string) => {
    const b = Buffer.from(s, 'latin1');
    push(b, b.length);
  };
  head(
    `--${boundary}${CRLF}Content-Type: application/xop+xml; charset=UTF-8; type=${quoteParam(startInfo)}${action}${CRLF}` +
      `Content-Transfer-Encoding: binary${CRLF}Content-ID: <${rootContentId}>${CRLF}${CRLF}`,
  );
  push(root, root.byteLength);
  for (const a of input.attachments) {
    head(`${CRLF}--${boundary}${CRLF}Content-Type: ${a.contentType ?? 'application/octet-stream'}${CRLF}Content-Transfer-Encoding: binary${CRLF}Content-ID: <${a.contentId}>${CRLF}${CRLF}`);
    push(a.data, a.data instanceof Uint8Array ? a.data.byteLength : a.length);
  }
  head(`${CRLF}--${boundary}--${CRLF}`);
  const contentType =
    `multipart/related; type="application/xop+xml"; boundary=${quoteParam(boundary)}; start=${quoteParam(`<${rootContentId}>`)}; ` +
    `start-info=${quoteParam(startInfo)}${action}`;
  const msg: MtomMessage = { contentType, boundary, rootContentId, chunks };
  if (length !== undefined) msg.contentLength = length;
  return msg;
}

/** The message body as one Readable (chunks streamed in order, buffers not copied). */
export function mtomStream(msg: MtomMessage): Readable {
  return Readable.from(
    (async function* () {
      for (const c of msg.chunks) {
        if (c instanceof Readable) for await (const part of c) yield part as Uint8Array;
        else yield c;
      }
    })(),
    { objectMode: false },
  );
}

/** The whole body in one Buffer (tests, small messages; copies everything once). */
export async function mtomToBuffer(msg: MtomMessage): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for (const c of msg.chunks) {
    if (c instanceof Readable) for await (const p of c) parts.push(typeof p === 'string' ? Buffer.from(p) : (p as Uint8Array));
    else parts.push(c);
  }
  return Buffer.concat(parts);
}

// --- reading -----------------------------------------------------------------------------------------------

export interface MimeHeader {
  /** As written. */
  name: string;
  /** Trimmed (captures carry trailing spaces), continuation lines unfolded. */
  value: string;
}

export interface MimePart {
  headers: MimeHeader[];
  /** Content-ID header as written, angle brackets included. */
  contentId?: string;
  contentType?: string;
  contentTransferEncoding?: string;
  /** Offset of the content in the input. */
  offset: number;
  /** Length of the content as it travelled (before transfer decoding). */
  rawLength: number;
  /** The content: a view into the input, or decoded bytes for base64/quoted-printable. */
  body: Uint8Array;
}

export interface MultipartMessage {
  boundary: string;
  /** Where the boundary came from: the Content-Type header, or the first delimiter line. */
  boundarySource: 'content-type' | 'sniffed';
  /** The Content-Type boundary parameter, when a Content-Type was given. */
  headerBoundary?: string;
  params: { type?: string; start?: string; startInfo?: string; action?: string };
  parts: MimePart[];
  /** Index of the root part (the `start` part, else the first); -1 when there are no parts. */
  rootIndex: number;
  /** Whether the close delimiter was found. */
  closed: boolean;
  /** Whitespace (a CRLF) before the first delimiter. */
  leadingWhitespace: boolean;
  preambleLength: number;
  epilogueLength: number;
}

export interface ParseMultipartOptions {
  /** The HTTP Content-Type (multipart/related; boundary=…), when known. */
  contentType?: string;
  /** Default 64 MiB. */
  maxBytes?: number;
  /** Default 1000. */
  maxParts?: number;
  /** Largest header block of one part, default 16 KiB. */
  maxHeaderBytes?: number;
}

const LF = 0x0a;
const CR = 0x0d;
const DASH = 0x2d;
const isSpace = (b: number | undefined) => b === 0x20 || b === 0x09;

/** The boundary of the first delimiter line (`--boundary`), after optional leading whitespace. */
export function sniffBoundary(body: Uint8Array): string | undefined {
  let i = 0;
  while (i < body.length && (body[i] === CR || body[i] === LF || isSpace(body[i]))) i++;
  if (body[i] !== DASH || body[i + 1] !== DASH) return undefined;
  let end = i + 2;
  while (end < body.length && body[end] !== LF && body[end] !== CR && end - i < 200) end++;
  const line = Buffer.from(body.buffer, body.byteOffset + i + 2, end - i - 2).toString('latin1').replace(/[ \t]+$/, '');
  return line.length ? line : undefined;
}

function decodeQuotedPrintable(raw: Buffer): Buffer {
  const s = raw.toString('latin1').replace(/=\r?\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(s.charCodeAt(i));
  }
  return Buffer.from(out);
}

/** Parses a multipart body; undefined (with an error issue) when it is not one or exceeds the bounds. */
export function parseMultipart(input: Uint8Array, options: ParseMultipartOptions, log: IssueLog): MultipartMessage | undefined {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  const maxParts = options.maxParts ?? 1000;
  const maxHeaderBytes = options.maxHeaderBytes ?? 16 * 1024;
  if (input.byteLength > maxBytes) {
    log.error('MIME_TOO_LARGE', `the multipart body is ${input.byteLength} bytes, over the ${maxBytes}-byte limit`);
    return undefined;
  }
  const body = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  const params: MultipartMessage['params'] = {};
  let headerBoundary: string | undefined;
  if (options.contentType) {
    const ct = parseContentType(options.contentType);
    headerBoundary = ct.params.boundary;
    if (ct.params.type !== undefined) params.type = ct.params.type;
    if (ct.params.start !== undefined) params.start = ct.params.start;
    if (ct.params['start-info'] !== undefined) params.startInfo = ct.params['start-info'];
    if (ct.params.action !== undefined) params.action = ct.params.action;
    if (!ct.mediaType.startsWith('multipart/')) log.info('MIME_CONTENT_TYPE', `Content-Type ${ct.mediaType} is not multipart`);
  }
  let boundary = headerBoundary;
  let boundarySource: MultipartMessage['boundarySource'] = 'content-type';
  if (boundary !== undefined && body.indexOf(`--${boundary}`, 0, 'latin1') < 0) {
    log.warn('MIME_BOUNDARY_MISMATCH', 'the Content-Type boundary does not occur in the body; the boundary is taken from the first delimiter line');
    boundary = undefined;
  }
  if (boundary === undefined) {
    boundary = sniffBoundary(body);
    boundarySource = 'sniffed';
    if (boundary === undefined) {
      log.error('MIME_NO_BOUNDARY', 'no MIME boundary: no Content-Type boundary parameter and the body does not start with a delimiter line');
      return undefined;
    }
  }
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');

  // Delimiters: "--boundary" at the very start (after whitespace) or right after a line feed.
  let first = 0;
  while (first < body.length && (body[first] === CR || body[first] === LF || isSpace(body[first]))) first++;
  const positions: number[] = [];
  for (let p = body.indexOf(delimiter, first); p >= 0; p = body.indexOf(delimiter, p + delimiter.length)) {
    if (p === first || body[p - 1] === LF) positions.push(p);
  }
  if (!positions.length) {
    log.error('MIME_NO_DELIMITER', 'the body holds no MIME delimiter line');
    return undefined;
  }
  const msg: MultipartMessage = {
    boundary,
    boundarySource,
    params,
    parts: [],
    rootIndex: -1,
    closed: false,
    leadingWhitespace: positions[0]! > 0 && body.subarray(0, positions[0]).every((b) => b === CR || b === LF || isSpace(b)),
    preambleLength: positions[0]!,
    epilogueLength: 0,
  };
  if (headerBoundary !== undefined) msg.headerBoundary = headerBoundary;
  if (msg.preambleLength > 0 && !msg.leadingWhitespace) log.info('MIME_PREAMBLE', `${msg.preambleLength} bytes of preamble before the first delimiter (ignored)`);

  /** End of the delimiter line starting at p (after transport padding and the line break). */
  const lineEnd = (p: number): number => {
    let i = p;
    while (isSpace(body[i])) i++;
    if (body[i] === CR && body[i + 1] === LF) return i + 2;
    if (body[i] === LF) return i + 1;
    return i;
  };
  let stopped = false;
  for (let k = 0; k < positions.length; k++) {
    const p = positions[k]!;
    const after = p + delimiter.length;
    if (body[after] === DASH && body[after + 1] === DASH) {
      msg.closed = true;
      const end = lineEnd(after + 2);
      msg.epilogueLength = body.length - end;
      if (msg.epilogueLength > 0 && body.subarray(end).some((b) => !(b === CR || b === LF || isSpace(b)))) {
        log.info('MIME_EPILOGUE', `${msg.epilogueLength} bytes after the close delimiter (ignored)`);
      }
      break;
    }
    if (msg.parts.length >= maxParts) {
      log.error('MIME_TOO_MANY_PARTS', `more than ${maxParts} MIME parts; the rest is ignored`);
      stopped = true;
      break;
    }
    const start = lineEnd(after);
    const next = positions[k + 1];
    // The line break before the next delimiter belongs to the delimiter (RFC 2046 §5.1.1).
    let end = next ?? body.length;
    if (next !== undefined) {
      if (body[end - 1] === LF) end--;
      if (body[end - 1] === CR) end--;
    }
    if (end < start) end = start;
    msg.parts.push(readPart(body, start, end, maxHeaderBytes, log, msg.parts.length));
  }
  if (!msg.closed && !stopped) log.error('MIME_NOT_CLOSED', 'no close delimiter: the message is truncated (the last part may be incomplete)');
  msg.rootIndex = rootIndexOf(msg, log);
  return msg;
}

function readPart(body: Buffer, start: number, end: number, maxHeaderBytes: number, log: IssueLog, index: number): MimePart {
  const headers: MimeHeader[] = [];
  let i = start;
  let contentStart = -1;
  while (i < end) {
    let eol = body.indexOf(LF, i);
    if (eol < 0 || eol > end) eol = end;
    const lineEndsAt = eol > i && body[eol - 1] === CR ? eol - 1 : eol;
    const line = body.toString('latin1', i, lineEndsAt);
    i = eol + 1;
    if (line.trim() === '') {
      contentStart = Math.min(i, end);
      break;
    }
    if (i - start > maxHeaderBytes) {
      log.error('MIME_HEADERS_TOO_LARGE', `part #${index + 1}: headers exceed ${maxHeaderBytes} bytes`);
      break;
    }
    if (isSpace(line.charCodeAt(0)) && headers.length) {
      headers[headers.length - 1]!.value += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      log.warn('MIME_BAD_HEADER', `part #${index + 1}: a header line has no name`);
      continue;
    }
    headers.push({ name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() });
  }
  if (contentStart < 0) {
    log.warn('MIME_NO_HEADER_END', `part #${index + 1}: no blank line after the headers; the part has no content`);
    contentStart = end;
  }
  const get = (n: string) => headers.find((h) => h.name.toLowerCase() === n)?.value;
  const raw = body.subarray(contentStart, end);
  const part: MimePart = { headers, offset: contentStart, rawLength: end - contentStart, body: raw };
  const cid = get('content-id');
  const ct = get('content-type');
  const cte = get('content-transfer-encoding');
  if (cid !== undefined) part.contentId = cid;
  if (ct !== undefined) part.contentType = ct;
  if (cte !== undefined) part.contentTransferEncoding = cte;
  const enc = cte?.toLowerCase();
  if (enc === 'base64') part.body = Buffer.from(raw.toString('latin1').replace(/\s+/g, ''), 'base64');
  else if (enc === 'quoted-printable') part.body = decodeQuotedPrintable(raw);
  else if (enc !== undefined && !['binary', '8bit', '7bit'].includes(enc)) log.warn('MIME_UNKNOWN_ENCODING', `part #${index + 1}: Content-Transfer-Encoding "${cte}" is not supported; content kept as is`);
  return part;
}

/** Content-ID without angle brackets and surrounding whitespace. */
export function bareContentId(id: string): string {
  const s = id.trim();
  return s.startsWith('<') && s.endsWith('>') ? s.slice(1, -1).trim() : s;
}

function rootIndexOf(msg: MultipartMessage, log: IssueLog): number {
  if (!msg.parts.length) return -1;
  const start = msg.params.start;
  if (start === undefined) return 0;
  const wanted = bareContentId(start);
  const exact = msg.parts.findIndex((p) => p.contentId !== undefined && bareContentId(p.contentId) === wanted);
  if (exact >= 0) return exact;
  const loose = msg.parts.findIndex((p) => p.contentId !== undefined && bareContentId(p.contentId).toLowerCase() === wanted.toLowerCase());
  if (loose >= 0) return loose;
  log.warn('MIME_START_MISMATCH', `the start parameter ${start} names no part; the first part is taken as root`);
  return 0;
}

// --- XOP -----------------------------------------------------------------------------------------------------

export interface XopReference {
  href: string;
  /** Content-ID of the part it resolved to (without brackets). */
  contentId?: string;
  /** The href had to be URL-decoded to match (CXF writes `%40`, `%3A`). */
  urlDecoded: boolean;
  /** Matched only when case was ignored. */
  caseInsensitive: boolean;
  partIndex?: number;
  length?: number;
}

/**
 * A resolver for xop:Include hrefs over the parts of a message, recording every reference it was asked
 * for (resolved or not) for reports. Matching: exact, then URL-decoded, then ignoring case (with a warning).
 */
export function createXopResolver(msg: MultipartMessage | undefined, log: IssueLog): { resolve: XopResolver; references: XopReference[] } {
  const references: XopReference[] = [];
  const ids = (msg?.parts ?? []).map((p) => (p.contentId !== undefined ? bareContentId(p.contentId) : undefined));
  const resolve: XopResolver = (href) => {
    const ref: XopReference = { href, urlDecoded: false, caseInsensitive: false };
    references.push(ref);
    const raw = bareContentId(href.trim().replace(/^cid:/i, ''));
    let decoded = raw;
    try {
      decoded = decodeURIComponent(raw);
    } catch {
      log.warn('XOP_BAD_HREF', `xop:Include href "${href}" has an invalid %-escape`);
    }
    let index = ids.indexOf(raw);
    if (index < 0 && decoded !== raw) {
      index = ids.indexOf(decoded);
      if (index >= 0) ref.urlDecoded = true;
    }
    if (index < 0) {
      const lower = decoded.toLowerCase();
      index = ids.findIndex((id) => id?.toLowerCase() === lower);
      if (index >= 0) {
        ref.caseInsensitive = true;
        ref.urlDecoded = decoded !== raw;
        log.warn('XOP_CID_CASE', `xop:Include href "${href}" matches Content-ID <${ids[index]}> only when case is ignored`);
      }
    }
    if (index < 0) return undefined;
    const part = msg!.parts[index]!;
    ref.contentId = ids[index]!;
    ref.partIndex = index;
    ref.length = part.body.byteLength;
    return { contentId: ref.contentId, content: part.body };
  };
  return { resolve, references };
}

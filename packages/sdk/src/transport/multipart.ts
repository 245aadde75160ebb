/**
 * Just enough MIME to check a multipart response is complete and to redact its parts in a recording. Parsing
 * MTOM/XOP for real (Content-ID resolution, XOP includes) is the SOAP codec's job; this only finds part
 * boundaries, tolerating LF or CRLF line ends and transport padding after delimiters (xds-corpus.md §3.2).
 */

/** The parameters of a Content-Type header, names lowercased, quotes removed. */
export function contentTypeParams(contentType: string): { type: string; params: Record<string, string> } {
  const [type = '', ...rest] = splitOutsideQuotes(contentType, ';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    const name = p.slice(0, eq).trim().toLowerCase();
    let value = p.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1).replace(/\\(.)/g, '$1');
    params[name] = value;
  }
  return { type: type.trim().toLowerCase(), params };
}

function splitOutsideQuotes(value: string, sep: string): string[] {
  const out: string[] = [];
  let current = '';
  let quoted = false;
  for (const c of value) {
    if (c === '"') quoted = !quoted;
    if (c === sep && !quoted) {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

export interface MimePartRange {
  /** Part headers, names lowercased. */
  headers: Record<string, string>;
  bodyStart: number;
  bodyEnd: number;
}

export interface MultipartRanges {
  parts: MimePartRange[];
  /** The close delimiter (`--boundary--`) was found. */
  closed: boolean;
}

/** Delimiter positions: `--boundary` at the start of the body or of a line. */
function delimiterPositions(body: Buffer, boundary: string): number[] {
  const marker = Buffer.from(`--${boundary}`, 'latin1');
  const out: number[] = [];
  let from = 0;
  for (;;) {
    const i = body.indexOf(marker, from);
    if (i < 0) break;
    if (i === 0 || body[i - 1] === 0x0a) out.push(i);
    from = i + marker.length;
  }
  return out;
}

/** Splits a multipart body into part ranges (positions in `body`). */
export function multipartRanges(body: Buffer, boundary: string): MultipartRanges {
  const positions = delimiterPositions(body, boundary);
  const markerLength = boundary.length + 2;
  const parts: MimePartRange[] = [];
  let closed = false;
  for (let k = 0; k < positions.length; k++) {
    const at = positions[k]!;
    const afterMarker = at + markerLength;
    if (body[afterMarker] === 0x2d && body[afterMarker + 1] === 0x2d) {
      closed = true;
      break;
    }
    const lineEnd = body.indexOf(0x0a, afterMarker);
    if (lineEnd < 0) break;
    const next = positions[k + 1] ?? body.length;
    // Headers run from the line after the delimiter to the first empty line (LF or CRLF line ends).
    const hs = lineEnd + 1;
    let headerEnd = -1;
    let bodyStart = -1;
    if (body[hs] === 0x0a || (body[hs] === 0x0d && body[hs + 1] === 0x0a)) {
      headerEnd = hs;
      bodyStart = body[hs] === 0x0a ? hs + 1 : hs + 2;
    } else {
      for (let i = hs; i < next; i++) {
        if (body[i] === 0x0a && (body[i + 1] === 0x0a || (body[i + 1] === 0x0d && body[i + 2] === 0x0a))) {
          headerEnd = i;
          bodyStart = body[i + 1] === 0x0a ? i + 2 : i + 3;
          break;
        }
      }
    }
    if (headerEnd < 0) continue;
    // The line break before the next delimiter belongs to the delimiter.
    let bodyEnd = next;
    if (next < body.length) {
      if (body[bodyEnd - 1] === 0x0a) bodyEnd--;
      if (body[bodyEnd - 1] === 0x0d) bodyEnd--;
    }
    const headers: Record<string, string> = {};
    for (const line of body.subarray(hs, headerEnd).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    parts.push({ headers, bodyStart: Math.min(bodyStart, bodyEnd), bodyEnd });
  }
  return { parts, closed };
}

/** Whether a multipart body ends with its close delimiter (a cut MTOM response does not). */
export function hasCloseDelimiter(body: Buffer, boundary: string): boolean {
  const marker = Buffer.from(`--${boundary}--`, 'latin1');
  const i = body.lastIndexOf(marker);
  return i >= 0 && (i === 0 || body[i - 1] === 0x0a);
}

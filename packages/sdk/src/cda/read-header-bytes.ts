/**
 * The CDA header of a file's bytes for TD2.1 prepare: the same {@link CdaHeader} as
 * `readCdaHeader(domOf(readXml(bytes).root))`, without decoding and scanning the megabytes of an N1 body.
 *
 * The longest run of character data (an N1's base64) is checked here on the bytes — ASCII (SIMD), no `&`, no
 * `<` or `>`, only XML characters (one pass, four bytes at a time) — and the reader reads the rest without it
 * (an element after it: with its line feeds instead, so lines, and columns past its last line, stay where they
 * were). The result is used only when the run proves to be the whole content of the header's nonXMLBody text
 * up to its end tag; its non-space characters are then added to the body's contentLength. Anything else — a run elsewhere, an
 * element after the run on its last line, an encoding other than UTF-8, any error of the reduced text — reads
 * the whole file the ordinary way, so every error (code, message, position) is the reader's own.
 *
 * The body <text> element behind the header (sourceElementOf) holds none of the base64: for callers that
 * read only the header.
 */
import { isAscii } from 'node:buffer';
import { readXml, type XmlElement } from '../xml/fast-parse.js';
import { DEFAULT_MAX_XML_BYTES, domOf, positionOf } from '../xml/parse.js';
import type { CdaHeader } from './header.js';
import { readCdaHeader, sourceElementOf } from './read-header.js';

/** Runs shorter than this are read by the reader (the check would not pay). */
const MIN_RUN = 64 * 1024;

const LT = 0x3c;
const GT = 0x3e;
const LF = 0x0a;

/** The header of a CDA file (see the module comment). Throws what readXml / readCdaHeader throw. */
export function readCdaHeaderBytes(bytes: Uint8Array): CdaHeader {
  return readElided(bytes) ?? readCdaHeader(domOf(readXml(bytes).root));
}

interface Run {
  start: number;
  end: number;
  nonSpace: number;
  lineFeeds: number;
}

function readElided(bytes: Uint8Array): CdaHeader | undefined {
  const run = longestTextRun(bytes);
  if (!run) return undefined;
  // An N1 has only end tags after its body: the run goes whole. Else its line feeds keep the lines below it.
  const first = readWithout(bytes, run, 0);
  if (first !== 'moved') return first;
  const second = run.lineFeeds > 0 ? readWithout(bytes, run, run.lineFeeds) : undefined;
  return second === 'moved' ? undefined : second;
}

/**
 * The header read with the run replaced by `lineFeeds` line feeds; 'moved' when an element after the run
 * would not be where it was (a line below it without the line feeds, on its last line with them).
 */
function readWithout(bytes: Uint8Array, run: Run, lineFeeds: number): CdaHeader | 'moved' | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  const reduced = Buffer.concat([buf.subarray(0, run.start), Buffer.alloc(lineFeeds, LF), buf.subarray(run.end)]);
  let header: CdaHeader;
  let parsed: ReturnType<typeof readXml>;
  try {
    parsed = readXml(reduced);
    header = readCdaHeader(domOf(parsed.root));
  } catch {
    return undefined; // the whole file's own error
  }
  const body = header.body;
  if (body.kind !== 'nonXML') return undefined;
  const text = parsed.text;
  // The run's end in the text, counted from its end: what follows the run is short (UTF-16 units, BOM dropped).
  const offset = text.length - buf.toString('utf8', run.end).length;
  const owner = elementEndingAt(parsed.root, text, offset);
  if (!owner) return undefined;
  const el = sourceElementOf(body);
  const p = el ? positionOf(el) : undefined;
  const q = owner.position();
  if (!p || p.line !== q.line || p.column !== q.column) return undefined;
  if (startsAfter(parsed.root, offset, lineFeeds === run.lineFeeds ? lineEnd(text, offset) : text.length)) return 'moved';
  (body as { contentLength: number }).contentLength += run.nonSpace;
  return header;
}

const lineEnd = (text: string, offset: number): number => {
  const lf = text.indexOf('\n', offset);
  return lf < 0 ? text.length : lf;
};

/**
 * The longest run between a `>` and the next `<` when it is at least MIN_RUN bytes of XML character data
 * with no `<`, `>` or `&` in a UTF-8 file within the size bound, with its non-space and line feed counts.
 */
function longestTextRun(bytes: Uint8Array): Run | undefined {
  if (bytes.length > DEFAULT_MAX_XML_BYTES || bytes.length < MIN_RUN) return undefined;
  if (!isUtf8Declared(bytes)) return undefined;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let prev = buf.indexOf(LT);
  let best = -1;
  let bestGap = 0;
  while (prev >= 0) {
    const next = buf.indexOf(LT, prev + 1);
    if (next < 0) break;
    if (next - prev > bestGap) {
      bestGap = next - prev;
      best = prev;
    }
    prev = next;
  }
  if (best < 0 || bestGap < MIN_RUN) return undefined;
  const end = buf.indexOf(LT, best + 1);
  const gt = buf.indexOf(GT, best);
  if (gt < 0 || gt >= end) return undefined;
  const start = gt + 1;
  const more = buf.indexOf(GT, start);
  if (more >= 0 && more < end) return undefined;
  if (end - start < MIN_RUN) return undefined;
  const run = buf.subarray(start, end);
  if (!isAscii(run) || run.indexOf(0x26 /* & */) >= 0) return undefined;
  const counts = xmlCharCounts(run);
  if (!counts) return undefined;
  return { start, end, nonSpace: run.length - counts.spaces, lineFeeds: counts.lineFeeds };
}

/** UTF-8 as decodeXml reads it: no UTF-16 BOM, and a UTF-8 BOM or no other encoding declared. */
function isUtf8Declared(bytes: Uint8Array): boolean {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return true;
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return false;
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(200, bytes.length)).toString('latin1');
  const declared = /^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  return declared === undefined || declared === 'utf-8' || declared === 'utf8';
}

/**
 * For ASCII bytes: undefined when one is not an XML character (a control other than tab, LF, CR), else the
 * whitespace (tab, LF, CR, space) and line feed counts. Four bytes at a time: a word with no byte ≤ 0x20
 * (most of a base64 line) is one test.
 */
function xmlCharCounts(run: Buffer): { spaces: number; lineFeeds: number } | undefined {
  let spaces = 0;
  let lineFeeds = 0;
  const one = (c: number): boolean => {
    if (c > 0x20) return true;
    if (c === 0x20 || c === 0x09 || c === 0x0d) spaces++;
    else if (c === LF) {
      spaces++;
      lineFeeds++;
    } else return false;
    return true;
  };
  let i = 0;
  const n = run.length;
  const lead = Math.min(n, (4 - (run.byteOffset & 3)) & 3);
  for (; i < lead; i++) if (!one(run[i]!)) return undefined;
  const words = (n - i) >> 2;
  const w = new Uint32Array(run.buffer, run.byteOffset + i, words);
  for (let k = 0; k < words; k++) {
    const x = w[k]!;
    // Some byte ≤ 0x20 (bytes are < 0x80): look at each.
    if (((x - 0x21212121) & ~x & 0x80808080) !== 0) {
      if (!one(x & 0xff) || !one((x >>> 8) & 0xff) || !one((x >>> 16) & 0xff) || !one(x >>> 24)) return undefined;
    }
  }
  for (i += words * 4; i < n; i++) if (!one(run[i]!)) return undefined;
  return { spaces, lineFeeds };
}

/** The element whose end tag starts at this offset of the text, if one does. */
function elementEndingAt(root: XmlElement, text: string, offset: number): XmlElement | undefined {
  let el: XmlElement = root;
  if (!(el.start < offset && offset < el.end)) return undefined;
  for (;;) {
    let inner: XmlElement | null = null;
    for (let c: XmlElement | null = el.firstElementChild; c; c = c.nextElementSibling) {
      if (c.start < offset && offset < c.end) {
        inner = c;
        break;
      }
    }
    if (!inner) break;
    el = inner;
  }
  const endTag = new RegExp(`</${el.nodeName.replace(/[.]/g, '\\.')}[ \\t\\r\\n]*>`, 'y');
  endTag.lastIndex = offset;
  return endTag.test(text) && endTag.lastIndex === el.end ? el : undefined;
}

/** Whether an element starts after the offset, before `until`. */
function startsAfter(root: XmlElement, offset: number, until: number): boolean {
  const walk = (el: XmlElement): boolean => {
    if (el.start > offset && el.start < until) return true;
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (c.end > offset && walk(c)) return true;
    return false;
  };
  return walk(root);
}

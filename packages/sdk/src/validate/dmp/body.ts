/**
 * CDA level 1 body (nonXMLBody/text): media type, B64 representation, inline content that decodes as
 * base64, decoded size, and a file signature that matches the declared media type.
 * dmp-interface.md §10.1 (nonXMLBody), §12 (mimeType/formatCode consistent).
 *
 * The base64 text is read once, character by character (no regular expression over the payload, no
 * copy of the text): the pass validates, counts and decodes; only the first bytes are kept, except for
 * text/plain whose whole content is needed to check its encoding.
 */
import type * as slimdom from 'slimdom';
import { contentMatchesMediaType, isN1MediaType, type N1MediaType } from '../../cda/n1.js';
import { sourceElementOf } from '../../cda/read-header.js';
import { firstChild } from '../../xml/dom.js';
import { positionOf } from '../../xml/parse.js';
import type { DmpRule } from './context.js';

/** Largest decoded N1 content accepted without a warning (5 MiB; the DMP limit is not published). */
export const N1_MAX_DECODED_BYTES = 5 * 1024 * 1024;

/** Expected file signatures, as shown in messages. */
const SIGNATURES: Record<Exclude<N1MediaType, 'text/plain'>, string> = {
  'application/pdf': '%PDF-',
  'image/jpeg': 'FF D8 FF',
  'image/tiff': 'II*\\0 / MM\\0*',
  'text/rtf': '{\\rtf',
};

const WS = -2;
const BAD = -1;
const SEXTET = new Int8Array(128).fill(BAD);
{
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < alphabet.length; i++) SEXTET[alphabet.charCodeAt(i)] = i;
  for (const c of [0x20, 0x09, 0x0a, 0x0d]) SEXTET[c] = WS;
}

export type Base64Result =
  | { ok: true; /** Decoded size in bytes. */ size: number; /** The first `keep` decoded bytes. */ head: Uint8Array }
  | { ok: false; reason: 'char' | 'padding' | 'length'; /** Index (0-based) in the text, for 'char'/'padding'. */ index?: number; /** Newlines before the error. */ newlines: number; char?: number };

/**
 * Decodes base64 text in one pass. Whitespace (space, tab, CR, LF) is ignored anywhere; `=` padding is
 * accepted only at the end (at most two) and may be omitted; a length that leaves one sextet is refused.
 * Keeps at most `keep` decoded bytes (all of them with `keep = Infinity`).
 */
export function decodeBase64(chunks: readonly string[], keep: number): Base64Result {
  let significant = 0;
  let padding = 0;
  let size = 0;
  let acc = 0;
  let accBits = 0;
  let newlines = 0;
  let offset = 0;
  const initial = Number.isFinite(keep) ? keep : chunks.reduce((n, c) => n + c.length, 0);
  let head = new Uint8Array(Math.min(initial, 1 << 16));
  const push = (byte: number) => {
    if (size < keep) {
      if (size === head.length) {
        const grown = new Uint8Array(Math.min(Math.max(head.length * 2, 16), keep));
        grown.set(head);
        head = grown;
      }
      head[size] = byte;
    }
    size++;
  };
  for (const chunk of chunks) {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      const v = c < 128 ? SEXTET[c]! : BAD;
      if (v === WS) {
        if (c === 0x0a) newlines++;
        continue;
      }
      if (c === 0x3d /* = */) {
        padding++;
        if (padding > 2) return { ok: false, reason: 'padding', index: offset + i, newlines };
        continue;
      }
      if (v === BAD) return { ok: false, reason: 'char', index: offset + i, newlines, char: c };
      if (padding > 0) return { ok: false, reason: 'padding', index: offset + i, newlines };
      significant++;
      acc = ((acc << 6) | v) & 0xffffff;
      accBits += 6;
      if (accBits >= 8) {
        accBits -= 8;
        push((acc >> accBits) & 0xff);
      }
    }
    offset += chunk.length;
  }
  const rest = significant % 4;
  if (rest === 1) return { ok: false, reason: 'length', newlines };
  if (padding > 0 && (significant + padding) % 4 !== 0) return { ok: false, reason: 'padding', newlines };
  return { ok: true, size, head: head.subarray(0, Math.min(size, keep)) };
}

function textChunks(el: slimdom.Element): string[] {
  const out: string[] = [];
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3 || c.nodeType === 4) out.push((c as slimdom.Text).data);
  }
  return out;
}

function formatSize(bytes: number): { fr: string; en: string } {
  const mib = (bytes / 1024 / 1024).toFixed(1);
  return { fr: `${mib.replace('.', ',')} Mio`, en: `${mib} MiB` };
}

function hex(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** nonXMLBody/text: declared type and representation, inline content, valid base64, size, signature. */
export const checkNonXmlBody: DmpRule = (ctx) => {
  const body = ctx.header.body;
  if (body.kind !== 'nonXML') return;
  const located = sourceElementOf(body);
  const text = located?.localName === 'text' ? located : firstChild(located, 'text');
  if (!text) {
    ctx.report('DMP-N1-EMPTY', {}, located);
    return;
  }
  const mediaType = body.mediaType;
  const knownType = isN1MediaType(mediaType);
  if (!knownType) ctx.report('DMP-N1-MEDIATYPE', { mediaType: mediaType ?? '(absent)' }, text);
  if (body.representation !== 'B64') ctx.report('DMP-N1-REPRESENTATION', { representation: body.representation ?? '(absent: TXT)' }, text);
  if (body.reference !== undefined || firstChild(text, 'reference')) {
    ctx.report('DMP-N1-REFERENCE', {}, firstChild(text, 'reference') ?? text);
    return;
  }
  if (body.representation !== 'B64') return;
  const compressed = body.compression !== undefined;
  if (compressed) ctx.report('DMP-N1-COMPRESSION', { compression: body.compression! }, text);

  const keep = knownType && mediaType === 'text/plain' && !compressed ? Infinity : 16;
  const decoded = decodeBase64(textChunks(text), keep);
  if (!decoded.ok) {
    const line = (positionOf(text)?.line ?? 0) + decoded.newlines;
    const where = line > 0 ? { fr: ` (ligne ${line})`, en: ` (line ${line})` } : { fr: '', en: '' };
    const [fr, en] =
      decoded.reason === 'char'
        ? [`caractère ${hex(decoded.char!)} interdit${where.fr}`, `character ${hex(decoded.char!)} not allowed${where.en}`]
        : decoded.reason === 'padding'
          ? [`remplissage « = » mal placé ou en trop${where.fr}`, `misplaced or extra "=" padding${where.en}`]
          : ['longueur impossible (un caractère de trop ou manquant)', 'impossible length (one character too many or missing)'];
    ctx.report('DMP-N1-BASE64', { detail: en, detailFr: fr }, text);
    return;
  }
  if (decoded.size === 0) {
    ctx.report('DMP-N1-EMPTY', {}, text);
    return;
  }
  if (decoded.size > N1_MAX_DECODED_BYTES) {
    const s = formatSize(decoded.size);
    ctx.report('DMP-N1-SIZE', { size: s.en, sizeFr: s.fr }, text);
  }
  if (!knownType || compressed) return;
  if (mediaType === 'text/plain') {
    if (!contentMatchesMediaType(decoded.head, 'text/plain')) ctx.report('DMP-N1-TEXT-ENCODING', {}, text);
    return;
  }
  if (!contentMatchesMediaType(decoded.head, mediaType)) {
    ctx.report('DMP-N1-MAGIC', { mediaType, expected: SIGNATURES[mediaType] }, text);
  }
};

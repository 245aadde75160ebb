/**
 * X.500 distinguished names: read from a certificate's ASN.1, written in RFC 2253 form (what the VIHF
 * Issuer carries: `CN=…,OU=…,O=…,ST=…,C=FR`, most specific first, `ST=` and never .NET's `S=`), and
 * compared loosely when they come from other software (.NET's "CN=a, OU=b, S=c", keyword aliases).
 */
import type { asn1 } from 'node-forge';
import { asn1FromDer, forge } from './forge.js';

/** One attribute type and value of an RDN. `derHex` is the DER of the value, for `#hex` output. */
export interface DnAttribute {
  oid: string;
  value: string;
  derHex: string;
}

/** A name as a list of RDNs in certificate (ASN.1) order: most general first (C=FR first). */
export type DnRdns = DnAttribute[][];

/** RFC 2253 §2.3 keywords: any other type is written as a dotted OID with a `#hex` value. */
const RFC2253_KEYWORDS: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.9': 'STREET',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

/** Keywords met in DNs written by other tools (.NET `S=`, `G=`, `E=`…), mapped to their OID. */
const KEYWORD_OIDS: Readonly<Record<string, string>> = {
  CN: '2.5.4.3',
  SN: '2.5.4.4',
  SURNAME: '2.5.4.4',
  SERIALNUMBER: '2.5.4.5',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
  S: '2.5.4.8',
  STREET: '2.5.4.9',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  T: '2.5.4.12',
  TITLE: '2.5.4.12',
  G: '2.5.4.42',
  GN: '2.5.4.42',
  GIVENNAME: '2.5.4.42',
  INITIALS: '2.5.4.43',
  E: '1.2.840.113549.1.9.1',
  EMAIL: '1.2.840.113549.1.9.1',
  EMAILADDRESS: '1.2.840.113549.1.9.1',
  DC: '0.9.2342.19200300.100.1.25',
  UID: '0.9.2342.19200300.100.1.1',
};

/** OID of a DN attribute type written as a keyword (`CN`, `ST`, `S`, `GN`…) or as a dotted OID. */
export function dnKeywordOid(type: string): string | undefined {
  const t = type.trim().toUpperCase().replace(/^OID\./, '');
  return KEYWORD_OIDS[t] ?? (/^\d+(\.\d+)+$/.test(t) ? t : undefined);
}

const T = forge.asn1.Type;

/** The text of an ASN.1 string (UTF8String, PrintableString, IA5String, T61String, BMPString…). */
export function asn1StringValue(node: asn1.Asn1): string {
  if (typeof node.value !== 'string') return '';
  const bytes = Buffer.from(node.value, 'binary');
  switch (node.type as number) {
    case T.UTF8:
      return bytes.toString('utf8');
    case T.BMPSTRING: {
      // UTF-16BE: swap to LE for Node's decoder.
      const le = Buffer.alloc(bytes.length);
      for (let i = 0; i + 1 < bytes.length; i += 2) {
        le[i] = bytes[i + 1]!;
        le[i + 1] = bytes[i]!;
      }
      return le.toString('utf16le');
    }
    case 28: {
      // UniversalString: UTF-32BE.
      let s = '';
      for (let i = 0; i + 3 < bytes.length; i += 4) s += String.fromCodePoint(bytes.readUInt32BE(i));
      return s;
    }
    default:
      // PrintableString, IA5String, T61String, VisibleString: single-byte.
      return bytes.toString('latin1');
  }
}

/** Reads an X.501 Name (SEQUENCE OF SET OF AttributeTypeAndValue). */
export function dnFromAsn1(name: asn1.Asn1): DnRdns {
  const rdns: DnRdns = [];
  for (const set of asArray(name.value)) {
    const rdn: DnAttribute[] = [];
    for (const atv of asArray(set.value)) {
      const [type, value] = asArray(atv.value);
      if (!type || !value || typeof type.value !== 'string') continue;
      rdn.push({
        oid: forge.asn1.derToOid(type.value),
        value: asn1StringValue(value),
        derHex: forge.asn1.toDer(value).toHex(),
      });
    }
    if (rdn.length > 0) rdns.push(rdn);
  }
  return rdns;
}

function asArray(value: asn1.Asn1['value']): asn1.Asn1[] {
  return Array.isArray(value) ? value : [];
}

function escapeRfc2253(value: string): string {
  let out = value.replace(/[,+"\\<>;]/g, (c) => `\\${c}`);
  if (out.startsWith('#') || out.startsWith(' ')) out = `\\${out}`;
  if (out.length > 1 && out.endsWith(' ') && !out.endsWith('\\ ')) out = `${out.slice(0, -1)}\\ `;
  return out;
}

/**
 * RFC 2253 string of a name: RDNs in reverse ASN.1 order, multi-valued RDNs joined with `+`, types outside
 * the RFC's keyword list as `OID=#<DER hex>` (as Java's X500Principal writes them, e.g. the CPS
 * `CN=899900038839+2.5.4.4=#14045452414c+…` of the official samples).
 */
export function formatRfc2253(rdns: DnRdns): string {
  return [...rdns]
    .reverse()
    .map((rdn) =>
      rdn
        .map((a) => {
          const keyword = RFC2253_KEYWORDS[a.oid];
          return keyword ? `${keyword}=${escapeRfc2253(a.value)}` : `${a.oid}=#${a.derHex}`;
        })
        .join('+'),
    )
    .join(',');
}

/** Splits on an unescaped, unquoted separator. */
function splitUnescaped(text: string, separators: string): string[] {
  const parts: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      cur += c + text[i + 1]!;
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      cur += c;
    } else if (!quoted && separators.includes(c)) {
      parts.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  parts.push(cur);
  return parts;
}

function unescapeValue(raw: string): string {
  const v = raw.trim();
  if (v.startsWith('#') && /^#([0-9a-fA-F]{2})+$/.test(v)) {
    try {
      return asn1StringValue(asn1FromDer(Buffer.from(v.slice(1), 'hex')));
    } catch {
      return v;
    }
  }
  const unquoted = v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
  // \XX hex pairs are UTF-8 bytes; other escapes stand for the character itself.
  const bytes: number[] = [];
  for (let i = 0; i < unquoted.length; i++) {
    const c = unquoted[i]!;
    if (c === '\\' && /^[0-9a-fA-F]{2}$/.test(unquoted.slice(i + 1, i + 3))) {
      bytes.push(parseInt(unquoted.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (c === '\\' && i + 1 < unquoted.length) {
      bytes.push(...Buffer.from(unquoted[i + 1]!, 'utf8'));
      i++;
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * A comparison key for a DN string from any common writer: attribute types mapped to OIDs (`S`→`ST`,
 * `G`/`GN`, `E`…), `#hex` values decoded, values trimmed, whitespace collapsed and case folded, RDN order
 * ignored (.NET and RFC 2253 writers disagree on it). Returns undefined when the text is not a DN.
 */
export function dnComparisonKey(dn: string): string | undefined {
  const avas: string[] = [];
  for (const rdn of splitUnescaped(dn, ',;')) {
    if (rdn.trim() === '') continue;
    for (const ava of splitUnescaped(rdn, '+')) {
      const eq = ava.indexOf('=');
      if (eq <= 0) return undefined;
      const oid = dnKeywordOid(ava.slice(0, eq));
      if (!oid) return undefined;
      const value = unescapeValue(ava.slice(eq + 1)).normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
      avas.push(`${oid}=${value}`);
    }
  }
  return avas.length === 0 ? undefined : avas.sort().join('\n');
}

/** True when two DN strings name the same entity (see {@link dnComparisonKey}). */
export function sameDistinguishedName(a: string, b: string): boolean {
  const ka = dnComparisonKey(a);
  return ka !== undefined && ka === dnComparisonKey(b);
}

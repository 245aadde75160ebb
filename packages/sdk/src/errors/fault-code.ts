/**
 * SOAP fault codes are QNames whose prefixes vary from one stack to the next (`soap:`, `S:`, `env:`, `fault:`,
 * xds-corpus.md §3.1). The catalogue keys them by a canonical prefix tied to the namespace: `soap:` (SOAP 1.2),
 * `soap11:` (SOAP 1.1), `wsa:` (WS-Addressing 1.0), `wsse:` (WS-Security). Codes in any other namespace
 * (the DMP's own `DMPInvalidCertificate`) are keyed by their local name.
 */

export const SOAP12_NS = 'http://www.w3.org/2003/05/soap-envelope';
export const SOAP11_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
export const WSA_NS = 'http://www.w3.org/2005/08/addressing';
export const WSSE_NS = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';

const CANONICAL_PREFIX: Record<string, string> = {
  [SOAP12_NS]: 'soap',
  [SOAP11_NS]: 'soap11',
  [WSA_NS]: 'wsa',
  [WSSE_NS]: 'wsse',
};

/** The codes SOAP itself defines (1.2 Part 1 §5.4.6; 1.1 §4.4.1). */
const SOAP12_CODES = new Set(['VersionMismatch', 'MustUnderstand', 'DataEncodingUnknown', 'Sender', 'Receiver']);
const SOAP11_CODES = new Set(['VersionMismatch', 'MustUnderstand', 'Client', 'Server']);

/** A QName as the codec read it: `prefix:local` text, `{ns}local`, or already resolved. */
export type QNameInput = string | { namespace?: string; localName: string; prefix?: string };

export interface FaultCode {
  /** As written in the message (`fault:Sender`, `soap:DMPInvalidCertificate`). */
  raw: string;
  namespace: string | undefined;
  localName: string;
  /** Catalogue key: `soap:Sender`, `soap11:Client`, `wsa:ActionNotSupported`, or the local name. */
  canonical: string;
}

function parseQName(input: QNameInput): { raw: string; namespace?: string; prefix?: string; localName: string } {
  if (typeof input !== 'string') {
    const raw = input.prefix ? `${input.prefix}:${input.localName}` : input.localName;
    return { raw, namespace: input.namespace, prefix: input.prefix, localName: input.localName.trim() };
  }
  const raw = input.trim();
  const clark = /^\{([^}]*)\}(.+)$/.exec(raw);
  if (clark) return { raw, namespace: clark[1], localName: clark[2]! };
  const colon = raw.indexOf(':');
  if (colon > 0) return { raw, prefix: raw.slice(0, colon), localName: raw.slice(colon + 1) };
  return { raw, localName: raw };
}

/**
 * Normalises the top-level fault code. Its value is one of SOAP's own codes whatever the prefix, so the
 * envelope version decides the canonical prefix when the namespace was not resolved.
 */
export function normalizeFaultCode(input: QNameInput, soapVersion: '1.1' | '1.2'): FaultCode {
  const q = parseQName(input);
  const envNs = soapVersion === '1.2' ? SOAP12_NS : SOAP11_NS;
  const known = soapVersion === '1.2' ? SOAP12_CODES : SOAP11_CODES;
  const ns = q.namespace ?? (known.has(q.localName) ? envNs : undefined);
  return { raw: q.raw, namespace: ns, localName: q.localName, canonical: canonicalOf(ns, q.localName, soapVersion) };
}

/**
 * Prefixes as conventionally bound, used only when the codec could not give the namespace (a QName read as text):
 * better than dropping the information, and the codec should resolve namespaces when it can.
 */
function conventionalNamespace(prefix: string | undefined, soapVersion: '1.1' | '1.2'): string | undefined {
  if (!prefix) return undefined;
  const p = prefix.toLowerCase();
  if (['soap', 'soapenv', 'soap-env', 'env', 's'].includes(p)) return soapVersion === '1.2' ? SOAP12_NS : SOAP11_NS;
  if (['wsa', 'wsa5', 'a'].includes(p)) return WSA_NS;
  if (p === 'wsse') return WSSE_NS;
  return undefined;
}

/** Normalises a subcode (SOAP 1.2 Subcode/Value, or a dotted SOAP 1.1 refinement). */
export function normalizeSubcode(input: QNameInput, soapVersion: '1.1' | '1.2'): FaultCode {
  const q = parseQName(input);
  const ns = q.namespace ?? conventionalNamespace(q.prefix, soapVersion);
  return { raw: q.raw, namespace: ns, localName: q.localName, canonical: canonicalOf(ns, q.localName, soapVersion) };
}

function canonicalOf(namespace: string | undefined, localName: string, soapVersion: '1.1' | '1.2'): string {
  const prefix = namespace === undefined ? undefined : CANONICAL_PREFIX[namespace];
  if (prefix === 'soap' || prefix === 'soap11') {
    // A non-standard code put in the envelope namespace (the DMP's `soap:DMPInvalidCertificate`) is not SOAP's.
    const standard = (soapVersion === '1.2' ? SOAP12_CODES : SOAP11_CODES).has(localName);
    return standard ? `${prefix}:${localName}` : localName;
  }
  return prefix ? `${prefix}:${localName}` : localName;
}

/**
 * SOAP 1.1 writes refinements with dots (`soap:Client.Authentication`): the first part is the code,
 * the rest are treated as subcodes, most general first.
 */
export function splitDottedSoap11Code(input: string): { code: string; refinements: string[] } {
  const colon = input.indexOf(':');
  const prefix = colon > 0 ? input.slice(0, colon + 1) : '';
  const [code, ...refinements] = input.slice(prefix.length).split('.');
  return { code: `${prefix}${code ?? ''}`, refinements };
}

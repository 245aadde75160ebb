/**
 * SOAP Faults, both versions: built for the simulator and tests, read from anything (any prefix, the
 * fault code as a QName whose prefix is resolved where it is written). SOAP 1.1 faultcodes are mapped to
 * the SOAP 1.2 names (Client → Sender, Server → Receiver) in `kind`, the raw code stays available.
 */
import { IssueLog } from '../xds/issues.js';
import { kid, kids, type El } from '../xds/xml-read.js';
import { escapeAttr, escapeText } from '../xds/xml-write.js';
import { SOAP_NS, soapNamespace, soapVersionOf, type SoapVersion } from './namespaces.js';

export type FaultKind = 'Sender' | 'Receiver' | 'MustUnderstand' | 'VersionMismatch' | 'DataEncodingUnknown' | 'Other';

export interface FaultQName {
  /** As written, e.g. `soap:Sender`. */
  raw: string;
  local: string;
  /** The namespace its prefix is bound to, when it could be resolved. */
  namespace?: string;
}

export interface SoapFault {
  version: SoapVersion;
  code: FaultQName;
  subcodes: FaultQName[];
  kind: FaultKind;
  /** The first Reason text (1.2) or faultstring (1.1). */
  reason: string;
  reasons: Array<{ lang?: string; text: string }>;
  role?: string;
  node?: string;
  /** The Detail content, serialised (verbatim child elements, or its text). */
  detail?: string;
}

export interface BuildFaultInput {
  version?: SoapVersion;
  code: Exclude<FaultKind, 'Other'>;
  /** SOAP 1.2 Subcode chain (e.g. the DMP's DMPInvalidCertificate), outermost first. */
  subcodes?: ReadonlyArray<{ namespace: string; local: string }>;
  reason: string;
  lang?: string;
  role?: string;
  /** Detail content, verbatim XML. */
  detail?: string;
}

const XML_NS = 'http://www.w3.org/XML/1998/namespace';
const V11_CODES: Record<string, string> = { Sender: 'Client', Receiver: 'Server' };

/** A Fault element for the Body of an envelope of the same version. */
export function buildFault(f: BuildFaultInput): string {
  const version = f.version ?? '1.2';
  const ns = soapNamespace(version);
  const lang = f.lang ?? 'fr';
  if (version === '1.1') {
    return (
      `<soap:Fault xmlns:soap="${ns}">` +
      `<faultcode>soap:${V11_CODES[f.code] ?? f.code}</faultcode>` +
      `<faultstring xml:lang="${escapeAttr(lang)}">${escapeText(f.reason)}</faultstring>` +
      (f.role !== undefined ? `<faultactor>${escapeText(f.role)}</faultactor>` : '') +
      (f.detail !== undefined ? `<detail>${f.detail}</detail>` : '') +
      '</soap:Fault>'
    );
  }
  let subcodes = '';
  let close = '';
  (f.subcodes ?? []).forEach((s, i) => {
    subcodes += `<soap:Subcode><soap:Value xmlns:sc${i}="${escapeAttr(s.namespace)}">sc${i}:${escapeText(s.local)}</soap:Value>`;
    close += '</soap:Subcode>';
  });
  return (
    `<soap:Fault xmlns:soap="${ns}">` +
    `<soap:Code><soap:Value>soap:${f.code}</soap:Value>${subcodes}${close}</soap:Code>` +
    `<soap:Reason><soap:Text xml:lang="${escapeAttr(lang)}">${escapeText(f.reason)}</soap:Text></soap:Reason>` +
    (f.role !== undefined ? `<soap:Role>${escapeText(f.role)}</soap:Role>` : '') +
    (f.detail !== undefined ? `<soap:Detail>${f.detail}</soap:Detail>` : '') +
    '</soap:Fault>'
  );
}

function qnameOf(el: El | undefined): FaultQName {
  const raw = (el?.textContent ?? '').trim();
  const i = raw.indexOf(':');
  const prefix = i < 0 ? null : raw.slice(0, i);
  const local = i < 0 ? raw : raw.slice(i + 1);
  const q: FaultQName = { raw, local };
  const ns = el?.lookupNamespaceURI(prefix);
  if (ns) q.namespace = ns;
  return q;
}

function kindOf(code: FaultQName, version: SoapVersion): FaultKind {
  const local = version === '1.1' ? ({ Client: 'Sender', Server: 'Receiver' } as Record<string, string>)[code.local.split('.')[0]!] ?? code.local : code.local;
  const known: FaultKind[] = ['Sender', 'Receiver', 'MustUnderstand', 'VersionMismatch', 'DataEncodingUnknown'];
  // 1.1 allows dotted refinements (Client.Authentication): the class is the first part.
  return (known as string[]).includes(local.split('.')[0]!) ? (local.split('.')[0] as FaultKind) : 'Other';
}

function serializeDetail(detail: El | undefined): string | undefined {
  if (!detail) return undefined;
  const children = kids(detail);
  if (!children.length) return (detail.textContent ?? '').trim() || undefined;
  // Each child as written, with the namespaces it inherits declared on it (so that each stands alone).
  return children.map((c) => c.standaloneXml()).join('');
}

/** Reads a Fault element (its namespace gives the version; children may use any prefix). */
export function readFault(el: El, log: IssueLog): SoapFault {
  const version = soapVersionOf(el.namespaceURI) ?? '1.2';
  if (!soapVersionOf(el.namespaceURI)) log.warn('SOAP_FAULT_NAMESPACE', `Fault is in namespace ${el.namespaceURI ?? '(none)'}; read as SOAP 1.2`, el);
  if (version === '1.1' || kid(el, 'faultcode')) {
    const code = qnameOf(kid(el, 'faultcode'));
    const fs = kid(el, 'faultstring');
    const reason = (fs?.textContent ?? '').trim();
    const lang = fs?.getAttributeNS(XML_NS, 'lang');
    const f: SoapFault = { version: '1.1', code, subcodes: [], kind: kindOf(code, '1.1'), reason, reasons: [{ ...(lang ? { lang } : {}), text: reason }] };
    const actor = kid(el, 'faultactor');
    if (actor) f.role = (actor.textContent ?? '').trim();
    const detail = serializeDetail(kid(el, 'detail'));
    if (detail !== undefined) f.detail = detail;
    if (!code.raw) log.warn('SOAP_FAULT_INCOMPLETE', 'SOAP 1.1 Fault without faultcode', el);
    return f;
  }
  const codeEl = kid(el, 'Code');
  const code = qnameOf(kid(codeEl, 'Value'));
  const subcodes: FaultQName[] = [];
  for (let sc = kid(codeEl, 'Subcode'); sc; sc = kid(sc, 'Subcode')) subcodes.push(qnameOf(kid(sc, 'Value')));
  const reasons = kids(kid(el, 'Reason') ?? el, 'Text').map((t) => {
    const lang = t.getAttributeNS(XML_NS, 'lang');
    return { ...(lang ? { lang } : {}), text: (t.textContent ?? '').trim() };
  });
  const f: SoapFault = { version: '1.2', code, subcodes, kind: kindOf(code, '1.2'), reason: reasons[0]?.text ?? '', reasons };
  const role = kid(el, 'Role');
  const node = kid(el, 'Node');
  if (role) f.role = (role.textContent ?? '').trim();
  if (node) f.node = (node.textContent ?? '').trim();
  const detail = serializeDetail(kid(el, 'Detail'));
  if (detail !== undefined) f.detail = detail;
  if (!code.raw) log.warn('SOAP_FAULT_INCOMPLETE', 'SOAP 1.2 Fault without Code/Value', el);
  if (code.raw && code.namespace !== SOAP_NS.soap12) log.info('SOAP_FAULT_CODE_NAMESPACE', `fault code "${code.raw}" is not resolved to the SOAP 1.2 namespace`, el);
  return f;
}

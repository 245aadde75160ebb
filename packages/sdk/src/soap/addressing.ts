/**
 * WS-Addressing headers: built for DMP requests (MessageID urn:uuid, To, ReplyTo anonymous, Action
 * mustUnderstand — dmp-interface.md §1.1) and responses (RelatesTo), and read back tolerantly: any prefix
 * or none, the 2004 submission namespace, values with stray whitespace, mustUnderstand unqualified or in
 * the wrong namespace (xds-corpus.md §3.1). Values read are trimmed; inner whitespace is kept and reported.
 */
import { randomUUID } from 'node:crypto';
import { IssueLog } from '../xds/issues.js';
import { att, kid, type El } from '../xds/xml-read.js';
import { escapeText } from '../xds/xml-write.js';
import { SOAP_NS, WSA_ANONYMOUS, type SoapVersion } from './namespaces.js';

export interface WsAddressingInput {
  action: string;
  /** Default: a new `urn:uuid:`. */
  messageId?: string;
  /** The endpoint URL. */
  to?: string;
  /** Requests: the anonymous address (synchronous answer). */
  replyTo?: string;
  /** Responses: the request's MessageID. */
  relatesTo?: string;
  /** Header blocks marked mustUnderstand (default: Action, and ReplyTo when present, as the DMP examples do). */
  mustUnderstand?: ReadonlyArray<'Action' | 'ReplyTo' | 'To' | 'MessageID' | 'RelatesTo'>;
}

export interface WsAddressing {
  action?: string;
  messageId?: string;
  to?: string;
  replyTo?: string;
  faultTo?: string;
  from?: string;
  relatesTo?: string;
  relationshipType?: string;
  /** The WS-Addressing namespace the headers used. */
  namespace?: string;
  /** Local names of the WS-A header blocks marked mustUnderstand (however spelled). */
  mustUnderstand: string[];
}

export function newMessageId(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** The WS-A header blocks (prefix `wsa`, declared on each block so the string stands alone). */
export function buildAddressingHeaders(input: WsAddressingInput, version: SoapVersion, soapPrefix = 'soap'): string {
  const must = new Set(input.mustUnderstand ?? ['Action', 'ReplyTo']);
  const mu = (name: string) => (must.has(name as 'Action') ? ` ${soapPrefix}:mustUnderstand="${version === '1.2' ? 'true' : '1'}"` : '');
  const ns = ` xmlns:wsa="${SOAP_NS.wsa}"`;
  const simple = (name: string, value: string) => `<wsa:${name}${ns}${mu(name)}>${escapeText(value)}</wsa:${name}>`;
  let out = simple('MessageID', input.messageId ?? newMessageId());
  if (input.to !== undefined) out += simple('To', input.to);
  if (input.replyTo !== undefined) out += `<wsa:ReplyTo${ns}${mu('ReplyTo')}><wsa:Address>${escapeText(input.replyTo)}</wsa:Address></wsa:ReplyTo>`;
  out += simple('Action', input.action);
  if (input.relatesTo !== undefined) out += simple('RelatesTo', input.relatesTo);
  return out;
}

const WSA_NAMESPACES = new Set<string>([SOAP_NS.wsa, SOAP_NS.wsa2004]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads the WS-A headers among the SOAP header blocks. */
export function readAddressing(blocks: readonly El[], soapNamespace: string, log: IssueLog): WsAddressing {
  const out: WsAddressing = { mustUnderstand: [] };
  for (const b of blocks) {
    if (!b.namespaceURI || !WSA_NAMESPACES.has(b.namespaceURI)) continue;
    out.namespace ??= b.namespaceURI;
    if (b.namespaceURI === SOAP_NS.wsa2004) log.info('WSA_2004', 'WS-Addressing headers use the 2004 submission namespace', b);
    const qualified = b.getAttributeNS(soapNamespace, 'mustUnderstand');
    const unqualified = b.getAttribute('mustUnderstand');
    const wrongNs = b.getAttributeNS(b.namespaceURI, 'mustUnderstand');
    const mu = qualified ?? unqualified ?? wrongNs;
    if (mu !== null && (mu === 'true' || mu === '1')) {
      out.mustUnderstand.push(b.localName);
      if (qualified === null) log.info('WSA_MUSTUNDERSTAND_NAMESPACE', `${b.localName} carries mustUnderstand outside the SOAP namespace (a SOAP processor ignores it)`, b);
    }
    const value = (el: El | undefined) => (el?.textContent ?? '').trim();
    switch (b.localName) {
      case 'Action':
        out.action = value(b);
        break;
      case 'MessageID':
        out.messageId = value(b);
        break;
      case 'To':
        out.to = value(b);
        break;
      case 'RelatesTo': {
        out.relatesTo = value(b);
        const rt = att(b, 'RelationshipType');
        if (rt !== undefined) out.relationshipType = rt;
        break;
      }
      case 'ReplyTo':
        out.replyTo = value(kid(b, 'Address'));
        break;
      case 'FaultTo':
        out.faultTo = value(kid(b, 'Address'));
        break;
      case 'From':
        out.from = value(kid(b, 'Address'));
        break;
      default:
        break;
    }
  }
  for (const key of ['messageId', 'relatesTo', 'action'] as const) {
    const v = out[key];
    if (v !== undefined && /\s/.test(v)) log.warn('WSA_VALUE_WHITESPACE', `WS-Addressing ${key} contains whitespace inside its value`, blocks.find((b) => b.localName.toLowerCase() === key.toLowerCase()));
  }
  if (out.messageId !== undefined && !UUID.test(normalizeMessageId(out.messageId).replace(/^urn:uuid:/, ''))) {
    log.info('WSA_MESSAGEID_NOT_UUID', 'WS-Addressing MessageID is not a UUID URN', blocks.find((b) => b.localName === 'MessageID'));
  }
  return out;
}

/** A message id as compared for correlation: whitespace removed, `uuid:`/bare UUIDs as `urn:uuid:`, lower case. */
export function normalizeMessageId(id: string): string {
  const s = id.replace(/\s+/g, '');
  const bare = s.replace(/^urn:uuid:/i, '').replace(/^uuid:/i, '');
  return UUID.test(bare) ? `urn:uuid:${bare.toLowerCase()}` : s;
}

/** Whether a response's RelatesTo designates the request's MessageID (tolerating the spellings seen). */
export function relatesTo(responseRelatesTo: string | undefined, requestMessageId: string): boolean {
  return responseRelatesTo !== undefined && normalizeMessageId(responseRelatesTo) === normalizeMessageId(requestMessageId);
}

export { WSA_ANONYMOUS };

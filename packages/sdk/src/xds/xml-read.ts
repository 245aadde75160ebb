/**
 * Namespace-tolerant reading of the light element tree of the fast safe reader (xml/fast-parse.ts). Real XDS
 * messages use every prefix and sometimes the wrong namespace (xds-corpus.md §3.4), so elements are matched
 * by local name and the namespace is checked separately by the caller when it matters.
 */
import type { XmlElement, XmlSource } from '../xml/fast-parse.js';

export type El = XmlElement;

/** `{namespace}localName`, the way the corpus manifests name elements. */
export function qname(el: El): string {
  return `{${el.namespaceURI ?? ''}}${el.localName}`;
}

/** Element children, optionally only those with this local name. */
export function kids(parent: El, localName?: string): El[] {
  const out: El[] = [];
  for (let c = parent.firstElementChild; c; c = c.nextElementSibling) {
    if (localName === undefined || c.localName === localName) out.push(c);
  }
  return out;
}

export function kid(parent: El | undefined, localName: string): El | undefined {
  if (!parent) return undefined;
  for (let c = parent.firstElementChild; c; c = c.nextElementSibling) if (c.localName === localName) return c;
  return undefined;
}

/** Row of the first child with this local name, or -1 (reading by row makes no element object: XmlSource). */
export function kidRow(doc: XmlSource, row: number, localName: string): number {
  let c = doc.firstChild(row);
  while (c >= 0 && doc.localNameOf(c) !== localName) c = doc.nextSibling(c);
  return c;
}

/** First child whose local name matches case-insensitively (lower camel case `homeCommunityId` in the wild). */
export function kidIgnoreCase(parent: El | undefined, localName: string): El | undefined {
  if (!parent) return undefined;
  const wanted = localName.toLowerCase();
  for (let c = parent.firstElementChild; c; c = c.nextElementSibling) if (c.localName.toLowerCase() === wanted) return c;
  return undefined;
}

/** An unqualified attribute, undefined when absent. */
export function att(el: El | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const v = el.getAttribute(name);
  return v === null ? undefined : v;
}

export function attNS(el: El | undefined, ns: string, localName: string): string | undefined {
  if (!el) return undefined;
  const v = el.getAttributeNS(ns, localName);
  return v === null ? undefined : v;
}

/** Text content exactly as written. */
export function txt(el: El | undefined): string | undefined {
  if (!el) return undefined;
  return el.textContent;
}

/** Text content of a child, trimmed (identifiers in ITI-43 bodies are often indented). */
export function kidText(parent: El | undefined, localName: string): string | undefined {
  const t = txt(kid(parent, localName));
  return t === undefined ? undefined : t.trim();
}

/** Removes every whitespace character (scheme UUIDs broken by PDF copies: xds-corpus.md §3.4). */
export function stripWs(value: string): string {
  return /\s/.test(value) ? value.replace(/\s+/g, '') : value;
}

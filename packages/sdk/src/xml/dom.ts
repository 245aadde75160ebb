/** Small DOM helpers shared by the CDA model and the validation layers (namespace-aware, no XPath). */
import type * as slimdom from 'slimdom';
import { NS } from './names.js';

export function childElements(parent: slimdom.Node, localName?: string, ns: string | null = NS.hl7): slimdom.Element[] {
  const out: slimdom.Element[] = [];
  for (let c = (parent as slimdom.Element).firstElementChild; c; c = c.nextElementSibling) {
    if (localName === undefined || (c.localName === localName && c.namespaceURI === ns)) out.push(c);
  }
  return out;
}

export function firstChild(parent: slimdom.Node | undefined, localName: string, ns: string | null = NS.hl7): slimdom.Element | undefined {
  if (!parent) return undefined;
  for (let c = (parent as slimdom.Element).firstElementChild; c; c = c.nextElementSibling) {
    if (c.localName === localName && c.namespaceURI === ns) return c;
  }
  return undefined;
}

/** Follows a path of HL7 child names, first match at each step. */
export function childPath(parent: slimdom.Node | undefined, ...names: string[]): slimdom.Element | undefined {
  let cur = parent;
  for (const n of names) {
    cur = firstChild(cur, n);
    if (!cur) return undefined;
  }
  return cur as slimdom.Element | undefined;
}

export function attr(el: slimdom.Element | undefined, name: string): string | undefined {
  if (!el) return undefined;
  const v = el.getAttribute(name);
  return v === null ? undefined : v;
}

export function textOf(el: slimdom.Node | undefined): string | undefined {
  if (!el) return undefined;
  return el.textContent ?? undefined;
}

/**
 * The CDA ClinicalDocument element of a parsed file: the root, or for an "auto-présentable" document
 * (root `xsl:stylesheet`) the first ClinicalDocument nested inside it.
 */
export function findClinicalDocument(doc: slimdom.Document): slimdom.Element | undefined {
  const root = doc.documentElement;
  if (!root) return undefined;
  if (root.localName === 'ClinicalDocument' && root.namespaceURI === NS.hl7) return root;
  if (root.namespaceURI !== NS.xsl) return undefined;
  const walk = (el: slimdom.Element): slimdom.Element | undefined => {
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (c.localName === 'ClinicalDocument' && c.namespaceURI === NS.hl7) return c;
      const found = walk(c);
      if (found) return found;
    }
    return undefined;
  };
  return walk(root);
}

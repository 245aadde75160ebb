/** XPath locations written the way SVRL writes them: `/ClinicalDocument[1]/recordTarget[1]/@classCode`. */
import type * as slimdom from 'slimdom';

const ELEMENT = 1;
const ATTRIBUTE = 2;
const DOCUMENT = 9;

/** What the path needs of an element: a slimdom one, or one of the fast reader's light tree (xml/fast-parse.ts). */
interface PathElement {
  readonly nodeType: number;
  readonly localName: string;
  readonly namespaceURI: string | null;
  readonly previousElementSibling: PathElement | null;
  readonly parentNode: PathElement | null;
}

/** Unprefixed, 1-based positional path of a node (prefixes are dropped, as SVRL locations are read by people). */
export function xpathOf(node: slimdom.Node | slimdom.Attr | PathElement): string {
  if (node.nodeType === ATTRIBUTE) {
    const attr = node as slimdom.Attr;
    const owner = attr.ownerElement;
    return `${owner ? xpathOf(owner) : ''}/@${attr.localName}`;
  }
  if (node.nodeType === DOCUMENT) return '/';
  const parts: string[] = [];
  let cur = node as PathElement | null;
  while (cur && cur.nodeType !== DOCUMENT) {
    if (cur.nodeType === ELEMENT) {
      const el = cur;
      let index = 1;
      for (let s = el.previousElementSibling; s; s = s.previousElementSibling) {
        if (s.localName === el.localName && s.namespaceURI === el.namespaceURI) index++;
      }
      parts.push(`${el.localName}[${index}]`);
    } else {
      parts.push('node()');
    }
    cur = cur.parentNode;
  }
  return '/' + parts.reverse().join('/');
}

/**
 * A read-only DOM view of the fast safe reader's tree (xml/fast-parse.ts), with the subset of the xmldom API the
 * VIHF code and xml-crypto's exclusive canonicaliser read: nodeType, names, namespaceURI, parentNode, firstChild,
 * nextSibling, childNodes, attributes (indexed and item()), getAttribute(NS), hasAttribute, textContent, data. The
 * safe reader has already built this tree, so a verification no longer parses the text a second time with xmldom.
 *
 * The view is exact for what canonicalisation sees: text runs as the reader keeps them (references expanded, CRLF
 * as LF, adjacent runs and CDATA merged: what the canonical form writes for consecutive DOM text nodes), attribute
 * values normalised as the DOM has them, comments left out (exclusive c14n without comments drops them).
 * Processing instructions are not in the reader's tree: the caller keeps xmldom for a text that has any.
 */
import type { XmlAttribute, XmlElement } from '../xml/fast-parse.js';

type ViewNode = ViewElement | ViewText;

const readOnly = (): never => {
  throw new Error('read-only view');
};

class ViewAttributes extends Array<ViewAttr> {
  item(i: number): ViewAttr | null {
    return this[i] ?? null;
  }
}

class ViewNodes extends Array<ViewNode> {
  item(i: number): ViewNode | null {
    return this[i] ?? null;
  }
}

class ViewAttr {
  readonly nodeType = 2;
  readonly name: string;
  readonly nodeName: string;
  readonly localName: string;
  readonly prefix: string | null;
  readonly namespaceURI: string | null;
  readonly value: string;
  readonly nodeValue: string;
  constructor(a: XmlAttribute) {
    this.name = this.nodeName = a.name;
    this.localName = a.localName;
    this.prefix = a.prefix;
    this.namespaceURI = a.namespaceURI;
    this.value = this.nodeValue = a.value;
  }
}

class ViewText {
  readonly nodeType = 3;
  readonly nodeName = '#text';
  readonly firstChild = null;
  readonly childNodes = new ViewNodes();
  nextSibling: ViewNode | null = null;
  previousSibling: ViewNode | null = null;
  appendChild = readOnly;
  removeChild = readOnly;
  constructor(
    readonly data: string,
    readonly parentNode: ViewElement,
    readonly ownerDocument: ViewDocument,
  ) {}
  get nodeValue(): string {
    return this.data;
  }
  get textContent(): string {
    return this.data;
  }
  cloneNode(): ViewText {
    return this;
  }
}

export class ViewElement {
  readonly nodeType = 1;
  nextSibling: ViewNode | null = null;
  previousSibling: ViewNode | null = null;
  #children: ViewNodes | undefined;
  #attributes: ViewAttributes | undefined;
  appendChild = readOnly;
  removeChild = readOnly;

  constructor(
    readonly source: XmlElement,
    readonly parentNode: ViewElement | ViewDocument,
    readonly ownerDocument: ViewDocument,
    /** The content is left out (an omitted SOAP Body: its start tag only, as xmldom had it). */
    readonly empty = false,
  ) {}

  get nodeName(): string {
    return this.source.nodeName;
  }
  get tagName(): string {
    return this.source.nodeName;
  }
  get localName(): string {
    return this.source.localName;
  }
  get prefix(): string | null {
    return this.source.prefix;
  }
  get namespaceURI(): string | null {
    return this.source.namespaceURI;
  }

  get childNodes(): ViewNodes {
    if (this.#children) return this.#children;
    const out = new ViewNodes();
    if (!this.empty) {
      for (const c of this.source.children) {
        if (typeof c === 'string' && c === '') continue;
        const node: ViewNode = typeof c === 'string' ? new ViewText(c, this, this.ownerDocument) : new ViewElement(c, this, this.ownerDocument, c === this.ownerDocument.omitted);
        const prev = out[out.length - 1];
        if (prev) {
          prev.nextSibling = node;
          node.previousSibling = prev;
        }
        out.push(node);
      }
    }
    return (this.#children = out);
  }

  get firstChild(): ViewNode | null {
    return this.childNodes[0] ?? null;
  }

  get attributes(): ViewAttributes {
    if (this.#attributes) return this.#attributes;
    const out = new ViewAttributes();
    for (const a of this.source.attributes) out.push(new ViewAttr(a));
    return (this.#attributes = out);
  }

  getAttribute(name: string): string | null {
    return this.source.getAttribute(name);
  }
  hasAttribute(name: string): boolean {
    return this.source.getAttribute(name) !== null;
  }
  getAttributeNS(namespace: string | null, localName: string): string | null {
    return this.source.getAttributeNS(namespace, localName);
  }
  lookupNamespaceURI(prefix: string | null): string | null {
    return this.source.lookupNamespaceURI(prefix);
  }
  get textContent(): string {
    return this.empty ? '' : this.source.textContent;
  }

  /** A deep, detached and mutable copy (children can be removed), for the canonicaliser's fallback. */
  cloneNode(): ViewCopy {
    return copyOf(this, null);
  }
}

/** A plain mutable node, what cloneNode gives. */
interface ViewCopy {
  nodeType: number;
  nodeName: string;
  tagName?: string;
  localName?: string;
  prefix?: string | null;
  namespaceURI?: string | null;
  data?: string;
  attributes?: ViewAttributes;
  childNodes: ViewCopy[];
  parentNode: ViewCopy | null;
  ownerDocument: ViewDocument;
  appendChild: () => never;
  removeChild: (c: ViewCopy) => ViewCopy;
}

function copyOf(node: ViewNode, parentNode: ViewCopy | null): ViewCopy {
  const childNodes: ViewCopy[] = [];
  const copy: ViewCopy = {
    nodeType: node.nodeType,
    nodeName: node.nodeName,
    childNodes,
    parentNode,
    ownerDocument: node.ownerDocument,
    appendChild: readOnly,
    removeChild: (c) => {
      const i = childNodes.indexOf(c);
      if (i < 0) throw new Error('not a child');
      childNodes.splice(i, 1);
      c.parentNode = null;
      return c;
    },
  };
  if (node instanceof ViewText) copy.data = node.data;
  else {
    Object.assign(copy, { tagName: node.tagName, localName: node.localName, prefix: node.prefix, namespaceURI: node.namespaceURI, attributes: node.attributes });
    for (const c of node.childNodes) childNodes.push(copyOf(c, copy));
  }
  return copy;
}

export class ViewDocument {
  readonly nodeType = 9;
  readonly nodeName = '#document';
  readonly parentNode = null;
  readonly documentElement: ViewElement;
  constructor(
    root: XmlElement,
    /** An element whose content stays out of the view. */
    readonly omitted?: XmlElement,
  ) {
    this.documentElement = new ViewElement(root, this, this, root === omitted);
  }
  get ownerDocument(): null {
    return null;
  }
}

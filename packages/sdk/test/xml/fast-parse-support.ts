/**
 * The two safe readers side by side: parseXml (saxes + slimdom, the reference) and readXml (the fast
 * reader), reduced to one comparable shape — verdict (accepted, or the XmlParseError code), and for
 * accepted input the element tree (names, namespaces, attributes, text with adjacent runs merged,
 * comments and PIs dropped) with each element's line and column.
 */
import type * as slimdom from 'slimdom';
import { readXml, type XmlElement } from '../../src/xml/fast-parse.js';
import { domOf, parseXml, positionOf, XmlParseError } from '../../src/xml/parse.js';

export interface Shape {
  name: string;
  prefix: string | null;
  at: string;
  attributes: string[];
  children: Array<Shape | string>;
}

export type Verdict = { ok: true; tree: Shape } | { ok: false; code: string; line?: number; column?: number };

const attr = (a: { name: string; localName: string; prefix: string | null; namespaceURI: string | null; value: string }) =>
  `${a.name} {${a.namespaceURI ?? ''}}${a.localName} prefix=${a.prefix ?? ''} = ${JSON.stringify(a.value)}`;

function pushText(children: Array<Shape | string>, t: string): void {
  if (typeof children[children.length - 1] === 'string') children[children.length - 1] += t;
  else children.push(t);
}

function fromDom(el: slimdom.Element): Shape {
  const p = positionOf(el);
  const children: Array<Shape | string> = [];
  for (const c of Array.from(el.childNodes)) {
    if (c.nodeType === 1) children.push(fromDom(c as slimdom.Element));
    else if (c.nodeType === 3 || c.nodeType === 4) pushText(children, (c as slimdom.Text).data);
  }
  return { name: `{${el.namespaceURI ?? ''}}${el.localName}`, prefix: el.prefix, at: `${p?.line}:${p?.column}`, attributes: Array.from(el.attributes).map(attr).sort(), children };
}

function fromTree(el: XmlElement, saxesColumns: boolean): Shape {
  const p = el.position();
  // saxes counts a CRLF right after a start-tag name as one character when it reports where the tag began,
  // so parseXml puts such an element one column late; the fast reader's position is the "<" itself
  // (fast-parse.test.ts checks that). Compared as parseXml reports it.
  if (saxesColumns && el.source.text.startsWith('\r\n', el.start + 1 + el.nodeName.length)) p.column++;
  const children: Array<Shape | string> = [];
  for (const c of el.children) {
    if (typeof c === 'string') pushText(children, c);
    else children.push(fromTree(c, saxesColumns));
  }
  return { name: `{${el.namespaceURI ?? ''}}${el.localName}`, prefix: el.prefix, at: `${p.line}:${p.column}`, attributes: el.attributes.map(attr).sort(), children };
}

function verdictOf(read: () => Shape): Verdict {
  try {
    return { ok: true, tree: read() };
  } catch (e) {
    if (!(e instanceof XmlParseError)) throw e;
    return { ok: false, code: e.code, ...(e.line !== undefined ? { line: e.line } : {}), ...(e.column !== undefined ? { column: e.column } : {}) };
  }
}

export const referenceVerdict = (input: Uint8Array | string): Verdict => verdictOf(() => fromDom(parseXml(input).document.documentElement!));
export const fastVerdict = (input: Uint8Array | string, saxesColumns = true): Verdict => verdictOf(() => fromTree(readXml(input).root, saxesColumns));
/** The DOM built from the fast tree (domOf): the same as the fast tree, its exact positions included. */
export const domVerdict = (input: Uint8Array | string): Verdict => verdictOf(() => fromDom(domOf(readXml(input).root).documentElement!));

/** The verdicts with positions of refusals dropped (the two readers stop at different characters). */
export function comparable(v: Verdict): Verdict {
  return v.ok ? v : { ok: false, code: v.code };
}

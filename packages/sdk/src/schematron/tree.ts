/**
 * A light tree of a schematron source, with the file and line of each element: easy to clone while
 * expanding includes and abstract patterns, which a DOM makes awkward across documents.
 */
import * as fs from 'node:fs';
import type * as slimdom from 'slimdom';
import { parseXml, positionOf } from '../xml/parse.js';
import { NS } from '../xml/names.js';
import { SchematronCompileError } from './model.js';

export interface SchNode {
  /** Local name, for schematron-namespace elements; `#foreign:<name>` for anything else. */
  name: string;
  attrs: Record<string, string>;
  children: (SchNode | string)[];
  /** Absolute path of the file the element was read from. */
  file: string;
  line: number;
  /** Prefix → URI in scope where the element was written (for `<ns>`-less schemas). */
  nsDecls: Record<string, string>;
}

export function readSchFile(absPath: string): SchNode {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(absPath);
  } catch (e) {
    throw new SchematronCompileError(`cannot read: ${(e as Error).message}`, absPath);
  }
  let parsed;
  try {
    parsed = parseXml(bytes, { maxBytes: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { message: string; line?: number };
    throw new SchematronCompileError(`not a readable schematron: ${err.message}`, absPath, err.line);
  }
  return toTree(parsed.document.documentElement!, absPath, {});
}

function toTree(el: slimdom.Element, file: string, inherited: Record<string, string>): SchNode {
  const attrs: Record<string, string> = {};
  let nsDecls = inherited;
  for (const a of Array.from(el.attributes)) {
    if (a.namespaceURI === 'http://www.w3.org/2000/xmlns/') {
      if (nsDecls === inherited) nsDecls = { ...inherited };
      nsDecls[a.localName === 'xmlns' ? '' : a.localName] = a.value;
    } else {
      attrs[a.localName] = a.value;
    }
  }
  const node: SchNode = {
    name: el.namespaceURI === NS.sch ? el.localName : `#foreign:${el.localName}`,
    attrs,
    children: [],
    file,
    line: positionOf(el)?.line ?? 0,
    nsDecls,
  };
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 1) node.children.push(toTree(c as slimdom.Element, file, nsDecls));
    else if (c.nodeType === 3) node.children.push((c as slimdom.Text).data);
  }
  return node;
}

export function elementChildren(node: SchNode, name?: string): SchNode[] {
  return node.children.filter((c): c is SchNode => typeof c !== 'string' && (name === undefined || c.name === name));
}

export function cloneTree(node: SchNode, mapAttr?: (value: string, attr: string) => string): SchNode {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(node.attrs)) attrs[k] = mapAttr ? mapAttr(v, k) : v;
  return {
    ...node,
    attrs,
    children: node.children.map((c) => (typeof c === 'string' ? c : cloneTree(c, mapAttr))),
  };
}

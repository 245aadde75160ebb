/**
 * The element table read by row (XmlSource: firstChild, nextSibling, localNameOf, attributeOf, textOf), which the
 * ebRIM decoder reads slots and names with, against parseXml's DOM on every element of every XML message of the XDS
 * corpus (the XML root of its MIME/HTTP captures included) and of the repository's fixtures; the element objects
 * made from rows (one per element, the same however it is reached); and slots read by row against the element
 * readers (xds/xml-read.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as slimdom from 'slimdom';
import { describe, expect, it } from 'vitest';
import { readXml, type XmlSource } from '../../src/xml/fast-parse.js';
import { parseXml } from '../../src/xml/parse.js';
import { readSlot } from '../../src/xds/ebrim-decode.js';
import { att, kid, kids } from '../../src/xds/xml-read.js';
import { corpusFiles, requireXdsCorpus, xdsCorpusXml } from '../support/corpus.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures');

/** Differences between row `row` of the fast tree and the DOM element, recursively, as readable lines. */
function differences(doc: XmlSource, row: number, dom: slimdom.Element, where: string, out: string[]): number {
  const differ = (what: string) => out.push(`${where}: ${what}`);
  const el = doc.element(row);
  if (el.index !== row || doc.element(row) !== el) differ('element object not the one of its row');
  if (doc.localNameOf(row) !== dom.localName || doc.qnameOf(row).qname !== dom.nodeName) differ(`name ${doc.qnameOf(row).qname}, DOM ${dom.nodeName}`);
  if (doc.textOf(row) !== dom.textContent) differ('text');
  for (const a of Array.from(dom.attributes)) if (doc.attributeOf(row, a.name) !== a.value) differ(`@${a.name}`);
  if (doc.attributeOf(row, 'no-such-attribute') !== null) differ('an absent attribute is not null');
  if (doc.localNameOf(row) === 'Slot') {
    const byElements = { name: att(el, 'name') ?? '', values: kids(kid(el, 'ValueList') ?? el, 'Value').map((v) => v.textContent) };
    if (!kid(el, 'ValueList')) byElements.values = [];
    if (JSON.stringify(readSlot(el)) !== JSON.stringify(byElements)) differ('slot read by row');
  }
  let elements = 1;
  let c = doc.firstChild(row);
  let d = dom.firstElementChild;
  let before: typeof el | null = null;
  for (let n = 1; c >= 0 && d; n++, c = doc.nextSibling(c), d = d.nextElementSibling) {
    const child = doc.element(c);
    if (child.parentNode !== el || child.previousElementSibling !== before || (before ?? el)[before ? 'nextElementSibling' : 'firstElementChild'] !== child) differ(`links of child ${n}`);
    before = child;
    elements += differences(doc, c, d, `${where}/${doc.qnameOf(c).qname}[${n}]`, out);
  }
  if (c >= 0 || d) differ('element children count');
  return elements;
}

function compareMessages(items: Array<{ name: string; bytes: Uint8Array }>): { elements: number; differences: string[] } {
  const out: string[] = [];
  let elements = 0;
  for (const { name, bytes } of items) {
    let dom: slimdom.Element;
    try {
      dom = parseXml(bytes).document.documentElement!;
    } catch {
      continue; // refused: the differential test (fast-parse-corpus.test.ts) holds the fast reader to the same verdict
    }
    const root = readXml(bytes).root;
    elements += differences(root.source, root.index, dom, name, out);
  }
  return { elements, differences: out };
}

describe('the element table by row', () => {
  const xml = '<r xmlns:p="urn:p"><a p:x="1&amp;2">one<b/>two<![CDATA[<3>]]></a><!-- c --><c>x<!-- c -->y</c><d>&#233;t&#xE9;</d><e/></r>';
  const { root } = readXml(xml);
  const doc = root.source;

  it('keeps text as written as offsets, decoded or merged text as one string, mixed content in order', () => {
    const [a, c, d, e] = [root.firstElementChild!, root.firstElementChild!.nextElementSibling!, kid(root, 'd')!, kid(root, 'e')!];
    expect([doc.textOf(a.index), doc.leadingText(a.index), doc.childrenOf(a.index)]).toEqual(['onetwo<3>', 'one', ['one', a.firstElementChild!.index, 'two<3>']]);
    expect([doc.textOf(c.index), doc.leadingText(c.index)]).toEqual(['xy', 'xy']);
    expect([doc.textOf(d.index), doc.leadingText(d.index)]).toEqual(['été', 'été']);
    expect([doc.textOf(e.index), doc.leadingText(e.index), doc.childrenOf(e.index)]).toEqual(['', null, []]);
    expect(a.content).toEqual(['one', a.firstElementChild, 'two<3>']);
    expect(c.content).toBe('xy');
    expect(e.content).toBeNull();
    expect(doc.attributeOf(a.index, 'p:x')).toBe('1&2');
    expect(doc.attributeOf(a.index, 'x')).toBeNull();
  });

  it('links rows as the elements are linked, and makes one element object per row', () => {
    expect(doc.count).toBe(6);
    const rows: number[] = [];
    for (let c = doc.firstChild(root.index); c >= 0; c = doc.nextSibling(c)) rows.push(c);
    expect(rows.map((r) => doc.localNameOf(r))).toEqual(['a', 'c', 'd', 'e']);
    expect(doc.nextSibling(rows[3]!)).toBe(-1);
    expect(doc.firstChild(rows[3]!)).toBe(-1);
    expect(doc.element(rows[1]!)).toBe(root.firstElementChild!.nextElementSibling);
    expect(doc.element(rows[3]!).previousElementSibling).toBe(doc.element(rows[2]!));
    expect(doc.element(rows[0]!).parentNode).toBe(root);
  });
});

describe('rows = parseXml on the repository fixtures', () => {
  it('reads every element of every fixture as the DOM has it', () => {
    const r = compareMessages([...corpusFiles(FIXTURES, ['.xml'])].map((f) => ({ name: relative(FIXTURES, f), bytes: readFileSync(f) })));
    expect(r.differences).toEqual([]);
    expect(r.elements).toBeGreaterThan(100);
  });
});

describe.skipIf(!requireXdsCorpus('rows differential'))('rows = parseXml on the XDS corpus', () => {
  it('reads every element of every message as the DOM has it', () => {
    const { xml, captures } = xdsCorpusXml();
    const r = compareMessages([...xml, ...captures]);
    expect(r.differences).toEqual([]);
    expect(r.elements).toBeGreaterThan(3000);
  }, 120_000);
});

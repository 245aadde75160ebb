/**
 * The fast reader (readXml) on hand-written and hostile input: each refusal has the code parseXml gives
 * (checked against it), a 1-based position, and comes fast; the tree it builds reads like a DOM.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readXml, XMLNS_NAMESPACE, type ReadXmlOptions, type XmlElement } from '../../src/xml/fast-parse.js';
import { parseXml, XmlParseError, type XmlErrorCode } from '../../src/xml/parse.js';
import { xpathOf } from '../../src/xml/path.js';
import { comparable, fastVerdict, referenceVerdict } from './fast-parse-support.js';

const HOSTILE = join(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures/cda/hostile');

function failure(input: Uint8Array | string, options: ReadXmlOptions = {}): XmlParseError {
  try {
    readXml(input, options);
  } catch (e) {
    if (e instanceof XmlParseError) return e;
    throw e;
  }
  throw new Error('expected a parse error');
}

/** Refused by both readers with this code, with a position inside the input. */
function refusedAlike(input: string, code: XmlErrorCode): XmlParseError {
  const ref = referenceVerdict(input);
  expect(ref.ok ? 'accepted' : ref.code, `parseXml on ${JSON.stringify(input)}`).toBe(code);
  const err = failure(input);
  expect(err.code, `readXml on ${JSON.stringify(input)}: ${err.message}`).toBe(code);
  expect(err.line).toBeGreaterThanOrEqual(1);
  expect(err.column).toBeGreaterThanOrEqual(1);
  expect(err.line!).toBeLessThanOrEqual(input.split('\n').length);
  return err;
}

const root = (xml: Uint8Array | string): XmlElement => readXml(xml).root;

describe('readXml: the safety contract of parseXml', () => {
  for (const [file, code] of [
    ['external-entity.xml', 'XML_DOCTYPE'],
    ['billion-laughs.xml', 'XML_DOCTYPE'],
    ['truncated.xml', 'XML_NOT_WELL_FORMED'],
    ['empty.xml', 'XML_EMPTY'],
    ['invalid-utf8.xml', 'XML_ENCODING'],
  ] as const) {
    it(`refuses the hostile fixture ${file} with ${code}, fast`, () => {
      const started = performance.now();
      expect(failure(readFileSync(join(HOSTILE, file))).code).toBe(code);
      expect(performance.now() - started).toBeLessThan(5000);
    });
  }

  it('refuses a DOCTYPE wherever it is, and never reads what an external entity names', () => {
    const xxe = refusedAlike('<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>', 'XML_DOCTYPE');
    expect(xxe.message).not.toMatch(/root:/);
    refusedAlike('<?xml version="1.0"?>\n<!-- c -->\n<?pi x?>\n<!DOCTYPE a>\n<a/>', 'XML_DOCTYPE');
    expect(failure('<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE a>\n<a/>')).toMatchObject({ line: 3, column: 1 });
    // Inside or after the root parseXml calls it not well-formed: so does the fast reader.
    refusedAlike('<a><!DOCTYPE a></a>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a/><!DOCTYPE a>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<!doctype a><a/>', 'XML_NOT_WELL_FORMED');
  });

  it('expands only the five predefined entities and valid character references', () => {
    expect(root('<a b="&lt;&gt;&amp;&apos;&quot;&#65;&#x42;">&lt;&gt;&amp;&apos;&quot;&#x1F600;</a>').getAttribute('b')).toBe(`<>&'"AB`);
    expect(root('<a>&lt;&gt;&amp;&apos;&quot;&#x1F600;</a>').textContent).toBe(`<>&'"\u{1F600}`);
    for (const bad of ['&nbsp;', '&#0;', '&#xD800;', '&#x110000;', '&#99999999999999999999;', '&#xFFFE;', '&;', '& ', '&amp', '&#x;', '&#12a;']) {
      refusedAlike(`<a>x${bad}y</a>`, 'XML_NOT_WELL_FORMED');
      refusedAlike(`<a b="x${bad}y"/>`, 'XML_NOT_WELL_FORMED');
    }
  });

  it('refuses unbound prefixes, reserved bindings and prefix undeclarations', () => {
    expect(refusedAlike('<a>\n  <p:b/></a>', 'XML_NOT_WELL_FORMED')).toMatchObject({ line: 2 });
    refusedAlike('<a p:x="1"/>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a xmlns:p="urn:p"/><!-- scope ends --><p:b/>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a><b xmlns:p="urn:p"/><p:c/></a>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a xmlns:p=""/>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a xmlns:xml="urn:other"/>', 'XML_NOT_WELL_FORMED');
    refusedAlike(`<a xmlns:p="${XMLNS_NAMESPACE}"/>`, 'XML_NOT_WELL_FORMED');
    refusedAlike('<a xmlns:p="http://www.w3.org/XML/1998/namespace"/>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<xmlns:a/>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a:/>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a xmlns:b="urn:b"><b:c:d/></a>', 'XML_NOT_WELL_FORMED');
  });

  it('refuses duplicate attributes, by name and by expanded name', () => {
    refusedAlike('<a x="1" x="2"/>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a xmlns:p="urn:x" xmlns:q="urn:x" p:y="1" q:y="2"/>', 'XML_NOT_WELL_FORMED');
    refusedAlike('<a xmlns="urn:a" xmlns="urn:b"/>', 'XML_NOT_WELL_FORMED');
    const many = Array.from({ length: 12 }, (_, i) => `a${i}="${i}"`).join(' ');
    refusedAlike(`<a ${many} a3="again"/>`, 'XML_NOT_WELL_FORMED');
    // an unprefixed attribute and a prefixed one of the same local name are two attributes
    expect(root('<a xmlns:p="urn:x" y="1" p:y="2"/>').attributes).toHaveLength(3);
  });

  it('refuses markup errors with a position', () => {
    const cases = [
      '<a><b></a></b>',
      '<a>',
      '<a><b>text</b>',
      '</a>',
      '<a/></a>',
      '<a b="<"/>',
      "<a b='x<y'/>",
      '<a b=1/>',
      '<a b/>',
      '<a b="1"c="2"/>',
      '<a / >',
      '<a b="1>',
      '<a>x ]]> y</a>',
      '<a><!-- x -- y --></a>',
      '<a><!-- x ---></a>',
      '<a><!-- x',
      '<a><![CDATA[x</a>',
      '<![CDATA[x]]><a/>',
      '<a/><![CDATA[x]]>',
      '<a><!ELEMENT a ANY></a>',
      '<a/><b/>',
      '<a/>text',
      'text<a/>',
      '<a/>&amp;',
      '<!-- only a comment -->',
      '<?pi only?>',
      ' <?xml version="1.0"?><a/>',
      '<a/><?xml version="1.0"?>',
      '<?xml version="1.0"?><?xml version="1.0"?><a/>',
      '<?xml version="2.0"?><a/>',
      '<?xml encoding="UTF-8"?><a/>',
      '<?xml version="1.0" standalone="maybe"?><a/>',
      '<a><?XML x?></a>',
      '<a><? x?></a>',
      '<a><?pi x</a>',
      '<1a/>',
      '<a 1b="1"/>',
      '<a></ a>',
      '<a></a b>',
      '< a/>',
      '<a>\u0001</a>',
      '<a b="\u0001"/>',
      '<a><!-- \u0001 --></a>',
      '<a><![CDATA[\u0001]]></a>',
      '<a>\uD800</a>',
      '<a>\uFFFF</a>',
    ];
    for (const c of cases) refusedAlike(c, 'XML_NOT_WELL_FORMED');
  });

  it('points at the offending character', () => {
    expect(failure('<a>\n  <b>\n  </c>\n</a>')).toMatchObject({ line: 3, column: 3 });
    expect(failure('<a>\n x="&bad;"</a>')).toMatchObject({ line: 2, column: 5 });
    expect(failure('<a>\r\n<b\u0001/></a>')).toMatchObject({ line: 2, column: 3 });
    expect(failure('<a>\n\n')).toMatchObject({ line: 3, column: 1 });
  });

  it('checks the size before decoding, decodes strictly, refuses empty input', () => {
    expect(failure(Buffer.from([0x3c, 0x61, 0xc3, 0x28, 0x2f, 0x3e]), { maxBytes: 3 }).code).toBe('XML_TOO_LARGE');
    expect(failure(Buffer.from([0x3c, 0x61, 0x3e, 0xc3, 0x28, 0x3c, 0x2f, 0x61, 0x3e])).code).toBe('XML_ENCODING');
    expect(failure(Buffer.from('<?xml version="1.0" encoding="x-no-such"?><a/>')).code).toBe('XML_ENCODING');
    expect(failure('  \n ').code).toBe('XML_EMPTY');
    expect(root(Buffer.from('\uFEFF<a>é</a>', 'utf8')).textContent).toBe('é');
    expect(root(Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>', 'latin1')).textContent).toBe('é');
  });

  it('normalises attribute values and line ends as XML 1.0 says, like parseXml', () => {
    const xml = '<a b="x\ty\r\nz\nw\rv" c="&#9;&#10;&#13;">l1\r\nl2\rl3<![CDATA[c1\r\nc2]]></a>';
    const el = root(xml);
    expect(el.getAttribute('b')).toBe('x y z w v');
    expect(el.getAttribute('c')).toBe('\t\n\r');
    expect(el.textContent).toBe('l1\nl2\nl3c1\nc2');
    expect(comparable(fastVerdict(xml))).toEqual(comparable(referenceVerdict(xml)));
  });

  it('bounds the nesting depth with a clear error, and reads deep but legal trees', () => {
    const deep = (n: number) => '<a>'.repeat(n) + '</a>'.repeat(n);
    const started = performance.now();
    const err = failure(deep(10_000));
    expect(err.code).toBe('XML_NOT_WELL_FORMED');
    expect(err.message).toMatch(/nested deeper than 1000 levels/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(readXml(deep(1000)).root.textContent).toBe('');
    expect(failure(deep(50), { maxDepth: 20 }).message).toMatch(/deeper than 20/);
  });

  // Bounds loose enough for a loaded 2-core machine; a quadratic pass takes minutes here.
  it('reads huge attribute counts in linear time, and finds a duplicate among them', () => {
    const attrs = Array.from({ length: 50_000 }, (_, i) => `a${i}="${i}"`).join(' ');
    let started = performance.now();
    expect(readXml(`<r ${attrs}/>`).root.attributes).toHaveLength(50_000);
    expect(failure(`<r ${attrs} a49999="x"/>`).message).toMatch(/duplicate attribute: a49999/);
    expect(performance.now() - started).toBeLessThan(10_000);
    started = performance.now();
    const decls = Array.from({ length: 20_000 }, (_, i) => `xmlns:p${i}="urn:${i}"`).join(' ');
    expect(readXml(`<r ${decls}/>`).declaredPrefixes).toHaveLength(20_000);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('truncated at every offset: only XmlParseError, the code parseXml gives, never a hang', () => {
    const doc =
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- head -->\n<?pi data?>\n' +
      '<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" xmlns="urn:d">\n' +
      '  <s:Body a="1 &amp; 2" b=\'&#x41;\'><x:item xmlns:x="urn:x" x:k="v">t&lt;é&#233;<![CDATA[<raw>]]></x:item><e/></s:Body>\n' +
      '</s:Envelope>\n';
    let accepted = 0;
    for (let cut = 0; cut <= doc.length; cut++) {
      const part = doc.slice(0, cut);
      const started = performance.now();
      const fast = fastVerdict(part);
      expect(performance.now() - started).toBeLessThan(2000);
      expect(comparable(fast), `cut at ${cut}`).toEqual(comparable(referenceVerdict(part)));
      if (fast.ok) accepted++;
    }
    expect(accepted).toBeGreaterThanOrEqual(2); // the whole document, and without its final line end
  });

  it('agrees with parseXml on single-character mutations of a message', () => {
    const doc = '<?xml version="1.0"?><r:a xmlns:r="urn:r" k="v&amp;w"><r:b x=\'1\'>t<!--c--><![CDATA[d]]>&#x20;</r:b><?p q?></r:a>';
    const alphabet = ['<', '>', '&', ';', '"', "'", '=', ' ', '/', '!', '?', '-', ']', ':', 'x', '#', '\r', '\u0000'];
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const differences: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const at = rnd(doc.length);
      const ch = alphabet[rnd(alphabet.length)]!;
      const op = rnd(3);
      const m = op === 0 ? doc.slice(0, at) + doc.slice(at + 1) : op === 1 ? doc.slice(0, at) + ch + doc.slice(at) : doc.slice(0, at) + ch + doc.slice(at + 1);
      const ref = comparable(referenceVerdict(m));
      const fast = comparable(fastVerdict(m));
      if (JSON.stringify(ref) !== JSON.stringify(fast)) differences.push(`${JSON.stringify(m)}: ${JSON.stringify(ref).slice(0, 60)} vs ${JSON.stringify(fast).slice(0, 60)}`);
    }
    expect(differences).toEqual([]);
  });
});

describe('readXml: the tree', () => {
  const xml =
    '<s:Envelope xmlns:s="urn:s" xmlns:saml="urn:saml">\r\n' +
    '  <s:Header><saml:Assertion ID="a1" xmlns:ds="urn:ds"><saml:Issuer>me</saml:Issuer><ds:Signature/></saml:Assertion></s:Header>\n' +
    '  <s:Body xmlns="urn:d"><m x="1" s:y="2">one<n>two</n>three</m><m/></s:Body>\n' +
    '</s:Envelope>';
  const { root: env, declaredPrefixes } = readXml(xml);
  const header = env.firstElementChild!;
  const body = header.nextElementSibling!;
  const [m1, m2] = [body.firstElementChild!, body.firstElementChild!.nextElementSibling!];

  it('resolves namespaces and reads like the DOM', () => {
    expect([env.localName, env.prefix, env.namespaceURI, env.nodeName]).toEqual(['Envelope', 's', 'urn:s', 's:Envelope']);
    expect([m1.localName, m1.prefix, m1.namespaceURI]).toEqual(['m', null, 'urn:d']);
    expect(m1.getAttribute('x')).toBe('1');
    expect(m1.getAttribute('s:y')).toBe('2');
    expect(m1.getAttributeNS('urn:s', 'y')).toBe('2');
    expect(m1.getAttributeNS(null, 'x')).toBe('1');
    expect(m1.getAttribute('nope')).toBeNull();
    expect(m1.textContent).toBe('onetwothree');
    expect(m1.lookupNamespaceURI('saml')).toBe('urn:saml');
    expect(m1.lookupNamespaceURI(null)).toBe('urn:d');
    expect(env.lookupNamespaceURI(null)).toBeNull();
    expect(m2.previousElementSibling).toBe(m1);
    expect(m2.parentNode).toBe(body);
    expect(declaredPrefixes.sort()).toEqual(['ds', 's', 'saml']);
    expect(xpathOf(m2)).toBe('/Envelope[1]/Body[1]/m[2]');
  });

  it('knows where each element starts (the "<", whatever follows the name) and ends', () => {
    expect(m1.position()).toEqual({ line: 3, column: 25 });
    expect(readXml('<a>\r\n  <bcd\r\n x="1"/></a>').root.firstElementChild!.position()).toEqual({ line: 2, column: 3 });
    expect(m1.sourceText()).toBe('<m x="1" s:y="2">one<n>two</n>three</m>');
    expect(m2.sourceText()).toBe('<m/>');
  });

  it('gives an element as a document of its own: its source text with the inherited bindings it uses', () => {
    const assertion = header.firstElementChild!;
    const standalone = assertion.standaloneXml();
    expect(standalone).toBe('<saml:Assertion xmlns:saml="urn:saml" ID="a1" xmlns:ds="urn:ds"><saml:Issuer>me</saml:Issuer><ds:Signature/></saml:Assertion>');
    const again = parseXml(standalone).document.documentElement!;
    expect([again.localName, again.namespaceURI]).toEqual(['Assertion', 'urn:saml']);
    expect(m1.standaloneXml()).toBe('<m xmlns="urn:d" xmlns:s="urn:s" x="1" s:y="2">one<n>two</n>three</m>');
    // a prefix used only in an xsi:type value is declared too
    const typed = readXml('<r xmlns:x="urn:x" xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:u="urn:unused"><v i:type="x:T"/></r>').root.firstElementChild!;
    expect(typed.standaloneXml()).toBe('<v xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns:x="urn:x" i:type="x:T"/>');
  });

  it('lists the elements of the namespaces asked for as it reads', () => {
    const found = readXml(xml, { collect: ['urn:d', 'urn:none'] }).byNamespace;
    expect(found.get('urn:d')!.map((e) => e.localName)).toEqual(['m', 'n', 'm']); // s:Body is in urn:s
    expect(found.get('urn:none')).toEqual([]);
  });
});

/**
 * Differential test of the fast reader (readXml) against parseXml on real files: every .xml file of the
 * shared corpus (cda and xds, recursively), the XML root of its MIME/HTTP captures, and the repository's
 * fixtures. Same verdict (accepted, or refused with the same XmlParseError code), and for accepted files
 * the same tree: names, namespaces, prefixes, attributes, text, and where each element starts. The slimdom DOM
 * built from the fast tree (domOf, used to read CDA headers) is held to the same tree.
 * The corpus is read in place; absent, these suites are skipped and say so (CI requires it).
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CDA_CORPUS, corpusFiles as files, requireCdaCorpus, requireXdsCorpus, xdsCorpusXml } from '../support/corpus.js';
import { comparable, domVerdict, fastVerdict, referenceVerdict } from './fast-parse-support.js';

const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../fixtures');

interface Tally {
  accepted: number;
  refused: number;
  differences: string[];
}

function compare(items: Iterable<{ name: string; bytes: Uint8Array }>): Tally {
  const t: Tally = { accepted: 0, refused: 0, differences: [] };
  for (const { name, bytes } of items) {
    const ref = comparable(referenceVerdict(bytes));
    const fast = comparable(fastVerdict(bytes));
    if (ref.ok) t.accepted++;
    else t.refused++;
    try {
      expect(fast).toEqual(ref);
    } catch {
      t.differences.push(`${name}: reference ${ref.ok ? 'accepts' : `refuses (${ref.code})`}, fast reader ${fast.ok ? 'accepts' : `refuses (${fast.code})`}${ref.ok && fast.ok ? ' with a different tree' : ''}`);
    }
    if (fast.ok && JSON.stringify(comparable(domVerdict(bytes))) !== JSON.stringify(comparable(fastVerdict(bytes, false)))) t.differences.push(`${name}: domOf differs from the fast tree`);
  }
  return t;
}

const report = (what: string, t: Tally) => process.stdout.write(`[fast reader] ${what}: ${t.accepted} accepted and ${t.refused} refused by both readers alike, ${t.differences.length} differences\n`);

/** Both readers over every .xml file below root: the tally reported, no difference expected. */
function compareXmlFiles(root: string, what: string): Tally {
  const t = compare([...files(root, ['.xml'])].map((f) => ({ name: relative(root, f), bytes: readFileSync(f) })));
  report(what, t);
  expect(t.differences).toEqual([]);
  return t;
}

describe('fast reader = parseXml on the repository fixtures', () => {
  it('gives the same verdict and tree on every fixture', () => {
    const t = compareXmlFiles(FIXTURES, 'fixtures');
    expect(t.accepted).toBeGreaterThan(3);
    expect(t.refused).toBeGreaterThan(3); // the hostile fixtures
  });
});

describe.skipIf(!requireCdaCorpus('fast reader differential'))('fast reader = parseXml on the CDA corpus', () => {
  it('gives the same verdict and tree on every .xml file', () => {
    const t = compareXmlFiles(CDA_CORPUS, 'CDA corpus .xml files');
    expect(t.accepted).toBeGreaterThan(100);
  }, 300_000);
});

describe.skipIf(!requireXdsCorpus('fast reader differential'))('fast reader = parseXml on the XDS corpus', () => {
  it('gives the same verdict and tree on every .xml file and on the XML root of each MIME/HTTP capture', () => {
    const { xml, captures } = xdsCorpusXml();
    const t = compare([...xml, ...captures]);
    report(`XDS corpus (${xml.length} .xml files, ${captures.length} MIME/HTTP root parts)`, t);
    expect(t.differences).toEqual([]);
    expect(xml.length).toBeGreaterThan(10);
    expect(captures.length).toBeGreaterThan(3);
  }, 120_000);
});

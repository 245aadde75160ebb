/**
 * Where the shared corpus is (read in place, never copied into the project), and the policy when it is
 * absent: CI must have it (the suite fails loudly), a developer's clone may not (the suite is skipped
 * and says so).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseMultipart } from '../../src/soap/mtom.js';
import { splitHttpMessage } from '../../src/soap/http-message.js';
import { IssueLog } from '../../src/xds/issues.js';

const PKG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const CORPUS_DIR = process.env.DMPKIT_CORPUS ? resolve(process.env.DMPKIT_CORPUS) : resolve(PKG_DIR, '../../../shared/corpus');
export const CDA_CORPUS = join(CORPUS_DIR, 'cda');
export const CDA_RULESET = join(CDA_CORPUS, 'ruleset');

/** True when the CDA corpus is here; throws in CI when it is not. */
export function requireCdaCorpus(suite: string): boolean {
  if (existsSync(join(CDA_CORPUS, 'MANIFEST.json'))) return true;
  const msg = `${suite}: the shared CDA corpus is missing at ${CDA_CORPUS} (set DMPKIT_CORPUS)`;
  if (process.env.CI) throw new Error(`${msg}; CI must run the conformance suite`);
  process.stderr.write(`[skipped] ${msg}\n`);
  return false;
}

export interface ManifestDocument {
  file: string;
  schematrons_applied: string[];
  oracle: {
    verdict: 'valid' | 'invalid';
    xsd: { error_count: number };
    schematron: Record<string, { errors: number; warnings: number; messages?: unknown[] }>;
  };
}

export interface CdaManifest {
  sources: { snapshot_commit: string }[];
  documents: ManifestDocument[];
}

export function readCdaManifest(): CdaManifest {
  return JSON.parse(readFileSync(join(CDA_CORPUS, 'MANIFEST.json'), 'utf8')) as CdaManifest;
}

/** The XDS/DMP message corpus (SOAP, MTOM, VIHF, FHIR) and its MANIFEST.json. */
export const XDS_CORPUS = join(CORPUS_DIR, 'xds');

/** True when the XDS corpus is here; throws in CI when it is not (same policy as the CDA corpus). */
export function requireXdsCorpus(suite: string): boolean {
  if (existsSync(join(XDS_CORPUS, 'MANIFEST.json'))) return true;
  const msg = `${suite}: the shared XDS corpus is missing at ${XDS_CORPUS} (set DMPKIT_CORPUS)`;
  if (process.env.CI) throw new Error(`${msg}; CI must run the conformance suite`);
  process.stderr.write(`[skipped] ${msg}\n`);
  return false;
}

export interface XdsManifestFile {
  file: string;
  transaction: string;
  kind: string;
  quirks: string[];
  /** Expected parser output; keys and conventions in the manifest's `conventions`. */
  facts: Record<string, unknown>;
}

export interface XdsManifest {
  conventions: Record<string, string>;
  files: XdsManifestFile[];
}

export function readXdsManifest(): XdsManifest {
  return JSON.parse(readFileSync(join(XDS_CORPUS, 'MANIFEST.json'), 'utf8')) as XdsManifest;
}

/** The files below dir (recursively, sorted) whose names end with one of `ends`. */
export function* corpusFiles(dir: string, ends: readonly string[]): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* corpusFiles(p, ends);
    else if (ends.some((e) => name.endsWith(e))) yield p;
  }
}

/** The XML of a MIME or HTTP capture: the body, or the root part of a multipart body. */
export function xmlOfCapture(bytes: Uint8Array): Uint8Array | undefined {
  const log = new IssueLog();
  const { head, body } = splitHttpMessage(bytes, log);
  const contentType = head?.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x3c) return body;
  if (first !== 0x2d && !contentType?.toLowerCase().startsWith('multipart/')) return undefined;
  const mp = parseMultipart(body, contentType ? { contentType } : {}, log);
  return mp?.parts[mp.rootIndex]?.body;
}

/** The XML messages of the XDS corpus: its .xml files, and the XML root of each MIME/HTTP capture. */
export function xdsCorpusXml(): { xml: Array<{ name: string; bytes: Uint8Array }>; captures: Array<{ name: string; bytes: Uint8Array }> } {
  const xml = [...corpusFiles(XDS_CORPUS, ['.xml'])].map((f) => ({ name: relative(XDS_CORPUS, f), bytes: readFileSync(f) as Uint8Array }));
  const captures = [...corpusFiles(XDS_CORPUS, ['.mime', '.http'])].flatMap((f) => {
    const bytes = xmlOfCapture(readFileSync(f));
    return bytes ? [{ name: `${relative(XDS_CORPUS, f)} (root part)`, bytes }] : [];
  });
  return { xml, captures };
}

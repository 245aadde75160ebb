/**
 * Where the shared corpus is (read in place, never copied into the project), and the policy when it is
 * absent: CI must have it (the suite fails loudly), a developer's clone may not (the suite is skipped
 * and says so).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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

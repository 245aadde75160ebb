/** Shared fixtures of the VIHF tests: one test PKI per file, a médecin context, corpus access. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VihfContextInput } from '../../src/vihf/index.js';
import { XDS_CORPUS } from '../support/corpus.js';

/** An INDIRECTE médecin context with every attribute set (official test identities, test INS). */
export function medecinContext(overrides: Partial<VihfContextInput> = {}): VihfContextInput {
  return {
    authenticationMode: 'INDIRECTE',
    structureId: '499900063480001',
    secteurActivite: 'SA07^1.2.250.1.71.4.2.4',
    subjectId: 'MAX LIBRE',
    nameId: '899900063480',
    profession: { code: '10', codeSystem: '1.2.250.1.71.1.2.7', codeSystemName: 'professions', displayName: 'Médecin' },
    specialty: { code: 'SM26', codeSystem: '1.2.250.1.71.4.2.5', codeSystemName: 'specialites RPPS', displayName: 'Qualifié en Médecine Générale (SM)' },
    patient: { ins: '207058575627097', oid: '1.2.250.1.213.1.4.10' },
    purposeOfUse: 'normal',
    lps: { id: '01.01.01.01', name: 'dmpkit', version: '0.1.0', homologation: 'TEST-HOMOLOGATION' },
    authnContextClassRef: 'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI',
    issueInstant: '2026-01-15T10:00:00.000Z',
    authnInstant: '2026-01-15T09:55:00.000Z',
    ...overrides,
  };
}

/** True when the XDS corpus is here; throws in CI when it is not (same policy as the CDA corpus). */
export function requireXdsCorpus(suite: string): boolean {
  if (existsSync(join(XDS_CORPUS, 'MANIFEST.json'))) return true;
  const msg = `${suite}: the shared XDS corpus is missing at ${XDS_CORPUS} (set DMPKIT_CORPUS)`;
  if (process.env.CI) throw new Error(`${msg}; CI must run the conformance suite`);
  process.stderr.write(`[skipped] ${msg}\n`);
  return false;
}

export interface SamlFacts {
  ID: string;
  IssueInstant: string;
  Issuer: string;
  NameID: string;
  AuthnContextClassRef: string | null;
  signed: boolean;
  attributes: Record<string, string[]>;
}

export interface XdsManifestEntry {
  file: string;
  quirks: string[];
  facts: Record<string, unknown> & { saml_assertion?: SamlFacts; wsse_saml_assertion?: SamlFacts };
}

export function readXdsManifest(): { files: XdsManifestEntry[] } {
  return JSON.parse(readFileSync(join(XDS_CORPUS, 'MANIFEST.json'), 'utf8')) as { files: XdsManifestEntry[] };
}

export function xdsFile(name: string): Buffer {
  return readFileSync(join(XDS_CORPUS, name));
}

/** Replaces exactly one occurrence (the test fails loudly if the text is not there once). */
export function replaceOnce(text: string, from: string | RegExp, to: string): string {
  const count = typeof from === 'string' ? text.split(from).length - 1 : (text.match(new RegExp(from.source, 'g')) ?? []).length;
  if (count !== 1) throw new Error(`expected exactly one occurrence of ${String(from)}, found ${count}`);
  return text.replace(from, to);
}

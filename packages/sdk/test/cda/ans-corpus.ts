/**
 * The shared ANS corpus for the CDA tests (read in place, never copied), and XSD validation against its
 * CDA_extended.xsd through the SDK's own XSD layer. Location and absent-corpus policy: ../support/corpus.ts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadXsd, validateXsd } from '../../src/validate/xsd.js';
import { CDA_CORPUS, CDA_RULESET, requireCdaCorpus } from '../support/corpus.js';

export { CORPUS_DIR } from '../support/corpus.js';

export const CDA_DOCUMENTS_DIR = join(CDA_CORPUS, 'documents');
export const CDA_XSD = join(CDA_RULESET, 'infrastructure/cda/CDA_extended.xsd');
export const HAS_CDA_DOCUMENTS = existsSync(CDA_DOCUMENTS_DIR);
export const HAS_CDA_XSD = existsSync(CDA_XSD);

/** Says why a corpus-based suite is skipped; in CI a missing corpus fails the run instead. */
export function reportSkip(what: string, _path: string): void {
  requireCdaCorpus(what);
}

/** Validates XML text; returns the XSD error messages (`line:column message`), empty when valid. */
export function xsdErrors(xml: string): string[] {
  return validateXsd(loadXsd(CDA_XSD), Buffer.from(xml, 'utf-8'), 'test.xml').map(
    (f) => `${f.location.line ?? '?'}:${f.location.column ?? '?'} ${f.message}`,
  );
}

/**
 * The DMP submission layer: dmpkit's own rules for what a CDA document needs to be deposited in the DMP
 * (ITI-41 / TD2.1) and that the ANS schematrons do not check. Rules and texts: rules/dmp-catalogue.ts;
 * requirements: docs/dmp-interface.md §5, §10, §12; rule list: docs/rules.md.
 *
 * Never throws: a missing element is a finding (or is skipped when another rule reports it), and a rule
 * that fails unexpectedly becomes a DMP-RULE-CRASH finding instead of stopping the others.
 */
import type * as slimdom from 'slimdom';
import { readCdaHeader, CdaNotFoundError } from '../../cda/read-header.js';
import type { Finding } from '../finding.js';
import { ownFinding } from '../pipeline.js';
import { checkAuthors, checkLegalAuthenticator } from './authors.js';
import { checkNonXmlBody } from './body.js';
import { checkConfidentiality, checkFacilityType, checkPracticeSetting, checkTypeAndClassCode } from './codes.js';
import { createContext, type DmpRule } from './context.js';
import { checkLanguage, checkSchemaLocation, checkTitle } from './document.js';
import { checkRelatedDocument, checkSetId, checkUniqueId, checkVersionNumber } from './identifiers.js';
import { checkPatientIns } from './patient.js';
import { checkCreationTime, checkParticipantTimes, checkServiceTimes } from './times.js';

export type { DmpContext, DmpRule } from './context.js';
export { insKeyIsValid, INS_NUMBER_PATTERN } from './patient.js';
export { decodeBase64, N1_MAX_DECODED_BYTES, type Base64Result } from './body.js';
export { instantRange } from './times.js';

/** The rules, in the order they run (and their findings appear): header order, roughly. */
export const DMP_CHECKS: readonly (readonly [name: string, rule: DmpRule])[] = [
  ['uniqueId', checkUniqueId],
  ['typeCode/classCode', checkTypeAndClassCode],
  ['title', checkTitle],
  ['creationTime', checkCreationTime],
  ['confidentialityCode', checkConfidentiality],
  ['languageCode', checkLanguage],
  ['setId', checkSetId],
  ['versionNumber', checkVersionNumber],
  ['patient INS', checkPatientIns],
  ['authors', checkAuthors],
  ['legalAuthenticator', checkLegalAuthenticator],
  ['participant times', checkParticipantTimes],
  ['service times', checkServiceTimes],
  ['practiceSettingCode', checkPracticeSetting],
  ['relatedDocument', checkRelatedDocument],
  ['healthcareFacilityTypeCode', checkFacilityType],
  ['nonXMLBody', checkNonXmlBody],
  ['xsi:schemaLocation', checkSchemaLocation],
];

function firstLine(e: unknown): string {
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return text.split('\n')[0]!.slice(0, 200);
}

/** Runs the DMP submission rules on a parsed CDA document. */
export function checkDmpSubmission(document: slimdom.Document, clinical: slimdom.Element, file: string): Finding[] {
  return runDmpChecks(document, clinical, file, DMP_CHECKS);
}

/** Runs the given rules (the DMP layer runs {@link DMP_CHECKS}); a rule that throws becomes DMP-RULE-CRASH. */
export function runDmpChecks(
  document: slimdom.Document,
  clinical: slimdom.Element,
  file: string,
  checks: readonly (readonly [name: string, rule: DmpRule])[],
): Finding[] {
  let header;
  try {
    header = readCdaHeader(document);
  } catch (e) {
    // Not a CDA document: the pipeline's CDA-ROOT finding already says so.
    if (e instanceof CdaNotFoundError) return [];
    return [ownFinding('DMP-RULE-CRASH', file, { rule: 'CDA header', detail: firstLine(e) }, { node: clinical })];
  }
  const ctx = createContext(document, clinical, header, file);
  for (const [name, rule] of checks) {
    try {
      rule(ctx);
    } catch (e) {
      try {
        ctx.report('DMP-RULE-CRASH', { rule: name, detail: firstLine(e) });
      } catch {
        // Reporting itself failed (should not happen): keep going with the other rules.
      }
    }
  }
  return ctx.findings;
}

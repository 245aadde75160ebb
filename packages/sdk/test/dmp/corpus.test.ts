/**
 * The DMP layer on the real ANS example documents (read in place from the shared corpus, never copied).
 * Reports the DMP findings of each document; asserts no crash, and that the CDA level 1 (N1) examples
 * pass the body rules. Many ANS examples are not meant for the DMP (test INS, UUID ids of replaced
 * documents…): their DMP errors are listed below so that a change in the rules shows up here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../src/xml/parse.js';
import { findClinicalDocument } from '../../src/xml/dom.js';
import { readCdaHeader } from '../../src/cda/read-header.js';
import { checkDmpSubmission } from '../../src/validate/dmp/index.js';
import type { Finding } from '../../src/validate/finding.js';
import { CDA_DOCUMENTS_DIR, HAS_CDA_DOCUMENTS, reportSkip } from '../cda/ans-corpus.js';

if (!HAS_CDA_DOCUMENTS) reportSkip('DMP layer on the ANS examples', CDA_DOCUMENTS_DIR);

/**
 * DMP errors expected on the ANS examples (TestContenuCDA-3-0 @ 7cd489b), with the reason.
 * Documents not listed have no DMP error. (BIO-TROD_2024.01_* have legalAuthenticator/time "…+100", a
 * 3-digit offset: DMP-TIME-INVALID-PARTICIPANT, a warning, since that time is not XDS metadata.)
 */
const EXPECTED_ERRORS: Record<string, string[]> = {
  // effectiveTime to the minute only.
  '01_Modèles_contenus_CDA.xml': ['DMP-CREATIONTIME-PRECISION'],
  // PS author (RPPS id) without assignedAuthor/code.
  'CARD-F-PRC-AVK_2022.01.xml': ['DMP-AUTHOR-SPECIALTY'],
  'CARD-F-PRC-DCI_2022.01.xml': ['DMP-AUTHOR-SPECIALTY'],
  'CARD-F-PRC-PSC_2022.01.xml': ['DMP-AUTHOR-SPECIALTY'],
  // RPLC parentDocument/id is a UUID, or OID + extension: not a DMP uniqueId.
  'IMG_CR_IMG_2024.01.xml': ['DMP-PARENT-ID'],
  'IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml': ['DMP-PARENT-ID'],
  'IPS-FR_2024.01.xml': ['DMP-PARENT-ID'],
  'OPH-BRE_2022.02.xml': ['DMP-PARENT-ID'],
};

describe.skipIf(!HAS_CDA_DOCUMENTS)('DMP layer on the ANS example documents', () => {
  const files = HAS_CDA_DOCUMENTS ? readdirSync(CDA_DOCUMENTS_DIR).filter((f) => f.endsWith('.xml')).sort() : [];
  const results = new Map<string, { findings: Finding[]; n1: boolean }>();
  for (const file of files) {
    const { document } = parseXml(readFileSync(join(CDA_DOCUMENTS_DIR, file)));
    const clinical = findClinicalDocument(document);
    if (!clinical) continue;
    results.set(file, { findings: checkDmpSubmission(document, clinical, file), n1: readCdaHeader(document).body.kind === 'nonXML' });
  }

  it('reports the DMP findings of each document', () => {
    const lines = [...results].map(([file, { findings }]) => {
      const by = (s: string) => findings.filter((f) => f.severity === s).length;
      return `${file}: ${findings.length} (${by('error')} errors, ${by('warning')} warnings, ${by('info')} info) ${[...new Set(findings.map((f) => f.ruleId))].join(' ')}`;
    });
    process.stderr.write(`[dmp layer on ${results.size} ANS examples]\n${lines.join('\n')}\n`);
    expect(results.size).toBeGreaterThan(40);
  });

  it('never crashes', () => {
    for (const [file, { findings }] of results) expect(findings.filter((f) => f.ruleId === 'DMP-RULE-CRASH'), file).toEqual([]);
  });

  it('the N1 examples pass the body rules', () => {
    const n1 = [...results].filter(([, r]) => r.n1);
    expect(n1.map(([f]) => f).sort()).toEqual(['BIO-CR-BIO_2021.01_CDA-R2-Niveau-1.xml', 'DOC_NON_STRUCTURE_CDA-R2-N1.xml', 'IMG_CR_IMG_2024.01_CDA-R2-Niveau-1.xml']);
    for (const [file, { findings }] of n1) expect(findings.filter((f) => f.ruleId.startsWith('DMP-N1-')), file).toEqual([]);
  });

  it('gives the expected DMP errors (and no others)', () => {
    const errors = Object.fromEntries(
      [...results]
        .map(([file, { findings }]) => [file, [...new Set(findings.filter((f) => f.severity === 'error').map((f) => f.ruleId))].sort()] as const)
        .filter(([, ids]) => ids.length > 0),
    );
    expect(errors).toEqual(EXPECTED_ERRORS);
  });
});

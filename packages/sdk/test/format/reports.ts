/** Hand-built reports covering what the formatters must render: valid, warnings, every layer, no pack vs pack. */
import { summarize, type DocumentReport, type PackInfo, type ValidationReport } from '../../src/index.js';

export const PACK: PackInfo = {
  root: '/opt/ans/TestContenuCDA-3-0',
  contentHash: '9f2c41d0a6b3e8e51c7d2f0b4a9e6c3d2b1a09f8e7d6c5b4a3928170f6e5d4c3',
  commit: '4be6f1c2d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8',
  notes: ['CI-SIS_StructurationMinimale.sch: duplicate pattern id renamed'],
};

const validDoc: DocumentReport = {
  file: 'fixtures/cda/valid/cr-bio.xml',
  verdict: 'valid',
  errors: 0,
  warnings: 0,
  findings: [],
  layers: [
    { layer: 'xml', name: 'xml', applied: true, errors: 0, warnings: 0, durationMs: 3.2 },
    { layer: 'cda', name: 'cda', applied: true, errors: 0, warnings: 0, durationMs: 0.4 },
    { layer: 'xsd', name: 'CDA_extended.xsd', applied: true, errors: 0, warnings: 0, durationMs: 21.7 },
    { layer: 'schematron', name: 'schematrons/profils/IHE.sch', applied: true, errors: 0, warnings: 0, durationMs: 40.1 },
  ],
  documentType: { code: '11502-2', codeSystem: '2.16.840.1.113883.6.1', displayName: 'CR d’examens biologiques' },
  volet: { schematron: 'schematrons/CI-SIS_CR-BIO.sch', reason: 'templateId 1.3.6.1.4.1.19376.1.3.3' },
  durationMs: 66,
};

const warnedDoc: DocumentReport = {
  file: 'fixtures/cda/valid/ldl-ees.xml',
  verdict: 'valid',
  errors: 0,
  warnings: 1,
  findings: [
    {
      ruleId: 'ANS-IHE-0042',
      severity: 'warning',
      message: "L'élément author/time devrait être précis à la seconde",
      layer: 'schematron',
      schematron: 'schematrons/profils/IHE.sch',
      location: { file: 'fixtures/cda/valid/ldl-ees.xml', line: 14, column: 7, xpath: '/ClinicalDocument[1]/author[1]/time[1]' },
    },
    {
      ruleId: 'PACK-VOLET-UNKNOWN',
      severity: 'info',
      message: 'Aucun schématron de volet ne correspond au templateId du document (1.2.250.1.213.1.1.1.99) : seules les couches génériques ont été appliquées.',
      messageEn: 'No volet schematron matches the document templateId (1.2.250.1.213.1.1.1.99): only the generic layers were applied.',
      layer: 'schematron',
      location: { file: 'fixtures/cda/valid/ldl-ees.xml' },
    },
  ],
  layers: [
    { layer: 'xml', name: 'xml', applied: true, errors: 0, warnings: 0, durationMs: 2 },
    { layer: 'schematron', name: 'volet', applied: false, reason: 'no volet for this templateId', errors: 0, warnings: 0, durationMs: 0 },
  ],
  volet: { reason: 'no volet schematron for templateId 1.2.250.1.213.1.1.1.99' },
  durationMs: 41.5,
};

const invalidDoc: DocumentReport = {
  file: 'fixtures/cda/invalid/sans-ins & "co" <1>.xml',
  verdict: 'invalid',
  errors: 4,
  warnings: 1,
  findings: [
    // Listed out of order on purpose: formatters must sort.
    {
      ruleId: 'DMP-INS-001',
      severity: 'error',
      message: "Le patient doit être identifié par son INS (OID 1.2.250.1.213.1.4.8 ou 1.2.250.1.213.1.4.10)",
      messageEn: 'The patient must be identified by their INS (OID 1.2.250.1.213.1.4.8 or 1.2.250.1.213.1.4.10)',
      layer: 'dmp',
      location: { file: 'fixtures/cda/invalid/sans-ins & "co" <1>.xml', line: 22, column: 9, xpath: '/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/id[1]/@root' },
    },
    {
      ruleId: 'ANS-CISIS-0107',
      severity: 'error',
      message: 'Le code "X<Y>" & son codeSystem sont incohérents\u0007 (JDV_TypeCode)',
      layer: 'schematron',
      schematron: 'schematrons/CI-SIS_StructurationCommuneCDAr2.sch',
      location: { file: 'fixtures/cda/invalid/sans-ins & "co" <1>.xml', line: 8, column: 3, xpath: '/ClinicalDocument[1]/code[1]' },
    },
    {
      ruleId: 'XSD-CVC-COMPLEX-TYPE-2-4-A',
      severity: 'error',
      message: "Element 'title': This element is not expected. Expected is ( code ).",
      layer: 'xsd',
      location: { file: 'fixtures/cda/invalid/sans-ins & "co" <1>.xml', line: 6, column: 3 },
    },
    {
      ruleId: 'ANS-IHE-0042',
      severity: 'warning',
      message: "L'élément author/time devrait être précis à la seconde",
      layer: 'schematron',
      schematron: 'schematrons/profils/IHE.sch',
      location: { file: 'fixtures/cda/invalid/sans-ins & "co" <1>.xml', line: 30, column: 7, xpath: '/ClinicalDocument[1]/author[1]/time[1]' },
    },
    {
      ruleId: 'ANS-IHE-0007',
      severity: 'error',
      message: 'Le document doit comporter un élément confidentialityCode',
      layer: 'schematron',
      schematron: 'schematrons/profils/IHE.sch',
      location: { file: 'fixtures/cda/invalid/sans-ins & "co" <1>.xml', xpath: '/ClinicalDocument[1]' },
    },
  ],
  layers: [
    { layer: 'xml', name: 'xml', applied: true, errors: 0, warnings: 0, durationMs: 1.1 },
    { layer: 'xsd', name: 'CDA_extended.xsd', applied: true, errors: 1, warnings: 0, durationMs: 12.9 },
    { layer: 'schematron', name: 'schematrons/profils/IHE.sch', applied: true, errors: 1, warnings: 1, durationMs: 33 },
    { layer: 'dmp', name: 'dmp', applied: true, errors: 1, warnings: 0, durationMs: 0.6 },
  ],
  durationMs: 250.25,
};

function report(pack: PackInfo | null, documents: DocumentReport[]): ValidationReport {
  return { tool: { name: 'dmpkit', version: '0.1.0' }, pack, documents, summary: summarize(documents) };
}

/** A batch judged with an ANS rule pack. */
export function packReport(): ValidationReport {
  return report(PACK, [structuredClone(validDoc), structuredClone(warnedDoc), structuredClone(invalidDoc)]);
}

/** Without a pack: only xml/cda/dmp layers ran, and every document carries the PACK-NONE note. */
export function noPackReport(): ValidationReport {
  const packNone = (file: string) => ({
    ruleId: 'PACK-NONE',
    severity: 'info' as const,
    message: "Aucun jeu de règles ANS configuré : les couches XSD et schématron ANS n'ont pas été appliquées (dmp rules use <dossier>).",
    messageEn: 'No ANS rule pack configured: the XSD and ANS schematron layers were not applied (dmp rules use <dir>).',
    layer: 'schematron' as const,
    location: { file },
  });
  const notCda: DocumentReport = {
    file: 'out/not-cda.xml',
    verdict: 'invalid',
    errors: 1,
    warnings: 0,
    findings: [
      {
        ruleId: 'CDA-ROOT',
        severity: 'error',
        message: "L'élément racine doit être ClinicalDocument dans l'espace de noms urn:hl7-org:v3 (ou xsl:stylesheet pour un document auto-présentable) ; trouvé : {urn:example}note.",
        messageEn: 'The root element must be ClinicalDocument in namespace urn:hl7-org:v3 (or xsl:stylesheet for a self-presenting document); found: {urn:example}note.',
        layer: 'cda',
        location: { file: 'out/not-cda.xml', line: 1, column: 1, xpath: '/note[1]' },
      },
      packNone('out/not-cda.xml'),
    ],
    layers: [
      { layer: 'xml', name: 'xml', applied: true, errors: 0, warnings: 0, durationMs: 1 },
      { layer: 'cda', name: 'cda', applied: true, errors: 1, warnings: 0, durationMs: 0.2 },
      { layer: 'xsd', name: 'xsd', applied: false, reason: 'no rule pack', errors: 0, warnings: 0, durationMs: 0 },
    ],
    durationMs: 5,
  };
  const broken: DocumentReport = {
    file: 'out/broken.xml',
    verdict: 'invalid',
    errors: 1,
    warnings: 0,
    findings: [
      {
        ruleId: 'XML-WELLFORMED',
        severity: 'error',
        message: 'XML mal formé : unclosed tag: a',
        messageEn: 'XML is not well-formed: unclosed tag: a',
        layer: 'xml',
        location: { file: 'out/broken.xml', line: 2, column: 1 },
      },
    ],
    layers: [{ layer: 'xml', name: 'xml', applied: true, errors: 1, warnings: 0, durationMs: 0.5 }],
    durationMs: 1,
  };
  return report(null, [broken, notCda, structuredClone(validDoc)]);
}

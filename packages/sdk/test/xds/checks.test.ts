/** Metadata checks before sending: one mutation per rule, a clean lot, Finding shape, no patient data in texts. */
import { describe, expect, it } from 'vitest';
import { checkSubmissionMetadata } from '../../src/xds/checks.js';
import type { DocumentEntry, RegistryObjectList } from '../../src/xds/model.js';
import { XDS_RULES, type XdsRuleId } from '../../src/xds/rules.js';
import { buildSubmission, sha1Hex } from '../../src/xds/submission.js';
import { ASSOCIATION_TYPE } from '../../src/xds/uuids.js';
import { documentEntry, PATIENT, signatureEntry, submissionSet } from './fixtures.js';

const CDA = Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"/>');
const XADES = Buffer.from('<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"/>');

function lot(entry: Partial<DocumentEntry> = {}, withSignature = true): RegistryObjectList {
  return buildSubmission({
    submissionSet,
    documents: [{ entry: { ...documentEntry, ...entry }, content: CDA }],
    ...(withSignature ? { signature: { entry: signatureEntry, content: XADES } } : {}),
  }).objects;
}

function ruleIds(objects: RegistryObjectList, options: Parameters<typeof checkSubmissionMetadata>[1] = {}): XdsRuleId[] {
  return checkSubmissionMetadata(objects, options).map((f) => f.ruleId as XdsRuleId);
}

describe('XDS metadata checks', () => {
  it('a well-formed DMP lot has no finding', () => {
    expect(checkSubmissionMetadata(lot(), { vihfPatientId: PATIENT, documents: [{ id: 'Document01', content: CDA }] })).toEqual([]);
  });

  it('a contentTypeCode outside our J59 copy is a warning', () => {
    const o = lot();
    o.submissionSets[0]!.contentTypeCode = { code: 'ZZ', codingScheme: '1.2.250.1.213.2.2', displayName: 'x' };
    expect(checkSubmissionMetadata(o).map((f) => [f.ruleId, f.severity])).toEqual([['XDS-CONTENTTYPE-J59', 'warning']]);
  });

  it('findings are validator Findings: layer dmp, file, xpath naming the object, French and English texts', () => {
    const [f] = checkSubmissionMetadata(lot({ title: undefined }), { file: 'lot-42' }).filter((x) => x.ruleId === 'XDS-DE-REQUIRED');
    expect(f).toMatchObject({ ruleId: 'XDS-DE-REQUIRED', severity: 'error', layer: 'dmp', location: { file: 'lot-42', xpath: "/SubmitObjectsRequest/RegistryObjectList/ExtrinsicObject[@id='Document01']" } });
    expect(f!.message).toContain('title');
    expect(f!.messageEn).toBe('DocumentEntry Document01 lacks the required attribute title: the DMP refuses the lot.');
  });

  const cases: Array<[string, XdsRuleId, () => RegistryObjectList, Parameters<typeof checkSubmissionMetadata>[1]?]> = [
    ['missing required attribute', 'XDS-DE-REQUIRED', () => lot({ legalAuthenticator: undefined })],
    ['no author person', 'XDS-DE-REQUIRED', () => lot({ authors: [] })],
    ['uniqueId OID^extension', 'XDS-UNIQUEID-OID', () => lot({ uniqueId: '1.2.250.1.999^42' })],
    ['uniqueId longer than 64', 'XDS-UNIQUEID-LENGTH', () => lot({ uniqueId: `1.${'1.'.repeat(40)}1` })],
    ['classCode not the ASS_X04 class of the typeCode', 'XDS-CLASSCODE-X04', () => lot({ classCode: { code: '11', codingScheme: '1.2.250.1.213.1.1.4.1', displayName: 'Synthèse' } })],
    ['classCode outside J57', 'XDS-CLASSCODE-J57', () => lot({ classCode: { code: '99', codingScheme: '1.2.250.1.213.1.1.4.1', displayName: 'x' } })],
    ['classCode under another code system', 'XDS-CODE-SYSTEM', () => lot({ classCode: { code: '10', codingScheme: '2.16.840.1.113883.6.1', displayName: 'x' } })],
    ['typeCode in no value set', 'XDS-TYPECODE-UNKNOWN', () => lot({ typeCode: { code: 'NOPE-1', codingScheme: '2.16.840.1.113883.6.1', displayName: 'x' } })],
    ['no N confidentiality', 'XDS-CONFIDENTIALITY-N', () => lot({ confidentialityCode: [{ code: 'MASQUE_PS', codingScheme: '1.2.250.1.213.1.1.4.13', displayName: 'm' }] })],
    ['R confidentiality', 'XDS-CONFIDENTIALITY-RV', () => lot({ confidentialityCode: [{ code: 'N', codingScheme: '2.16.840.1.113883.5.25', displayName: 'N' }, { code: 'R', codingScheme: '2.16.840.1.113883.5.25', displayName: 'R' }] })],
    ['confidentiality code outside J58', 'XDS-CONFIDENTIALITY-J58', () => lot({ confidentialityCode: [{ code: 'N', codingScheme: '2.16.840.1.113883.5.25', displayName: 'N' }, { code: 'MASQUE_PT', codingScheme: '1.2.250.1.213.1.1.4.13', displayName: 'x' }] })],
    ['formatCode outside J60', 'XDS-FORMATCODE-J60', () => lot({ formatCode: { code: 'urn:x:y', codingScheme: '1.3.6.1.4.1.19376.1.2.3', displayName: 'x' } })],
    ['facility type outside J61', 'XDS-FACILITY-J61', () => lot({ healthcareFacilityTypeCode: { code: 'SA99', codingScheme: '1.2.250.1.71.4.2.4', displayName: 'x' } })],
    ['practice setting outside J62', 'XDS-PRACTICE-J62', () => lot({ practiceSettingCode: { code: 'NOPE', codingScheme: '1.2.250.1.213.1.1.4.9', displayName: 'x' } })],
    ['code without display name', 'XDS-CODE-DISPLAY', () => lot({ formatCode: { code: 'urn:ihe:iti:xds-sd:text:2008', codingScheme: '1.3.6.1.4.1.19376.1.2.3' } })],
    ['creationTime not an XDS DTM', 'XDS-TIME-FORMAT', () => lot({ creationTime: '2024-01-01T10:00:00Z' })],
    ['languageCode not fr-FR', 'XDS-LANGUAGE', () => lot({ languageCode: 'en-US' })],
    ['value with a trailing newline', 'XDS-VALUE-WHITESPACE', () => lot({ sourcePatientId: '0001^^^&1.2.250.1.999.1.1.3&ISO^PI\n' })],
    ['patientId of another patient', 'XDS-PATIENTID-MISMATCH', () => lot({ patientId: '2234567890123^^^&1.2.250.1.213.1.4.10&ISO^NH' })],
    ['patientId written differently (CX.7)', 'XDS-PATIENTID-DIFFERS', () => lot({ patientId: `${PATIENT}^^20240101` })],
    ['patientId not an INS', 'XDS-PATIENTID-INS', () => lot({ patientId: '0001^^^&1.2.250.1.999.1.1.3&ISO^PI' })],
    ['patient of the VIHF differs', 'XDS-PATIENTID-MISMATCH', () => lot(), { vihfPatientId: '2234567890123^^^&1.2.250.1.213.1.4.10&ISO^NH' }],
    ['no signature entry', 'XDS-LOT-SIGNATURE', () => lot({}, false)],
    ['hash of other bytes', 'XDS-HASH-MISMATCH', () => lot(), { documents: [{ id: 'Document01', content: Buffer.from('other') }] }],
    ['entry outside the SubmissionSet', 'XDS-HASMEMBER-MISSING', () => {
      const o = lot();
      o.associations = o.associations.filter((a) => a.targetObject !== 'Document01');
      return o;
    }],
    ['RPLC to a symbolic id', 'XDS-RPLC-TARGET', () => {
      const o = lot();
      o.associations.push({ entryUUID: 'r1', type: ASSOCIATION_TYPE.RPLC, sourceObject: 'Document01', targetObject: 'OldDocument' });
      return o;
    }],
    ['SubmissionSet sourceId not an OID', 'XDS-SS-OID', () => {
      const o = lot();
      o.submissionSets[0]!.sourceId = 'my-system';
      return o;
    }],
    ['SubmissionSet without contentTypeCode', 'XDS-SS-REQUIRED', () => {
      const o = lot();
      delete o.submissionSets[0]!.contentTypeCode;
      return o;
    }],
  ];

  it.each(cases)('%s → %s', (_what, rule, objects, options) => {
    expect(ruleIds(objects(), options)).toContain(rule);
  });

  it('the typeCode in J07 but not in the (old) J66 copy is a warning, not an error', () => {
    // PIECE-IDENTITE entered J07 after the 2022 J66 copy.
    const findings = checkSubmissionMetadata(lot({ typeCode: { code: 'PIECE-IDENTITE', codingScheme: '1.2.250.1.213.1.1.4.12', displayName: 'x' }, classCode: { code: '95', codingScheme: '1.2.250.1.213.1.1.4.1', displayName: 'x' } }));
    const j66 = findings.find((f) => f.ruleId === 'XDS-TYPECODE-J66');
    expect(j66?.severity).toBe('warning');
  });

  it('hash and size of the exact bytes pass; the signature entry is exempt from the DMP value sets', () => {
    const o = lot();
    expect(o.documentEntries[0]!.hash).toBe(sha1Hex(CDA));
    const ids = ruleIds(o, { documents: [{ id: 'Document01', content: CDA }, { id: 'Signature01', content: XADES }] });
    expect(ids.filter((r) => r.startsWith('XDS-HASH') || r.endsWith('-J57') || r.endsWith('-J60') || r.startsWith('XDS-TYPECODE'))).toEqual([]);
  });

  it('no finding text carries the patient identifier', () => {
    const other = '2234567890123^^^&1.2.250.1.213.1.4.10&ISO^NH';
    const findings = checkSubmissionMetadata(lot({ patientId: other }), { vihfPatientId: PATIENT });
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) {
      expect(f.message).not.toContain('1234567890123');
      expect(f.message).not.toContain('2234567890123');
      expect(f.messageEn).not.toContain('2234567890123');
    }
  });

  it('an ITI-57 update is not asked for a signature', () => {
    const o = lot({}, false);
    expect(ruleIds(o, { transaction: 'ITI-57' })).not.toContain('XDS-LOT-SIGNATURE');
  });

  it('the rule table: unique XDS- ids, both languages, a source each', () => {
    const ids = XDS_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of XDS_RULES) {
      expect(r.id).toMatch(/^XDS-[A-Z0-9-]+$/);
      expect(r.fr.length).toBeGreaterThan(10);
      expect(r.en.length).toBeGreaterThan(10);
      expect(r.source.length).toBeGreaterThan(5);
      expect(r.layer).toBe('dmp');
    }
  });
});

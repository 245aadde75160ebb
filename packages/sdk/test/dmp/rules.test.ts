/**
 * One case per DMP rule: edits of the base document that trigger it, and near misses that must not.
 * The table is typed by rule id, so adding a rule to the catalogue without a test does not compile.
 */
import { describe, expect, it } from 'vitest';
import { DMP_RULES, type DmpRuleId } from '../../src/validate/rules/dmp-catalogue.js';
import { findConcept, isInValueSet, JDV, typeClassTable, classCodeForTypeCode, valueSet } from '../../src/terminology/index.js';
import { BASE_XML, mutate, PDF_B64, run, ruleIds, TEST_INS, type Edit } from './helpers.js';

interface Case {
  /** Each entry is one variant: a list of edits of BASE_XML (or a full document). */
  trigger: (readonly Edit[] | string)[];
  /** Variants that must not trigger the rule. */
  pass?: (readonly Edit[] | string)[];
  /** XPath the first finding of the rule must point at. */
  at?: string;
}

const INS_ID = `<id root="1.2.250.1.213.1.4.10" extension="${TEST_INS}"/>`;
const IPP_ID = '<id root="1.2.250.1.999.1.1.2" extension="IPP-TEST-0001"/>';
const DOC_ID = '<id root="1.2.250.1.999.1.1.1.42"/>';
const TYPE_CODE = /<code code="11488-4"[^>]*\/>/;
const FACILITY_CODE = /<code code="SA07"[^>]*\/>/;
const PRACTICE_CODE = /<standardIndustryClassCode[^>]*\/>/;
const AUTHOR_CODE = /<code code="G15_10\/SM26"[^>]*\/>/;
const AUTHOR_ID = /(<assignedAuthor>\s*)<id root="1.2.250.1.71.4.2.1" extension="899999000001"\/>/;
const PATIENT_AUTHOR_ID: Edit = [AUTHOR_ID, `$1<id root="1.2.250.1.213.1.4.10" extension="${TEST_INS}"/>`];
const AUTHOR_ORG = /<representedOrganization>\s*<id root="1.2.250.1.71.4.2.2" extension="1999999001"\/>\s*<name>Cabinet de test dmpkit<\/name>\s*<\/representedOrganization>/;
const TEXT_OPEN = '<text mediaType="application/pdf" representation="B64">';
const BODY_TEXT = new RegExp(`<text mediaType="application/pdf" representation="B64">[^<]*</text>`);
const LOW = '<low value="20240105100000+0100"/>';
const HIGH = '<high value="20240105102000+0100"/>';
// relatedDocument goes before componentOf (CDA order); the DMP layer does not care, but keep documents plausible.
const RELATED_DOC = (xml: string): Edit => ['<componentOf>', `${xml}\n  <componentOf>`];
const body = (mediaType: string, content: string, extra = ''): Edit => [BODY_TEXT, `<text mediaType="${mediaType}" representation="B64"${extra}>${content}</text>`];
const b64 = (bytes: number[] | Buffer) => Buffer.from(bytes).toString('base64');

// Terminology-dependent codes are looked up, not hard-coded, and their preconditions asserted below.
const J07_ONLY_MAPPED = valueSet(JDV.J07_TYPE_CODE).concepts.find((c) => !isInValueSet(JDV.J66_TYPE_CODE_DMP, c[0], c[1]) && classCodeForTypeCode(c[0], c[1]))!;
const J07_UNMAPPED = valueSet(JDV.J07_TYPE_CODE).concepts.find((c) => !isInValueSet(JDV.J66_TYPE_CODE_DMP, c[0], c[1]) && !classCodeForTypeCode(c[0], c[1]))!;
const J02_ONLY = valueSet(JDV.J02_FACILITY_TYPE).concepts.find((c) => !isInValueSet(JDV.J61_FACILITY_TYPE_DMP, c[0], c[1]))!;
const J04_ONLY = valueSet(JDV.J04_PRACTICE_SETTING).concepts.find((c) => !isInValueSet(JDV.J62_PRACTICE_SETTING_DMP, c[0], c[1]))!;

const CASES: Record<Exclude<DmpRuleId, 'DMP-RULE-CRASH' | 'DMP-CLASSCODE-J57'>, Case> = {
  'DMP-PATIENT-MISSING': { trigger: [[[INS_ID, ''], [IPP_ID, '']]], at: '/ClinicalDocument[1]/recordTarget[1]/patientRole[1]' },
  'DMP-INS-MISSING': {
    trigger: [[[INS_ID, '']], [[INS_ID, '<id nullFlavor="UNK"/>']]],
    at: '/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/id[1]',
  },
  'DMP-INS-FIRST': { trigger: [[[`${INS_ID}\n      ${IPP_ID}`, `${IPP_ID}\n      ${INS_ID}`]]], at: '/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/id[2]' },
  'DMP-INS-EXTENSION': {
    trigger: [[[INS_ID, '<id root="1.2.250.1.213.1.4.10"/>']], [[INS_ID, '<id root="1.2.250.1.213.1.4.8" extension=""/>']]],
    at: '/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/id[1]',
  },
  'DMP-INS-FORMAT': {
    trigger: [[[TEST_INS, '12345']], [[TEST_INS, '1 80 01 75 056 001 03']], [[TEST_INS, '18001750560010']], [[TEST_INS, '1800175056001033']], [[TEST_INS, '180012C05600103']], [[TEST_INS, '2A0017505600103']], [[TEST_INS, '280012a00400118']]],
    pass: [[[TEST_INS, '280012A00400118']], [[TEST_INS, '280012B00400145']]],
  },
  'DMP-INS-KEY': {
    trigger: [[[TEST_INS, '180017505600104']], [[TEST_INS, '180017505600100']], [[TEST_INS, '280012A00400145']], [[TEST_INS, '280012B00400118']]],
    // Official DMP test patients (dmp-interface.md §4.4), Corsica 2A/2B, NIR authority.
    pass: [
      [[TEST_INS, '207058575627097']],
      [[TEST_INS, '279035121518989']],
      [[TEST_INS, '280012A00400118']],
      [[TEST_INS, '280012B00400145']],
      [[INS_ID, `<id root="1.2.250.1.213.1.4.8" extension="${TEST_INS}"/>`]],
    ],
  },
  'DMP-INS-TEST': {
    trigger: [[], [[INS_ID, `<id root="1.2.250.1.213.1.4.11" extension="${TEST_INS}"/>`]]],
    pass: [[[INS_ID, `<id root="1.2.250.1.213.1.4.8" extension="${TEST_INS}"/>`]], [[INS_ID, `<id root="1.2.250.1.213.1.4.9" extension="${TEST_INS}"/>`]]],
  },
  'DMP-UNIQUEID-MISSING': { trigger: [[[DOC_ID, '<id nullFlavor="UNK"/>']], [[DOC_ID, '']]], at: '/ClinicalDocument[1]/id[1]' },
  'DMP-UNIQUEID-OID': {
    trigger: [[[DOC_ID, '<id root="90E1C8EC-F951-4B26-A305-A34848818DD6"/>']], [[DOC_ID, '<id root="1.2.250.01.999"/>']], [[DOC_ID, '<id root="3.2.1"/>']], [[DOC_ID, '<id root="1.2.250.1.999."/>']]],
    pass: [[[DOC_ID, '<id root="2.25.329800735698586629295641978511506172918"/>']]],
    at: '/ClinicalDocument[1]/id[1]',
  },
  'DMP-UNIQUEID-EXTENSION': { trigger: [[[DOC_ID, '<id root="1.2.250.1.999.1.1.1" extension="42"/>']]], at: '/ClinicalDocument[1]/id[1]' },
  'DMP-UNIQUEID-LENGTH': {
    // 65 and 64 characters.
    trigger: [[[DOC_ID, `<id root="1.2.250.1.999.${'1.'.repeat(25)}1"/>`]]],
    pass: [[[DOC_ID, `<id root="1.2.250.1.999.${'1.'.repeat(24)}11"/>`]]],
  },
  'DMP-SETID-MISSING': { trigger: [[['<setId root="1.2.250.1.999.1.1.1.42"/>', '']], [['<setId root="1.2.250.1.999.1.1.1.42"/>', '<setId nullFlavor="NI"/>']]] },
  'DMP-VERSION-NUMBER': {
    trigger: [[['<versionNumber value="1"/>', '<versionNumber value="0"/>']], [['<versionNumber value="1"/>', '<versionNumber value="1.5"/>']], [['<versionNumber value="1"/>', '']], [['<versionNumber value="1"/>', '<versionNumber value="-2"/>']]],
    pass: [[['<versionNumber value="1"/>', '<versionNumber value="12"/>']]],
  },
  'DMP-RELATED-TYPE': {
    trigger: [[RELATED_DOC('<relatedDocument typeCode="APND"><parentDocument><id root="1.2.250.1.999.1.1.1.41"/></parentDocument></relatedDocument>')]],
    pass: [[RELATED_DOC('<relatedDocument typeCode="XFRM"><parentDocument><id root="1.2.250.1.999.1.1.1.41"/></parentDocument></relatedDocument>')]],
  },
  'DMP-RELATED-COUNT': {
    trigger: [[RELATED_DOC('<relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.250.1.999.1.1.1.41"/></parentDocument></relatedDocument><relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.250.1.999.1.1.1.40"/></parentDocument></relatedDocument>')]],
    at: '/ClinicalDocument[1]/relatedDocument[2]',
  },
  'DMP-PARENT-ID': {
    trigger: [
      [RELATED_DOC('<relatedDocument typeCode="RPLC"><parentDocument><id root="90E1C8EC-F951-4B26-A305-A34848818DD6"/></parentDocument></relatedDocument>')],
      [RELATED_DOC('<relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.250.1.999.1.1.1" extension="41"/></parentDocument></relatedDocument>')],
      [RELATED_DOC('<relatedDocument typeCode="RPLC"><parentDocument><setId root="1.2.250.1.999.1.1.1.41"/></parentDocument></relatedDocument>')],
      [RELATED_DOC('<relatedDocument typeCode="RPLC"/>')],
    ],
    pass: [[RELATED_DOC('<relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.250.1.999.1.1.1.41"/><setId root="1.2.250.1.999.1.1.1.41"/><versionNumber value="1"/></parentDocument></relatedDocument>'), ['<versionNumber value="1"/>\n  <recordTarget>', '<versionNumber value="2"/>\n  <recordTarget>']]],
  },
  'DMP-PARENT-SELF': {
    trigger: [[RELATED_DOC('<relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.250.1.999.1.1.1.42"/></parentDocument></relatedDocument>')]],
  },
  'DMP-TYPECODE-MISSING': { trigger: [[[TYPE_CODE, '<code nullFlavor="UNK"/>']], [[TYPE_CODE, '<code code="11488-4"/>']], [[TYPE_CODE, '']]] },
  'DMP-TYPECODE-UNKNOWN': {
    trigger: [[[TYPE_CODE, '<code code="00000-0" displayName="?" codeSystem="2.16.840.1.113883.6.1"/>']]],
    pass: [[[TYPE_CODE, `<code code="${J07_ONLY_MAPPED[0]}" displayName="x" codeSystem="${J07_ONLY_MAPPED[1]}"/>`]]],
    at: '/ClinicalDocument[1]/code[1]',
  },
  'DMP-TYPECODE-J66': {
    trigger: [[[TYPE_CODE, `<code code="${J07_ONLY_MAPPED[0]}" displayName="x" codeSystem="${J07_ONLY_MAPPED[1]}"/>`]]],
    pass: [[[TYPE_CODE, '<code code="SYNTH" displayName="Synthèse" codeSystem="1.2.250.1.213.1.1.4.12"/>']]],
  },
  'DMP-CODE-SYSTEM': {
    trigger: [
      [[TYPE_CODE, '<code code="11488-4" displayName="x" codeSystem="1.2.250.1.213.1.1.4.12"/>']],
      [[FACILITY_CODE, '<code code="SA07" displayName="x" codeSystem="1.2.250.1.213.1.1.4.9"/>']],
      [[PRACTICE_CODE, '<standardIndustryClassCode code="AMBULATOIRE" codeSystem="1.2.250.1.71.4.2.4"/>']],
      [[AUTHOR_CODE, '<code code="G15_10/SM26" codeSystem="1.2.250.1.213.1.1.4.6"/>']],
    ],
  },
  'DMP-CLASSCODE-X04': {
    trigger: [[[TYPE_CODE, `<code code="${J07_UNMAPPED[0]}" displayName="x" codeSystem="${J07_UNMAPPED[1]}"/>`]]],
    pass: [[[TYPE_CODE, `<code code="${J07_ONLY_MAPPED[0]}" displayName="x" codeSystem="${J07_ONLY_MAPPED[1]}"/>`]], [[TYPE_CODE, '<code code="00000-0" codeSystem="2.16.840.1.113883.6.1"/>']]],
  },
  'DMP-CONFIDENTIALITY-J58': {
    trigger: [
      [[/<confidentialityCode[^>]*\/>/, '<confidentialityCode code="MASQUE_PS" codeSystem="1.2.250.1.213.1.1.4.13"/>']],
      [[/<confidentialityCode[^>]*\/>/, '<confidentialityCode code="N" codeSystem="1.2.250.1.213.1.1.4.13"/>']],
      [[/<confidentialityCode[^>]*\/>/, '<confidentialityCode code="U" codeSystem="2.16.840.1.113883.5.25"/>']],
      [[/<confidentialityCode[^>]*\/>/, '']],
    ],
  },
  'DMP-CONFIDENTIALITY-RV': {
    trigger: [[[/<confidentialityCode[^>]*\/>/, '<confidentialityCode code="R" codeSystem="2.16.840.1.113883.5.25"/>']], [[/<confidentialityCode[^>]*\/>/, '<confidentialityCode code="V" codeSystem="2.16.840.1.113883.5.25"/>']]],
    at: '/ClinicalDocument[1]/confidentialityCode[1]',
  },
  'DMP-FACILITY-MISSING': { trigger: [[[FACILITY_CODE, '']], [[FACILITY_CODE, '<code nullFlavor="UNK"/>']], [[/<componentOf>[\s\S]*<\/componentOf>/, '']]] },
  'DMP-FACILITY-J61': {
    trigger: [[[FACILITY_CODE, `<code code="${J02_ONLY[0]}" codeSystem="${J02_ONLY[1]}"/>`]], [[FACILITY_CODE, '<code code="XX99" codeSystem="1.2.250.1.71.4.2.4"/>']]],
    pass: [[[FACILITY_CODE, '<code code="EXP_PATIENT" codeSystem="1.2.250.1.213.1.1.4.6"/>']]],
  },
  'DMP-PRACTICE-MISSING': { trigger: [[[PRACTICE_CODE, '']], [[PRACTICE_CODE, '<standardIndustryClassCode nullFlavor="UNK"/>']], [[/<documentationOf>[\s\S]*<\/documentationOf>/, '']]] },
  'DMP-PRACTICE-J62': {
    trigger: [[[PRACTICE_CODE, `<standardIndustryClassCode code="${J04_ONLY[0]}" codeSystem="${J04_ONLY[1]}"/>`]]],
    pass: [[[PRACTICE_CODE, '<standardIndustryClassCode code="ETABLISSEMENT" codeSystem="1.2.250.1.213.1.1.4.9"/>']]],
  },
  'DMP-N1-MEDIATYPE': {
    trigger: [[body('application/msword', PDF_B64)], [[TEXT_OPEN, '<text representation="B64">']]],
    pass: [[body('text/rtf', b64(Buffer.from('{\\rtf1 test}')))], [body('image/tiff', b64([0x4d, 0x4d, 0x00, 0x2a, 1, 2]))], [body('image/tiff', b64([0x49, 0x49, 0x2a, 0x00]))]],
    at: '/ClinicalDocument[1]/component[1]/nonXMLBody[1]/text[1]',
  },
  'DMP-N1-REPRESENTATION': { trigger: [[[TEXT_OPEN, '<text mediaType="application/pdf" representation="TXT">']], [[TEXT_OPEN, '<text mediaType="application/pdf">']]] },
  'DMP-N1-REFERENCE': { trigger: [[[BODY_TEXT, `${TEXT_OPEN}<reference value="https://example.org/doc.pdf"/></text>`]]] },
  'DMP-N1-COMPRESSION': { trigger: [[body('application/pdf', 'eJwLSS0u0UvOz0nNTc3LL0ktUkgsSk0BAH8uCXw=', ' compression="DF"')]] },
  'DMP-N1-EMPTY': {
    trigger: [[body('application/pdf', '')], [body('application/pdf', ' \n\t ')], [[/<text mediaType[^>]*>[^<]*<\/text>/, '']]],
  },
  'DMP-N1-BASE64': {
    trigger: [[body('application/pdf', 'JVBER%i0x')], [body('application/pdf', 'JVBE=Ri0x')], [body('application/pdf', 'JVBERi0xL')], [body('application/pdf', 'JVBERi0===')], [body('application/pdf', 'JVBERi0xLé==')], [body('application/pdf', 'JVBERg=')]],
    // Line breaks anywhere and missing padding are accepted.
    pass: [[body('application/pdf', PDF_B64.replace(/(.{10})/g, '$1\r\n   '))], [body('application/pdf', PDF_B64.replace(/=+$/, ''))]],
  },
  'DMP-N1-SIZE': {
    trigger: [[body('application/pdf', b64(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024)])))]],
    pass: [[body('application/pdf', b64(Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(5 * 1024 * 1024 - 9)])))]],
  },
  'DMP-N1-MAGIC': {
    trigger: [[body('image/jpeg', PDF_B64)], [body('application/pdf', b64(Buffer.from('hello')))], [body('image/tiff', b64([0x49, 0x49, 0x00, 0x2a]))], [body('text/rtf', PDF_B64)]],
    pass: [[body('image/jpeg', b64([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))]],
  },
  'DMP-N1-TEXT-ENCODING': {
    trigger: [[body('text/plain', b64([0x41, 0xff, 0xfe]))], [body('text/plain', b64([0x41, 0x00, 0x42]))]],
    pass: [[body('text/plain', b64(Buffer.from('Compte rendu : tout va bien. Été.', 'utf-8')))]],
  },
  'DMP-TIME-INVALID': {
    trigger: [
      [['<effectiveTime value="20240105103000+0100"/>', '<effectiveTime value="20241305103000+0100"/>']],
      [[LOW, '<low value="2024-01-05"/>']],
      [[HIGH, '<high value="20240105102000+01"/>']],
    ],
    pass: [[['<time value="20240105103500+0100"/>', '<time value="20240106113623+100"/>']]],
  },
  'DMP-TIME-INVALID-PARTICIPANT': {
    trigger: [[['<time value="20240105103500+0100"/>', '<time value="20240106113623+100"/>']], [['<time value="20240105103000+0100"/>', '<time value="yesterday"/>']]],
    at: '/ClinicalDocument[1]/legalAuthenticator[1]/time[1]',
  },
  'DMP-CREATIONTIME-MISSING': { trigger: [[['<effectiveTime value="20240105103000+0100"/>', '<effectiveTime nullFlavor="UNK"/>']], [['<effectiveTime value="20240105103000+0100"/>', '']]] },
  'DMP-CREATIONTIME-PRECISION': {
    trigger: [[['<effectiveTime value="20240105103000+0100"/>', '<effectiveTime value="202401051030+0100"/>']], [['<effectiveTime value="20240105103000+0100"/>', '<effectiveTime value="20240105"/>']]],
    pass: [[['<effectiveTime value="20240105103000+0100"/>', '<effectiveTime value="20240105103000.123+0100"/>']]],
  },
  'DMP-TIME-OFFSET': {
    trigger: [[['<effectiveTime value="20240105103000+0100"/>', '<effectiveTime value="20240105103000"/>']], [[HIGH, '<high value="20240105102000"/>']], [[LOW, '<low value="202401051000"/>']]],
    pass: [[[LOW, '<low value="20240105"/>'], [HIGH, '<high value="20240106"/>']], [[HIGH, '<high nullFlavor="UNK"/>']]],
  },
  'DMP-TIME-OFFSET-PARTICIPANT': {
    trigger: [[['<time value="20240105103000+0100"/>', '<time value="20240105103000"/>']], [['<time value="20240105103500+0100"/>', '<time value="20240105103500"/>']]],
    pass: [[['<time value="20240105103000+0100"/>', '<time value="20240105"/>']]],
  },
  'DMP-SERVICE-START-MISSING': {
    trigger: [[[LOW, '']], [[LOW, '<low nullFlavor="UNK"/>']], [[/<documentationOf>[\s\S]*<\/documentationOf>/, '']]],
  },
  'DMP-SERVICE-TIME-ORDER': {
    trigger: [[[LOW, '<low value="20240105103000+0100"/>']], [[LOW, '<low value="20240106"/>']], [[LOW, '<low value="20240105102001+0100"/>']]],
    pass: [
      [[LOW, '<low value="20240105102000+0100"/>']],
      [[LOW, '<low value="20240105"/>']],
      // Same instant written in two offsets.
      [[LOW, '<low value="20240105092000+0000"/>']],
      // 10:30 local (UTC+2) is 08:30 UTC, before 10:20 at +0100 (09:20 UTC).
      [[LOW, '<low value="20240105103000+0200"/>']],
    ],
  },
  'DMP-AUTHOR-ID': {
    trigger: [[[AUTHOR_ID, '$1<id nullFlavor="UNK"/>']], [[/<author>[\s\S]*?<\/author>/, '']]],
  },
  'DMP-AUTHOR-SPECIALTY': {
    trigger: [[[AUTHOR_CODE, '']]],
    pass: [[[AUTHOR_CODE, ''], PATIENT_AUTHOR_ID]],
    at: '/ClinicalDocument[1]/author[1]/assignedAuthor[1]',
  },
  'DMP-AUTHOR-SPECIALTY-J01': {
    trigger: [[[AUTHOR_CODE, '<code code="G15_99/XX99" codeSystem="1.2.250.1.213.1.1.4.5"/>']]],
    pass: [[[AUTHOR_CODE, '<code code="EXP_PATIENT" codeSystem="1.2.250.1.213.1.1.4.6"/>']]],
  },
  'DMP-AUTHOR-ORG': {
    trigger: [[[AUTHOR_ORG, '']], [[AUTHOR_ORG, '<representedOrganization><name>Sans identifiant</name></representedOrganization>']]],
    // A document written by the patient has no authorInstitution.
    pass: [[[AUTHOR_ORG, ''], [AUTHOR_CODE, '<code code="EXP_PATIENT" codeSystem="1.2.250.1.213.1.1.4.6"/>'], PATIENT_AUTHOR_ID]],
  },
  'DMP-LEGALAUTH-ID': {
    trigger: [[[/<legalAuthenticator>[\s\S]*<\/legalAuthenticator>/, '']], [[/(<legalAuthenticator>[\s\S]*?)<id root="1.2.250.1.71.4.2.1" extension="899999000001"\/>/, '$1<id nullFlavor="UNK"/>']]],
  },
  'DMP-TITLE-MISSING': { trigger: [[[/<title>[^<]*<\/title>/, '<title/>']], [[/<title>[^<]*<\/title>/, '<title>   </title>']], [[/<title>[^<]*<\/title>/, '']]] },
  'DMP-TITLE-LENGTH': {
    trigger: [[[/<title>[^<]*<\/title>/, `<title>${'a'.repeat(129)}</title>`]]],
    // 128 characters, accented (counted as characters, not UTF-16 units or bytes), whitespace collapsed.
    pass: [[[/<title>[^<]*<\/title>/, `<title>${'é'.repeat(127)}😀</title>`]], [[/<title>[^<]*<\/title>/, `<title>  ${'a'.repeat(64)}\n\n     ${'b'.repeat(63)}  </title>`]]],
  },
  'DMP-LANGUAGE': { trigger: [[['<languageCode code="fr-FR"/>', '<languageCode code="en-US"/>']], [['<languageCode code="fr-FR"/>', '<languageCode code="fr"/>']], [['<languageCode code="fr-FR"/>', '']]] },
  'DMP-SCHEMALOCATION': {
    trigger: [[['xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"', 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="urn:hl7-org:v3 CDA.xsd"']]],
    at: '/ClinicalDocument[1]/@schemaLocation',
  },
};

const docOf = (v: readonly Edit[] | string): string => (typeof v === 'string' ? v : mutate(BASE_XML, ...v));

describe('base document', () => {
  it('passes every DMP rule (only the info on the test INS authority)', () => {
    const findings = run(BASE_XML);
    expect(ruleIds(findings)).toEqual(['DMP-INS-TEST']);
    expect(findings[0]!.severity).toBe('info');
  });

  it('terminology preconditions of the cases hold', () => {
    expect(J07_ONLY_MAPPED).toBeDefined();
    expect(J07_UNMAPPED).toBeDefined();
    expect(J02_ONLY).toBeDefined();
    expect(J04_ONLY).toBeDefined();
    expect(findConcept(JDV.J66_TYPE_CODE_DMP, '11488-4')?.system).toBe('2.16.840.1.113883.6.1');
    expect(typeClassTable().unmappedJ07Codes.length).toBeGreaterThan(0);
  });
});

describe.each(Object.entries(CASES) as [DmpRuleId, Case][])('%s', (id, c) => {
  const def = DMP_RULES.find((r) => r.id === id)!;

  it.each(c.trigger.map((v, i) => [i + 1, v] as const))('triggers (variant %i)', (_i, variant) => {
    const findings = run(docOf(variant));
    const hits = findings.filter((f) => f.ruleId === id);
    expect(hits.length, `${id} in ${ruleIds(findings).join(', ')}`).toBeGreaterThan(0);
    expect(hits[0]!.severity).toBe(def.severity);
    if (c.at && _i === 1) expect(hits[0]!.location.xpath).toBe(c.at);
    expect(hits[0]!.location.line).toBeGreaterThan(0);
  });

  if (c.pass?.length) {
    it.each(c.pass.map((v, i) => [i + 1, v] as const))('does not trigger on a near miss (variant %i)', (_i, variant) => {
      const findings = run(docOf(variant));
      expect(ruleIds(findings)).not.toContain(id);
    });
  }
});

describe('messages', () => {
  it('never print the INS or patient names', () => {
    const docs = [
      mutate(BASE_XML, [TEST_INS, '180017505600104']),
      mutate(BASE_XML, [TEST_INS, '18001750560010X']),
      mutate(BASE_XML, [`${INS_ID}\n      ${IPP_ID}`, `${IPP_ID}\n      ${INS_ID}`]),
      mutate(BASE_XML, [INS_ID, '']),
    ];
    for (const xml of docs) {
      for (const f of run(xml)) {
        for (const text of [f.message, f.messageEn ?? '']) {
          expect(text).not.toContain('18001750560');
          expect(text).not.toContain('DMPKIT-PATIENT');
          expect(text).not.toContain('IPP-TEST');
          expect(text).not.toContain('ALPHA');
        }
      }
    }
  });

  it('are in French and English, filled, and say what was found', () => {
    const [f] = run(mutate(BASE_XML, ['<languageCode code="fr-FR"/>', '<languageCode code="en-US"/>'])).filter((x) => x.ruleId === 'DMP-LANGUAGE');
    expect(f!.message).toBe('ClinicalDocument/languageCode vaut « en-US » ; attendu fr-FR.');
    expect(f!.messageEn).toBe('ClinicalDocument/languageCode is "en-US"; expected fr-FR.');
    const [t] = run(mutate(BASE_XML, ['<effectiveTime value="20240105103000+0100"/>', '<effectiveTime value="202401051030+0100"/>'])).filter(
      (x) => x.ruleId === 'DMP-CREATIONTIME-PRECISION',
    );
    expect(t!.message).toContain('précision : minute');
    expect(t!.messageEn).toContain('precise to the minute');
  });

  it('a base64 error gives the line of the bad character', () => {
    const xml = mutate(BASE_XML, body('application/pdf', `JVBE\nRi0x\nLj%Q=`));
    const f = run(xml).find((x) => x.ruleId === 'DMP-N1-BASE64')!;
    const textLine = xml.split('\n').findIndex((l) => l.includes('<text mediaType')) + 1;
    expect(f.messageEn).toContain(`character U+0025 not allowed (line ${textLine + 2})`);
  });
});

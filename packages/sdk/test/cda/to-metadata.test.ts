import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DocumentEntrySchema,
  DmpDocumentEntrySchema,
  parseXml,
  readCdaHeader,
  toDocumentEntry,
  typeClassTable,
  type ToDocumentEntryOptions,
} from '../../src/index.js';
import { CDA_DOCUMENTS_DIR, HAS_CDA_DOCUMENTS, reportSkip } from './ans-corpus.js';

if (!HAS_CDA_DOCUMENTS) reportSkip('CDA → XDS metadata on the ANS examples', CDA_DOCUMENTS_DIR);

const derive = (xml: string | Uint8Array, opts?: ToDocumentEntryOptions) => toDocumentEntry(readCdaHeader(parseXml(xml).document), opts);
const codes = (r: ReturnType<typeof derive>) => r.issues.map((i) => i.code);

describe.skipIf(!HAS_CDA_DOCUMENTS)('toDocumentEntry on ANS example documents', () => {
  it('derives the DocumentEntry of DOC_NON_STRUCTURE_CDA-R2-N1 (facts checked in the file)', () => {
    const r = derive(readFileSync(join(CDA_DOCUMENTS_DIR, 'DOC_NON_STRUCTURE_CDA-R2-N1.xml')));
    expect(r.issues).toEqual([]);
    const e = r.documentEntry;
    expect(e.uniqueId).toBe('1.3.6.1.4.1.19376.1.2.20.12345.1.1');
    expect(e.typeCode).toEqual({ code: '11502-2', codingScheme: '2.16.840.1.113883.6.1', displayName: "CR d'examens biologiques" });
    expect(e.classCode).toEqual({ code: '10', codingScheme: '1.2.250.1.213.1.1.4.1', displayName: 'Compte rendu' });
    expect(e.title).toBe("Compte rendu d'examens biologiques");
    // effectiveTime 20210401134745+0100
    expect(e.creationTime).toBe('20210401124745');
    expect(e.confidentialityCode).toEqual([{ code: 'N', codingScheme: '2.16.840.1.113883.5.25', displayName: 'Normal' }]);
    expect(e.languageCode).toBe('fr-FR');
    expect(e.patientId).toBe('279035121518989^^^&1.2.250.1.213.1.4.10&ISO^NH');
    expect(e.sourcePatientId).toBe('1234567890121^^^&1.2.3.4.567.8.9.10&ISO^PI');
    expect(e.sourcePatientInfo).toEqual(['PID-5|PAT-TROIS^DOMINIQUE^^^^^L', 'PID-7|19790328', 'PID-8|F']);
    expect(e.authors).toEqual([
      {
        authorPerson: '801234534765^CAMPARINI^Marcel^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS',
        authorInstitution: ['Laboratoire des charmes^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^1120459876'],
        authorRole: [],
        authorSpecialty: ['G15_10/SM03^Médecin - Biologie médicale (SM)^1.2.250.1.213.1.1.4.5'],
      },
    ]);
    expect(e.legalAuthenticator).toBe('807505123456^Camparini^Marcel^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS');
    // serviceEvent low/high 20210104134700+0100 / 20210104135500+0100
    expect(e.serviceStartTime).toBe('20210104124700');
    expect(e.serviceStopTime).toBe('20210104125500');
    expect(e.eventCodeList).toEqual([{ code: '18723-7', codingScheme: '2.16.840.1.113883.6.1', displayName: 'Hématologie' }]);
    expect(e.practiceSettingCode?.code).toBe('AMBULATOIRE');
    expect(e.healthcareFacilityTypeCode).toEqual({ code: 'SA07', codingScheme: '1.2.250.1.71.4.2.4', displayName: 'Cabinet individuel' });
    expect(e.formatCode).toEqual({ code: 'urn:ihe:iti:xds-sd:pdf:2008', codingScheme: '1.3.6.1.4.1.19376.1.2.3', displayName: 'Document à corps non structuré en Pdf/A-1' });
    expect(e.mimeType).toBe('text/xml');
    expect(e.referenceIdList).toEqual([]);
    expect(r.parentDocument).toBeUndefined();
    expect(() => DmpDocumentEntrySchema.parse(e)).not.toThrow();
  });

  it('turns the BIO N1 order id into a referenceIdList CX', () => {
    const r = derive(readFileSync(join(CDA_DOCUMENTS_DIR, 'BIO-CR-BIO_2021.01_CDA-R2-Niveau-1.xml')));
    expect(r.documentEntry.referenceIdList).toEqual(['2021123456789^^^&1.2.250.1.213.1.1.9&ISO^urn:ihe:iti:xds:2013:order']);
    expect(r.documentEntry.healthcareFacilityTypeCode?.code).toBe('SA25');
  });

  it('gives an auto-présentable document the application/xslt+xml mime type and asks for its formatCode', () => {
    const bytes = readFileSync(join(CDA_DOCUMENTS_DIR, 'BIO-CR-BIO_2021.01_Auto-Presentable.xml'));
    const r = derive(bytes);
    expect(r.documentEntry.mimeType).toBe('application/xslt+xml');
    expect(r.documentEntry.formatCode).toBeUndefined();
    expect(r.issues).toContainEqual(expect.objectContaining({ code: 'FORMAT_CODE_UNKNOWN', severity: 'warning' }));
    const withFormat = derive(bytes, { formatCode: { code: 'urn:ihe:lab:xd-lab:2008', codingScheme: '1.3.6.1.4.1.19376.1.2.3' } });
    expect(withFormat.documentEntry.formatCode?.code).toBe('urn:ihe:lab:xd-lab:2008');
    expect(codes(withFormat)).not.toContain('FORMAT_CODE_UNKNOWN');
  });

  it('reports classCode problems only for typeCodes ASS_X04 does not map, across the corpus', () => {
    const unmapped = new Set(typeClassTable().unmappedJ07Codes);
    let derived = 0;
    for (const f of readdirSync(CDA_DOCUMENTS_DIR).filter((x) => x.endsWith('.xml'))) {
      const r = derive(readFileSync(join(CDA_DOCUMENTS_DIR, f)));
      expect(() => DocumentEntrySchema.parse(r.documentEntry), f).not.toThrow();
      expect(r.documentEntry.patientId, f).toMatch(/\^\^\^&1\.2\.250\.1\.213\.1\.4\.(8|10)&ISO\^NH$/);
      const type = r.documentEntry.typeCode!.code;
      if (codes(r).includes('CLASS_CODE_UNMAPPED')) expect(unmapped.has(type), `${f} ${type}`).toBe(true);
      else {
        expect(r.documentEntry.classCode, f).toBeDefined();
        derived++;
      }
      // The ANS examples are valid: no header-level error other than the known table gaps.
      const errors = r.issues.filter((i) => i.severity === 'error' && i.code !== 'CLASS_CODE_UNMAPPED');
      expect(errors, f).toEqual([]);
    }
    expect(derived).toBeGreaterThan(40);
  });
});

/** A small header, edited per test. */
const DOC = (parts: Partial<Record<'id' | 'code' | 'time' | 'conf' | 'ids' | 'body' | 'related' | 'author', string>> = {}) => `<ClinicalDocument xmlns="urn:hl7-org:v3">
  ${parts.id ?? '<id root="1.2.250.1.999.1.1.9.1"/>'}
  ${parts.code ?? '<code code="11488-4" codeSystem="2.16.840.1.113883.6.1" displayName="CR de consultation"/>'}
  <title>Test</title>
  <effectiveTime value="${parts.time ?? '20240105103000+0100'}"/>
  ${parts.conf ?? '<confidentialityCode code="N" codeSystem="2.16.840.1.113883.5.25"/>'}
  <languageCode code="fr-FR"/>
  <recordTarget><patientRole>${parts.ids ?? '<id root="1.2.250.1.213.1.4.10" extension="100000000000001"/>'}
    <patient><name><family qualifier="BR">A&amp;B^C</family><given>X Y</given><given qualifier="BR">X</given></name>
    <administrativeGenderCode code="M" codeSystem="2.16.840.1.113883.5.1"/><birthTime value="19800101"/></patient>
  </patientRole></recordTarget>
  ${parts.author ?? '<author><functionCode code="PCP" codeSystem="2.16.840.1.113883.5.88" displayName="Médecin traitant"/><time value="20240105103000+0100"/><assignedAuthor><id root="1.2.250.1.71.4.2.1" extension="899999000001"/><assignedPerson><name><given>Jean</given><family>TEST</family></name></assignedPerson></assignedAuthor></author>'}
  <legalAuthenticator><time value="20240105103000+0100"/><signatureCode code="S"/><assignedEntity><id root="1.2.250.1.71.4.2.1" extension="899999000001"/></assignedEntity></legalAuthenticator>
  <documentationOf><serviceEvent><effectiveTime><low value="20240105100000+0100"/></effectiveTime>
    <performer typeCode="PRF"><assignedEntity><id root="1.2.3"/><representedOrganization>
      <standardIndustryClassCode code="SNR" codeSystem="1.2.250.1.213.1.1.4.6"/></representedOrganization></assignedEntity></performer>
  </serviceEvent></documentationOf>
  ${parts.related ?? ''}
  <componentOf><encompassingEncounter><location><healthCareFacility><code code="SA07" codeSystem="1.2.250.1.71.4.2.4"/></healthCareFacility></location></encompassingEncounter></componentOf>
  ${parts.body ?? '<component><nonXMLBody><text mediaType="text/plain" representation="B64">SGVsbG8=</text></nonXMLBody></component>'}
</ClinicalDocument>`;

describe('toDocumentEntry on synthetic headers', () => {
  it('derives a complete entry and escapes HL7 v2 delimiters in names', () => {
    const r = derive(DOC());
    const e = r.documentEntry;
    expect(e.sourcePatientInfo[0]).toBe('PID-5|A\\T\\B\\S\\C^X^^^^^L');
    expect(e.sourcePatientId).toBe(e.patientId);
    expect(e.authors[0]?.authorRole).toEqual(['PCP^Médecin traitant^2.16.840.1.113883.5.88']);
    expect(e.authors[0]?.authorInstitution).toEqual([]);
    expect(e.formatCode?.code).toBe('urn:ihe:iti:xds-sd:text:2008');
    expect(e.serviceStopTime).toBeUndefined();
    // SNR is in J04 (2024) but not in the 2020 J62 copy: a warning, not an error.
    expect(r.issues).toEqual([expect.objectContaining({ code: 'PRACTICE_SETTING_CODE_NOT_IN_DMP_JDV', severity: 'warning' })]);
  });

  it('refuses an id with an extension (uniqueId OID^ext) and locates it', () => {
    const r = derive(DOC({ id: '<id root="1.2.250.1.999.1.1.9" extension="42"/>' }));
    expect(r.documentEntry.uniqueId).toBe('1.2.250.1.999.1.1.9^42');
    const issue = r.issues.find((i) => i.code === 'UNIQUE_ID_EXTENSION');
    expect(issue).toMatchObject({ severity: 'error', attribute: 'uniqueId', location: { line: 2, xpath: '/ClinicalDocument[1]/id[1]' } });
  });

  it('flags a non-OID root and an over-long uniqueId', () => {
    expect(codes(derive(DOC({ id: '<id root="abc"/>' })))).toContain('UNIQUE_ID_NOT_OID');
    expect(codes(derive(DOC({ id: `<id root="1.2.250.1.999.${'1.'.repeat(30)}1"/>` })))).toContain('UNIQUE_ID_TOO_LONG');
  });

  it('reports an unknown typeCode and the missing classCode', () => {
    const r = derive(DOC({ code: '<code code="00000-0" codeSystem="2.16.840.1.113883.6.1"/>' }));
    expect(codes(r)).toEqual(expect.arrayContaining(['TYPE_CODE_UNKNOWN', 'CLASS_CODE_UNMAPPED']));
    expect(r.documentEntry.classCode).toBeUndefined();
  });

  it('warns when a CI-SIS typeCode is missing from the stale J66 copy', () => {
    const r = derive(DOC({ code: '<code code="60568-3" codeSystem="2.16.840.1.113883.6.1"/>' }));
    expect(codes(r)).toEqual(expect.arrayContaining(['TYPE_CODE_NOT_IN_J66', 'CLASS_CODE_UNMAPPED']));
  });

  it('reports a creation time without offset, or reads it in a zone the caller names', () => {
    const r = derive(DOC({ time: '20240105103000' }));
    expect(r.documentEntry.creationTime).toBeUndefined();
    expect(r.issues.find((i) => i.code === 'TIME_NO_OFFSET')).toMatchObject({ attribute: 'creationTime', severity: 'error' });
    const z = derive(DOC({ time: '20240105103000' }), { assumeTimeZone: 'Europe/Paris' });
    expect(z.documentEntry.creationTime).toBe('20240105093000');
    expect(codes(z)).toContain('TIME_ASSUMED_ZONE');
  });

  it('requires the INS, first among the patient ids', () => {
    const notFirst = derive(DOC({ ids: '<id root="1.2.3.4" extension="IPP1"/><id root="1.2.250.1.213.1.4.8" extension="100000000000001"/>' }));
    expect(notFirst.issues.find((i) => i.code === 'INS_NOT_FIRST')?.location?.xpath).toBe('/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/id[2]');
    expect(notFirst.documentEntry.patientId).toBe('100000000000001^^^&1.2.250.1.213.1.4.8&ISO^NH');
    expect(notFirst.documentEntry.sourcePatientId).toBe('IPP1^^^&1.2.3.4&ISO^PI');
    const none = derive(DOC({ ids: '<id root="1.2.3.4" extension="IPP1"/>' }));
    expect(codes(none)).toContain('INS_MISSING');
    expect(none.documentEntry.patientId).toBeUndefined();
  });

  it('checks the N1 body: media type and representation', () => {
    const bad = derive(DOC({ body: '<component><nonXMLBody><text mediaType="application/msword" representation="TXT">x</text></nonXMLBody></component>' }));
    expect(codes(bad)).toEqual(expect.arrayContaining(['NON_XML_BODY_MEDIA_TYPE', 'NON_XML_BODY_REPRESENTATION']));
    expect(bad.documentEntry.formatCode).toBeUndefined();
    expect(codes(derive(DOC({ body: '' })))).toContain('BODY_MISSING');
  });

  it('adds visibility flags after the CDA confidentialityCode and checks them against J58', () => {
    const r = derive(DOC(), {
      extraConfidentialityCodes: [
        { code: 'MASQUE_PS', codingScheme: '1.2.250.1.213.1.1.4.13', displayName: 'Masqué aux professionnels de santé' },
        { code: 'MASQUE_PT', codingScheme: '1.2.250.1.213.1.1.4.13' },
      ],
    });
    expect(r.documentEntry.confidentialityCode.map((c) => c.code)).toEqual(['N', 'MASQUE_PS', 'MASQUE_PT']);
    expect(r.issues.filter((i) => i.code === 'CONFIDENTIALITY_NOT_DMP').map((i) => i.message)).toEqual([expect.stringContaining('MASQUE_PT')]);
    expect(codes(derive(DOC({ conf: '<confidentialityCode code="V" codeSystem="2.16.840.1.113883.5.25"/>' })))).toContain('CONFIDENTIALITY_RESTRICTED');
  });

  it('returns the replaced document of an RPLC relation', () => {
    const r = derive(DOC({ related: '<relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.250.1.999.1.1.9.0"/></parentDocument></relatedDocument>' }));
    expect(r.parentDocument).toEqual({ uniqueId: '1.2.250.1.999.1.1.9.0', relation: 'RPLC' });
    const apnd = derive(DOC({ related: '<relatedDocument typeCode="APND"><parentDocument/></relatedDocument>' }));
    expect(codes(apnd)).toEqual(expect.arrayContaining(['RELATED_DOCUMENT_TYPE', 'PARENT_DOCUMENT_ID_MISSING']));
  });

  it('writes a system author as XCN with type U/RI and no name', () => {
    const r = derive(
      DOC({
        author:
          '<author><time value="20240105103000+0100"/><assignedAuthor><id root="1.2.250.1.71.4.2.2" extension="1999999001/LOGICIEL"/><assignedAuthoringDevice><softwareName>Logiciel</softwareName></assignedAuthoringDevice></assignedAuthor></author>',
      }),
    );
    expect(r.documentEntry.authors[0]?.authorPerson).toBe('1999999001/LOGICIEL^^^^^^^^&1.2.250.1.71.4.2.2&ISO^U^^^RI');
  });

  it('lists every missing mandatory element of an empty document and never throws', () => {
    const r = derive('<ClinicalDocument xmlns="urn:hl7-org:v3"/>');
    expect(codes(r)).toEqual(
      expect.arrayContaining([
        'UNIQUE_ID_MISSING',
        'TYPE_CODE_MISSING',
        'TITLE_MISSING',
        'TIME_MISSING',
        'CONFIDENTIALITY_MISSING',
        'LANGUAGE_MISSING',
        'RECORD_TARGET_MISSING',
        'AUTHOR_MISSING',
        'LEGAL_AUTHENTICATOR_MISSING',
        'SERVICE_EVENT_MISSING',
        'PRACTICE_SETTING_MISSING',
        'FACILITY_TYPE_MISSING',
        'BODY_MISSING',
      ]),
    );
    expect(r.issues.every((i) => i.severity === 'error' || i.severity === 'warning')).toBe(true);
  });
});

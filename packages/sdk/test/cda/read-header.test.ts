import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CdaHeaderSchema, CdaNotFoundError, isInsRoot, parseXml, readCdaHeader, sourceElementOf, sourceLocationOf } from '../../src/index.js';
import { CDA_DOCUMENTS_DIR, CORPUS_DIR, HAS_CDA_DOCUMENTS, reportSkip } from './ans-corpus.js';

if (!HAS_CDA_DOCUMENTS) reportSkip('CDA header extraction on the ANS examples', CDA_DOCUMENTS_DIR);

const read = (xml: string | Uint8Array) => readCdaHeader(parseXml(xml).document);
const corpusFile = (name: string) => readFileSync(join(CDA_DOCUMENTS_DIR, name));
/** 1-based line of the first occurrence of `needle` in a file, to check reported positions independently. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length;

describe.skipIf(!HAS_CDA_DOCUMENTS)('readCdaHeader on ANS example documents', () => {
  it('reads the N1 example DOC_NON_STRUCTURE_CDA-R2-N1 completely', () => {
    const h = read(corpusFile('DOC_NON_STRUCTURE_CDA-R2-N1.xml'));
    expect(h.envelope).toBe('none');
    expect(h.realmCode?.code).toBe('FR');
    expect(h.typeId).toMatchObject({ root: '2.16.840.1.113883.1.3', extension: 'POCD_HD000040' });
    expect(h.templateIds.map((t) => t.root)).toEqual(['2.16.840.1.113883.2.8.2.1', '1.2.250.1.213.1.1.1.1', '1.3.6.1.4.1.19376.1.2.20']);
    expect(h.id).toMatchObject({ root: '1.3.6.1.4.1.19376.1.2.20.12345.1.1', extension: undefined });
    expect(h.code).toMatchObject({ code: '11502-2', codeSystem: '2.16.840.1.113883.6.1', codeSystemName: 'LOINC' });
    expect(h.title).toBe("Compte rendu d'examens biologiques");
    expect(h.effectiveTime?.value).toBe('20210401134745+0100');
    expect(h.confidentialityCode?.code).toBe('N');
    expect(h.languageCode?.code).toBe('fr-FR');
    expect(h.setId?.root).toBe('1.3.6.1.4.1.19376.1.2.20.12345.1');
    expect(h.versionNumber).toBe('1');

    const rt = h.recordTargets[0]!;
    expect(rt.ids.map((i) => i.root)).toEqual(['1.2.250.1.213.1.4.10', '1.2.3.4.567.8.9.10']);
    const name = rt.patient!.names[0]!;
    expect(name.family).toEqual([
      { value: 'PAT-TROIS', qualifier: 'BR' },
      { value: 'PAT-TROIS', qualifier: 'CL' },
    ]);
    expect(name.given.map((g) => [g.value, g.qualifier])).toEqual([
      ['DOMINIQUE MARIE-LOUISE', undefined],
      ['DOMINIQUE', 'BR'],
      ['DOMINIQUE', 'CL'],
    ]);
    expect(rt.patient!.administrativeGenderCode?.code).toBe('F');
    expect(rt.patient!.birthTime?.value).toBe('19790328');
    expect(rt.patient!.birthplace?.addr).toMatchObject({ county: '51215', city: 'DOMPREMY' });

    const author = h.authors[0]!;
    expect(author.time?.value).toBe('20210104160527+0100');
    expect(author.assignedAuthor?.ids[0]).toMatchObject({ root: '1.2.250.1.71.4.2.1', extension: '801234534765' });
    expect(author.assignedAuthor?.code?.code).toBe('G15_10/SM03');
    expect(author.assignedAuthor?.person?.names[0]).toMatchObject({ family: [{ value: 'CAMPARINI' }], given: [{ value: 'Marcel' }], suffix: [{ value: 'DR' }] });
    expect(author.assignedAuthor?.organization).toMatchObject({ name: 'Laboratoire des charmes', ids: [{ extension: '1120459876' }] });
    expect(h.custodian?.ids[0]?.extension).toBe('1120459876');
    expect(h.legalAuthenticator).toMatchObject({ signatureCode: 'S', time: { value: '20200701134745+0100' } });
    expect(h.legalAuthenticator?.assignedEntity?.ids[0]?.extension).toBe('807505123456');

    expect(h.participants.map((p) => p.typeCode)).toEqual(['PRF', 'REF']);
    expect(h.participants[0]?.functionCode?.code).toBe('PRELV');
    expect(h.participants[0]?.time?.high?.value).toBe('202101040735+0100');

    const se = h.documentationOf[0]!;
    expect(se.code?.code).toBe('18723-7');
    expect(se.effectiveTime).toMatchObject({ low: { value: '20210104134700+0100' }, high: { value: '20210104135500+0100' } });
    expect(se.performers[0]?.functionCode?.nullFlavor).toBe('UNK');
    expect(se.performers[0]?.assignedEntity?.organization?.standardIndustryClassCode?.code).toBe('AMBULATOIRE');

    const enc = h.encompassingEncounter!;
    expect(enc.effectiveTime?.low?.value).toBe('20200701134745');
    expect(enc.healthCareFacility?.code).toMatchObject({ code: 'SA07', codeSystem: '1.2.250.1.71.4.2.4' });
    expect(enc.healthCareFacility?.ids[0]?.extension).toBe('1750512345');

    expect(h.body).toMatchObject({ kind: 'nonXML', mediaType: 'application/pdf', representation: 'B64' });
    expect(h.body.kind === 'nonXML' && h.body.contentLength).toBeGreaterThan(1000);
    expect(h.relatedDocuments).toEqual([]);
  });

  it('points each extracted part at its element, line and column', () => {
    const bytes = corpusFile('DOC_NON_STRUCTURE_CDA-R2-N1.xml');
    const text = bytes.toString('utf-8');
    const h = read(bytes);
    expect(sourceLocationOf(h.id!)).toMatchObject({ line: lineOf(text, '<id root="1.3.6.1.4.1.19376.1.2.20.12345.1.1"'), xpath: '/ClinicalDocument[1]/id[1]' });
    const ipp = h.recordTargets[0]!.ids[1]!;
    expect(sourceLocationOf(ipp)).toMatchObject({ line: lineOf(text, '<id extension="1234567890121"'), xpath: '/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/id[2]' });
    expect(sourceLocationOf(h.body)?.xpath).toBe('/ClinicalDocument[1]/component[1]/nonXMLBody[1]/text[1]');
    expect(sourceElementOf(h.encompassingEncounter!.healthCareFacility!.code!)?.getAttribute('code')).toBe('SA07');
    expect(sourceLocationOf({})).toBeUndefined();
  });

  it('finds the ClinicalDocument inside an auto-présentable xsl:stylesheet', () => {
    const h = read(corpusFile('BIO-CR-BIO_2021.01_Auto-Presentable.xml'));
    expect(h.envelope).toBe('xsl-stylesheet');
    expect(h.id?.root).toBe('1.2.250.1.213.1.1.1.55.2021.1.1');
    expect(h.code?.code).toBe('11502-2');
    expect(h.templateIds.map((t) => t.root)).toContain('1.2.250.1.213.1.1.1.55');
    expect(h.body.kind).toBe('structured');
    expect(sourceLocationOf(h.id!)?.xpath).toBe('/stylesheet[1]/Contenu[1]/ClinicalDocument[1]/id[1]');
  });

  it('reads the BIO N1 example with its order id and authenticators', () => {
    const h = read(corpusFile('BIO-CR-BIO_2021.01_CDA-R2-Niveau-1.xml'));
    expect(h.inFulfillmentOf[0]?.ids[0]).toMatchObject({ root: '1.2.250.1.213.1.1.9', extension: '2021123456789' });
    expect(h.authenticators).toHaveLength(2);
    expect(h.informants.map((i) => i.relatedEntity?.classCode)).toEqual(['ECON', 'NOK']);
    expect(h.encompassingEncounter?.healthCareFacility?.location?.name).toBe('Laboratoire des charmes');
    expect(h.body).toMatchObject({ kind: 'nonXML', mediaType: 'application/pdf' });
  });

  it('agrees with the corpus MANIFEST on type, templates and body for every example, INS first', () => {
    const manifest = JSON.parse(readFileSync(join(CORPUS_DIR, 'cda/MANIFEST.json'), 'utf-8')) as {
      documents: Array<{ file: string; document_type: { code: string }; templateIds: Array<{ root: string }>; body: string }>;
    };
    const files = readdirSync(CDA_DOCUMENTS_DIR).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBe(manifest.documents.length);
    for (const m of manifest.documents) {
      const h = read(readFileSync(join(CORPUS_DIR, 'cda', m.file)));
      expect(() => CdaHeaderSchema.parse(h), m.file).not.toThrow();
      expect(h.code?.code, m.file).toBe(m.document_type.code);
      expect(h.templateIds.map((t) => t.root), m.file).toEqual(m.templateIds.map((t) => t.root));
      expect(h.body.kind, m.file).toBe(m.body === 'nonXMLBody' ? 'nonXML' : 'structured');
      expect(isInsRoot(h.recordTargets[0]?.ids[0]?.root), m.file).toBe(true);
      expect(h.authors.length, m.file).toBeGreaterThan(0);
      expect(h.encompassingEncounter?.healthCareFacility?.code?.code, m.file).toBeTruthy();
    }
  });
});

describe('readCdaHeader on synthetic documents', () => {
  it('is tolerant: an empty ClinicalDocument gives undefined fields and empty lists, not an exception', () => {
    const h = read('<ClinicalDocument xmlns="urn:hl7-org:v3"/>');
    expect(h).toMatchObject({ envelope: 'none', templateIds: [], recordTargets: [], authors: [], documentationOf: [], body: { kind: 'missing' } });
    expect(h.id).toBeUndefined();
    expect(h.title).toBeUndefined();
    expect(h.legalAuthenticator).toBeUndefined();
    expect(() => CdaHeaderSchema.parse(h)).not.toThrow();
  });

  it('throws CdaNotFoundError, naming what it found, when there is no HL7 v3 ClinicalDocument', () => {
    expect(() => read('<ClinicalDocument xmlns="urn:hl7-org:v2"/>')).toThrow(CdaNotFoundError);
    expect(() => read('<ClinicalDocument xmlns="urn:hl7-org:v2"/>')).toThrow(/urn:hl7-org:v2/);
    expect(() => read('<html/>')).toThrow(/<html>/);
  });

  it('finds the ClinicalDocument inside an enveloping XML signature', () => {
    const h = read(
      '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo/><ds:Object>' +
        '<ClinicalDocument xmlns="urn:hl7-org:v3"><id root="1.2.3"/></ClinicalDocument></ds:Object></ds:Signature>',
    );
    expect(h.envelope).toBe('xmldsig');
    expect(h.id?.root).toBe('1.2.3');
  });

  it('reads the optional header participations of §10.1', () => {
    const h = read(`<ClinicalDocument xmlns="urn:hl7-org:v3">
  <author><time value="20240101120000+0100"/><assignedAuthor><id root="1.2.250.1.71.4.2.2" extension="1/SYS"/>
    <assignedAuthoringDevice><manufacturerModelName>Modèle</manufacturerModelName><softwareName>Logiciel X</softwareName></assignedAuthoringDevice>
  </assignedAuthor></author>
  <dataEnterer><time value="20240101"/><assignedEntity><id root="1.2.3" extension="E"/></assignedEntity></dataEnterer>
  <informant><assignedEntity><id root="1.2.3" extension="I"/></assignedEntity></informant>
  <informationRecipient typeCode="PRCP"><intendedRecipient><id root="1.2.3" extension="R"/>
    <informationRecipient><name><family>DEST</family></name></informationRecipient>
    <receivedOrganization><name>Org dest</name></receivedOrganization></intendedRecipient></informationRecipient>
  <relatedDocument typeCode="RPLC"><parentDocument><id root="1.2.3.4.5"/><setId root="1.2.3.4"/><versionNumber value="1"/></parentDocument></relatedDocument>
  <authorization><consent><id root="1.2.3" extension="C"/><code code="64292-6" codeSystem="2.16.840.1.113883.6.1"/><statusCode code="completed"/></consent></authorization>
  <componentOf><encompassingEncounter><effectiveTime nullFlavor="UNK"/><location><healthCareFacility>
    <code code="SA01" codeSystem="1.2.250.1.71.4.2.4" displayName="Etablissement public de santé">
      <translation code="1101" codeSystem="1.2.250.1.213.1.1.5.823"/></code>
  </healthCareFacility></location></encompassingEncounter></componentOf>
  <component><structuredBody><component><section/></component><component><section/></component></structuredBody></component>
</ClinicalDocument>`);
    expect(h.authors[0]?.assignedAuthor?.device).toEqual({ manufacturerModelName: 'Modèle', softwareName: 'Logiciel X' });
    expect(h.authors[0]?.assignedAuthor?.person).toBeUndefined();
    expect(h.dataEnterer?.assignedEntity?.ids[0]?.extension).toBe('E');
    expect(h.informants[0]?.assignedEntity?.ids[0]?.extension).toBe('I');
    expect(h.informationRecipients[0]).toMatchObject({ typeCode: 'PRCP', intendedRecipient: { person: { names: [{ family: [{ value: 'DEST' }] }] }, organization: { name: 'Org dest' } } });
    expect(h.relatedDocuments[0]).toMatchObject({ typeCode: 'RPLC', parentDocument: { ids: [{ root: '1.2.3.4.5' }], setId: { root: '1.2.3.4' }, versionNumber: '1' } });
    expect(h.authorizations[0]?.consent).toMatchObject({ code: { code: '64292-6' }, statusCode: 'completed' });
    expect(h.encompassingEncounter?.effectiveTime?.nullFlavor).toBe('UNK');
    expect(h.encompassingEncounter?.healthCareFacility?.code?.translations?.[0]).toMatchObject({ code: '1101', codeSystem: '1.2.250.1.213.1.1.5.823' });
    expect(h.body).toEqual({ kind: 'structured', sectionCount: 2 });
    expect(() => CdaHeaderSchema.parse(h)).not.toThrow();
  });
});

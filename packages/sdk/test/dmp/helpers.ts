/**
 * A minimal CDA N1 document that passes every DMP rule (except the info DMP-INS-TEST: it uses the test
 * INS authority, as all dmpkit test data does), and helpers to mutate it and run the DMP layer.
 * Synthetic data only: fake INS with a valid key, ids under the example arc 1.2.250.1.999.
 */
import { expect } from 'vitest';
import { parseXml } from '../../src/xml/parse.js';
import { findClinicalDocument } from '../../src/xml/dom.js';
import { checkDmpSubmission } from '../../src/validate/dmp/index.js';
import type { Finding } from '../../src/validate/finding.js';

/** A synthetic INS (test authority) whose key is valid: 1800175056001 → key 03. */
export const TEST_INS = '180017505600103';

/** A tiny PDF, enough for the signature check. */
export const PDF_BYTES = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n', 'latin1');
export const PDF_B64 = PDF_BYTES.toString('base64');

export const BASE_XML = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <realmCode code="FR"/>
  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>
  <templateId root="2.16.840.1.113883.2.8.2.1"/>
  <templateId root="1.2.250.1.213.1.1.1.1"/>
  <templateId root="1.3.6.1.4.1.19376.1.2.20"/>
  <id root="1.2.250.1.999.1.1.1.42"/>
  <code code="11488-4" displayName="CR ou fiche de consultation ou de visite" codeSystem="2.16.840.1.113883.6.1" codeSystemName="LOINC"/>
  <title>Compte rendu de consultation (test)</title>
  <effectiveTime value="20240105103000+0100"/>
  <confidentialityCode code="N" displayName="Normal" codeSystem="2.16.840.1.113883.5.25"/>
  <languageCode code="fr-FR"/>
  <setId root="1.2.250.1.999.1.1.1.42"/>
  <versionNumber value="1"/>
  <recordTarget>
    <patientRole>
      <id root="1.2.250.1.213.1.4.10" extension="${TEST_INS}"/>
      <id root="1.2.250.1.999.1.1.2" extension="IPP-TEST-0001"/>
      <patient>
        <name><family qualifier="BR">DMPKIT-PATIENT</family><given>ALPHA</given><given qualifier="BR">ALPHA</given></name>
        <administrativeGenderCode code="M" codeSystem="2.16.840.1.113883.5.1"/>
        <birthTime value="19800101"/>
      </patient>
    </patientRole>
  </recordTarget>
  <author>
    <time value="20240105103000+0100"/>
    <assignedAuthor>
      <id root="1.2.250.1.71.4.2.1" extension="899999000001"/>
      <code code="G15_10/SM26" displayName="Médecin - Qualifié en Médecine Générale (SM)" codeSystem="1.2.250.1.213.1.1.4.5"/>
      <assignedPerson><name><given>Testeur</given><family>DMPKIT-MEDECIN</family></name></assignedPerson>
      <representedOrganization>
        <id root="1.2.250.1.71.4.2.2" extension="1999999001"/>
        <name>Cabinet de test dmpkit</name>
      </representedOrganization>
    </assignedAuthor>
  </author>
  <custodian>
    <assignedCustodian>
      <representedCustodianOrganization>
        <id root="1.2.250.1.71.4.2.2" extension="1999999001"/>
        <name>Cabinet de test dmpkit</name>
      </representedCustodianOrganization>
    </assignedCustodian>
  </custodian>
  <legalAuthenticator>
    <time value="20240105103500+0100"/>
    <signatureCode code="S"/>
    <assignedEntity>
      <id root="1.2.250.1.71.4.2.1" extension="899999000001"/>
      <assignedPerson><name><given>Testeur</given><family>DMPKIT-MEDECIN</family></name></assignedPerson>
    </assignedEntity>
  </legalAuthenticator>
  <documentationOf>
    <serviceEvent>
      <code code="ZZQK002" displayName="Acte de test" codeSystem="1.2.250.1.213.2.5"/>
      <effectiveTime>
        <low value="20240105100000+0100"/>
        <high value="20240105102000+0100"/>
      </effectiveTime>
      <performer typeCode="PRF">
        <assignedEntity>
          <id root="1.2.250.1.71.4.2.1" extension="899999000001"/>
          <representedOrganization>
            <id root="1.2.250.1.71.4.2.2" extension="1999999001"/>
            <standardIndustryClassCode code="AMBULATOIRE" displayName="Ambulatoire" codeSystem="1.2.250.1.213.1.1.4.9"/>
          </representedOrganization>
        </assignedEntity>
      </performer>
    </serviceEvent>
  </documentationOf>
  <componentOf>
    <encompassingEncounter>
      <effectiveTime><low value="20240105100000+0100"/></effectiveTime>
      <location>
        <healthCareFacility>
          <code code="SA07" displayName="Cabinet individuel" codeSystem="1.2.250.1.71.4.2.4"/>
        </healthCareFacility>
      </location>
    </encompassingEncounter>
  </componentOf>
  <component>
    <nonXMLBody>
      <text mediaType="application/pdf" representation="B64">${PDF_B64}</text>
    </nonXMLBody>
  </component>
</ClinicalDocument>
`;

/** One textual edit: every `find` must occur in the document, so a test never silently stops testing. */
export type Edit = readonly [find: string | RegExp, replace: string];

export function mutate(xml: string, ...edits: readonly Edit[]): string {
  let out = xml;
  for (const [find, replace] of edits) {
    const found = typeof find === 'string' ? out.includes(find) : find.test(out);
    if (!found) throw new Error(`test edit does not apply: ${String(find)}`);
    out = typeof find === 'string' ? out.split(find).join(replace) : out.replace(find, replace);
  }
  return out;
}

/** Runs the DMP layer on XML text and checks every finding is well formed (no unfilled placeholder, a location). */
export function run(xml: string | Uint8Array, file = 'test.xml'): Finding[] {
  const { document } = parseXml(xml);
  const clinical = findClinicalDocument(document);
  if (!clinical) throw new Error('not a CDA document');
  const findings = checkDmpSubmission(document, clinical, file);
  for (const f of findings) {
    expect(f.layer).toBe('dmp');
    expect(f.ruleId).toMatch(/^DMP-/);
    expect(f.message, f.ruleId).not.toMatch(/\{\w+\}/);
    expect(f.messageEn, f.ruleId).not.toMatch(/\{\w+\}/);
    expect(f.location.file).toBe(file);
    expect(f.location.xpath, f.ruleId).toMatch(/^\/ClinicalDocument|^\/stylesheet|^\/\w/);
  }
  return findings;
}

export const ruleIds = (findings: readonly Finding[]): string[] => findings.map((f) => f.ruleId);

import { describe, expect, it } from 'vitest';
import { buildVihfAssertion, readSamlAssertion } from '../../src/vihf/index.js';
import { medecinContext } from './helpers.js';

const ISSUER = 'CN=dmpkit.test,OU=499900063480001,O=CABINET DR LIBRE TEST,ST=Sarthe (72),C=FR';

/** Attribute names in document order. */
const names = (xml: string) => [...xml.matchAll(/<saml2:Attribute Name="([^"]+)">/g)].map((m) => m[1]);

describe('buildVihfAssertion', () => {
  it('writes the attributes in the order of the official samples', () => {
    const { xml } = buildVihfAssertion(medecinContext({ issuer: ISSUER, confidentialityCode: 'INVISIBLE_REPRESENTANTS_LEGAUX' }));
    expect(names(xml)).toEqual([
      'Identifiant_Structure',
      'Secteur_Activite',
      'urn:oasis:names:tc:xspa:1.0:subject:subject-id',
      'urn:oasis:names:tc:xacml:2.0:subject:role',
      'VIHF_Version',
      'Authentification_Mode',
      'urn:oasis:names:tc:xacml:2.0:resource:resource-id',
      'Ressource_URN',
      'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse',
      'urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code',
      'LPS_ID',
      'LPS_Nom',
      'LPS_Version',
      'LPS_ID_HOMOLOGATION_DMP',
    ]);
  });

  it('writes coded values as HL7 v3 CE elements and simple values as xs:string', () => {
    const { xml } = buildVihfAssertion(medecinContext({ issuer: ISSUER, purposeOfUse: 'centre_15' }));
    expect(xml).toContain(
      '<saml2:AttributeValue><Role xmlns="urn:hl7-org:v3" code="10" codeSystem="1.2.250.1.71.1.2.7" codeSystemName="professions" displayName="Médecin" xsi:type="CE"/></saml2:AttributeValue>',
    );
    expect(xml).toContain(
      '<PurposeOfUse xmlns="urn:hl7-org:v3" code="centre_15" codeSystem="1.2.250.1.213.1.1.4.248" codeSystemName="mode acces VIHF 2.0" displayName="Accès par un centre de régulation médicale" xsi:type="CE"/>',
    );
    expect(xml).toContain(
      '<saml2:Attribute Name="Ressource_URN"><saml2:AttributeValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xsi:type="xs:string">urn:dmp</saml2:AttributeValue></saml2:Attribute>',
    );
    expect(xml).toContain('>207058575627097^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH<');
  });

  it('writes the assertion header like the samples and fills ID and instants', () => {
    const { xml, context } = buildVihfAssertion(medecinContext({ issuer: ISSUER, issueInstant: undefined, authnInstant: undefined }), {
      now: () => new Date('2026-03-01T12:00:00.123Z'),
    });
    expect(context.id).toMatch(/^_[0-9a-f-]{36}$/);
    expect(context.issueInstant).toBe('2026-03-01T12:00:00.123Z');
    expect(context.authnInstant).toBe(context.issueInstant);
    expect(xml.startsWith(
      `<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="${context.id}" IssueInstant="2026-03-01T12:00:00.123Z" Version="2.0">` +
        `<saml2:Issuer Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName">${ISSUER}</saml2:Issuer>` +
        '<saml2:Subject><saml2:NameID>899900063480</saml2:NameID></saml2:Subject>' +
        '<saml2:AuthnStatement AuthnInstant="2026-03-01T12:00:00.123Z"><saml2:AuthnContext><saml2:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI</saml2:AuthnContextClassRef></saml2:AuthnContext></saml2:AuthnStatement>',
    )).toBe(true);
  });

  it('writes Conditions only when a validity is given, and AuthnContextDecl when set', () => {
    expect(buildVihfAssertion(medecinContext({ issuer: ISSUER })).xml).not.toContain('Conditions');
    const { xml } = buildVihfAssertion(
      medecinContext({ issuer: ISSUER, notBefore: '2026-01-15T10:00:00Z', notOnOrAfter: '2026-01-15T10:05:00Z', authnContextDecl: 'APP_BROWSER_AUTH' }),
    );
    expect(xml).toContain('</saml2:Subject><saml2:Conditions NotBefore="2026-01-15T10:00:00Z" NotOnOrAfter="2026-01-15T10:05:00Z"/><saml2:AuthnStatement');
    expect(xml).toContain('</saml2:AuthnContextClassRef><saml2:AuthnContextDecl>APP_BROWSER_AUTH</saml2:AuthnContextDecl>');
  });

  it('honours the wire options the public spec leaves open', () => {
    const ctx = medecinContext({ issuer: ISSUER, confidentialityCode: 'INVISIBLE_REPRESENTANTS_LEGAUX' });
    const a = buildVihfAssertion(ctx, { authModeAttributeName: 'Authentification_mode', purposeOfUseCodeSystemName: 'mode acces VIHF 1.0', confidentialityCodeForm: 'string' }).xml;
    expect(a).toContain('Name="Authentification_mode"');
    expect(a).toContain('codeSystemName="mode acces VIHF 1.0"');
    expect(a).toMatch(/confidentiality-code"><saml2:AttributeValue xmlns:xs="[^"]+" xsi:type="xs:string">INVISIBLE_REPRESENTANTS_LEGAUX</);
    const b = buildVihfAssertion(ctx).xml;
    expect(b).toContain(
      '<ConfidentialityCode xmlns="urn:hl7-org:v3" code="INVISIBLE_REPRESENTANTS_LEGAUX" codeSystem="1.2.250.1.213.1.1.4.13" displayName="Non visible par les représentants légaux du patient" xsi:type="CE"/>',
    );
  });

  it('writes profession, specialty then extra roles', () => {
    const { xml } = buildVihfAssertion(medecinContext({ issuer: ISSUER, extraRoles: [{ code: 'X1', codeSystem: '1.2.3' }] }));
    const role = readSamlAssertion(xml).summary!.attributes['urn:oasis:names:tc:xacml:2.0:subject:role'];
    expect(role).toEqual(['Role|10|1.2.250.1.71.1.2.7|Médecin', 'Role|SM26|1.2.250.1.71.4.2.5|Qualifié en Médecine Générale (SM)', 'Role|X1|1.2.3|']);
  });

  it('escapes markup in values', () => {
    const { xml } = buildVihfAssertion(medecinContext({ issuer: 'CN=a<b>&"c",C=FR', subjectId: 'Dr <Jean> & "Fils"' }));
    const s = readSamlAssertion(xml).summary!;
    expect(s.issuer).toBe('CN=a<b>&"c",C=FR');
    expect(s.attributes['urn:oasis:names:tc:xspa:1.0:subject:subject-id']).toEqual(['Dr <Jean> & "Fils"']);
  });

  it('needs an issuer', () => {
    expect(() => buildVihfAssertion(medecinContext())).toThrow(/issuer: the DN of the signing certificate is required/);
  });
});

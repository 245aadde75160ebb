/**
 * Redaction of recorded exchanges: health data goes (INS, patient ids, names, birth dates, documents, titles,
 * diagnoses), the message structure stays parseable. Checked on synthetic messages, on every file of the shared
 * XDS corpus (read in place), and with generated INS numbers.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { REDACTED, multipartRanges, redactBody, redactHeaders, redactXmlText } from '../../src/transport/index.js';
import { CORPUS_DIR } from '../support/corpus.js';

const INS = '207058575627097';
const cx = (id: string, oid = '1.2.250.1.213.1.4.10', type = 'NH') => `${id}^^^&amp;${oid}&amp;ISO^${type}`;

const VIHF = `<wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd">
<saml2:Assertion xmlns:saml2="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0">
<saml2:Issuer>CN=DMP SIGN,OU=499900063480001</saml2:Issuer>
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignatureValue>${'QUJD'.repeat(100)}</ds:SignatureValue>
<ds:KeyInfo><ds:X509Data><ds:X509Certificate>${'TUlJ'.repeat(100)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>
<saml2:Subject><saml2:NameID>899900063480</saml2:NameID></saml2:Subject>
<saml2:AttributeStatement>
<saml2:Attribute Name="urn:oasis:names:tc:xspa:1.0:subject:subject-id"><saml2:AttributeValue>Jeanne DUPONT-MARTIN</saml2:AttributeValue></saml2:Attribute>
<saml2:Attribute Name="urn:oasis:names:tc:xacml:2.0:resource:resource-id"><saml2:AttributeValue>${cx(INS)}</saml2:AttributeValue></saml2:Attribute>
<saml2:Attribute Name="Identifiant_Structure"><saml2:AttributeValue>10B0127189</saml2:AttributeValue></saml2:Attribute>
</saml2:AttributeStatement></saml2:Assertion></wsse:Security>`;

const HL7 = `<PRPA_IN201308UV02 xmlns="urn:hl7-org:v3"><id root="1.2.250.1.213.4.1.1.1.1" extension="MSG-42"/>
<patient><id root="1.2.250.1.213.1.4.2" extension="1197854176879056415520"/><id extension="${INS}" root="1.2.250.1.213.1.4.10"/>
<patientPerson><name><prefix>MME</prefix><given>Jeanne</given><family qualifier="SP">DUPONT</family></name>
<telecom value="tel:0612345678"/><administrativeGenderCode code="F"/><birthTime value="19700521"/>
<addr><streetAddressLine>3 rue des Lilas</streetAddressLine><postalCode>69003</postalCode><city>Lyon</city></addr></patientPerson></patient></PRPA_IN201308UV02>`;

const PDF = Buffer.from('%PDF-1.4 compte rendu: patiente suivie pour ' + 'x'.repeat(600));
const EBRIM = `<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0">
<rim:ExtrinsicObject id="Doc1" mimeType="text/xml">
<rim:Slot name="sourcePatientId"><rim:ValueList><rim:Value>${cx('0456789999', '1.2.250.1.999.1.1.7898.2', 'PI')}</rim:Value></rim:ValueList></rim:Slot>
<rim:Slot name="sourcePatientInfo"><rim:ValueList><rim:Value>PID-5|DUPONT^Jeanne^^^^^L</rim:Value><rim:Value>PID-7|19700521</rim:Value><rim:Value>PID-8|F</rim:Value></rim:ValueList></rim:Slot>
<rim:Slot name="authorPerson"><rim:ValueList><rim:Value>899900063480^LIBRE^MAX^^^^^^&amp;1.2.250.1.71.4.2.1&amp;ISO^D^^^IDNPS</rim:Value></rim:ValueList></rim:Slot>
<rim:Name><rim:LocalizedString charset="UTF8" value="CR consultation psychiatrie" xml:lang="FR"/></rim:Name>
<rim:Classification classificationScheme="urn:uuid:f0306f51-975f-434e-a61c-c59651d33983" nodeRepresentation="11488-4" classifiedObject="Doc1" id="c1"/>
<rim:Classification id="c2" nodeRepresentation="F32" classificationScheme="urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4" classifiedObject="Doc1"><rim:Name><rim:LocalizedString value="Episode depressif"/></rim:Name></rim:Classification>
<rim:ExternalIdentifier identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427" value="${cx(INS)}" id="e1" registryObject="Doc1"/>
</rim:ExtrinsicObject>
<Document id="Doc1">${PDF.toString('base64').replace(/(.{76})/g, '$1\n')}</Document>
</lcm:SubmitObjectsRequest>`;

const envelope = (body: string) => `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Header>${VIHF}</soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;

describe('redactXmlText', () => {
  it('VIHF: masks the user name and the patient INS, keeps the structure id, the signature and the certificate', () => {
    const out = redactXmlText(VIHF);
    expect(out).not.toContain('DUPONT-MARTIN');
    expect(out).not.toContain(INS);
    expect(out).toContain(`<saml2:AttributeValue>${REDACTED}</saml2:AttributeValue>`);
    expect(out).toContain(`${REDACTED}^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH`);
    expect(out).toContain('10B0127189');
    expect(out).toContain('899900063480');
    expect(out).toContain('QUJD'.repeat(100));
    expect(out).toContain('TUlJ'.repeat(100));
  });

  it('HL7v3: masks name parts, address, phone, birth date and patient ids; keeps message ids and coded values', () => {
    const out = redactXmlText(HL7);
    for (const gone of ['Jeanne', 'DUPONT', 'MME', '0612345678', '19700521', 'rue des Lilas', '69003', 'Lyon', INS, '1197854176879056415520']) expect(out).not.toContain(gone);
    expect(out).toContain('extension="MSG-42"');
    expect(out).toContain('<administrativeGenderCode code="F"/>');
    expect(out).toContain(`<family qualifier="SP">${REDACTED}</family>`);
  });

  it('ebRIM: masks sourcePatientInfo fields but sex, titles, eventCodeList codes, patient ids; replaces documents by their size and hashes', () => {
    const out = redactXmlText(EBRIM);
    for (const gone of ['DUPONT', 'Jeanne', '19700521', 'psychiatrie', 'F32', 'depressif', INS, '0456789999', 'compte rendu']) expect(out).not.toContain(gone);
    expect(out).toContain('PID-8|F');
    expect(out).toContain('nodeRepresentation="11488-4"');
    expect(out).toContain(`nodeRepresentation="${REDACTED}"`);
    expect(out).toContain('899900063480^LIBRE^MAX');
    const sha1 = createHash('sha1').update(PDF).digest('hex');
    expect(out).toContain(`<Document id="Doc1">[dmpkit redacted base64 content: ${PDF.length} bytes, sha1=${sha1}, sha256=${createHash('sha256').update(PDF).digest('hex')}]</Document>`);
    expect(XMLValidator.validate(out)).toBe(true);
  });

  it('is idempotent and keeps every byte outside the redacted spans (non-UTF-8 included)', () => {
    const once = redactXmlText(EBRIM);
    expect(redactXmlText(once)).toBe(once);
    const latin1 = Buffer.from([...Buffer.from('<a>'), 0xe9, 0xff, ...Buffer.from(`</a><b>${INS}</b>`)]);
    const out = redactBody(latin1, 'text/xml');
    expect(out.subarray(0, 5)).toEqual(latin1.subarray(0, 5));
    expect(out.toString('latin1')).toContain(`<b>${REDACTED}</b>`);
  });

  it('masks any NIR/NIA-shaped number in text or attributes (generated)', () => {
    const nir = fc
      .tuple(fc.constantFrom('1', '2', '3', '4', '7', '8'), fc.stringMatching(/^\d{4}$/), fc.oneof(fc.stringMatching(/^\d{2}$/), fc.constantFrom('2A', '2B')), fc.stringMatching(/^\d{8}$/))
      .map((p) => p.join(''));
    fc.assert(
      fc.property(nir, fc.constantFrom('text', 'attr', 'cx', 'query'), (n, where) => {
        const xml = {
          text: `<v>${n}</v>`,
          attr: `<id root="1.2.3" extension="${n}"/>`,
          cx: `<Value>${n}^^^&amp;1.2.250.1.213.1.4.8&amp;ISO^NH</Value>`,
          query: `<Value>'${n}^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH'</Value>`,
        }[where];
        const out = redactXmlText(xml);
        return !out.includes(n) && XMLValidator.validate(out) === true;
      }),
    );
  });

  it('leaves OIDs alone', () => {
    const xml = '<Slot name="repositoryUniqueId"><Value>1.2.250.1.213.4.1.1.1.2</Value></Slot><id root="2.25.123456789012345"/>';
    expect(redactXmlText(xml)).toBe(xml);
  });
});

describe('redactBody', () => {
  const root = envelope('<x/>');
  const mtom = Buffer.concat([
    Buffer.from(`--MIMEBoundary_1\r\nContent-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\nContent-ID: <root@x>\r\n\r\n${root}\r\n--MIMEBoundary_1\r\nContent-Type: application/octet-stream\r\nContent-ID: <doc1@x>\r\n\r\n`),
    PDF,
    Buffer.from('\r\n--MIMEBoundary_1--\r\n'),
  ]);
  const contentType = 'multipart/related; boundary=MIMEBoundary_1; type="application/xop+xml"; start="<root@x>"';

  it('MTOM: redacts the root part, replaces attachments by size and hashes, keeps boundaries and Content-IDs', () => {
    const out = redactBody(mtom, contentType);
    const text = out.toString('latin1');
    expect(text).not.toContain('DUPONT-MARTIN');
    expect(text).not.toContain('compte rendu');
    expect(text).toContain(`[dmpkit redacted MIME part: ${PDF.length} bytes, sha1=${createHash('sha1').update(PDF).digest('hex')}`);
    expect(text).toContain('Content-ID: <doc1@x>');
    const { parts, closed } = multipartRanges(out, 'MIMEBoundary_1');
    expect(closed).toBe(true);
    expect(parts).toHaveLength(2);
    expect(XMLValidator.validate(out.subarray(parts[0]!.bodyStart, parts[0]!.bodyEnd).toString('utf8'))).toBe(true);
  });

  it('binary bodies are replaced whole; empty bodies stay empty', () => {
    expect(redactBody(PDF, 'application/pdf').toString()).toMatch(/^\[dmpkit redacted body: \d+ bytes, sha1=[0-9a-f]{40}, sha256=[0-9a-f]{64}\]$/);
    expect(redactBody(Buffer.alloc(0), 'text/xml').length).toBe(0);
  });
});

describe('redactHeaders', () => {
  it('always removes secrets; masks patient identifiers only when redacting', () => {
    const h = { authorization: 'Bearer eyJabc', cookie: 'session=1', 'x-insheader': INS, 'content-type': 'text/xml' };
    expect(redactHeaders(h, true)).toEqual({ authorization: REDACTED, cookie: REDACTED, 'x-insheader': REDACTED, 'content-type': 'text/xml' });
    expect(redactHeaders(h, false)).toEqual({ authorization: REDACTED, cookie: REDACTED, 'x-insheader': INS, 'content-type': 'text/xml' });
  });
});

const XDS_CORPUS = join(CORPUS_DIR, 'xds');
const haveCorpus = existsSync(join(XDS_CORPUS, 'MANIFEST.json'));
if (!haveCorpus && process.env.CI) throw new Error(`the shared XDS corpus is missing at ${XDS_CORPUS} (set DMPKIT_CORPUS); CI must run the redaction suite on it`);
if (!haveCorpus) process.stderr.write(`[skipped] redaction on the XDS corpus: ${XDS_CORPUS} is missing\n`);

/** Splits a stored file into Content-Type and body: HTTP captures have headers, MIME files start at the first delimiter. */
function asMessage(file: string, bytes: Buffer): { contentType: string; body: Buffer } {
  if (file.endsWith('.http')) {
    const text = bytes.toString('latin1');
    const m = /\r?\n\r?\n/.exec(text)!;
    const head = text.slice(0, m.index);
    const contentType = /^content-type:\s*(.+(?:\r?\n[ \t].+)*)$/im.exec(head)?.[1]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
    return { contentType, body: bytes.subarray(m.index + m[0].length) };
  }
  if (file.endsWith('.mime')) {
    const first = bytes.toString('latin1').trimStart().split(/\r?\n/, 1)[0]!.trim();
    return { contentType: `multipart/related; boundary="${first.slice(2)}"`, body: bytes };
  }
  return { contentType: file.endsWith('.json') ? 'application/fhir+json' : 'text/xml', body: bytes };
}

describe.skipIf(!haveCorpus)('redaction of the shared XDS corpus', () => {
  const manifest = haveCorpus ? (JSON.parse(readFileSync(join(XDS_CORPUS, 'MANIFEST.json'), 'utf8')) as { files: { file: string; facts?: Record<string, unknown> }[] }) : { files: [] };
  const files = haveCorpus ? readdirSync(XDS_CORPUS).filter((f) => f !== 'MANIFEST.json') : [];

  it.each(files)('%s: no INS or patient name left, XML still well-formed', (file) => {
    const { contentType, body } = asMessage(file, readFileSync(join(XDS_CORPUS, file)));
    const out = redactBody(body, contentType).toString('latin1');
    const facts = manifest.files.find((f) => f.file === file)?.facts ?? {};
    const ids = ((facts.hl7v3_patient_ids as [string, string][] | undefined) ?? []).map(([, ext]) => ext);
    for (const id of [...ids, INS, '153078987658513', '279035121518989', '0456789999']) expect(out, id).not.toContain(id);
    // The VIHF user names of the official samples.
    for (const name of ['MAX LIBRE']) expect(out).not.toContain(name);
    if (file.endsWith('.xml') && XMLValidator.validate(body.toString('latin1')) === true) {
      expect(XMLValidator.validate(out)).toBe(true);
    }
  });
});

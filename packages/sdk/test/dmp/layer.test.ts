/** The DMP layer as a whole: the rule table, robustness on odd input, crash containment, pipeline wiring. */
import { describe, expect, it } from 'vitest';
import { DMP_RULES, DMP_RULE_FIXES } from '../../src/validate/rules/dmp-catalogue.js';
import { allRules, ruleDefinition } from '../../src/validate/rules/catalogue.js';
import { DMP_CHECKS, runDmpChecks } from '../../src/validate/dmp/index.js';
import { validateDocument, ValidationContext } from '../../src/validate/pipeline.js';
import { parseXml } from '../../src/xml/parse.js';
import { findClinicalDocument } from '../../src/xml/dom.js';
import { BASE_XML, mutate, run, ruleIds } from './helpers.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!.replace(/Fr$/, '')).sort();

describe('DMP rule table', () => {
  it('has stable DMP- ids in the dmp layer, merged into the rule catalogue', async () => {
    const ids = DMP_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of DMP_RULES) {
      expect(r.id).toMatch(/^DMP-[A-Z0-9]+(-[A-Z0-9]+)*$/);
      expect(r.layer).toBe('dmp');
      expect(ruleDefinition(r.id)).toBe(r);
    }
    expect(allRules().filter((r) => r.layer === 'dmp').map((r) => r.id).sort()).toEqual([...ids].sort());
  });

  it('gives every rule French and English texts with the same placeholders, a source and a fix', async () => {
    for (const r of DMP_RULES) {
      expect(r.fr.length, r.id).toBeGreaterThan(20);
      expect(r.en.length, r.id).toBeGreaterThan(20);
      expect(r.source.length, r.id).toBeGreaterThan(4);
      expect(placeholders(r.fr), r.id).toEqual(placeholders(r.en));
      expect(DMP_RULE_FIXES[r.id].length, r.id).toBeGreaterThan(10);
    }
    expect(Object.keys(DMP_RULE_FIXES).sort()).toEqual(DMP_RULES.map((r) => r.id).sort());
  });

  it('says so when a rule rests on an old value set copy or an unconfirmed requirement (warning)', async () => {
    const stale = ['DMP-TYPECODE-J66', 'DMP-FACILITY-J61', 'DMP-PRACTICE-J62', 'DMP-CLASSCODE-X04', 'DMP-INS-KEY', 'DMP-N1-SIZE', 'DMP-AUTHOR-SPECIALTY-J01'];
    for (const id of stale) {
      const r = DMP_RULES.find((x) => x.id === id)!;
      expect(r.severity, id).toBe('warning');
      expect(r.en, id).toMatch(/[Ww]arning/);
      expect(r.fr, id).toMatch(/[Aa]vertissement/);
    }
  });
});

describe('robustness: never throws, reports or skips', () => {
  const odd: Record<string, string> = {
    'empty ClinicalDocument': '<ClinicalDocument xmlns="urn:hl7-org:v3"/>',
    'only text': '<ClinicalDocument xmlns="urn:hl7-org:v3">hello</ClinicalDocument>',
    'elements in another namespace': '<ClinicalDocument xmlns="urn:hl7-org:v3"><x:id xmlns:x="urn:other" root="1.2"/><x:code xmlns:x="urn:other"/></ClinicalDocument>',
    'empty header parts': mutate(
      BASE_XML,
      [/<recordTarget>[\s\S]*<\/recordTarget>/, '<recordTarget/>'],
      [/<author>[\s\S]*?<\/author>/, '<author><assignedAuthor/></author>'],
      [/<documentationOf>[\s\S]*<\/documentationOf>/, '<documentationOf><serviceEvent><effectiveTime/><performer/></serviceEvent></documentationOf>'],
      [/<componentOf>[\s\S]*<\/componentOf>/, '<componentOf><encompassingEncounter><location/></encompassingEncounter></componentOf>'],
    ),
    'nonXMLBody without text': mutate(BASE_XML, [/<text mediaType[^>]*>[^<]*<\/text>/, '']),
    'structured body': mutate(BASE_XML, [/<nonXMLBody>[\s\S]*<\/nonXMLBody>/, '<structuredBody><component><section><title>S</title></section></component></structuredBody>']),
    'nullFlavors everywhere': mutate(
      BASE_XML,
      [/<code code="11488-4"[^>]*\/>/, '<code nullFlavor="UNK"/>'],
      [/<confidentialityCode[^>]*\/>/, '<confidentialityCode nullFlavor="UNK"/>'],
      ['<languageCode code="fr-FR"/>', '<languageCode nullFlavor="UNK"/>'],
      ['<versionNumber value="1"/>', '<versionNumber nullFlavor="UNK"/>'],
      [/<effectiveTime value="[^"]*"\/>/, '<effectiveTime nullFlavor="UNK"/>'],
    ),
    'garbage values': mutate(
      BASE_XML,
      [/<effectiveTime value="[^"]*"\/>/, '<effectiveTime value="    "/>'],
      ['<low value="20240105100000+0100"/>', '<low value="∞"/>'],
      ['<versionNumber value="1"/>', '<versionNumber value=""/>'],
      [/<title>[^<]*<\/title>/, '<title><b xmlns="urn:other">nested</b></title>'],
    ),
  };

  it.each(Object.entries(odd))('%s', (_name, xml) => {
    const findings = run(xml);
    expect(ruleIds(findings)).not.toContain('DMP-RULE-CRASH');
    if (_name === 'empty ClinicalDocument') {
      expect(ruleIds(findings)).toEqual(
        expect.arrayContaining(['DMP-UNIQUEID-MISSING', 'DMP-TYPECODE-MISSING', 'DMP-TITLE-MISSING', 'DMP-CREATIONTIME-MISSING', 'DMP-PATIENT-MISSING', 'DMP-AUTHOR-ID', 'DMP-LEGALAUTH-ID']),
      );
    }
  });

  it('reads an auto-présentable document (ClinicalDocument inside xsl:stylesheet)', async () => {
    const inner = BASE_XML.replace(/^<\?xml[^>]*>\s*/, '');
    const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">\n<xsl:template match="/">x</xsl:template>\n${inner}</xsl:stylesheet>`;
    const findings = run(xml);
    expect(ruleIds(findings)).toEqual(['DMP-INS-TEST']);
    expect(findings[0]!.location.xpath).toBe('/stylesheet[1]/ClinicalDocument[1]/recordTarget[1]/patientRole[1]/id[1]');
  });

  it('turns a rule that throws into DMP-RULE-CRASH and still runs the others', async () => {
    const { document } = parseXml(BASE_XML);
    const clinical = findClinicalDocument(document)!;
    const findings = runDmpChecks(document, clinical, 'x.xml', [
      ['exploding rule', () => {
        throw new TypeError('boom\nsecond line');
      }],
      ...DMP_CHECKS,
    ]);
    expect(ruleIds(findings)).toEqual(['DMP-RULE-CRASH', 'DMP-INS-TEST']);
    expect(findings[0]!.severity).toBe('error');
    expect(findings[0]!.messageEn).toBe('Internal error in DMP rule exploding rule (TypeError: boom): the document was not fully checked. Please report this problem.');
    expect(findings[0]!.location.xpath).toBe('/ClinicalDocument[1]');
  });
});

describe('pipeline wiring', () => {
  it('validateDocument runs the DMP layer and counts its findings', async () => {
    const ctx = new ValidationContext({ layers: ['xml', 'cda', 'dmp'] });
    const bad = mutate(BASE_XML, ['<languageCode code="fr-FR"/>', '<languageCode code="en-US"/>']);
    const report = await validateDocument(Buffer.from(bad), 'bad.xml', ctx);
    const dmp = report.layers.find((l) => l.layer === 'dmp')!;
    expect(dmp.applied).toBe(true);
    expect(dmp.errors).toBe(1);
    expect(report.findings.filter((f) => f.layer === 'dmp').map((f) => f.ruleId)).toEqual(['DMP-LANGUAGE', 'DMP-INS-TEST']);
    expect(report.verdict).toBe('invalid');
    const good = await validateDocument(Buffer.from(BASE_XML), 'good.xml', ctx);
    expect(good.verdict).toBe('valid');
  });
});

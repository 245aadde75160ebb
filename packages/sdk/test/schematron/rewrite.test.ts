import { describe, expect, it } from 'vitest';
import { hoistValueSetPaths, indexAbsoluteDescendants, rewriteExpression, collectDocumentRefs } from '../../src/schematron/rewrite.js';

const NS = { hl7: 'urn:hl7-org:v3', svs: 'urn:ihe:iti:svs:2008' };

describe('expression rewrites', () => {
  it('resolves literal document() paths and refuses computed ones', () => {
    expect(collectDocumentRefs("document('../jdv/a.xml')//x | doc(\"b.xml\")")).toEqual(['../jdv/a.xml', 'b.xml']);
    expect(() => collectDocumentRefs('document($p)//x')).toThrow(/computed argument/);
    expect(rewriteExpression("document('a.xml')//x = 'doc(1)'", (r) => `K/${r}`)).toBe("dmpkit:doc('K/a.xml')//x = 'doc(1)'");
  });

  it('renames the QName functions outside literals and fixes the Java-only regex', () => {
    expect(rewriteExpression("resolve-QName(@xsi:type, .) = QName('u', 'CS') and matches(@v, '^+?\\d*$') and 'QName('", (r) => r)).toBe(
      "dmpkit:resolve-QName(@xsi:type, .) = dmpkit:QName('u', 'CS') and matches(@v, '^\\d*$') and 'QName('",
    );
  });

  it('hoists the context-free part of a value-set path and leaves variable predicates in place', () => {
    expect(hoistValueSetPaths("@code = dmpkit:doc('v.xml')//valueSet[1]/conceptList/concept/@code", NS)).toBe(
      "@code = dmpkit:nodes('v.xml', '//valueSet[1]/conceptList/concept/@code', '')",
    );
    expect(hoistValueSetPaths("exists(dmpkit:doc('v.xml')//svs:Concept[@code=$c and @codeSystem='x'])", NS)).toBe(
      "exists(dmpkit:nodes('v.xml', '//svs:Concept', 'svs=urn:ihe:iti:svs:2008')[@code=$c and @codeSystem='x'])",
    );
    expect(hoistValueSetPaths("dmpkit:doc('v.xml')//valueSet[1]/conceptList/concept/concat(@code, @codeSystem)", NS)).toBe(
      "dmpkit:nodes('v.xml', '//valueSet[1]/conceptList/concept', '')/concat(@code, @codeSystem)",
    );
  });

  it('answers absolute //name paths from the index, but not relative or positional ones', () => {
    expect(indexAbsoluteDescendants('count(//hl7:a/hl7:b) = 1 and //*:c', NS)).toBe(
      "count(dmpkit:all('urn:hl7-org:v3', 'a')/hl7:b) = 1 and dmpkit:all('*', 'c')",
    );
    expect(indexAbsoluteDescendants('hl7:x//hl7:a', NS)).toBe('hl7:x//hl7:a');
    expect(indexAbsoluteDescendants('//hl7:a[1]', NS)).toBe('//hl7:a[1]');
    expect(indexAbsoluteDescendants("//hl7:a[@code='x']", NS)).toBe("dmpkit:all('urn:hl7-org:v3', 'a')[@code='x']");
    expect(indexAbsoluteDescendants("'//hl7:a'", NS)).toBe("'//hl7:a'");
    expect(indexAbsoluteDescendants('//hl7:a[$i]', NS)).toBe('//hl7:a[$i]');
    expect(indexAbsoluteDescendants('//hl7:a[hl7:b/@c]', NS)).toBe("dmpkit:all('urn:hl7-org:v3', 'a')[hl7:b/@c]");
  });
});

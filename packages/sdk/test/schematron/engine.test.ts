import { mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  compileSchematron,
  PackDocuments,
  SchematronCompileError,
  SchematronEvaluator,
  substituteParams,
  type CompiledSchematron,
} from '../../src/schematron/index.js';
import { parseXml, xpathOf } from '../../src/xml/index.js';

const SCH = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/sch');

const DOC = `<?xml version="1.0" encoding="UTF-8"?>
<ClinicalDocument xmlns="urn:hl7-org:v3" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:hl7="urn:hl7-org:v3">
  <administrativeGenderCode code="X" codeSystem="2.16.840.1.113883.5.1"/>
  <observation ID="o1"><templateId root="1.2.3"/><value xsi:type="PQ" unit="mg"/></observation>
  <observation ID="o2" negationInd="true"><templateId root="9.9"/><code code="c"/></observation>
  <observation ID="o3"><value xsi:type="hl7:CD" unit="m/s"/></observation>
  <observation ID="o4"><value xsi:type="PQ"/></observation>
</ClinicalDocument>`;

function compile(file = 'main.sch', root = SCH): CompiledSchematron {
  return compileSchematron(join(root, file), { packRoot: root });
}

function run(compiled: CompiledSchematron, xml = DOC, root = SCH) {
  const evaluator = new SchematronEvaluator(compiled, new PackDocuments(root, new Map(Object.entries(compiled.documents))));
  return evaluator.run(parseXml(xml).document);
}

const tags = (r: ReturnType<typeof run>) => r.hits.map((h) => `${h.check.ruleId.split('/')[0]}@${xpathOf(h.node)}`).sort();

describe('schematron compiler', () => {
  it('resolves includes, abstract rules, abstract patterns and the default phase', () => {
    const c = compile();
    expect(c.phase).toBe('main');
    expect(c.patterns.map((p) => p.id)).toEqual(['variables', 'first-rule-wins', 'gender', 'types', 'lets']);
    const gender = c.patterns.find((p) => p.id === 'gender')!;
    expect(gender.rules[0]!.context).toBe('cda:administrativeGenderCode');
    // the value-set path went through a global let (with a stray space in its name, as ANS writes it)
    // the value-set walk is hoisted into a per-process cached node list; the variable predicate stays
    expect(gender.rules[0]!.checks[0]!.test).toContain("dmpkit:nodes('jdv/JDV_Gender.xml', '//svs:Concept', 'svs=urn:ihe:iti:svs:2008')[@code = $c]");
    expect(c.documents).toEqual({ 'jdv/JDV_Gender.xml': 'jdv/JDV_Gender.xml' });
    expect(c.patterns.find((p) => p.id === 'types')!.rules[0]!.checks).toHaveLength(2);
  });

  it('notes an include resolved case-insensitively', () => {
    expect(compile().notes.join('\n')).toMatch(/Datatypes\.sch" resolved case-insensitively to include\/datatypes\.sch/);
  });

  it('fails loudly, with file and line, on an unresolved include or value-set file', () => {
    expect(() => compile('broken-include.sch')).toThrow(SchematronCompileError);
    expect(() => compile('broken-include.sch')).toThrow(/broken-include\.sch:4: unresolved include "include\/does-not-exist\.sch"/);
    expect(() => compile('broken-document.sch')).toThrow(/value-set file "jdv\/missing\.xml" not found/);
  });

  it('tolerates a missing file only when the pack defects list it, and says so', () => {
    const c = compileSchematron(join(SCH, 'broken-include.sch'), {
      packRoot: SCH,
      defects: { missingIncludes: new Set(['include/does-not-exist.sch']), missingDocuments: new Set() },
    });
    expect(c.notes.join()).toMatch(/known defect: broken-include\.sch includes missing include\/does-not-exist\.sch/);
  });

  it('substitutes parameters without touching longer names', () => {
    const p = new Map([['path', "'a'"], ['path_jdv', "'b'"]]);
    expect(substituteParams('doc($path_jdv) | $path | $path2 | $path-x', p)).toBe("doc('b') | 'a' | $path2 | $path-x");
  });
});

describe('schematron evaluator', () => {
  const result = run(compile());

  it('gives each node to the first matching rule of each pattern only', () => {
    const t = tags(result);
    // o1 matches the specific rule (no code → warning) and is not checked by the generic rule
    expect(t).toContain('T-first@/ClinicalDocument[1]/observation[1]');
    expect(t.filter((x) => x.startsWith('T-generic'))).toEqual(['T-generic@/ClinicalDocument[1]/observation[2]']);
  });

  it('fires reports when their test is true', () => {
    expect(tags(result)).toContain('T-report@/ClinicalDocument[1]/observation[2]');
  });

  it('reads value sets through document(), resolved from the main schematron', () => {
    const hit = result.hits.find((h) => h.check.ruleId.startsWith('T-jdv'))!;
    expect(hit.message).toBe('[T-jdv] administrativeGenderCode [X] is not in jdv/JDV_Gender.xml');
  });

  it('resolves xsi:type QNames against the namespaces in scope and supports matches() flags', () => {
    const t = tags(result);
    expect(t).toContain('T-type@/ClinicalDocument[1]/observation[3]/value[1]');
    expect(t).not.toContain('T-type@/ClinicalDocument[1]/observation[1]/value[1]');
    expect(result.hits.find((h) => h.check.ruleId.startsWith('T-type'))!.message).toBe('[T-type] value of type CD is not PQ');
    expect(t).toContain('T-unit@/ClinicalDocument[1]/observation[3]/value[1]');
    expect(t).not.toContain('T-unit@/ClinicalDocument[1]/observation[1]/value[1]');
  });

  it('evaluates lets in order and fills value-of and name', () => {
    const hit = result.hits.find((h) => h.check.ruleId.startsWith('T-let'))!;
    expect(hit.message).toBe('[T-let] expected 3 observations, found 4 in ClinicalDocument');
    expect(run(compile(), DOC.replace(/<observation ID="o4">.*<\/observation>/, '')).hits.some((h) => h.check.ruleId.startsWith('T-let'))).toBe(false);
  });

  it('skips patterns outside the phase', () => {
    expect(result.hits.some((h) => h.check.ruleId.startsWith('T-inactive'))).toBe(false);
  });

  it('keeps the role as severity and gives stable rule ids', () => {
    expect(result.hits.find((h) => h.check.ruleId.startsWith('T-first'))!.check.role).toBe('warning');
    const again = run(compile());
    expect(again.hits.map((h) => h.check.ruleId).sort()).toEqual(result.hits.map((h) => h.check.ruleId).sort());
  });

  it('reports a rule that cannot be evaluated instead of crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dmpkit-sch-'));
    try {
      cpSync(SCH, dir, { recursive: true });
      const c = compile('main.sch', dir);
      rmSync(join(dir, 'jdv/JDV_Gender.xml'));
      const r = run({ ...c, documents: { 'jdv/JDV_Gender.xml': null } }, DOC, dir);
      expect(r.errors.map((e) => e.error).join()).toMatch(/FODC0002: value set jdv\/JDV_Gender\.xml is missing/);
      expect(r.hits.some((h) => h.check.ruleId.startsWith('T-first'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

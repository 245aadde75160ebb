/** The on-disk form of compiled schematrons (rules-pack/cache-format.ts): exact round trip, ASCII text, lazy checks. */
import { describe, expect, it } from 'vitest';
import { isAscii } from 'node:buffer';
import { decodeCompiled, encodeCompiled } from '../../src/rules-pack/cache-format.js';
import type { CompiledSchematron } from '../../src/schematron/model.js';

const compiled = {
  file: 'schematrons/exemple.sch',
  title: 'Contrôle des entrées — “prénom” 𝄞',
  namespaces: { cda: 'urn:hl7-org:v3' },
  lets: [],
  patterns: [
    {
      rules: [
        {
          context: 'cda:entry',
          lets: [{ name: 'élément', value: "'é'" }],
          checks: [{ kind: 'assert', test: "@code = 'Entrée'", message: [{ text: 'Élément absent : ' }], file: 'a.sch', line: 3, ruleId: 'R1' }],
          file: 'a.sch',
          line: 2,
        },
        { context: 'cda:section', lets: [], checks: [], file: 'a.sch', line: 9 },
      ],
    },
  ],
  documents: {},
  notes: ['note non ASCII : œ'],
} as unknown as CompiledSchematron;

describe('compiled schematron cache form', () => {
  it('is ASCII text that reads back to the same schematron', () => {
    const text = encodeCompiled(compiled);
    const bytes = Buffer.from(text, 'utf8');
    expect(isAscii(bytes)).toBe(true);
    const back = decodeCompiled(bytes);
    expect(JSON.parse(JSON.stringify(back))).toEqual(compiled);
    expect(back.patterns[0]!.rules[0]!.checks[0]!.test).toBe("@code = 'Entrée'");
  });

  it('parses a rule’s checks on first use only, then keeps them', () => {
    const back = decodeCompiled(Buffer.from(encodeCompiled(compiled)));
    const rule = back.patterns[0]!.rules[0]!;
    expect(typeof Object.getOwnPropertyDescriptor(rule, 'checks')!.get).toBe('function');
    const first = rule.checks;
    expect(rule.checks).toBe(first);
    expect(Object.getOwnPropertyDescriptor(rule, 'checks')!.value).toBe(first);
  });

  it('keeps the checks out of the JSON the parser reads, after it', () => {
    const text = encodeCompiled(compiled);
    const [json, ...checks] = text.split('\n');
    expect(json).not.toContain('Entr');
    expect(checks).toHaveLength(2);
    expect(JSON.parse(checks[0]!)[0].test).toBe("@code = 'Entr\u00e9e'");
  });

  it('refuses a cut-off entry when it is read, so that the pack is compiled again', () => {
    const text = encodeCompiled(compiled);
    expect(() => decodeCompiled(Buffer.from(text.slice(0, -5)))).toThrow(/truncated/);
    expect(() => decodeCompiled(Buffer.from(text.slice(0, text.indexOf('\n') + 1)))).toThrow(/truncated/);
  });

  it('still reads an entry whose checks are JSON strings inside the JSON (compiler version 19)', () => {
    const stored = { ...compiled, patterns: compiled.patterns.map((p) => ({ ...p, rules: p.rules.map((r) => ({ ...r, checks: JSON.stringify(r.checks) })) })) };
    const back = decodeCompiled(Buffer.from(JSON.stringify(stored), 'utf8'));
    expect(back.patterns[0]!.rules[0]!.checks).toEqual(compiled.patterns[0]!.rules[0]!.checks);
  });

  it('still reads an older UTF-8 cache entry with plain check arrays', () => {
    const back = decodeCompiled(Buffer.from(JSON.stringify(compiled), 'utf8'));
    expect(back.title).toBe(compiled.title);
    expect(back.patterns[0]!.rules[0]!.checks).toEqual(compiled.patterns[0]!.rules[0]!.checks);
  });
});

/**
 * The on-disk form of a compiled schematron. Two choices make a cold run read it faster (StrucMin's is
 * 6.4 MB, ~100 ms to decode and parse as plain JSON):
 * - the text is pure ASCII (other characters as `\uXXXX` escapes), so it is read as Latin-1 (no UTF-8
 *   decoding, a one-byte string for the JSON parser);
 * - each rule's checks are kept as a JSON string, parsed the first time that rule fires: a document makes a
 *   fraction of the rules fire, and the rest never cost objects on the heap.
 */
import { isAscii } from 'node:buffer';
import type { CompiledSchematron, SchCheck, SchRule } from '../schematron/model.js';

type StoredRule = Omit<SchRule, 'checks'> & { checks: SchCheck[] | string };

export function encodeCompiled(compiled: CompiledSchematron): string {
  const stored = {
    ...compiled,
    patterns: compiled.patterns.map((p) => ({ ...p, rules: p.rules.map((r): StoredRule => ({ ...r, checks: JSON.stringify(r.checks) })) })),
  };
  return JSON.stringify(stored).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function decodeCompiled(bytes: Buffer): CompiledSchematron {
  const compiled = JSON.parse(isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8')) as CompiledSchematron;
  for (const p of compiled.patterns) for (const r of p.rules as StoredRule[]) if (typeof r.checks === 'string') lazyChecks(r, r.checks);
  return compiled;
}

function lazyChecks(rule: StoredRule, text: string): void {
  Object.defineProperty(rule, 'checks', {
    configurable: true,
    enumerable: true,
    get(this: SchRule) {
      const checks = JSON.parse(text) as SchCheck[];
      Object.defineProperty(this, 'checks', { value: checks, writable: true, enumerable: true, configurable: true });
      return checks;
    },
  });
}

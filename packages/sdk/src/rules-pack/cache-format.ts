/**
 * The on-disk form of a compiled schematron. Three choices make a cold run read it faster (StrucMin's is
 * 6.9 MB, ~100 ms to decode and parse as plain JSON):
 * - the text is pure ASCII (other characters as `\uXXXX` escapes), so it is read as Latin-1 (no UTF-8
 *   decoding, a one-byte string for the JSON parser);
 * - each rule's checks are kept as JSON text, parsed the first time that rule fires: a document makes a
 *   fraction of the rules fire, and the rest never cost objects on the heap;
 * - that text is not inside the JSON but after it, one line after the other, the rule holding its offsets:
 *   the JSON parser then never scans it (70% of StrucMin's bytes, ~30 ms of a cold run).
 */
import { isAscii } from 'node:buffer';
import type { CompiledSchematron, SchCheck, SchRule } from '../schematron/model.js';

/** A rule's checks: inline (older entries: an array or a JSON string), or [start, end) in the text after the JSON. */
type StoredRule = Omit<SchRule, 'checks'> & { checks: SchCheck[] | string | [number, number] };

const ascii = (text: string) => text.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

export function encodeCompiled(compiled: CompiledSchematron): string {
  const texts: string[] = [];
  let offset = 0;
  const stored = {
    ...compiled,
    patterns: compiled.patterns.map((p) => ({
      ...p,
      rules: p.rules.map((r): StoredRule => {
        const text = ascii(JSON.stringify(r.checks));
        texts.push(text);
        const at: [number, number] = [offset, offset + text.length];
        offset += text.length + 1;
        return { ...r, checks: at };
      }),
    })),
  };
  // JSON.stringify writes no raw line feed: the first one ends the JSON.
  return `${ascii(JSON.stringify(stored))}\n${texts.join('\n')}`;
}

export function decodeCompiled(bytes: Buffer): CompiledSchematron {
  const latin1 = isAscii(bytes);
  const end = latin1 ? bytes.indexOf(0x0a) : -1;
  const head = end < 0 ? bytes : bytes.subarray(0, end);
  const compiled = JSON.parse(latin1 ? head.toString('latin1') : head.toString('utf8')) as CompiledSchematron;
  const tail = end < 0 ? undefined : bytes.subarray(end + 1);
  // A cut-off entry must fail here, where the caller compiles again, not when a rule first fires.
  let needed = 0;
  for (const p of compiled.patterns) for (const r of p.rules as StoredRule[]) if (typeof r.checks[1] === 'number') needed = Math.max(needed, r.checks[1]);
  if (needed > (tail?.length ?? 0)) throw new Error(`compiled schematron entry is truncated (${tail?.length ?? 0} of ${needed} bytes of checks)`);
  for (const p of compiled.patterns) {
    for (const r of p.rules as StoredRule[]) {
      const stored = r.checks;
      if (typeof stored === 'string') lazyChecks(r, () => stored);
      else if (tail && typeof stored[0] === 'number') {
        const [start, stop] = stored as [number, number];
        lazyChecks(r, () => tail.toString('latin1', start, stop));
      }
    }
  }
  return compiled;
}

function lazyChecks(rule: StoredRule, text: () => string): void {
  Object.defineProperty(rule, 'checks', {
    configurable: true,
    enumerable: true,
    get(this: SchRule) {
      const checks = JSON.parse(text()) as SchCheck[];
      Object.defineProperty(this, 'checks', { value: checks, writable: true, enumerable: true, configurable: true });
      return checks;
    },
  });
}

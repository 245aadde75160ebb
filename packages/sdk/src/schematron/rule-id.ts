/**
 * Stable ids for ANS schematron checks. The ANS rules carry no ids, but their messages start with a
 * tag (`[CI-SIS_BIO-TROD]`, `(SMDS_CDAClinicalDocument)`, `[dansJeuDeValeurs]`) naming the rule family.
 * id = `<tag>/<8 hex of sha1(file, test)>`: the same check keeps its id across runs and machines, and
 * two instantiations of one abstract pattern (different tests after parameter substitution) differ.
 */
import { createHash } from 'node:crypto';
import type { MessagePart } from './model.js';

export function messageTag(parts: readonly MessagePart[]): string | undefined {
  const first = parts.find((p) => typeof p === 'string' && p.trim() !== '');
  if (typeof first !== 'string') return undefined;
  const m = /^\s*[[(]\s*([A-Za-z0-9_.:\- ]{2,80}?)\s*[\])]/.exec(first);
  return m?.[1]?.replace(/\s+/g, '_');
}

export function ruleIdFor(explicitId: string | undefined, message: readonly MessagePart[], file: string, test: string): string {
  const hash = createHash('sha1').update(file).update('\n').update(test).digest('hex').slice(0, 8);
  const tag = explicitId ?? messageTag(message) ?? file.replace(/^.*\//, '').replace(/\.sch$/, '');
  return `${tag}/${hash}`;
}

/**
 * Text and JSON renderings of access decisions, shared by `dmp access check`, `dmp access explain` and
 * `dmp consent check`. The text never echoes identifiers: only rule ids, codes and the rule texts.
 */
import type { ChalkInstance } from 'chalk';
import type { AccessDecision, AccessDecisionValue, Policy, RuleHit } from '@dmpkit/sdk';
import { ExitCode } from '../base/exit-codes.js';

export function exitCodeOf(decision: AccessDecisionValue): ExitCode {
  return decision === 'allow' ? ExitCode.OK : decision === 'deny' ? ExitCode.FINDINGS : ExitCode.UNDECIDED;
}

export function mark(c: ChalkInstance, decision: AccessDecisionValue): string {
  return decision === 'allow' ? c.green('✔') : decision === 'deny' ? c.red('✘') : c.yellow('?');
}

function effectText(c: ChalkInstance, h: RuleHit): string {
  const word = h.effect.padEnd(7);
  return h.effect === 'allow' ? c.green(word) : h.effect === 'deny' ? c.red(word) : h.effect === 'unknown' ? c.yellow(word) : c.dim(word);
}

/** One line per rule (`effect  id  text`), with its source underneath when verbose. */
export function ruleLines(c: ChalkInstance, rules: readonly RuleHit[], indent: string, verbose: boolean): string[] {
  const width = Math.max(...rules.map((r) => r.id.length));
  const lines: string[] = [];
  for (const r of rules) {
    lines.push(`${indent}${effectText(c, r)}  ${r.id.padEnd(width)}  ${r.text}`);
    if (verbose) lines.push(`${indent}${' '.repeat(9 + width + 2)}${c.dim(`source: ${r.source}`)}`);
  }
  return lines;
}

/** How the final decision came about, when the policy setting turned an undecided request into allow/deny. */
const PAST = { allow: 'allowed', deny: 'denied', unknown: 'undecided' } as const;

export function decisionLine(d: { decision: AccessDecisionValue; raw: AccessDecisionValue }): string {
  if (d.raw === d.decision) return d.decision === 'unknown' ? 'undecided: the public rules do not decide (onUnknown=unknown)' : `${PAST[d.decision]} by the rules`;
  return `undecided by the rules; ${PAST[d.decision]} by the policy setting onUnknown=${d.decision}`;
}

export function matricesLine(policy: Policy): string {
  const m = policy.describe();
  const complete = m.documentMatrixOrigin === 'imported' ? ', imported' : ', shipped with dmpkit';
  return `matrices: functional ${m.functionalMatrix}; document types ${m.documentMatrix}${complete}`;
}

/** The JSON of a decision: everything but the request itself (which may hold identifiers). */
export function decisionJson(d: AccessDecision) {
  return { decision: d.decision, raw: d.raw, profile: d.profile, reason: d.reason, rules: d.rules, obligations: d.obligations };
}

export function policyJson(policy: Policy) {
  return { ...policy.describe(), settings: policy.settings };
}

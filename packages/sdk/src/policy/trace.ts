/**
 * The record of one evaluation: rule hits in order, obligations, and the three-valued result so far
 * (allow until a rule is undecided, deny as soon as a rule denies — deny dominates unknown).
 */
import type { AccessProfileId } from './data-types.js';
import { hit } from './rules.js';
import type { PolicyUnknownOutcome } from './settings.js';
import type { AccessDecision, AccessDecisionValue, AccessObligation, RuleHit } from './types.js';

const NO_OBLIGATIONS: readonly AccessObligation[] = Object.freeze([]);
const AS_DENY = hit('POL-UNKNOWN-AS-DENY', 'info');
const AS_ALLOW = hit('POL-UNKNOWN-AS-ALLOW', 'info');

export class Trace {
  readonly hits: RuleHit[] = [];
  private obligations: AccessObligation[] | null = null;
  private denyHit: RuleHit | null = null;
  private unknownHit: RuleHit | null = null;
  private allowHit: RuleHit | null = null;

  /** Adds a hit; returns true when it denied (the caller stops there). */
  add(h: RuleHit): boolean {
    this.hits.push(h);
    switch (h.effect) {
      case 'deny':
        this.denyHit = h;
        return true;
      case 'unknown':
        this.unknownHit ??= h;
        return false;
      case 'allow':
        this.allowHit = h;
        return false;
      default:
        return false;
    }
  }

  oblige(o: AccessObligation): void {
    if (this.obligations === null) this.obligations = [o];
    else if (!this.obligations.includes(o)) this.obligations.push(o);
  }

  get denied(): boolean {
    return this.denyHit !== null;
  }

  finish(profile: AccessProfileId | null, onUnknown: PolicyUnknownOutcome): AccessDecision {
    const raw: AccessDecisionValue = this.denyHit ? 'deny' : this.unknownHit ? 'unknown' : 'allow';
    let decision = raw;
    let reason: string;
    if (raw === 'deny') reason = this.denyHit!.text;
    else if (raw === 'allow') reason = (this.allowHit ?? this.hits[this.hits.length - 1]!).text;
    else {
      const missing = this.unknownHit!.text;
      if (onUnknown === 'deny') {
        decision = 'deny';
        this.hits.push(AS_DENY);
        reason = `Undecided, denied by the policy (onUnknown=deny): ${missing}`;
      } else if (onUnknown === 'allow') {
        decision = 'allow';
        this.hits.push(AS_ALLOW);
        reason = `Undecided, allowed by the policy (onUnknown=allow): ${missing}`;
      } else reason = missing;
    }
    return { decision, raw, rules: this.hits, obligations: this.obligations ?? NO_OBLIGATIONS, profile, reason };
  }
}

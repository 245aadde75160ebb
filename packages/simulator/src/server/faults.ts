/**
 * Fault injection: rules set by the test driver that make an endpoint slow, fail or answer badly, chosen by a
 * seeded generator so that a failing test run can be replayed exactly. Rules are tried in order; the first whose
 * service/action match and whose draw succeeds applies (and its `count`, when set, goes down by one).
 */
import { z } from 'zod';

export const FAULT_KINDS = ['latency', 'soap-fault', 'registry-busy', 'drop', 'malformed-mtom', 'http-status'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FaultRuleSchema = z.object({
  /** patients, habilitations, registry, repository, or * (default). */
  service: z.enum(['patients', 'habilitations', 'registry', 'repository', '*']).default('*'),
  /** A WS-Addressing Action, or a suffix of it (`RegistryStoredQuery`); default: any. */
  action: z.string().min(1).optional(),
  kind: z.enum(FAULT_KINDS),
  /** Chance that the rule applies to a matching request (default 1). */
  probability: z.number().min(0).max(1).default(1),
  /** Apply at most this many times (default: unlimited). */
  count: z.number().int().positive().optional(),
  /** latency: delay before the answer; also added before other faults when set. */
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** http-status: the status to answer (default 503). */
  status: z.number().int().min(400).max(599).optional(),
  /** soap-fault: the reason text. */
  reason: z.string().optional(),
});
export type FaultRule = z.output<typeof FaultRuleSchema>;
export type FaultRuleInput = z.input<typeof FaultRuleSchema>;

export const FaultPlanSchema = z.object({ seed: z.number().int().default(1), rules: z.array(FaultRuleSchema).default([]) });
export type FaultPlanInput = z.input<typeof FaultPlanSchema>;

/** mulberry32: small, fast, and the same sequence for the same seed on every platform (tests reuse it). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultPlan {
  private rules: FaultRule[] = [];
  private random: () => number = seededRandom(1);
  private seedValue = 1;

  /** Replaces the plan (and restarts the generator from the seed). */
  set(input: FaultPlanInput): void {
    const plan = FaultPlanSchema.parse(input);
    this.rules = plan.rules.map((r) => ({ ...r }));
    this.seedValue = plan.seed;
    this.random = seededRandom(plan.seed);
  }

  clear(): void {
    this.set({ seed: this.seedValue, rules: [] });
  }

  describe(): { seed: number; rules: FaultRule[] } {
    return { seed: this.seedValue, rules: this.rules.map((r) => ({ ...r })) };
  }

  /** The fault for this request, if any. */
  pick(service: string, action: string | undefined): FaultRule | undefined {
    for (const r of this.rules) {
      if (r.count !== undefined && r.count <= 0) continue;
      if (r.service !== '*' && r.service !== service) continue;
      if (r.action && !(action ?? '').endsWith(r.action)) continue;
      if (r.probability < 1 && this.random() >= r.probability) continue;
      if (r.count !== undefined) r.count--;
      return r;
    }
    return undefined;
  }
}

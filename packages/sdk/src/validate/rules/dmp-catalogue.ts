/** Rules of the DMP submission layer (owned by validate/dmp/). Filled in by the DMP layer. */
import type { RuleDefinition } from './catalogue.js';

export const DMP_RULES = [] as const satisfies readonly RuleDefinition[];
export type DmpRuleId = (typeof DMP_RULES)[number]['id'];

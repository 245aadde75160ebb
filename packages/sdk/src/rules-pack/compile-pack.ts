/** `dmp rules use`: compile every schematron of a pack once, so that validation starts warm. */
import type { PackInfo } from '../validate/finding.js';
import { RulePack, type OpenPackOptions } from './pack.js';

export interface CompileRulePackResult {
  info: PackInfo;
  schematrons: string[];
  /** True when every schematron came from the cache. */
  fromCache: boolean;
  /** Known defects worked around and anything else the compiler noticed. */
  issues: string[];
}

export async function compileRulePack(
  root: string,
  opts: OpenPackOptions & { onProgress?: (msg: string) => void } = {},
): Promise<CompileRulePackResult> {
  const pack = RulePack.open(root, opts);
  const schematrons = pack.allSchematrons();
  let fromCache = true;
  const issues = new Set<string>();
  for (const [i, s] of schematrons.entries()) {
    opts.onProgress?.(`compiling ${i + 1}/${schematrons.length} ${s}`);
    const { compiled, fromCache: cached } = pack.compiled(s);
    fromCache &&= cached;
    for (const n of compiled.notes) issues.add(n);
    await new Promise((r) => setImmediate(r)); // keep a TTY progress line responsive
  }
  pack.info.notes = [...issues];
  return { info: pack.info, schematrons, fromCache, issues: [...issues] };
}

/** The exit decision of `dmp validate`, kept apart from I/O so the policy reads (and tests) on its own. */
import type { ValidationReport } from '@dmpkit/sdk';
import { ExitCode } from './exit-codes.js';

export type FailOn = 'error' | 'warning';

export interface Threshold {
  failOn: FailOn;
  /** Fail when the batch has more warnings than this. */
  maxWarnings?: number;
}

export interface Judgement {
  exitCode: ExitCode;
  /** Why the run fails, one line each; empty when it passes. */
  reasons: string[];
}

export function judge(summary: ValidationReport['summary'], threshold: Threshold): Judgement {
  const reasons: string[] = [];
  const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
  if (summary.errors > 0 || summary.invalid > 0) {
    reasons.push(`${summary.invalid} of ${n(summary.documents, 'document')} invalid (${n(summary.errors, 'error')})`);
  }
  if (threshold.failOn === 'warning' && summary.warnings > 0) {
    reasons.push(`${n(summary.warnings, 'warning')} with --fail-on warning`);
  }
  if (threshold.maxWarnings !== undefined && summary.warnings > threshold.maxWarnings) {
    reasons.push(`${n(summary.warnings, 'warning')}, more than --max-warnings ${threshold.maxWarnings}`);
  }
  return { exitCode: reasons.length > 0 ? ExitCode.FINDINGS : ExitCode.OK, reasons };
}

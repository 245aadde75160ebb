/** One entry point over the formats, so a caller (the CLI) maps `--format` without a switch of its own. */
import type { ValidationReport } from '../finding.js';
import { formatJson } from './json.js';
import { formatJunit } from './junit.js';
import { formatSarif } from './sarif.js';
import { formatText } from './text.js';

export const REPORT_FORMATS = ['text', 'json', 'junit', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export interface FormatReportOptions {
  color?: boolean;
  verbose?: boolean;
  /** Base directory of SARIF artifact URIs. */
  cwd?: string;
}

export function formatReport(report: ValidationReport, format: ReportFormat, options: FormatReportOptions = {}): string {
  switch (format) {
    case 'text':
      return formatText(report, { color: options.color ?? false, verbose: options.verbose ?? false });
    case 'json':
      return formatJson(report);
    case 'junit':
      return formatJunit(report);
    case 'sarif':
      return formatSarif(report, options.cwd === undefined ? {} : { cwd: options.cwd });
  }
}

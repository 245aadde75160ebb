/**
 * Configuration problems: profile file, environment, flags, certificates, catalogue files. Each issue names the
 * field and where its value came from; values themselves are never quoted (they may be secrets).
 */
import { DmpError, type DmpErrorOptions } from './dmp-error.js';
import { text, type LocalizedText } from './types.js';

export const CONFIG_ERROR_CODES = [
  'CONFIG-INVALID',
  'CONFIG-FILE',
  'CONFIG-NO-PROFILE',
  'CONFIG-PROFILE-UNKNOWN',
  'CONFIG-INCOMPLETE',
  'CONFIG-SECRET',
  'CONFIG-CERTIFICATE',
  'CONFIG-CATALOGUE',
] as const;
export type ConfigErrorCode = (typeof CONFIG_ERROR_CODES)[number];

export interface ConfigIssue {
  /** Dotted field path (`structure.id`, `auth.p12Password`), or a row/column for catalogue files. */
  field: string;
  /** Where the value came from: `flags`, `env DMPKIT_ENDPOINT`, `/home/me/.config/dmpkit/profiles.json`. */
  source?: string;
  message: string;
}

export interface ConfigErrorInit extends DmpErrorOptions {
  code: ConfigErrorCode;
  message: LocalizedText;
  issues?: ConfigIssue[];
  file?: string;
}

export function formatConfigIssue(issue: ConfigIssue): string {
  return `${issue.field}${issue.source ? ` (${issue.source})` : ''}: ${issue.message}`;
}

export class ConfigError extends DmpError {
  readonly kind = 'config' as const;
  readonly issues: readonly ConfigIssue[];
  readonly file: string | undefined;

  constructor(init: ConfigErrorInit) {
    const issues = init.issues ?? [];
    const list = issues.length ? `\n${issues.map((i) => `  - ${formatConfigIssue(i)}`).join('\n')}` : '';
    super(init.code, text(`${init.message.fr}${list}`, `${init.message.en}${list}`), init);
    this.issues = issues;
    this.file = init.file;
  }

  protected details(): Record<string, unknown> {
    return { file: this.file, issues: this.issues.length ? this.issues : undefined };
  }
}

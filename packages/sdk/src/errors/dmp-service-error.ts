/**
 * The DMP's own (non-IHE) services — habilitations (TD0.3, TD1.6) and PatientSpecific (TD0.4) — answer
 * `<status>DMPOk</status><context>…</context>`; any other status is an error carried by this class
 * (dmp-interface.md §4.2, §8).
 */
import { DmpError, type DmpErrorOptions } from './dmp-error.js';
import { sanitizeOptional, sanitizeText } from './sanitize.js';
import { text } from './types.js';

export interface DmpServiceErrorInit extends DmpErrorOptions {
  /** The `status` element as received. */
  status: string;
  /** The `context` element (free text). */
  context?: string;
  /** `habilitations`, `patients`... */
  service?: string;
  /** The operation (`setAuthorization`, `patientList`). */
  operation?: string;
}

export class DmpServiceError extends DmpError {
  readonly kind = 'dmp' as const;
  readonly status: string;
  readonly context: string | undefined;
  readonly service: string | undefined;
  readonly operation: string | undefined;

  constructor(init: DmpServiceErrorInit) {
    const status = init.status?.trim();
    if (!status) throw new TypeError('DmpServiceError: status is required (the <status> element of the response)');
    const op = init.operation ? ` ${init.operation}` : '';
    const ctx = init.context?.trim() ? ` — ${sanitizeText(init.context.trim(), { max: 300 })}` : '';
    super(status, text(`Service DMP${op} : statut ${status}${ctx}`, `DMP service${op}: status ${status}${ctx}`), init);
    this.status = status;
    this.context = init.context;
    this.service = init.service;
    this.operation = init.operation;
  }

  protected details(): Record<string, unknown> {
    return { status: this.status, context: sanitizeOptional(this.context, { max: 1000 }), service: this.service, operation: this.operation };
  }
}

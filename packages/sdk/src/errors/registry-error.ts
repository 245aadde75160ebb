/**
 * ebRS RegistryResponse / AdhocQueryResponse / RetrieveDocumentSetResponse outcomes: status plus
 * RegistryErrorList. Status semantics seen in the wild (xds-corpus.md §3.4) and the choices made here:
 * - PartialSuccess comes as `urn:ihe:iti:2007:ResponseStatusType:PartialSuccess` (IHE) and, in theory, the ebRS
 *   form: both are accepted.
 * - `Success` with an Error-severity entry (NIST, vendors): the status wins (the registry did register), the
 *   entries are kept and reported, never dropped.
 * - `Failure` without a RegistryErrorList: a RegistryError with no entries, code `XDS-FAILURE-WITHOUT-ERRORS`.
 * - A missing or unknown severity counts as Error (the conservative reading), the raw value is kept.
 */
import { DmpError, type DmpErrorOptions } from './dmp-error.js';
import { sanitizeOptional } from './sanitize.js';
import { text } from './types.js';

export type RegistryStatus = 'Success' | 'PartialSuccess' | 'Failure';
export type RegistrySeverity = 'Error' | 'Warning';

export const FAILURE_WITHOUT_ERRORS = 'XDS-FAILURE-WITHOUT-ERRORS';

const STATUS_URNS: Record<string, RegistryStatus> = {
  'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success': 'Success',
  'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure': 'Failure',
  'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:PartialSuccess': 'PartialSuccess',
  'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess': 'PartialSuccess',
};

/** The status from its URN (or short form). Throws on anything else: a status we cannot read is not a success. */
export function parseRegistryStatus(value: string): RegistryStatus {
  const v = value.trim();
  const known = STATUS_URNS[v] ?? (['Success', 'PartialSuccess', 'Failure'].includes(v) ? (v as RegistryStatus) : undefined);
  if (!known) throw new TypeError(`unknown registry response status "${v}" (expected the ebRS Success/Failure or IHE PartialSuccess URN)`);
  return known;
}

/** `urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning` or `Warning` → Warning; anything else → Error. */
export function parseRegistrySeverity(value: string | undefined): RegistrySeverity {
  const local = (value ?? '').trim().split(':').at(-1);
  return local === 'Warning' ? 'Warning' : 'Error';
}

/** One RegistryError as the codec read it (attribute values as is). */
export interface RegistryErrorInput {
  errorCode?: string;
  severity?: string;
  codeContext?: string;
  location?: string;
}

export interface RegistryErrorItem {
  errorCode: string;
  severity: RegistrySeverity;
  /** The severity attribute as received, when it was not a plain Error/Warning URN. */
  rawSeverity?: string;
  codeContext?: string;
  location?: string;
}

export function toRegistryErrorItem(input: RegistryErrorInput): RegistryErrorItem {
  const entry: RegistryErrorItem = {
    errorCode: input.errorCode?.trim() || '(no errorCode)',
    severity: parseRegistrySeverity(input.severity),
  };
  const local = (input.severity ?? '').trim().split(':').at(-1);
  if (local !== 'Error' && local !== 'Warning') entry.rawSeverity = input.severity ?? '(absent)';
  if (input.codeContext !== undefined) entry.codeContext = input.codeContext;
  if (input.location !== undefined) entry.location = input.location;
  return entry;
}

export interface RegistryErrorInit extends DmpErrorOptions {
  /** URN or short form. */
  status: string;
  errors?: RegistryErrorInput[];
  /** `RegistryErrorList/@highestSeverity`, when present. */
  highestSeverity?: string;
  /** Which response carried it: `RegistryResponse`, `AdhocQueryResponse`, `RetrieveDocumentSetResponse`. */
  response?: string;
}

export class RegistryError extends DmpError {
  readonly kind: 'xds' = 'xds';
  readonly status: RegistryStatus;
  readonly errors: readonly RegistryErrorItem[];
  readonly highestSeverity: RegistrySeverity | undefined;
  readonly response: string | undefined;

  constructor(init: RegistryErrorInit) {
    const status = parseRegistryStatus(init.status);
    const errors = (init.errors ?? []).map(toRegistryErrorItem);
    const first = errors.find((e) => e.severity === 'Error') ?? errors[0];
    const code = first?.errorCode ?? FAILURE_WITHOUT_ERRORS;
    const nErr = errors.filter((e) => e.severity === 'Error').length;
    const nWarn = errors.length - nErr;
    const codes = [...new Set(errors.map((e) => e.errorCode))];
    const list = codes.length ? ` (${codes.slice(0, 5).join(', ')}${codes.length > 5 ? ', …' : ''})` : '';
    super(
      code,
      text(
        `Réponse du registre ${status} : ${nErr} erreur${nErr > 1 ? 's' : ''}, ${nWarn} avertissement${nWarn > 1 ? 's' : ''}${list}`,
        `Registry response ${status}: ${nErr} error${nErr === 1 ? '' : 's'}, ${nWarn} warning${nWarn === 1 ? '' : 's'}${list}`,
      ),
      init,
    );
    this.status = status;
    this.errors = errors;
    this.highestSeverity = init.highestSeverity === undefined ? undefined : parseRegistrySeverity(init.highestSeverity);
    this.response = init.response;
  }

  /** Entries of severity Error. */
  get errorEntries(): RegistryErrorItem[] {
    return this.errors.filter((e) => e.severity === 'Error');
  }

  get warningEntries(): RegistryErrorItem[] {
    return this.errors.filter((e) => e.severity === 'Warning');
  }

  protected details(): Record<string, unknown> {
    return {
      status: this.status,
      response: this.response,
      highestSeverity: this.highestSeverity,
      errors: this.errors.map((e) => ({
        errorCode: e.errorCode,
        severity: e.severity,
        rawSeverity: e.rawSeverity,
        codeContext: sanitizeOptional(e.codeContext, { max: 1000 }),
        location: sanitizeOptional(e.location, { max: 1000 }),
      })),
    };
  }
}

/**
 * A PartialSuccess the caller chose to treat as an error: some of the work was done. `partial` holds what was
 * obtained (the documents retrieved, the entries found), so nothing is lost by throwing.
 */
export class PartialSuccessError<T = unknown> extends RegistryError {
  readonly partial: T | undefined;

  constructor(init: RegistryErrorInit & { partial?: T }) {
    super({ ...init, status: 'PartialSuccess' });
    this.partial = init.partial;
  }
}

/** What a successful or partly successful registry exchange returns. */
export interface RegistryResult<T> {
  status: 'Success' | 'PartialSuccess';
  value: T;
  /** Error-severity entries: present with PartialSuccess, and with Success when a registry sends both. */
  errors: RegistryErrorItem[];
  warnings: RegistryErrorItem[];
  correlationId?: string;
}

export interface SettleOptions {
  /** PartialSuccess: `return` it as a result (default), or `throw` a PartialSuccessError carrying the value. */
  partial?: 'return' | 'throw';
}

/**
 * Turns a parsed response into a result or a typed error: Failure throws RegistryError, PartialSuccess returns or
 * throws PartialSuccessError, Success returns (with any entries the registry sent).
 */
export function settleRegistryResponse<T>(init: RegistryErrorInit & { value: T }, options: SettleOptions = {}): RegistryResult<T> {
  const status = parseRegistryStatus(init.status);
  if (status === 'Failure') throw new RegistryError(init);
  if (status === 'PartialSuccess' && options.partial === 'throw') throw new PartialSuccessError({ ...init, partial: init.value });
  const entries = (init.errors ?? []).map(toRegistryErrorItem);
  const result: RegistryResult<T> = {
    status,
    value: init.value,
    errors: entries.filter((e) => e.severity === 'Error'),
    warnings: entries.filter((e) => e.severity === 'Warning'),
  };
  if (init.correlationId) result.correlationId = init.correlationId;
  return result;
}

/**
 * The base of every error the SDK throws on purpose. The codecs build these from parsed data (plain objects,
 * no XML), the transport and the client fill in the correlation id and the transaction, and `explainError`
 * turns any of them into a diagnosis through the catalogue.
 */
import { inspect } from 'node:util';
import { sanitizeText } from './sanitize.js';
import type { ErrorKind, Lang, LocalizedText } from './types.js';

export interface DmpErrorOptions {
  /** `urn:uuid:…` of the exchange (the transport sets it on every result and error). */
  correlationId?: string;
  /** The DMP transaction (`TD2.1`) or IHE transaction (`ITI-41`) being run. */
  transaction?: string;
  cause?: unknown;
}

/** What `toJSON()` gives: safe to log (no secret, no health data: free texts are sanitised). */
export interface DmpErrorJson {
  name: string;
  kind: ErrorKind;
  code: string;
  message: string;
  messageFr: string;
  correlationId?: string;
  transaction?: string;
  details: Record<string, unknown>;
  cause?: { name: string; code?: string; message: string };
}

export abstract class DmpError extends Error {
  abstract readonly kind: ErrorKind;
  /** Stable code: the wire code (`XDSUnknownPatientId`, `DMPInvalidCertificate`) or a dmpkit id (`TRANSPORT-CONNECT-TIMEOUT`). */
  readonly code: string;
  /** French message; `message` is the English one. */
  readonly messageFr: string;
  correlationId: string | undefined;
  transaction: string | undefined;

  protected constructor(code: string, text: LocalizedText, options: DmpErrorOptions = {}) {
    super(text.en, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.messageFr = text.fr;
    this.correlationId = options.correlationId;
    this.transaction = options.transaction;
  }

  localizedMessage(lang: Lang): string {
    return lang === 'fr' ? this.messageFr : this.message;
  }

  /**
   * Fills the correlation id and transaction when the layer that built the error did not know them
   * (a codec parsing a response). Never overwrites a value already set.
   */
  withContext(context: { correlationId?: string; transaction?: string }): this {
    this.correlationId ??= context.correlationId;
    this.transaction ??= context.transaction;
    return this;
  }

  /** Subclass data for `toJSON`, already sanitised. */
  protected abstract details(): Record<string, unknown>;

  toJSON(): DmpErrorJson {
    const json: DmpErrorJson = {
      name: this.name,
      kind: this.kind,
      code: this.code,
      message: sanitizeText(this.message),
      messageFr: sanitizeText(this.messageFr),
      details: dropUndefined(this.details()),
    };
    if (this.correlationId) json.correlationId = this.correlationId;
    if (this.transaction) json.transaction = this.transaction;
    const cause = summarizeCause(this.cause);
    if (cause) json.cause = cause;
    return json;
  }

  /** console.log / util.inspect show the safe JSON view, never raw fields that could hold patient data. */
  [inspect.custom](): string {
    return `${this.name} ${inspect(this.toJSON(), { depth: 4, breakLength: 120 })}`;
  }
}

/** Name, code and sanitised message of a cause; DmpError causes give their code. */
export function summarizeCause(cause: unknown): DmpErrorJson['cause'] | undefined {
  if (cause === undefined || cause === null) return undefined;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    const out: { name: string; code?: string; message: string } = { name: cause.name, message: sanitizeText(cause.message, { max: 500 }) };
    if (typeof code === 'string') out.code = code;
    return out;
  }
  return { name: typeof cause, message: sanitizeText(String(cause), { max: 500 }) };
}

export function dropUndefined(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) if (v !== undefined) out[k] = v;
  return out;
}

/** Type guard for catch blocks (`catch (err: unknown)`). */
export function isDmpError(value: unknown): value is DmpError {
  return value instanceof DmpError;
}

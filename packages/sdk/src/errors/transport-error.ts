/** Failures below SOAP: the network, TLS, HTTP, or a response body that is not usable. */
import { DmpError, type DmpErrorOptions } from './dmp-error.js';
import { sanitizeOptional } from './sanitize.js';
import { text, type LocalizedText } from './types.js';

export const TRANSPORT_ERROR_KINDS = [
  'connect-timeout',
  'headers-timeout',
  'body-timeout',
  'connection-refused',
  'connection-reset',
  'dns',
  'tls',
  'certificate',
  'client-certificate',
  'http-status',
  'not-soap',
  'truncated',
  'too-large',
  'aborted',
  'network',
] as const;
export type TransportErrorKind = (typeof TRANSPORT_ERROR_KINDS)[number];

/** Where the exchange was when it failed. `request`: sending the body; `headers`: waiting for the answer. */
export type TransportPhase = 'connect' | 'request' | 'headers' | 'body';

export interface RetryInfo {
  /** Attempts made, the failed one included. */
  attempts: number;
  /** Why there was no further attempt. */
  stoppedBy: 'not-retryable' | 'attempts-exhausted' | 'write-not-retried' | 'before-retry' | 'before-retry-failed';
  /** The beforeRetry hook's error message (sanitised), when it threw. */
  hookError?: string;
}

export interface TransportErrorInit extends DmpErrorOptions {
  kind: TransportErrorKind;
  /** The URL called (without query string or credentials). */
  endpoint?: string;
  phase?: TransportPhase;
  httpStatus?: number;
  contentType?: string;
  /** Start of a non-SOAP body (a proxy's HTML page): sanitised and cut. */
  bodyExcerpt?: string;
  bytesReceived?: number;
  /** The response size limit, for `too-large`. */
  limit?: number;
  /** The system or library error code (`ECONNRESET`, `UND_ERR_HEADERS_TIMEOUT`, `CERT_HAS_EXPIRED`). */
  systemCode?: string;
  /** Technical detail in English (the cause's message, a TLS alert...). */
  detail?: string;
  retry?: RetryInfo;
  elapsedMs?: number;
}

/** `connect-timeout` → `TRANSPORT-CONNECT-TIMEOUT`. */
export function transportErrorCode(kind: TransportErrorKind): string {
  return `TRANSPORT-${kind.toUpperCase()}`;
}

const SUMMARY: Record<TransportErrorKind, LocalizedText> = {
  'connect-timeout': text('délai de connexion dépassé', 'connection timed out'),
  'headers-timeout': text('pas de réponse du serveur dans le délai', 'no response from the server in time'),
  'body-timeout': text('réception de la réponse interrompue (délai dépassé)', 'response body stalled (timeout)'),
  'connection-refused': text('connexion refusée', 'connection refused'),
  'connection-reset': text('connexion coupée par le serveur ou le réseau', 'connection reset by the server or the network'),
  dns: text('nom d’hôte introuvable (DNS)', 'host name not found (DNS)'),
  tls: text('échec de la négociation TLS', 'TLS handshake failed'),
  certificate: text('certificat du serveur refusé', 'server certificate rejected'),
  'client-certificate': text('certificat client (authentification) refusé par le serveur', 'client (authentication) certificate rejected by the server'),
  'http-status': text('réponse HTTP d’erreur sans message SOAP', 'HTTP error status without a SOAP message'),
  'not-soap': text('la réponse n’est pas un message SOAP', 'the response is not a SOAP message'),
  truncated: text('réponse tronquée', 'truncated response'),
  'too-large': text('réponse trop volumineuse', 'response too large'),
  aborted: text('échange annulé', 'exchange aborted'),
  network: text('erreur réseau', 'network error'),
};

export class TransportError extends DmpError {
  readonly kind = 'transport' as const;
  readonly transportKind: TransportErrorKind;
  readonly endpoint: string | undefined;
  readonly phase: TransportPhase | undefined;
  readonly httpStatus: number | undefined;
  readonly contentType: string | undefined;
  readonly bodyExcerpt: string | undefined;
  readonly bytesReceived: number | undefined;
  readonly limit: number | undefined;
  readonly systemCode: string | undefined;
  readonly detail: string | undefined;
  retry: RetryInfo | undefined;
  elapsedMs: number | undefined;

  constructor(init: TransportErrorInit) {
    const summary = SUMMARY[init.kind];
    if (!summary) throw new TypeError(`TransportError: unknown kind "${String(init.kind)}"`);
    const status = init.httpStatus === undefined ? '' : ` (HTTP ${init.httpStatus})`;
    const where = init.endpoint ? ` — ${init.endpoint}` : '';
    super(transportErrorCode(init.kind), text(`Transport : ${summary.fr}${status}${where}`, `Transport: ${summary.en}${status}${where}`), init);
    this.transportKind = init.kind;
    this.endpoint = init.endpoint;
    this.phase = init.phase;
    this.httpStatus = init.httpStatus;
    this.contentType = init.contentType;
    this.bodyExcerpt = sanitizeOptional(init.bodyExcerpt, { max: 500 });
    this.bytesReceived = init.bytesReceived;
    this.limit = init.limit;
    this.systemCode = init.systemCode;
    this.detail = init.detail;
    this.retry = init.retry;
    this.elapsedMs = init.elapsedMs;
  }

  protected details(): Record<string, unknown> {
    return {
      transportKind: this.transportKind,
      endpoint: this.endpoint,
      phase: this.phase,
      httpStatus: this.httpStatus,
      contentType: this.contentType,
      bodyExcerpt: this.bodyExcerpt,
      bytesReceived: this.bytesReceived,
      limit: this.limit,
      systemCode: this.systemCode,
      detail: sanitizeOptional(this.detail, { max: 500 }),
      retry: this.retry,
      elapsedMs: this.elapsedMs,
    };
  }
}

/**
 * When to try again, and how long to wait. Reads are retried on transient failures; writes (ITI-41 submission,
 * ITI-57 update, authorization changes) only when the failure proves the request never left, or when the caller's
 * beforeRetry check says so (typically: the submission's uniqueId is not in the registry).
 */
import type { TransportError, TransportErrorKind } from '../errors/transport-error.js';

export interface RetryPolicy {
  /** Total attempts, the first included (1 = no retry). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** HTTP statuses worth another attempt (default 503). */
  retryStatuses: number[];
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 3, baseDelayMs: 250, maxDelayMs: 4000, retryStatuses: [503] };

/**
 * not-sent: the request provably did not reach the server (retry is always safe);
 * maybe-sent: it may have been processed (safe for reads; writes need the beforeRetry check);
 * final: trying again cannot help.
 */
export type RetryClass = 'not-sent' | 'maybe-sent' | 'final';

const NOT_SENT: readonly TransportErrorKind[] = ['connect-timeout', 'connection-refused'];
const MAYBE_SENT: readonly TransportErrorKind[] = ['headers-timeout', 'body-timeout', 'connection-reset', 'truncated'];

export function retryClass(error: TransportError, policy: RetryPolicy): RetryClass {
  const kind = error.transportKind;
  if (NOT_SENT.includes(kind)) return 'not-sent';
  // EAI_AGAIN is a temporary resolver failure; ENOTFOUND will not get better.
  if (kind === 'dns') return error.systemCode === 'EAI_AGAIN' ? 'not-sent' : 'final';
  if (MAYBE_SENT.includes(kind)) return 'maybe-sent';
  if (kind === 'http-status' && error.httpStatus !== undefined && policy.retryStatuses.includes(error.httpStatus)) return 'maybe-sent';
  return 'final';
}

/**
 * Exponential backoff with "equal jitter": half of the exponential delay is kept, the other half is random, so
 * clients that failed together do not retry together, and no retry comes immediately.
 */
export function backoffDelay(failedAttempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exp = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failedAttempt - 1));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Retry-After (seconds or HTTP date) in milliseconds, when present and sensible. */
export function retryAfterMs(header: string | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

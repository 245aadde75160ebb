/** Times of the policy inputs: epoch milliseconds, ISO strings or Dates, converted only when a rule needs them. */
import type { PolicyTime } from './types.js';

export class PolicyInputError extends Error {
  override readonly name = 'PolicyInputError';
  constructor(
    message: string,
    /** One line per problem, `path: message`. */
    readonly problems: readonly string[] = [],
  ) {
    super(problems.length ? `${message}:\n- ${problems.join('\n- ')}` : message);
  }
}

export function toMillis(t: PolicyTime, what: string): number {
  const ms = typeof t === 'number' ? t : t instanceof Date ? t.getTime() : Date.parse(t);
  if (!Number.isFinite(ms)) throw new PolicyInputError(`${what} is not a valid time: ${String(t)} (expected an ISO 8601 date, epoch milliseconds or a Date)`);
  return ms;
}

const DAY_MS = 86_400_000;

/** `months` calendar months after `from` (a consent given on 31 August is stale after 28/29 February). */
export function addMonths(from: number, months: number): number {
  const d = new Date(from);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

export function addDays(from: number, days: number): number {
  return from + days * DAY_MS;
}

/** Correlation ids: one `urn:uuid:` per logical exchange, shared by its retries, on every result and error. */
import { randomUUID } from 'node:crypto';

export function newCorrelationId(): string {
  return `urn:uuid:${randomUUID()}`;
}

const UUID_URN = /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isCorrelationId(value: string): boolean {
  return UUID_URN.test(value);
}

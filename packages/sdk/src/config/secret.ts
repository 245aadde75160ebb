/**
 * A password or other secret that must never be printed: String(), JSON.stringify and console.log all show
 * `***`; only `reveal()` gives the value, at the one place that needs it (decrypting a key).
 */
import { inspect } from 'node:util';

export const SECRET_MASK = '***';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    if (typeof value !== 'string') throw new TypeError('Secret: value must be a string');
    this.#value = value;
  }

  static from(value: string | Secret): Secret {
    return value instanceof Secret ? value : new Secret(value);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return SECRET_MASK;
  }

  toJSON(): string {
    return SECRET_MASK;
  }

  [inspect.custom](): string {
    return `Secret(${SECRET_MASK})`;
  }
}

/** The value of a secret given as a plain string or a Secret. */
export function revealSecret(value: string | Secret | undefined): string | undefined {
  return value === undefined ? undefined : value instanceof Secret ? value.reveal() : value;
}

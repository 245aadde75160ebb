/** Option value parsers for commander: a bad value becomes a usage error (exit 2) naming the option. */
import { InvalidArgumentError } from 'commander';
import { LAYERS, type Layer } from '@dmpkit/sdk/validate';

export function parseCount(min: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number, got "${value}".`);
    const n = Number(value.trim());
    if (n < min) throw new InvalidArgumentError(`must be at least ${min}.`);
    return n;
  };
}

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 };

/** Bytes, or a number with a unit: `5MB`, `512k`, `1.5 GiB` (units are powers of 1024, as file managers show). */
export function parseSize(value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(value);
  const factor = m ? SIZE_UNITS[m[2]!.toLowerCase()] : undefined;
  if (!m || factor === undefined) throw new InvalidArgumentError(`expected bytes or a size like 20MB, got "${value}".`);
  const bytes = Math.floor(Number(m[1]) * factor);
  if (bytes < 1) throw new InvalidArgumentError('must be at least 1 byte.');
  return bytes;
}

/** A comma list of layers, returned in pipeline order without duplicates. */
export function parseLayers(value: string): Layer[] {
  const names = value.split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError(`expected a comma list of ${LAYERS.join(',')}.`);
  const unknown = names.filter((n) => !(LAYERS as readonly string[]).includes(n));
  if (unknown.length > 0) throw new InvalidArgumentError(`unknown layer${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${LAYERS.join(', ')}).`);
  return LAYERS.filter((l) => names.includes(l));
}

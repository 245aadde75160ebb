/**
 * node-forge is CommonJS without detectable named exports: load it through require so that the same
 * code runs under Node ESM, vitest and the tsup bundle.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const forge = require('node-forge') as typeof import('node-forge');

/** forge's fromDer takes an options object its typings do not declare. */
export function asn1FromDer(bytes: Uint8Array | string): import('node-forge').asn1.Asn1 {
  const binary = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('binary');
  // decodeBitStrings off: a key-usage BIT STRING must never be mistaken for nested ASN.1.
  const fromDer = forge.asn1.fromDer as unknown as (
    b: string,
    o: { strict: boolean; decodeBitStrings: boolean },
  ) => import('node-forge').asn1.Asn1;
  return fromDer(binary, { strict: true, decodeBitStrings: false });
}

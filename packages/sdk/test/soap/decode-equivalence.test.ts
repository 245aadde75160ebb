/**
 * decodeMessage and decodeXds on every XML message of the XDS corpus (.xml files, MIME and HTTP captures) give what
 * they gave when the fast reader made an object per element and the ebRIM decoder reached every element through one
 * (commit 97852f9): the same decoded model and the same issues, compared as canonical JSON (bytes as their length and
 * SHA-256; key order counts). The digests were recorded by that code. A change meant to alter what is decoded
 * rewrites them: DMPKIT_WRITE_DECODE_DIGESTS=1 npx vitest run test/soap/decode-equivalence.test.ts
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/soap/decode-message.js';
import { decodeXds } from '../../src/xds/decode.js';
import { corpusFiles, requireXdsCorpus, XDS_CORPUS } from '../support/corpus.js';

const DIGESTS = join(dirname(fileURLToPath(import.meta.url)), 'decode-digests.json');

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** JSON of a decoded value with every byte array as its length and digest (what the model holds, not its bytes). */
function canonical(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    const raw = this[key];
    return raw instanceof Uint8Array ? { bytes: raw.byteLength, sha256: sha256(raw) } : v;
  });
}

function digestsOfCorpus(): Record<string, { decodeMessage: string; decodeXds: string }> {
  const out: Record<string, { decodeMessage: string; decodeXds: string }> = {};
  for (const file of corpusFiles(XDS_CORPUS, ['.xml', '.mime', '.http'])) {
    const bytes = readFileSync(file);
    out[relative(XDS_CORPUS, file)] = { decodeMessage: sha256(canonical(decodeMessage(bytes))), decodeXds: sha256(canonical(decodeXds(bytes))) };
  }
  return out;
}

describe.skipIf(!requireXdsCorpus('decode equivalence'))('decoding the XDS corpus', () => {
  it('gives the model and issues recorded with the element-object reader, for every message', () => {
    const now = digestsOfCorpus();
    if (process.env.DMPKIT_WRITE_DECODE_DIGESTS) writeFileSync(DIGESTS, `${JSON.stringify(now, null, 2)}\n`);
    const recorded = JSON.parse(readFileSync(DIGESTS, 'utf8')) as typeof now;
    expect(Object.keys(now).length).toBeGreaterThan(30);
    expect(now).toEqual(recorded);
  });
});

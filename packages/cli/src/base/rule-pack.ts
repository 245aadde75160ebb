/** Recognising a TestContenuCDA tree before handing it to the SDK, so a wrong path gets a plain answer. */
import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CliError } from './errors.js';

/** What every TestContenuCDA release has: the schematrons, the extended CDA schema and the value sets. */
export const RULE_PACK_MARKERS: readonly { path: string; kind: 'dir' | 'file' }[] = [
  { path: 'schematrons', kind: 'dir' },
  { path: 'infrastructure/cda/CDA_extended.xsd', kind: 'file' },
  { path: 'jeuxDeValeurs', kind: 'dir' },
];

async function kindOf(path: string): Promise<'dir' | 'file' | undefined> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return undefined;
  }
}

/** The absolute path of `dir` if it looks like a TestContenuCDA tree; a CliError naming what is missing otherwise. */
export async function checkRulePackDir(dir: string, cwd: string, origin: string): Promise<string> {
  const root = resolve(cwd, dir);
  const kind = await kindOf(root);
  if (kind !== 'dir') {
    throw new CliError(`the rule pack ${dir} (${origin}) ${kind ? 'is not a directory' : 'does not exist'}`, undefined, 'point it at a TestContenuCDA checkout');
  }
  const missing: string[] = [];
  for (const m of RULE_PACK_MARKERS) {
    if ((await kindOf(join(root, m.path))) !== m.kind) missing.push(m.kind === 'dir' ? `${m.path}/` : m.path);
  }
  if (missing.length > 0) {
    throw new CliError(
      `${dir} (${origin}) does not look like a TestContenuCDA tree: missing ${missing.join(', ')}`,
      undefined,
      'give the root of the ANS TestContenuCDA repository (the folder holding schematrons/, infrastructure/ and jeuxDeValeurs/)',
    );
  }
  return root;
}

/** docs/configuration.md is hand-written: it must name every variable and field, and its example must be valid. */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PROFILE_ENV_VARIABLES, SELECTION_ENV_VARIABLES, profileInputSchema } from '../../src/config/index.js';

const DOC = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs/configuration.md'), 'utf8');

describe('docs/configuration.md', () => {
  it('documents every environment variable', () => {
    for (const v of [...PROFILE_ENV_VARIABLES, ...SELECTION_ENV_VARIABLES]) expect(DOC, v.name).toContain(`\`${v.name}\``);
  });

  it('documents every profile field', () => {
    for (const [key, schema] of Object.entries(profileInputSchema.shape)) {
      const inner = (schema as { unwrap?: () => { shape?: Record<string, unknown> } }).unwrap?.();
      const fields = inner?.shape ? Object.keys(inner.shape).map((k) => `${key}.${k}`) : [key];
      for (const f of fields) expect(DOC, f).toMatch(new RegExp(`\`${f.replace(/\./g, '\\.')}\`|\`${key}\``));
    }
  });

  it('its example profiles file is valid', () => {
    const json = /```json\n([\s\S]*?)\n```/.exec(DOC)![1]!;
    const file = JSON.parse(json) as { profiles: Record<string, unknown> };
    for (const [name, profile] of Object.entries(file.profiles)) expect(profileInputSchema.safeParse(profile).success, name).toBe(true);
  });
});

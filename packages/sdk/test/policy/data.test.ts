/** The policy data and catalogue: generated from the shared sources, documented, and settings checked. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ACCESS_OBLIGATIONS, DEFAULT_SETTINGS, OCCUPATIONAL_HEALTH, parsePolicySettings, POLICY_RULES, PolicyInputError, resolveSettings } from '../../src/index.js';

const PKG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SHARED = resolve(PKG_DIR, '../../../shared');
const DOCS_DIR = process.env.DMPKIT_DOCS_DIR ? resolve(process.env.DMPKIT_DOCS_DIR) : join(SHARED, 'docs');
const TERMINOLOGY_DIR = process.env.DMPKIT_TERMINOLOGY_DIR ? resolve(process.env.DMPKIT_TERMINOLOGY_DIR) : join(SHARED, 'terminology');
const HAS_SOURCES = existsSync(join(DOCS_DIR, 'dmp-interface.md')) && existsSync(TERMINOLOGY_DIR);
if (!HAS_SOURCES) process.stderr.write(`[skip] policy data regeneration check: ${DOCS_DIR} or ${TERMINOLOGY_DIR} not found\n`);

describe('generated policy data', () => {
  it.skipIf(!HAS_SOURCES)('is what scripts/gen-policy-data.mjs produces from the shared sources today', () => {
    const r = spawnSync(process.execPath, [join(PKG_DIR, 'scripts/gen-policy-data.mjs'), '--check', '--docs', DOCS_DIR, '--terminology', TERMINOLOGY_DIR], { encoding: 'utf-8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('identifies the médecin du travail savoir-faire codes from JDV_J65', () => {
    expect(OCCUPATIONAL_HEALTH.codes.map((c) => c.code)).toEqual(['SM25', 'SCH35', 'C41', 'CAPA11', 'FON-29']);
    expect(DEFAULT_SETTINGS.occupationalHealthCodes).toEqual(OCCUPATIONAL_HEALTH.codes.map((c) => c.code));
  });
});

describe('rule catalogue', () => {
  it('has unique ids with a known prefix, each with a summary and a source', () => {
    const ids = POLICY_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of POLICY_RULES) {
      expect(r.id).toMatch(/^(ACC|VIS|DOC|POL|CONSENT)-[A-Z0-9-]+$/);
      expect(r.summary.length, r.id).toBeGreaterThan(20);
      expect(r.source.length, r.id).toBeGreaterThan(5);
    }
    const obligations = Object.values(ACCESS_OBLIGATIONS).map((o) => o.id);
    expect(new Set(obligations).size).toBe(obligations.length);
  });

  it('every rule and obligation id is documented in docs/access-policy.md', () => {
    const doc = readFileSync(join(PKG_DIR, '../../docs/access-policy.md'), 'utf-8');
    for (const r of POLICY_RULES) expect(doc, r.id).toContain(`\`${r.id}\``);
    for (const o of Object.values(ACCESS_OBLIGATIONS)) expect(doc, o.id).toContain(`\`${o.id}\``);
  });
});

describe('settings', () => {
  it('default to deny on unknown, with the public-material gaps left undecided', () => {
    expect(DEFAULT_SETTINGS).toMatchObject({ onUnknown: 'deny', footnote1: 'unknown', airProfiles: 'unknown', authorizationValidityDays: null, consentValidityMonths: 6, roleBasedProfessions: false });
  });

  it('reject unknown keys and bad values with the field named', () => {
    expect(() => parsePolicySettings({ onUnknwon: 'allow' })).toThrow(PolicyInputError);
    try {
      resolveSettings({ onUnknown: 'maybe' as never, consentValidityMonths: 0 });
      throw new Error('expected a PolicyInputError');
    } catch (err) {
      expect((err as PolicyInputError).problems).toEqual([
        'onUnknown: Invalid option: expected one of "deny"|"allow"|"unknown"',
        'consentValidityMonths: Too small: expected number to be >0',
      ]);
    }
  });
});

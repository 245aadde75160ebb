/** `dmp rules use` and `dmp rules show`, driven as a subprocess with a private config directory. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, normalize, requireBuiltCli, sandbox, writeFakePack, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeAll(() => {
  requireBuiltCli();
  sb = sandbox();
});
afterAll(() => sb.cleanup());

function configPath(): string {
  return join(sb.env.DMPKIT_CONFIG_DIR!, 'config.json');
}

describe('dmp rules show', () => {
  it('says when no pack is configured (text and --json)', () => {
    const text = sb.run(['rules', 'show']);
    expect(text.code).toBe(0);
    expectGolden('rules-show-none.txt', normalize(text.stdout, sb.dir));
    const json = sb.run(['--json', 'rules', 'show']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ rules: null, configFile: configPath() });
  });

  it('shows the saved pack, and DMPKIT_RULES taking precedence', () => {
    const root = writeFakePack(sb, 'saved-pack');
    sb.write('.config/config.json', JSON.stringify({ rules: { root, contentHash: 'abcdef0123456789abcdef', commit: '0123456789abcdef0123' }, other: 1 }));
    const saved = sb.run(['rules', 'show']);
    expect(saved.code).toBe(0);
    expectGolden('rules-show-saved.txt', normalize(saved.stdout, sb.dir));

    const env = sb.run(['rules', 'show', '--json'], { DMPKIT_RULES: 'elsewhere' });
    expect(env.code).toBe(0);
    expect(JSON.parse(env.stdout).rules).toEqual({ root: join(sb.dir, 'elsewhere'), source: 'env', exists: false });
    expect(env.stderr).toContain('does not exist any more');
  });

  it('exits 2 on a corrupt config file, naming it', () => {
    sb.write('.config/config.json', '{ not json');
    const r = sb.run(['rules', 'show']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(`the config file ${configPath()} is not valid JSON`);
    sb.write('.config/config.json', '{}');
  });
});

describe('dmp rules use', () => {
  it('refuses a directory that is not a TestContenuCDA tree, and saves nothing', () => {
    sb.write('not-a-pack/schematrons/a.sch', '<schema/>');
    sb.write('.config/config.json', '{}');
    const r = sb.run(['rules', 'use', 'not-a-pack']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('not-a-pack (given to dmp rules use) does not look like a TestContenuCDA tree: missing infrastructure/cda/CDA_extended.xsd, jeuxDeValeurs/');
    expect(readFileSync(configPath(), 'utf-8')).toBe('{}');
    expect(sb.run(['rules', 'use', 'missing-dir']).code).toBe(2);
  });

  it('compiles the pack, saves it, and rules show then reports it', () => {
    const root = writeFakePack(sb, 'good-pack');
    sb.write('.config/config.json', JSON.stringify({ keep: 'me' }));
    const r = sb.run(['--json', 'rules', 'use', 'good-pack']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.pack.root).toBe(root);
    expect(out.pack.contentHash).toMatch(/^[0-9a-f]{16,}$/);
    expect(out.schematrons).toContain('schematrons/profils/IHE.sch');
    expect(out.schematrons).toContain('schematrons/CI-SIS_Minimal.sch');
    expect(out.fromCache).toBe(false);
    expect(out.configFile).toBe(configPath());

    const config = JSON.parse(readFileSync(configPath(), 'utf-8'));
    expect(config).toEqual({ keep: 'me', rules: { root, contentHash: out.pack.contentHash, ...(out.pack.commit ? { commit: out.pack.commit } : {}) } });

    const show = sb.run(['--json', 'rules', 'show']);
    expect(JSON.parse(show.stdout).rules).toMatchObject({ root, source: 'config', exists: true, contentHash: out.pack.contentHash });

    const again = sb.run(['rules', 'use', 'good-pack']);
    expect(again.code, again.stderr).toBe(0);
    expectGolden('rules-use-cached.txt', normalize(again.stdout, sb.dir));
    expect(again.stdout).toContain(`ANS rule pack: ${root}`);
    expect(again.stdout).toContain(`saved in ${configPath()}`);
    // Same tree, same hash: the second compilation comes from the cache.
    expect(again.stdout).toContain('loaded from the cache');
  });
});

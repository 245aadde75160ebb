/** Profiles: file, environment and flags layered in that order, validated with the field and its source named. */
import { mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import {
  SIMULATOR_DEFAULT_PORT,
  configDir,
  describeProfile,
  formatProfileDescription,
  profilesFile,
  requireProfile,
  resolveDmpProfile,
  type ProfileInput,
  type ResolveDmpProfileOptions,
} from '../../src/config/index.js';
import { ConfigError } from '../../src/errors/index.js';
import { createTransportFromProfile } from '../../src/transport/index.js';
import { testPki, toPkcs12 } from '../transport/certs.js';
import { SOAP12, SUCCESS_BODY, httpsServer, soapEnvelope } from '../transport/servers.js';

const root = mkdtempSync(join(tmpdir(), 'dmpkit-cfg-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A fresh config dir with profiles.json (and any extra files), and an environment pointing at it. */
function setup(profiles: unknown, files: Record<string, string | Buffer> = {}): { dir: string; env: NodeJS.ProcessEnv; file: string } {
  const dir = join(root, `c${n++}`);
  mkdirSync(dir, { recursive: true });
  if (profiles !== undefined) writeFileSync(join(dir, 'profiles.json'), typeof profiles === 'string' ? profiles : JSON.stringify(profiles, null, 2));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return { dir, env: { DMPKIT_CONFIG_DIR: dir }, file: join(dir, 'profiles.json') };
}

const PROD: ProfileInput = {
  endpoint: 'https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/',
  structure: { id: '10B0127189', secteurActivite: 'SA07', name: 'CENTRE DE SANTE' },
  lps: { name: 'MonLPS', version: '2.1.0', homologation: 'KIR-gpt-875-55-hue-dia-R2' },
  professional: { id: '899900063480', name: 'Max Libre', profession: '10', specialty: 'SM26', authMode: 'indirecte' },
};

async function configError(p: Promise<unknown>): Promise<ConfigError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ConfigError);
  return e as ConfigError;
}

const resolve = (env: NodeJS.ProcessEnv, extra: ResolveDmpProfileOptions = {}) => resolveDmpProfile({ env, cwd: root, ...extra });

describe('where profiles.json is', () => {
  it('$DMPKIT_CONFIG_DIR, else $XDG_CONFIG_HOME/dmpkit, else ~/.config/dmpkit', () => {
    expect(profilesFile({ DMPKIT_CONFIG_DIR: '/etc/dmp', XDG_CONFIG_HOME: '/x' })).toBe('/etc/dmp/profiles.json');
    expect(profilesFile({ XDG_CONFIG_HOME: '/x' })).toBe('/x/dmpkit/profiles.json');
    expect(configDir({})).toMatch(/\.config\/dmpkit$/);
  });
});

describe('layers and precedence (flags > env > file)', () => {
  const { env, file } = setup({ profiles: { prod: PROD } });

  it('normalises the file profile and tells where each field comes from', async () => {
    const r = await resolve(env);
    expect(r.configFile).toBe(file);
    expect(r.profile).toMatchObject({
      name: 'prod',
      endpoint: 'https://lps2.dmp.gouv.fr/si-dmp-server/v2/services',
      services: {
        patients: 'https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/patients',
        registry: 'https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/registry',
      },
      structure: { id: '10B0127189', secteurActivite: { code: 'SA07', codeSystem: '1.2.250.1.71.4.2.4' } },
      professional: { profession: { code: '10', codeSystem: '1.2.250.1.71.1.2.7' }, specialty: { code: 'SM26', codeSystem: '1.2.250.1.71.4.2.5' }, authMode: 'INDIRECTE' },
      purposeOfUse: 'normal',
      timeouts: { connectMs: 10_000, headersMs: 60_000, bodyMs: 30_000 },
      retry: { attempts: 3 },
      tls: { minVersion: 'TLSv1.2' },
    });
    expect(r.sources['structure.id']).toBe(`${file} (profiles.prod)`);
  });

  it('environment variables override the file, flags override both', async () => {
    const envOver = { ...env, DMPKIT_ENDPOINT: 'https://lps.dev1.dmp.gouv.fr/si-dmp-server/v2/services', DMPKIT_PS_ID: '899900000001', DMPKIT_HEADERS_TIMEOUT_MS: '90000' };
    const r = await resolve(envOver);
    expect(r.profile.endpoint).toBe('https://lps.dev1.dmp.gouv.fr/si-dmp-server/v2/services');
    expect(r.profile.professional?.id).toBe('899900000001');
    expect(r.profile.professional?.specialty?.code).toBe('SM26');
    expect(r.profile.timeouts.headersMs).toBe(90_000);
    expect(r.sources.endpoint).toBe('env DMPKIT_ENDPOINT');
    expect(r.sources['professional.name']).toContain('profiles.json');
    const f = await resolve(envOver, { overrides: { endpoint: 'https://dev6.lps2.dmp.gouv.fr/si-dmp-server/v2/services', purposeOfUse: 'bris_de_glace' } });
    expect(f.profile.endpoint).toBe('https://dev6.lps2.dmp.gouv.fr/si-dmp-server/v2/services');
    expect(f.profile.purposeOfUse).toBe('bris_de_glace');
    expect(f.sources.endpoint).toBe('flags');
    expect(f.sources['professional.id']).toBe('env DMPKIT_PS_ID');
  });
});

describe('choosing the profile', () => {
  const two = setup({ defaultProfile: 'test', profiles: { test: { ...PROD, endpoint: 'https://lps.dev9.dmp.gouv.fr/si-dmp-server/v2/services' }, prod: PROD } });

  it('flag > DMPKIT_PROFILE > defaultProfile', async () => {
    expect((await resolve(two.env)).profile.name).toBe('test');
    expect((await resolve({ ...two.env, DMPKIT_PROFILE: 'prod' })).profile.name).toBe('prod');
    expect((await resolve({ ...two.env, DMPKIT_PROFILE: 'prod' }, { profile: 'test' })).profile.name).toBe('test');
  });

  it('refuses an unknown name, listing the profiles', async () => {
    const e = await configError(resolve(two.env, { profile: 'preprod' }));
    expect(e.code).toBe('CONFIG-PROFILE-UNKNOWN');
    expect(e.message).toBe('Unknown profile "preprod" (profiles: test, prod, simulator)');
  });

  it('asks for a choice when several profiles and no default', async () => {
    const { env } = setup({ profiles: { a: PROD, b: PROD } });
    const e = await configError(resolve(env));
    expect(e.code).toBe('CONFIG-NO-PROFILE');
    expect(e.message).toContain('profiles: a, b, simulator');
  });

  it('works from the environment alone (CI), as profile "default"', async () => {
    const r = await resolve({ DMPKIT_CONFIG_DIR: join(root, 'nowhere'), DMPKIT_ENDPOINT: 'https://lps2.dmp.gouv.fr/si-dmp-server/v2/services', DMPKIT_STRUCTURE_ID: '499900063480001' });
    expect(r.profile.name).toBe('default');
    expect(r.configFile).toBeUndefined();
    expect(r.profile.structure?.id).toBe('499900063480001');
  });

  it('an explicitly named file must exist', async () => {
    const e = await configError(resolve({}, { file: join(root, 'missing.json') }));
    expect(e.code).toBe('CONFIG-FILE');
  });
});

describe('built-in simulator profile', () => {
  it('points at the local simulator with test identities, port from DMPKIT_SIMULATOR_PORT', async () => {
    const nowhere = { DMPKIT_CONFIG_DIR: join(root, 'nowhere') };
    const r = await resolve({ ...nowhere, DMPKIT_PROFILE: 'simulator' });
    expect(r.profile.endpoint).toBe(`http://127.0.0.1:${SIMULATOR_DEFAULT_PORT}/si-dmp-server/v2/services`);
    expect(r.profile.services.repository).toBe(`http://127.0.0.1:${SIMULATOR_DEFAULT_PORT}/si-dmp-server/v2/services/repository`);
    expect(r.sources.endpoint).toBe('built-in simulator profile');
    expect(() => requireProfile(r.profile, ['auth', 'vihf'])).not.toThrow();
    expect((await resolve({ ...nowhere, DMPKIT_SIMULATOR_PORT: '9911' }, { profile: 'simulator' })).profile.endpoint).toBe('http://127.0.0.1:9911/si-dmp-server/v2/services');
    const bad = await configError(resolve({ ...nowhere, DMPKIT_SIMULATOR_PORT: '99999' }, { profile: 'simulator' }));
    expect(bad.issues).toEqual([{ field: 'endpoint', source: 'env DMPKIT_SIMULATOR_PORT', message: 'must be a port number (1-65535)' }]);
  });

  it('a "simulator" profile in the file is merged over the built-in one', async () => {
    const { env, file } = setup({ profiles: { simulator: { professional: { authMode: 'DIRECTE' } } } });
    const r = await resolve(env, { profile: 'simulator' });
    expect(r.profile.professional).toMatchObject({ authMode: 'DIRECTE', id: '899900063480' });
    expect(r.sources['professional.authMode']).toBe(`${file} (profiles.simulator)`);
  });
});

describe('validation names the field and its source', () => {
  it('collects every problem of every layer at once', async () => {
    const { env, file } = setup({ profiles: { p: { ...PROD, timeouts: { connectMs: 'fast' }, structur: {}, lps: { name: 'X' } } } });
    const e = await configError(resolve({ ...env, DMPKIT_RETRY_ATTEMPTS: 'three', DMPKIT_RECORD_REDACT: 'maybe' }, { overrides: { professional: { authMode: 'SUPER' } } as never }));
    expect(e.code).toBe('CONFIG-INVALID');
    const label = `${file} (profiles.p)`;
    expect(e.issues).toEqual(
      expect.arrayContaining([
        { field: 'retry.attempts', source: 'env DMPKIT_RETRY_ATTEMPTS', message: 'must be a whole number' },
        { field: 'recording.redact', source: 'env DMPKIT_RECORD_REDACT', message: 'must be true or false' },
        { field: 'structur', source: label, message: 'unknown field' },
        expect.objectContaining({ field: 'timeouts.connectMs', source: label }),
        expect.objectContaining({ field: 'professional.authMode', source: 'flags' }),
      ]),
    );
    expect(e.message).toMatch(/^Invalid profile "p"\n {2}- /);
  });

  it('checks the merged profile: required fields, URLs, PEM pairs, specialty for physicians', async () => {
    const { env, file } = setup({
      profiles: {
        p: { endpoint: 'http://dmp.example.fr/services', lps: { name: 'X' }, professional: { id: '8999', profession: '10', authMode: 'DIRECTE' }, auth: { cert: 'auth.pem' }, recording: { redact: false } },
      },
    });
    const e = await configError(resolve(env));
    const label = `${file} (profiles.p)`;
    expect(e.issues).toEqual(
      expect.arrayContaining([
        { field: 'endpoint', source: label, message: 'http:// is only allowed for a local simulator (127.0.0.1, ::1, localhost): use https://' },
        { field: 'lps.version', source: label, message: expect.stringContaining('required when lps is set') },
        { field: 'auth.key', source: label, message: 'PEM certificate and key go together: give both cert and key' },
        { field: 'professional.specialty', source: label, message: expect.stringContaining('required for profession 10') },
        { field: 'recording.dir', source: label, message: 'required to record exchanges' },
      ]),
    );
    const noEndpoint = setup({ profiles: { q: { structure: { id: 'X1' } } } });
    expect((await configError(resolve(noEndpoint.env))).issues).toEqual([{ field: 'endpoint', source: undefined, message: expect.stringContaining('required: the base URL of the DMP services') }]);
  });

  it('refuses credentials in the URL and a malformed JSON file', async () => {
    const { env } = setup({ profiles: { p: { endpoint: 'https://user:pw@lps2.dmp.gouv.fr/x' } } });
    expect((await configError(resolve(env))).issues[0]).toMatchObject({ field: 'endpoint', message: 'must not contain credentials' });
    const broken = setup('{ "profiles": { "p": { } }, }');
    const e = await configError(resolve(broken.env));
    expect(e.code).toBe('CONFIG-FILE');
    expect(e.message).toContain('is not valid JSON');
  });

  it('warns about a secteur d’activité missing from JDV_J61', async () => {
    const { env } = setup({ profiles: { p: { ...PROD, structure: { id: '1', secteurActivite: 'SA99' } } } });
    expect((await resolve(env)).warnings).toEqual(['structure.secteurActivite: SA99 is not in dmpkit\'s copy of JDV_J61 (the DMP may refuse it)']);
  });

  it('picks the pharmacist specialty system and reads code^OID', async () => {
    const { env } = setup({ profiles: { p: { ...PROD, professional: { id: '1', profession: '21^1.2.250.1.71.1.2.7', specialty: 'DA', authMode: 'DIRECTE' } } } });
    expect((await resolve(env)).profile.professional).toMatchObject({ profession: { code: '21' }, specialty: { code: 'DA', codeSystem: '1.2.250.1.71.4.2.6' } });
  });
});

describe('certificates and secrets', () => {
  const pki = testPki();
  const p12 = toPkcs12(pki.client, 'p12-secret-value', [pki.ca]);

  it('resolves paths against the profiles file folder and reads the password from an environment variable', async () => {
    const { env, dir } = setup({ profiles: { p: { ...PROD, auth: { p12: 'certs/auth.p12', p12Password: { env: 'MY_P12_PASS' } }, ca: 'certs/ca.pem' } } }, { 'certs/auth.p12': p12, 'certs/ca.pem': pki.ca.certPem });
    const r = await resolve({ ...env, MY_P12_PASS: 'p12-secret-value' });
    expect(r.profile.auth).toMatchObject({ kind: 'pkcs12', path: join(dir, 'certs/auth.p12') });
    expect(r.profile.ca).toEqual([join(dir, 'certs/ca.pem')]);
    if (r.profile.auth?.kind === 'pkcs12') expect(r.profile.auth.password.reveal()).toBe('p12-secret-value');
  });

  it('never prints a secret: JSON, inspect, describeProfile, errors', async () => {
    const { env } = setup({ profiles: { p: { ...PROD, auth: { p12: 'auth.p12', p12Password: 'p12-secret-value' } } } }, { 'auth.p12': p12 });
    const r = await resolve(env);
    expect(r.warnings).toContain('auth.p12Password is written in plain text in the profiles file: prefer { "env": "VAR" } or { "file": "path" }');
    const d = describeProfile(r);
    const text = formatProfileDescription(d);
    for (const shown of [JSON.stringify(r), inspect(r, { depth: 10 }), JSON.stringify(d), text]) {
      expect(shown).not.toContain('p12-secret-value');
    }
    expect(d.fields).toContainEqual({ field: 'auth.p12Password', value: '***', source: expect.stringContaining('profiles.p') });
    expect(text).toMatch(/auth\.p12Password\s+\*\*\*/);
  });

  it('reports a missing secret as CONFIG-SECRET naming the variable, and reads secret files', async () => {
    const { env } = setup({ profiles: { p: { ...PROD, auth: { p12: 'auth.p12', p12Password: { env: 'UNSET_VAR' } }, signature: { p12: 'auth.p12', p12Password: { file: 'pass.txt' } } } } }, { 'auth.p12': p12, 'pass.txt': 'from-file\n' });
    const e = await configError(resolve(env));
    expect(e.code).toBe('CONFIG-SECRET');
    expect(e.issues).toEqual([{ field: 'auth.p12Password', source: expect.stringContaining('profiles.p'), message: 'environment variable UNSET_VAR is not set' }]);
    const r = await resolve({ ...env, UNSET_VAR: 'x' });
    if (r.profile.signature?.kind === 'pkcs12') expect(r.profile.signature.password.reveal()).toBe('from-file');
  });

  it('requires a PKCS#12 password, checks files exist, and lets a higher layer switch PEM for PKCS#12', async () => {
    const { env, dir } = setup({ profiles: { p: { ...PROD, auth: { cert: 'auth.pem', key: 'auth.key' } } } }, { 'auth.pem': pki.client.certPem, 'auth.key': pki.client.keyPem, 'auth.p12': p12 });
    expect((await resolve(env)).profile.auth).toMatchObject({ kind: 'pem', certPath: join(dir, 'auth.pem') });
    const switched = await resolve({ ...env, DMPKIT_P12: join(dir, 'auth.p12'), DMPKIT_P12_PASSWORD: 'p12-secret-value' });
    expect(switched.profile.auth).toMatchObject({ kind: 'pkcs12', path: join(dir, 'auth.p12') });
    expect(switched.sources['auth.p12Password']).toBe('env DMPKIT_P12_PASSWORD');
    const noPass = await configError(resolve({ ...env, DMPKIT_P12: join(dir, 'auth.p12') }));
    expect(noPass.issues[0]).toMatchObject({ field: 'auth.p12Password', message: expect.stringContaining('DMPKIT_P12_PASSWORD') });
    const missing = await configError(resolve({ ...env, DMPKIT_P12: 'nope.p12', DMPKIT_P12_PASSWORD: 'x' }));
    expect(missing.issues[0]).toMatchObject({ field: 'auth.p12', source: 'env DMPKIT_P12', message: `file not found: ${join(root, 'nope.p12')}` });
    const both = await configError(resolve(env, { overrides: { auth: { p12: 'a.p12', cert: 'b.pem' } } }));
    expect(both.issues[0]!.message).toContain('either a PKCS#12 file (p12) or PEM files');
  });

  it('requireProfile lists what an operation needs', async () => {
    const { env } = setup({ profiles: { p: { endpoint: 'https://lps2.dmp.gouv.fr/si-dmp-server/v2/services', professional: { id: '1', profession: '60', authMode: 'INDIRECTE' } } } });
    const { profile } = await resolve(env);
    try {
      requireProfile(profile, ['auth', 'signature', 'vihf']);
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).code).toBe('CONFIG-INCOMPLETE');
      expect((e as ConfigError).issues.map((i) => i.field)).toEqual(['auth', 'signature', 'structure.id', 'structure.secteurActivite', 'lps.name', 'lps.version', 'lps.homologation', 'professional.name']);
    }
  });
});

describe('createTransportFromProfile', () => {
  it('talks mutual TLS with the profile’s PKCS#12 and CA, and records where the profile says', async () => {
    const pki = testPki();
    const server = await httpsServer({ key: pki.server.keyPem, cert: pki.server.certPem, ca: pki.ca.certPem, requestCert: true, rejectUnauthorized: true }, (_r, res) => {
      res.setHeader('content-type', SOAP12);
      res.end(SUCCESS_BODY);
    });
    const { env, dir } = setup(
      { profiles: { p: { ...PROD, endpoint: `${server.url}/si-dmp-server/v2/services`, auth: { p12: 'auth.p12', p12Password: { env: 'P' } }, ca: 'ca.pem', recording: { dir: 'rec' } } } },
      { 'auth.p12': toPkcs12(pki.client, 'pw', [pki.ca], '3des'), 'ca.pem': pki.ca.certPem },
    );
    const { profile } = await resolve({ ...env, P: 'pw' });
    expect(profile.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/si-dmp-server\/v2\/services$/);
    const transport = await createTransportFromProfile(profile);
    const res = await transport.send({ url: profile.services.registry, body: Buffer.from(soapEnvelope('<q/>')), contentType: SOAP12, mode: 'read', transaction: 'TD3.1' });
    expect(res.status).toBe(200);
    expect(server.received.at(-1)!.clientCertCn).toBe('CABINET TEST AUTH_CLI');
    expect(server.received.at(-1)!.headers['user-agent']).toBe('MonLPS/2.1.0 dmpkit');
    expect(readdirSync(join(dir, 'rec'))).toHaveLength(1);
    await transport.close();
    await server.close();
  });

  it('reports a wrong PKCS#12 password when the transport is created, naming the field', async () => {
    const pki = testPki();
    const { env } = setup({ profiles: { p: { ...PROD, auth: { p12: 'auth.p12', p12Password: { env: 'P' } } } } }, { 'auth.p12': toPkcs12(pki.client, 'right') });
    const { profile } = await resolve({ ...env, P: 'wrong' });
    const e = await configError(createTransportFromProfile(profile));
    expect(e.code).toBe('CONFIG-CERTIFICATE');
    expect(e.issues[0]!.field).toBe('auth.p12Password');
  });
});

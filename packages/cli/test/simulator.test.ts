/**
 * `dmp simulator start|init|reset|load` as a user runs them: the built `dmp` in real processes, the simulator listening
 * on 127.0.0.1, and `dmp status` / `dmp search` with the profile `init` wrote, signing VIHFs the simulator verifies.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, requireBuiltCli, sandbox, type Sandbox } from './helpers.js';

const FIXTURES = resolve(import.meta.dirname, '..', '..', '..', 'fixtures', 'cda', 'valid');
const FIXTURE_INS = ['--ins', '100000000000047', '--ins-oid', '1.2.250.1.213.1.4.10'];

interface Started {
  proc: ChildProcess;
  info: { url: string; port: number; patients: number; vihfMode: string; dataDir: string | null; documentMatrix: { name: string; origin: string; complete: boolean } };
  /** Sends the signal and resolves with the exit code and what it wrote on stderr. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; stderr: string }>;
}

/** `dmp --json simulator start --port 0 ...`, resolved once it printed its address (the port is open then). */
function start(sb: Sandbox, args: string[] = []): Promise<Started> {
  const proc = spawn(process.execPath, [BIN, '--json', 'simulator', 'start', '--port', '0', ...args], { cwd: sb.dir, env: sb.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((done) => proc.on('exit', (code) => done(code)));
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => reject(new Error(`the simulator did not start in time: ${stderr}`)), 60_000);
    exited.then((code) => reject(new Error(`dmp simulator start exited ${code}: ${stderr}`)));
    proc.stdout!.on('data', (c: Buffer) => {
      stdout += c.toString();
      const line = stdout.split('\n')[0]!;
      if (!stdout.includes('\n')) return;
      clearTimeout(timer);
      resolveStart({
        proc,
        info: JSON.parse(line),
        stop: async (signal = 'SIGTERM') => {
          proc.kill(signal);
          return { code: await exited, stderr };
        },
      });
    });
  });
}

/** A port nobody listens on: bound by the OS, then released. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', () => done()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

let sb: Sandbox;
let sim: Started;
const portEnv = () => ({ DMPKIT_SIMULATOR_PORT: String(sim.info.port) });

beforeAll(async () => {
  requireBuiltCli();
  sb = sandbox();
  sim = await start(sb);
});
afterAll(async () => {
  if (sim && sim.proc.exitCode === null) await sim.stop();
  sb?.cleanup();
});

describe('dmp simulator start', () => {
  it('prints where it listens, with the default scenario loaded and strict VIHF checks', async () => {
    expect(sim.info.url).toBe(`http://127.0.0.1:${sim.info.port}`);
    expect(sim.info.patients).toBeGreaterThan(10);
    expect(sim.info.vihfMode).toBe('strict');
    const health = (await (await fetch(`${sim.info.url}/_driver/health`)).json()) as { ok: boolean; patients: number };
    expect(health).toMatchObject({ ok: true, patients: sim.info.patients });
  });

  it('refuses a port already in use (exit 2, naming the port)', () => {
    const r = sb.run(['simulator', 'start', '--port', String(sim.info.port)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`port ${sim.info.port} is already in use`);
  });

  it('stops cleanly on SIGINT, and a --data folder keeps its state for the next start', async () => {
    const data = join(sb.dir, 'data');
    const first = await start(sb, ['--data', 'data', '--scenario', 'empty']);
    expect(first.info).toMatchObject({ patients: 0, dataDir: data });
    const ended = await first.stop('SIGINT');
    expect(ended.code).toBe(0);
    expect(ended.stderr).toContain('simulator stopped (SIGINT)');
    expect(existsSync(join(data, 'dmp-simulator.sqlite'))).toBe(true);
    // The store is empty, so the default scenario is loaded on the next start...
    const second = await start(sb, ['--data', 'data', '--lenient']);
    expect(second.info.patients).toBe(sim.info.patients);
    expect(second.info.vihfMode).toBe('lenient');
    expect((await second.stop()).code).toBe(0);
    // ...and it is what the data folder holds afterwards, even when asked for an empty store.
    const third = await start(sb, ['--data', 'data', '--scenario', 'empty']);
    expect(third.info.patients).toBe(sim.info.patients);
    expect((await third.stop()).code).toBe(0);
  });
});

describe('dmp simulator start and the document-type matrix', () => {
  it('decides with the shipped partial matrix, or with the official one once `dmp matrix import` stored it', async () => {
    expect(sim.info.documentMatrix).toMatchObject({ origin: 'shipped', complete: false });
    const csv = ['# version: 3.1.0', '# date: 2024-09-25', 'typeCode;display;G15-10;G15-70', '11488-4;CR de consultation;R;-', ''].join('\n');
    const imported = sb.run(['matrix', 'import', sb.write('official.csv', csv)]);
    expect(imported.code, imported.stderr).toBe(0);
    const withOfficial = await start(sb);
    try {
      expect(withOfficial.info.documentMatrix).toMatchObject({ origin: 'imported' });
    } finally {
      await withOfficial.stop();
      sb.run(['matrix', 'reset']);
    }
  });
});

describe('dmp simulator init, then dmp status --profile simulator', () => {
  it('without init, the built-in profile has no signature certificate: a usage error', () => {
    const r = sb.run(['status', '--profile', 'simulator', ...FIXTURE_INS], portEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('signature');
  });

  it('writes the PKI and a profile that signs VIHFs the strict simulator accepts', () => {
    sb.write('.config/profiles.json', JSON.stringify({ profiles: { other: { endpoint: 'https://dmp.example/si-dmp-server/v2/services' } } }));
    const r = sb.run(['--json', 'simulator', 'init']);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { dir: string; created: boolean; files: Record<string, string>; profilesFile: string };
    expect(out.created).toBe(true);
    expect(out.dir).toBe(join(sb.dir, '.config', 'simulator'));
    expect(readFileSync(out.files.signCert!, 'utf8')).toMatch(/^-----BEGIN CERTIFICATE-----/);
    expect(statSync(out.files.signKey!).mode & 0o077).toBe(0);
    const profiles = JSON.parse(readFileSync(out.profilesFile, 'utf8')) as { profiles: Record<string, { signature?: { cert: string } }> };
    expect(Object.keys(profiles.profiles).sort()).toEqual(['other', 'simulator']);
    expect(profiles.profiles.simulator!.signature!.cert).toBe(out.files.signCert);

    const status = sb.run(['status', '--profile', 'simulator', ...FIXTURE_INS], portEnv());
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('DMP: active');
    expect(status.stdout).toContain('authorization: VALIDE');
    expect(status.stdout).not.toContain('100000000000047');
  });

  it('a second init keeps the PKI (a running --https simulator trusts its CA); --force makes a new one', () => {
    const before = readFileSync(join(sb.dir, '.config', 'simulator', 'ca.pem'), 'utf8');
    const kept = sb.run(['simulator', 'init']);
    expect(kept.code).toBe(0);
    expect(kept.stdout).toContain('kept the test PKI already in');
    expect(readFileSync(join(sb.dir, '.config', 'simulator', 'ca.pem'), 'utf8')).toBe(before);
    const renewed = sb.run(['simulator', 'init', '--force', '--dir', 'pki2']);
    expect(renewed.code).toBe(0);
    expect(readFileSync(join(sb.dir, 'pki2', 'ca.pem'), 'utf8')).not.toBe(before);
    // The profile now points at the new files, which the simulator accepts as well.
    expect(sb.run(['status', '--profile', 'simulator', ...FIXTURE_INS], portEnv()).code).toBe(0);
  });

  it('--https: TLS with the init certificates, client certificates required, VIHF signatures checked against the test CA', async () => {
    // Back to the default folder's PKI, which `start --https` serves and trusts.
    expect(sb.run(['simulator', 'init']).code).toBe(0);
    const https = await start(sb, ['--https']);
    try {
      expect(https.info.url).toBe(`https://localhost:${https.info.port}`);
      const endpoint = ['--endpoint', `${https.info.url}/si-dmp-server/v2/services`];
      const ok = sb.run(['status', '--profile', 'simulator', ...endpoint, ...FIXTURE_INS]);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toContain('DMP: active');
      // Signed with the CPS certificate of another CA: the simulator refuses the VIHF (a DMP refusal, exit 4).
      const pki2 = join(sb.dir, 'pki2');
      const foreign = sb.run(['status', '--profile', 'simulator', ...endpoint, ...FIXTURE_INS], { DMPKIT_SIGN_CERT: join(pki2, 'cps-sign.pem'), DMPKIT_SIGN_KEY: join(pki2, 'cps-sign.key.pem') });
      expect(foreign.code, foreign.stderr).toBe(4);
    } finally {
      expect((await https.stop()).code).toBe(0);
    }
  });
});

describe('dmp simulator start --settings, --on-unknown, --no-log-bodies', () => {
  it('the policy settings file of `dmp access check` also names the TD0.2 codes written; bodies can stay out of the log', async () => {
    // A platform that calls a valid authorization AUTORISEE: the simulator writes it, the profile reads it back.
    const settings = sb.write('platform.json', JSON.stringify({ authorizationCodes: { AUTORISEE: 'valid' } }));
    const started = await start(sb, ['--settings', settings, '--on-unknown', 'deny', '--no-log-bodies']);
    try {
      const info = started.info as Started['info'] & { logBodies: boolean; policySettings: string[]; authorizationCodes: Record<string, string> };
      expect(info.logBodies).toBe(false);
      expect(info.policySettings).toEqual(['authorizationCodes', 'onUnknown']);
      expect(info.authorizationCodes).toMatchObject({ valid: 'AUTORISEE', blocked: 'INTERDITE' });
      const status = sb.run(['status', '--profile', 'simulator', ...FIXTURE_INS], { DMPKIT_SIMULATOR_PORT: String(started.info.port) });
      expect(status.code, status.stderr).toBe(0);
      expect(status.stdout).toContain('authorization: AUTORISEE');
      const log = (await (await fetch(`${started.info.url}/_driver/requests`)).json()) as { id: number }[];
      expect(log.length).toBeGreaterThan(0);
      const body = await fetch(`${started.info.url}/_driver/requests/${log[0]!.id}/request`);
      expect(body.status).toBe(404);
      expect(((await body.json()) as { error: { code: string } }).error.code).toBe('NO_BODY');
    } finally {
      expect((await started.stop()).code).toBe(0);
    }
  });

  it('a settings file that is not PolicySettings is a usage error naming the file and the key', () => {
    const bad = sb.write('bad-settings.json', JSON.stringify({ onUnknown: 'maybe' }));
    const r = sb.run(['simulator', 'start', '--port', '0', '--settings', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-settings.json');
    expect(r.stderr).toContain('onUnknown');
  });
});

describe('dmp simulator reset and load', () => {
  it('reset --scenario empty empties it; reset brings the default scenario back', () => {
    const empty = sb.run(['--json', 'simulator', 'reset', '--scenario', 'empty'], portEnv());
    expect(empty.code, empty.stderr).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual({ url: sim.info.url, scenario: 'empty', patients: 0 });
    expect(sb.run(['status', '--profile', 'simulator', ...FIXTURE_INS], portEnv()).stdout).toContain('DMP: none for this patient');
    const back = sb.run(['simulator', 'reset', '--url', sim.info.url]);
    expect(back.code).toBe(0);
    expect(back.stdout).toBe(`simulator at ${sim.info.url} reset: default scenario loaded (${sim.info.patients} patients)\n`);
    expect(sb.run(['status', '--profile', 'simulator', ...FIXTURE_INS], portEnv()).stdout).toContain('DMP: active');
  });

  it('load: a YAML scenario with a document given relative to the file, found by dmp search', () => {
    sb.run(['simulator', 'reset', '--scenario', 'empty'], portEnv());
    copyFileSync(join(FIXTURES, 'n1-pdf.xml'), sb.write('scenarios/docs/n1.xml', ''));
    sb.write(
      'scenarios/one.yaml',
      [
        'name: one patient, one document',
        'professionals:',
        '  - { id: "899900063480", profession: "10", specialty: SM26, card: CPS }',
        'patients:',
        '  - ins: "100000000000047"',
        '    authorizations: [{ professional: "899900063480" }]',
        'documents:',
        '  - { patient: "100000000000047", file: docs/n1.xml }',
        '',
      ].join('\n'),
    );
    const r = sb.run(['--json', 'simulator', 'load', 'scenarios/one.yaml'], portEnv());
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ url: sim.info.url, file: 'scenarios/one.yaml', patients: 1, professionals: 1, authorizations: 1, documents: 1 });
    const search = sb.run(['--json', 'search', '--profile', 'simulator', ...FIXTURE_INS], portEnv());
    expect(search.code, search.stderr).toBe(0);
    expect(search.stdout).toContain('1.2.250.1.999.1.1.1.1');
    const text = sb.run(['simulator', 'load', 'scenarios/one.yaml'], portEnv());
    expect(text.stdout).toBe(`loaded scenarios/one.yaml into the simulator at ${sim.info.url}: 1 patient, 1 professional, 1 authorization, 1 document\n`);
  });

  it('a bad scenario file is a usage error naming the file and the field, and nothing is sent', () => {
    sb.write('scenarios/bad.yaml', 'patients:\n  - ins: "12345"\n');
    const r = sb.run(['simulator', 'load', 'scenarios/bad.yaml'], portEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('error: scenarios/bad.yaml: patients.0.ins: an INS is 13 characters');
    expect(r.stdout).toBe('');
    const started = sb.run(['simulator', 'start', '--port', '0', '--scenario', 'scenarios/bad.yaml']);
    expect(started.code).toBe(2);
    expect(started.stderr).toContain('--scenario scenarios/bad.yaml: patients.0.ins');
    sb.write('scenarios/broken.json', '{ "patients": [ ');
    const broken = sb.run(['simulator', 'load', 'scenarios/broken.json'], portEnv());
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('scenarios/broken.json: not valid JSON');
    const missing = sb.run(['simulator', 'load', 'scenarios/none.yaml'], portEnv());
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('scenarios/none.yaml: cannot read the scenario (ENOENT)');
    sb.write('scenarios/nodoc.yaml', 'patients:\n  - ins: "100000000000047"\ndocuments:\n  - { patient: "100000000000047", file: docs/absent.xml }\n');
    const nodoc = sb.run(['simulator', 'load', 'scenarios/nodoc.yaml'], portEnv());
    expect(nodoc.code).toBe(2);
    expect(nodoc.stderr).toContain('documents.0.file: cannot read');
  });

  it('no simulator at --url: a transport failure (exit 5) that says how to start one', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const r = sb.run(['simulator', 'reset', '--url', url]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`no simulator answers at ${url}`);
    expect(r.stderr).toContain('dmp simulator start');
    expect(sb.run(['simulator', 'reset', '--url', 'ftp://x']).code).toBe(2);
  });
});

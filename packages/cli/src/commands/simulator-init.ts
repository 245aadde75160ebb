/**
 * `dmp simulator init [--dir DIR]`: a throw-away test PKI (the SDK's createTestPki) written as PEM files, and a
 * `simulator` profile in profiles.json that signs VIHFs and lots with its CPS signature certificate, so that
 * `dmp status --profile simulator ...` passes the simulator's strict VIHF verification. Also a TLS server certificate
 * (CN localhost) and the structure's authentication certificate, for `dmp simulator start --https`.
 */
import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { configDir, createTestPki, profilesFile } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';

/** The files of the test PKI, relative to its folder. */
export const PKI_FILES = {
  ca: 'ca.pem',
  signCert: 'cps-sign.pem',
  signKey: 'cps-sign.key.pem',
  authCert: 'auth-cli.pem',
  authKey: 'auth-cli.key.pem',
  tlsCert: 'tls-server.pem',
  tlsKey: 'tls-server.key.pem',
} as const;

const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

/** Where `init` writes the PKI and `start --https` looks for it: `<config dir>/simulator`. */
export function defaultPkiDir(env: NodeJS.ProcessEnv): string {
  return join(configDir(env), 'simulator');
}

interface Options {
  dir?: string;
  force?: boolean;
}

export function registerSimulatorInit(group: Command, ctx: CommandContext): void {
  group
    .command('init')
    .description('write a test PKI (CA, CPS signature, TLS server) and a `simulator` profile that signs with it')
    .option('--dir <dir>', 'folder of the PEM files (default: <config dir>/simulator)')
    .option('--force', 'make a new PKI even if the folder already holds one')
    .action(action(ctx, (o: Options) => runInit(ctx, o)));
}

async function runInit(ctx: CommandContext, o: Options): Promise<ExitCode> {
  const dir = o.dir ? resolve(ctx.cwd, o.dir) : defaultPkiDir(ctx.env);
  const paths = Object.fromEntries(Object.entries(PKI_FILES).map(([k, f]) => [k, join(dir, f)])) as Record<keyof typeof PKI_FILES, string>;
  // A simulator already started with --https trusts this CA: keep a complete PKI unless asked for a new one.
  const reused = !o.force && Object.values(paths).every((p) => existsSync(p));
  if (!reused) await writePki(paths);
  const file = profilesFile(ctx.env);
  const profile = { signature: { cert: paths.signCert, key: paths.signKey }, auth: { cert: paths.authCert, key: paths.authKey }, ca: [paths.ca] };
  await writeSimulatorProfile(file, profile);

  const out = ctx.output();
  if (ctx.globals().json) {
    out.print(JSON.stringify({ dir, created: !reused, files: paths, profilesFile: file, profile: 'simulator' }, null, 2));
    return ExitCode.OK;
  }
  out.print(
    [
      `${reused ? 'kept the test PKI already in' : 'wrote a new test PKI in'} ${dir}`,
      `  CA                 ${PKI_FILES.ca}`,
      `  CPS signature      ${PKI_FILES.signCert}, ${PKI_FILES.signKey}  (signs the VIHF and the lots)`,
      `  authentication     ${PKI_FILES.authCert}, ${PKI_FILES.authKey}  (mutual TLS with --https)`,
      `  TLS server         ${PKI_FILES.tlsCert}, ${PKI_FILES.tlsKey}  (CN localhost, for dmp simulator start --https)`,
      `profile "simulator" in ${file} now signs with the CPS certificate`,
      'next: dmp simulator start, then dmp status --profile simulator --ins <INS> --ins-oid 1.2.250.1.213.1.4.10',
    ].join('\n'),
  );
  out.info('These are test certificates: never use them with a real DMP.');
  return ExitCode.OK;
}

async function writePki(paths: Record<keyof typeof PKI_FILES, string>): Promise<void> {
  const pki = createTestPki();
  const tls = pki.ca.issue('auth-cli', { subject: [['C', 'FR'], ['O', 'DMPKIT TEST'], ['CN', 'localhost']], keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: [SERVER_AUTH] });
  const chain = pki.ca.certPem;
  const files: Array<[string, string, boolean]> = [
    [paths.ca, pki.ca.certPem, false],
    // The certificate files hold the chain, as the profile's `cert` allows, so the verifier sees the issuer too.
    [paths.signCert, pki.cps.certPem + chain, false],
    [paths.signKey, pki.cps.keyPem, true],
    [paths.authCert, pki.authCli.certPem + chain, false],
    [paths.authKey, pki.authCli.keyPem, true],
    [paths.tlsCert, tls.certPem + chain, false],
    [paths.tlsKey, tls.keyPem, true],
  ];
  try {
    await mkdir(dirname(paths.ca), { recursive: true, mode: 0o700 });
    for (const [path, pem, secret] of files) {
      await writeFile(path, pem, { mode: secret ? 0o600 : 0o644 });
      // writeFile's mode only applies to new files; an older key file keeps its mode otherwise.
      if (secret) await chmod(path, 0o600);
    }
  } catch (err) {
    throw new CliError(`cannot write the test PKI in ${dirname(paths.ca)}: ${fsReason(err)}`);
  }
}

/** Sets the certificate fields of profiles.simulator, keeping everything else in the file. */
async function writeSimulatorProfile(file: string, fields: Record<string, unknown>): Promise<void> {
  let data: Record<string, unknown> = {};
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new CliError(`cannot update ${file}: ${err instanceof SyntaxError ? 'not valid JSON' : fsReason(err)}`, ExitCode.USAGE, 'fix the file, or move it away and run dmp simulator init again');
    }
  }
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new CliError(`cannot update ${file}: it must hold a JSON object`);
  const profiles = (data.profiles ?? {}) as Record<string, unknown>;
  if (typeof profiles !== 'object' || Array.isArray(profiles)) throw new CliError(`cannot update ${file}: "profiles" must be an object`);
  const current = (profiles.simulator ?? {}) as Record<string, unknown>;
  data.profiles = { ...profiles, simulator: { ...current, ...fields } };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, JSON.stringify(data, null, 2) + '\n', { mode: 0o600 });
    await rename(tmp, file);
  } catch (err) {
    throw new CliError(`cannot write ${file}: ${fsReason(err)}`);
  }
}

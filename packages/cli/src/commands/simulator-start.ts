/**
 * `dmp simulator start`: the simulator in the foreground until SIGINT or SIGTERM, then closed cleanly (pending
 * answers finished, SQLite closed) so that a data folder is never left half-written.
 */
import { Option, type Command } from 'commander';
import { POLICY_UNKNOWN_OUTCOMES, type PolicyUnknownOutcome } from '@dmpkit/sdk';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { action, type CommandContext } from '../base/command.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { parseCount } from '../base/options.js';
import { simulatorPortOf } from './simulator.js';
import { defaultPkiDir, PKI_FILES } from './simulator-init.js';
import { readImportedMatrix } from './matrix-store.js';
import { settingsFrom } from './access-options.js';

interface Options {
  port?: number;
  data?: string;
  scenario: string;
  lenient?: boolean;
  https?: boolean;
  pki?: string;
  settings?: string;
  onUnknown?: PolicyUnknownOutcome;
  logBodies: boolean;
  decodeThreads?: number;
}

export function registerSimulatorStart(group: Command, ctx: CommandContext): void {
  group
    .command('start')
    .description('run the local DMP simulator in the foreground (Ctrl-C stops it)')
    .option('--port <n>', 'port on 127.0.0.1 (default: DMPKIT_SIMULATOR_PORT, else 8787; 0 for any free port)', parseCount(0))
    .option('--data <dir>', 'keep the data in SQLite in this folder (default: in memory, lost on stop)')
    .option('--scenario <file|default|empty>', 'what to load into an empty store: the official test patients, nothing, or a YAML/JSON file', 'default')
    .option('--lenient', 'check the VIHF attributes only, not its signature (early integration)')
    .option('--https', 'serve HTTPS with the TLS certificate of `dmp simulator init`, require client certificates of its CA, and trust that CA for VIHF signatures')
    .option('--pki <dir>', 'folder of the test PKI for --https (default: <config dir>/simulator)')
    .option('--settings <file>', 'policy settings as JSON, the same file as `dmp access check --settings` (keys of PolicySettings, see docs/access-policy.md); its authorizationCodes are also the TD0.2 codes the simulator writes')
    .addOption(new Option('--on-unknown <outcome>', 'what an undecided access becomes (default: deny)').choices(POLICY_UNKNOWN_OUTCOMES))
    .option('--no-log-bodies', 'keep no raw request or response body in the request log (they hold health data)')
    .option('--decode-threads <n>', 'threads that decode requests and verify their VIHF (default: none below 4 cores, else one per core beyond two, at most 2)', parseCount(0))
    .action(action(ctx, (o: Options) => runStart(ctx, o)));
}

async function readPem(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new CliError(`--https: cannot read ${path}: ${fsReason(err)}`, ExitCode.USAGE, 'run `dmp simulator init` first (or give its folder with --pki)');
  }
}

async function runStart(ctx: CommandContext, o: Options): Promise<ExitCode> {
  const port = o.port ?? simulatorPortOf(ctx.env);
  if (port > 65535) throw new CliError(`--port: ${port} is not a port number (0-65535)`);
  const { startSimulator, readScenarioFile, ScenarioError } = await import('@dmpkit/simulator');

  let scenario = o.scenario;
  if (scenario !== 'default' && scenario !== 'empty') {
    const path = resolve(ctx.cwd, scenario);
    try {
      // Checked before starting: a data folder that already holds patients would otherwise skip it silently.
      readScenarioFile(path);
    } catch (err) {
      if (err instanceof ScenarioError) throw new CliError(`--scenario ${scenario}: ${err.message.slice(err.file.length + 2)}`, ExitCode.USAGE, 'give default, empty, or a scenario file (see docs/cli.md, dmp simulator)');
      throw err;
    }
    scenario = path;
  }
  let dataDir: string | undefined;
  if (o.data) {
    dataDir = resolve(ctx.cwd, o.data);
    try {
      await mkdir(dataDir, { recursive: true });
    } catch (err) {
      throw new CliError(`--data: cannot create ${o.data}: ${fsReason(err)}`);
    }
  }
  let tls: { key: string; cert: string; clientCa: string } | undefined;
  let trusted: string[] = [];
  if (o.https) {
    const dir = o.pki ? resolve(ctx.cwd, o.pki) : defaultPkiDir(ctx.env);
    const ca = await readPem(join(dir, PKI_FILES.ca));
    tls = { key: await readPem(join(dir, PKI_FILES.tlsKey)), cert: await readPem(join(dir, PKI_FILES.tlsCert)), clientCa: ca };
    trusted = [ca];
  }
  const existing = dataDir !== undefined && existsSync(join(dataDir, 'dmp-simulator.sqlite'));

  // The official document-type matrix, when `dmp matrix import` stored one: the simulator decides with the same
  // table as `dmp access check`.
  const documentMatrix = await readImportedMatrix(ctx.env);
  // The same settings reader as `dmp access check`: a file that decides one way there decides the same way here.
  const policy = await settingsFrom(ctx, o);
  let sim;
  try {
    sim = await startSimulator({
      port,
      ...(dataDir ? { dataDir } : {}),
      scenario,
      ...(tls ? { tls } : {}),
      ...(o.decodeThreads !== undefined ? { decodeThreads: o.decodeThreads } : {}),
      settings: { vihfMode: o.lenient ? 'lenient' : 'strict', trustedCertificates: trusted, logBodies: o.logBodies, policy, ...(documentMatrix ? { documentMatrix } : {}) },
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new CliError(`port ${port} is already in use on 127.0.0.1 (another simulator?)`, ExitCode.USAGE, 'stop it, or choose another port with --port (and DMPKIT_SIMULATOR_PORT for the profile)');
    if (code === 'EACCES') throw new CliError(`port ${port}: permission denied`, ExitCode.USAGE, 'use a port above 1024');
    if (err instanceof ScenarioError) throw new CliError(err.message);
    throw err;
  }

  // Listening for the signals before the address is printed: a script may send one as soon as it reads it.
  const stopped = new Promise<NodeJS.Signals>((done) => {
    const stop = (s: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done(s);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  // The certificate names localhost (a TLS client checks the name, and an IP needs a SAN the test PKI cannot add).
  const url = tls ? sim.url.replace('127.0.0.1', 'localhost') : sim.url;
  const baseUrl = tls ? sim.baseUrl.replace('127.0.0.1', 'localhost') : sim.baseUrl;
  const patients = sim.context.store.patientCount();
  const profileEnv = sim.port === 8787 && !tls ? '' : tls ? `--endpoint ${baseUrl} ` : `DMPKIT_SIMULATOR_PORT=${sim.port} `;
  const matrix = sim.context.policy.describe();
  const out = ctx.output();
  if (ctx.globals().json) {
    // One line, written once the port is open: a script can read it and go.
    out.print(JSON.stringify({ url, baseUrl, consoleUrl: `${url}/`, driverUrl: `${url}/_driver`, port: sim.port, https: tls !== undefined, vihfMode: sim.context.settings.vihfMode, logBodies: sim.context.settings.logBodies, policySettings: Object.keys(policy).sort(), authorizationCodes: sim.context.settings.authorizationCodes, dataDir: dataDir ?? null, patients, profile: 'simulator', documentMatrix: { name: matrix.documentMatrix, origin: matrix.documentMatrixOrigin, complete: matrix.documentMatrixComplete } }));
  } else {
    out.print(
      [
        `DMP simulator listening on ${url}`,
        `  DMP services   ${baseUrl}`,
        `  web console    ${url}/`,
        `  driver API     ${url}/_driver`,
        `  data           ${dataDir ? `${join(dataDir, 'dmp-simulator.sqlite')}${existing ? ' (existing data kept; --scenario applies to an empty store only)' : ''}` : 'in memory (lost on stop; --data DIR keeps it)'}`,
        `  store          ${patients} patient${patients === 1 ? '' : 's'}; VIHF check ${sim.context.settings.vihfMode}${trusted.length ? ', signatures trusted from the test CA' : ''}`,
        ...(Object.keys(policy).length ? [`  policy         settings ${Object.keys(policy).sort().join(', ')} from ${[o.settings, o.onUnknown && '--on-unknown'].filter(Boolean).join(' and ')}`] : []),
        ...(o.logBodies ? [] : ['  request log    without bodies (--no-log-bodies)']),
        `  doc-type matrix ${matrix.documentMatrix} (${matrix.documentMatrixOrigin === 'imported' ? 'imported with `dmp matrix import`' : 'shipped, partial: unknown cells are refused; `dmp matrix import` loads the official table'})`,
        `  profile        ${profileEnv}dmp status --profile simulator --ins <INS> --ins-oid 1.2.250.1.213.1.4.10`,
        '                 (run `dmp simulator init` once so that the profile signs its VIHFs)',
        'Ctrl-C stops it.',
      ].join('\n'),
    );
  }

  const signal = await stopped;
  await sim.close();
  out.info(`simulator stopped (${signal})${dataDir ? `; data kept in ${dataDir}` : ''}`);
  return ExitCode.OK;
}

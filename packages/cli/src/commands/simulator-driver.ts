/**
 * `dmp simulator reset` and `dmp simulator load <file>`: change the data of a running simulator through its driver
 * API. The scenario file is checked here first, so an error names the file and the field before anything is sent;
 * its document paths are made absolute because the simulator resolves them from its own working directory.
 */
import { Option, type Command } from 'commander';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { action, type CommandContext } from '../base/command.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { callDriver, defaultSimulatorUrl, parseSimulatorUrl } from './simulator.js';

interface UrlOptions {
  url?: string;
}

function urlOption(cmd: Command): Command {
  return cmd.option('--url <url>', 'the running simulator (default: http://127.0.0.1:$DMPKIT_SIMULATOR_PORT, else :8787)', parseSimulatorUrl);
}

export function registerSimulatorReset(group: Command, ctx: CommandContext): void {
  urlOption(group.command('reset').description('empty a running simulator and load the default scenario (or none)'))
    .addOption(new Option('--scenario <name>', 'what to load after emptying it').choices(['default', 'empty']).default('default'))
    .action(action(ctx, (o: UrlOptions & { scenario: 'default' | 'empty' }) => runReset(ctx, o)));
}

export function registerSimulatorLoad(group: Command, ctx: CommandContext): void {
  urlOption(group.command('load').description('load a scenario file (YAML or JSON) into a running simulator, on top of its data').argument('<file>', 'the scenario file'))
    .action(action(ctx, (file: string, o: UrlOptions) => runLoad(ctx, file, o)));
}

async function runReset(ctx: CommandContext, o: UrlOptions & { scenario: 'default' | 'empty' }): Promise<ExitCode> {
  const url = o.url ?? defaultSimulatorUrl(ctx.env);
  const r = await callDriver(url, 'POST', '/reset', { scenario: o.scenario });
  const out = ctx.output();
  if (ctx.globals().json) out.print(JSON.stringify({ url, scenario: r.scenario, patients: r.patients }, null, 2));
  else out.print(`simulator at ${url} reset: ${o.scenario === 'default' ? `default scenario loaded (${String(r.patients)} patients)` : 'empty, no patient'}`);
  return ExitCode.OK;
}

async function runLoad(ctx: CommandContext, file: string, o: UrlOptions): Promise<ExitCode> {
  const url = o.url ?? defaultSimulatorUrl(ctx.env);
  const path = resolve(ctx.cwd, file);
  // Loaded on demand: the simulator package opens SQLite, which the other commands never need.
  const { readScenarioFile, ScenarioError } = await import('@dmpkit/simulator');
  let scenario;
  try {
    scenario = readScenarioFile(path);
  } catch (err) {
    if (err instanceof ScenarioError) throw new CliError(`${file}: ${err.message.slice(err.file.length + 2)}`, ExitCode.USAGE, 'see the scenario format in docs/cli.md (dmp simulator load)');
    throw err;
  }
  const baseDir = resolve(path, '..');
  const documents = scenario.documents.map((d) => ({ ...d, file: isAbsolute(d.file) ? d.file : resolve(baseDir, d.file) }));
  // The simulator runs on this machine and would read these files itself; an unreadable one is named here, by field.
  for (const [i, d] of documents.entries()) {
    try {
      await access(d.file, constants.R_OK);
    } catch (err) {
      throw new CliError(`${file}: documents.${i}.file: cannot read ${scenario.documents[i]!.file} (${fsReason(err)})`);
    }
  }
  const body = { ...scenario, documents };
  const r = await callDriver(url, 'POST', '/scenario', body);
  const summary = { patients: Number(r.patients), professionals: Number(r.professionals), authorizations: Number(r.authorizations), documents: Number(r.documents) };
  const out = ctx.output();
  if (ctx.globals().json) out.print(JSON.stringify({ url, file, ...summary }, null, 2));
  else {
    const n = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
    out.print(`loaded ${file} into the simulator at ${url}: ${n(summary.patients, 'patient')}, ${n(summary.professionals, 'professional')}, ${n(summary.authorizations, 'authorization')}, ${n(summary.documents, 'document')}`);
  }
  return ExitCode.OK;
}

/**
 * `dmp simulator start|init|reset|load`: the local DMP of @dmpkit/simulator. `start` runs it in the foreground, `init`
 * writes a test PKI and the `simulator` profile that signs with it, `reset` and `load` drive a running simulator
 * through its test-driver API (/_driver).
 */
import type { Command } from 'commander';
import { SIMULATOR_DEFAULT_PORT } from '@dmpkit/sdk';
import type { CommandContext } from '../base/command.js';
import { CliError } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { registerSimulatorLoad, registerSimulatorReset } from './simulator-driver.js';
import { registerSimulatorInit } from './simulator-init.js';
import { registerSimulatorStart } from './simulator-start.js';

export function registerSimulator(parent: Command, ctx: CommandContext): void {
  const group = parent.command('simulator').description('run the local DMP simulator, give it test certificates, reset it or load a scenario');
  registerSimulatorStart(group, ctx);
  registerSimulatorInit(group, ctx);
  registerSimulatorReset(group, ctx);
  registerSimulatorLoad(group, ctx);
}

/** The port the built-in `simulator` profile points at: DMPKIT_SIMULATOR_PORT, else 8787. */
export function simulatorPortOf(env: NodeJS.ProcessEnv): number {
  const raw = env.DMPKIT_SIMULATOR_PORT;
  if (raw === undefined || raw === '') return SIMULATOR_DEFAULT_PORT;
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port < 1 || port > 65535) throw new CliError(`DMPKIT_SIMULATOR_PORT must be a port number (1-65535), got "${raw}"`);
  return port;
}

export function defaultSimulatorUrl(env: NodeJS.ProcessEnv): string {
  return `http://127.0.0.1:${simulatorPortOf(env)}`;
}

/** A running simulator's base URL from --url: http(s), no path beyond `/`. */
export function parseSimulatorUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--url: "${value}" is not a URL (expected e.g. http://127.0.0.1:8787)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`--url: expected an http:// or https:// URL, got ${url.protocol}`);
  return url.origin;
}

/**
 * One call to the driver API. No answer is a transport failure (exit 5), a driver error a usage error (exit 2) with
 * the driver's message, which names the field at fault.
 */
export async function callDriver(baseUrl: string, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(`${baseUrl}/_driver${path}`, {
      method,
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    throw new CliError(`no simulator answers at ${baseUrl} (${cause})`, ExitCode.TRANSPORT, 'start one with `dmp simulator start`, or give its address with --url');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new CliError(`${baseUrl} answered ${method} /_driver${path} with HTTP ${res.status} and no JSON: is it a dmpkit simulator?`, ExitCode.TRANSPORT);
  }
  const error = (json as { error?: { code?: string; message?: string } }).error;
  if (!res.ok || error) throw new CliError(`the simulator refused ${method} /_driver${path}: ${error?.message ?? `HTTP ${res.status}`}${error?.code ? ` (${error.code})` : ''}`, ExitCode.USAGE);
  return json as Record<string, unknown>;
}

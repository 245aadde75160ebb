/**
 * What the commands that talk to the DMP share (dmp status, authorize, submit, search, get, update): the connection
 * options, the patient options, the client built from the resolved profile (flags > environment > profiles file),
 * and the mapping of failures to messages and exit codes — a DMP refusal (4) is not a transport failure (5).
 * Messages carry codes and the correlation id, never health data; `dmp explain` gives the full diagnosis.
 */
import type { Command } from 'commander';
import {
  ConfigError,
  createDmpClientFromProfile,
  DmpClientError,
  DmpError,
  explainError,
  resolveDmpProfile,
  SubmissionRefusedError,
  TransportError,
  type DmpClient,
  type PatientInput,
} from '@dmpkit/sdk';
import type { CommandContext } from './command.js';
import { CliError } from './errors.js';
import { ExitCode } from './exit-codes.js';

export interface ConnectionOptions {
  profile?: string;
  endpoint?: string;
  sourceId?: string;
}

export interface PatientOptions {
  ins: string;
  insOid: string;
}

/** INS-NIR in production; test platforms use the test NIR authority (.10). */
export const DEFAULT_INS_OID = '1.2.250.1.213.1.4.8';

export function connectionOptions(cmd: Command): Command {
  return cmd
    .option('--profile <name>', 'the DMP profile (default: DMPKIT_PROFILE, then the profiles file default)')
    .option('--endpoint <url>', 'base URL of the DMP services (overrides the profile)')
    .option('--source-id <oid>', 'OID of the sending software, root of the uniqueIds of submissions (default: the profile lps.id)');
}

export function patientOptions(cmd: Command): Command {
  return cmd.requiredOption('--ins <ins>', 'the patient INS (15 characters)').option('--ins-oid <oid>', 'INS authority: .8 NIR, .9 NIA, .10 test NIR, .11 demo', DEFAULT_INS_OID);
}

export function patientOf(o: PatientOptions): PatientInput {
  return { ins: o.ins.trim(), oid: o.insOid.trim() } as PatientInput;
}

export async function createClient(ctx: CommandContext, o: ConnectionOptions): Promise<DmpClient> {
  const resolved = await resolveDmpProfile({
    ...(o.profile ? { profile: o.profile } : {}),
    ...(o.endpoint ? { overrides: { endpoint: o.endpoint } } : {}),
    env: ctx.env,
    cwd: ctx.cwd,
  });
  for (const w of resolved.warnings) ctx.output().warn(w);
  return createDmpClientFromProfile(resolved.profile, o.sourceId ? { sourceId: o.sourceId } : {});
}

/** The exit code and message of a failure; anything not ours is rethrown (internal error). */
export function failure(ctx: CommandContext, err: unknown): ExitCode {
  const out = ctx.output();
  if (err instanceof ConfigError) {
    throw new CliError(err.message, ExitCode.USAGE, 'see docs/configuration.md (profiles, DMPKIT_* variables)');
  }
  if (err instanceof SubmissionRefusedError) {
    out.error(err.message);
    return ExitCode.DMP_ERROR;
  }
  if (err instanceof DmpClientError) {
    if (err.code === 'DOCUMENT-NOT-FOUND') {
      out.error(err.message);
      return ExitCode.DMP_ERROR;
    }
    throw new CliError(err.message);
  }
  if (err instanceof DmpError) {
    const d = explainError(err);
    const hint = `correlation id ${err.correlationId ?? '(none)'}; record the exchange (DMPKIT_RECORD_DIR) and run dmp explain on it for causes and fix`;
    out.error(`${err.transaction ? `${err.transaction}: ` : ''}${d.summary.en}`, hint);
    if (ctx.globals().json) out.print(JSON.stringify({ error: err.toJSON() }, null, 2));
    return err instanceof TransportError ? ExitCode.TRANSPORT : ExitCode.DMP_ERROR;
  }
  throw err;
}

/** Runs `fn` with a client, closes it, and maps failures to exit codes. */
export async function withClient(ctx: CommandContext, o: ConnectionOptions, fn: (client: DmpClient) => Promise<ExitCode>): Promise<ExitCode> {
  let client: DmpClient | undefined;
  try {
    client = await createClient(ctx, o);
    return await fn(client);
  } catch (err) {
    return failure(ctx, err);
  } finally {
    await client?.close();
  }
}

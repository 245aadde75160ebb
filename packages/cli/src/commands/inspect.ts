/**
 * `dmp inspect <message file>`: decodes a saved request or response (raw SOAP, MTOM with or without HTTP headers,
 * FHIR JSON) and prints what it holds, from the HTTP head to the registry objects, with the VIHF attributes decoded.
 * Patient identifiers and names are masked unless --show-health-data.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { decodeMessage, decodeMessageVihf } from '@dmpkit/sdk';
import { action, type CommandContext } from '../base/command.js';
import { CliError, fsReason } from '../base/errors.js';
import { ExitCode } from '../base/exit-codes.js';
import { formatInspect } from './inspect-format.js';
import { inspectView } from './inspect-view.js';

interface InspectOptions {
  contentType?: string;
  showHealthData?: boolean;
}

export function registerInspect(parent: Command, ctx: CommandContext): void {
  parent
    .command('inspect')
    .description('decode a saved DMP request or response (SOAP, MTOM, HTTP capture, FHIR JSON) and print what it holds')
    .argument('<file>', 'the saved message')
    .option('--content-type <type>', 'the HTTP Content-Type, when the file has no HTTP head (MTOM boundary)')
    .option('--show-health-data', 'print patient identifiers and names (masked by default)')
    .action(action(ctx, (file: string, opts: InspectOptions) => runInspect(ctx, file, opts)));
}

export async function readMessageFile(ctx: CommandContext, file: string): Promise<Buffer> {
  try {
    return await readFile(resolve(ctx.cwd, file));
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${fsReason(err)}`);
  }
}

async function runInspect(ctx: CommandContext, file: string, opts: InspectOptions): Promise<ExitCode> {
  const bytes = await readMessageFile(ctx, file);
  const decoded = decodeMessage(bytes, opts.contentType, { decodeAssertion: decodeMessageVihf });
  const view = inspectView(decoded, { showHealthData: opts.showHealthData === true });
  const out = ctx.output();
  if (ctx.globals().json) out.print(JSON.stringify({ file, ...view }, null, 2));
  else out.print(formatInspect(file, view));
  if (!opts.showHealthData) out.info('patient identifiers and names are masked (--show-health-data to show them)');
  return ExitCode.OK;
}

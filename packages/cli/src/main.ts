/**
 * `dmp`: the dmpkit command line. One file per command under commands/, on the shared base in base/
 * (context and global options, output, exit codes, errors, progress, config).
 */
import { Command, CommanderError } from 'commander';
import { SDK_VERSION } from '@dmpkit/sdk';
import { createContext, type ContextOptions, type RegisterCommand } from './base/command.js';
import { errorMessage } from './base/errors.js';
import { ExitCode } from './base/exit-codes.js';
import { ignoreBrokenPipe } from './base/output.js';
import { registerAccess } from './commands/access.js';
import { registerConsent } from './commands/consent.js';
import { registerAuthorize } from './commands/authorize.js';
import { registerExplain } from './commands/explain.js';
import { registerGet } from './commands/get.js';
import { registerInspect } from './commands/inspect.js';
import { registerMatrix } from './commands/matrix.js';
import { registerRules } from './commands/rules.js';
import { registerSearch } from './commands/search.js';
import { registerSimulator } from './commands/simulator.js';
import { registerStatus } from './commands/status.js';
import { registerSubmit } from './commands/submit.js';
import { registerUpdate } from './commands/update.js';
import { registerValidate } from './commands/validate.js';

const COMMANDS: readonly RegisterCommand[] = [registerValidate, registerRules, registerAccess, registerConsent, registerMatrix, registerInspect, registerExplain, registerStatus, registerAuthorize, registerSubmit, registerSearch, registerGet, registerUpdate, registerSimulator];

/** Runs `dmp` on `argv` (as process.argv: node, script, args...) and returns the exit code; never exits itself. */
export async function main(argv: string[], options: ContextOptions = {}): Promise<number> {
  const program = new Command('dmp');
  const ctx = createContext(program, options);
  if (ctx.stdout === process.stdout) ignoreBrokenPipe(process.stdout);
  program
    .description('dmpkit: validate CDA documents for the French DMP')
    .version(SDK_VERSION, '-V, --version', 'print the dmpkit version')
    .option('--json', 'machine-readable JSON on stdout')
    .option('--no-color', 'no colours (also: NO_COLOR=1)')
    .configureOutput({
      writeOut: (s) => ctx.stdout.write(s),
      writeErr: (s) => ctx.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)')
    // Commander would call process.exit; we map its errors to our exit codes instead.
    .exitOverride();
  for (const register of COMMANDS) register(program, ctx);

  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (err) {
    // Commander has already printed its message (unknown option, bad choice, help, version).
    if (err instanceof CommanderError) return err.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
    const { message, hint, exitCode } = errorMessage(err, ctx.env.DMPKIT_DEBUG === '1');
    ctx.output().error(message, hint);
    return exitCode;
  }
}

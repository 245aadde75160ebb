/**
 * `dmp`: the dmpkit command line. One file per command under commands/, on the shared base in base/
 * (context and global options, output, exit codes, errors, progress, config).
 */
import { Command, CommanderError } from 'commander';
import { SDK_VERSION } from '@dmpkit/sdk/validate';
import { createContext, type ContextOptions, type RegisterCommand } from './base/command.js';
import { errorMessage } from './base/errors.js';
import { ExitCode } from './base/exit-codes.js';
import { ignoreBrokenPipe } from './base/output.js';

/**
 * Each command's module, by name, in the order of `dmp --help`. Only the command being run is loaded: the others
 * import the SDK's DMP client (undici, xmlbuilder2, node-forge...), ~0.5 s that a cold `dmp validate` has no use for.
 */
const COMMANDS: Record<string, () => Promise<RegisterCommand>> = {
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  rules: async () => (await import('./commands/rules.js')).registerRules,
  access: async () => (await import('./commands/access.js')).registerAccess,
  consent: async () => (await import('./commands/consent.js')).registerConsent,
  matrix: async () => (await import('./commands/matrix.js')).registerMatrix,
  inspect: async () => (await import('./commands/inspect.js')).registerInspect,
  explain: async () => (await import('./commands/explain.js')).registerExplain,
  status: async () => (await import('./commands/status.js')).registerStatus,
  authorize: async () => (await import('./commands/authorize.js')).registerAuthorize,
  submit: async () => (await import('./commands/submit.js')).registerSubmit,
  search: async () => (await import('./commands/search.js')).registerSearch,
  get: async () => (await import('./commands/get.js')).registerGet,
  update: async () => (await import('./commands/update.js')).registerUpdate,
  simulator: async () => (await import('./commands/simulator.js')).registerSimulator,
};

/** The command named on the line (the first word that is not an option: global options take no value), if known. */
function commandOf(argv: readonly string[]): string | undefined {
  const word = argv.slice(2).find((a) => !a.startsWith('-'));
  return word !== undefined && Object.hasOwn(COMMANDS, word) ? word : undefined;
}

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
  const named = commandOf(argv);
  // Help, a typo (commander suggests the nearest name) or no command: every command is registered.
  for (const load of named ? [COMMANDS[named]!] : Object.values(COMMANDS)) (await load())(program, ctx);

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

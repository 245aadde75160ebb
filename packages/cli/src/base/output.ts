/**
 * Where the CLI writes: the report and requested data on stdout, everything meant for the person (progress,
 * summaries, errors) on stderr, so `dmp validate --format json > report.json` stays clean.
 */
import { Chalk, type ChalkInstance } from 'chalk';

export interface Stream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface Output {
  stdout: Stream;
  stderr: Stream;
  /** Colours for each stream, decided once from TTY, NO_COLOR, FORCE_COLOR and --no-color. */
  colorOut: boolean;
  colorErr: boolean;
  out: ChalkInstance;
  err: ChalkInstance;
  print(text: string): void;
  /** A line for the person running the command. */
  info(text: string): void;
  warn(text: string): void;
  error(text: string, hint?: string): void;
}

export interface OutputOptions {
  stdout?: Stream;
  stderr?: Stream;
  env?: NodeJS.ProcessEnv;
  /** False when --no-color was given. */
  color?: boolean;
}

/** https://no-color.org: any non-empty NO_COLOR disables colour; FORCE_COLOR (not 0) enables it off a TTY. */
export function useColor(stream: Stream, env: NodeJS.ProcessEnv, flag: boolean): boolean {
  if (!flag) return false;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '' && env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function createOutput(options: OutputOptions = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const colorOut = useColor(stdout, env, options.color ?? true);
  const colorErr = useColor(stderr, env, options.color ?? true);
  // Own instances: chalk's global one reads process.argv and the environment on its own.
  const out = new Chalk({ level: colorOut ? 1 : 0 });
  const err = new Chalk({ level: colorErr ? 1 : 0 });
  return {
    stdout,
    stderr,
    colorOut,
    colorErr,
    out,
    err,
    print: (text) => stdout.write(text.endsWith('\n') ? text : text + '\n'),
    info: (text) => stderr.write(text + '\n'),
    warn: (text) => stderr.write(`${err.yellow('warning:')} ${text}\n`),
    error: (text, hint) => stderr.write(`${err.red('error:')} ${text}\n${hint ? `${err.dim(`hint: ${hint}`)}\n` : ''}`),
  };
}

/**
 * `dmp validate ... | head` closes stdout early: that is the reader's choice, not a failure worth a stack trace.
 * Without a listener, Node turns the EPIPE into an uncaught exception.
 */
export function ignoreBrokenPipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
  });
}

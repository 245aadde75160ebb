/**
 * The shared base of every command: the context it runs in (streams, environment, working directory),
 * the global options, and the wrapper that turns an action's result into the process exit code.
 */
import type { Command } from 'commander';
import { ExitCode } from './exit-codes.js';
import { createOutput, type Output, type Stream } from './output.js';

export interface GlobalOptions {
  /** --json: machine-readable output on stdout. */
  json: boolean;
  /** false with --no-color. */
  color: boolean;
}

export interface CommandContext {
  env: NodeJS.ProcessEnv;
  cwd: string;
  stdout: Stream;
  stderr: Stream;
  /** Set by the action that ran; commander itself has no notion of a return value. */
  exitCode: ExitCode;
  globals(): GlobalOptions;
  /** Created on first use, once the global options are parsed. */
  output(): Output;
}

export interface ContextOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  stdout?: Stream;
  stderr?: Stream;
}

export function createContext(program: Command, options: ContextOptions = {}): CommandContext {
  let output: Output | undefined;
  const ctx: CommandContext = {
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    stdout: options.stdout ?? process.stdout,
    stderr: options.stderr ?? process.stderr,
    exitCode: ExitCode.OK,
    globals() {
      const o = program.opts<{ json?: boolean; color?: boolean }>();
      return { json: o.json === true, color: o.color !== false };
    },
    output() {
      output ??= createOutput({ stdout: ctx.stdout, stderr: ctx.stderr, env: ctx.env, color: ctx.globals().color });
      return output;
    },
  };
  return ctx;
}

/** One command file = one `register` function adding the command to its parent. */
export type RegisterCommand = (parent: Command, ctx: CommandContext) => void;

/** Adapts an action returning an exit code to commander's action signature. */
export function action<A extends unknown[]>(ctx: CommandContext, run: (...args: A) => Promise<ExitCode>) {
  return async (...args: A): Promise<void> => {
    ctx.exitCode = await run(...args);
  };
}

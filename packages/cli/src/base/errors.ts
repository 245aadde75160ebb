/** Errors the CLI reports as a message and an exit code, never as a stack trace. */
import { ExitCode } from './exit-codes.js';

export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.USAGE,
    /** A next step for the user, printed under the message. */
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Node's file-system error codes in words a user can act on. */
const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory',
  ENOTDIR: 'a parent is not a directory',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on device',
  EMFILE: 'too many open files',
};

export function fsReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && FS_REASONS[code]) return FS_REASONS[code];
  return err instanceof Error ? err.message : String(err);
}

/** The text to print for any error reaching the top: CliErrors as they are, anything else as an internal error. */
export function errorMessage(err: unknown, verbose = false): { message: string; hint?: string; exitCode: ExitCode } {
  if (err instanceof CliError) return { message: err.message, exitCode: err.exitCode, ...(err.hint ? { hint: err.hint } : {}) };
  const detail = err instanceof Error ? (verbose && err.stack ? err.stack : err.message) : String(err);
  return { message: `internal error: ${detail}`, exitCode: ExitCode.USAGE, hint: 'please report it with the command you ran' };
}

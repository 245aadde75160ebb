/**
 * A one-line progress indicator on stderr for long batches ("validating 12/56 file…"), redrawn in place
 * and erased at the end. Only on a TTY: logs and pipes never get carriage returns.
 */
import type { Stream } from './output.js';

export interface Progress {
  update(text: string): void;
  /** Erases the line; safe to call more than once. */
  done(): void;
}

const NO_PROGRESS: Progress = { update() {}, done() {} };
/** Redraw at most this often: a fast batch would otherwise spend its time writing to the terminal. */
const MIN_INTERVAL_MS = 80;

export function createProgress(stream: Stream, enabled: boolean, now: () => number = Date.now): Progress {
  if (!enabled || stream.isTTY !== true) return NO_PROGRESS;
  // A pseudo-terminal may report 0 columns.
  const columns = (stream as { columns?: number }).columns || 80;
  let shown = false;
  let last = -Infinity;
  return {
    update(text) {
      const t = now();
      if (t - last < MIN_INTERVAL_MS) return;
      last = t;
      stream.write(`\r\u001b[2K${fit(text, columns - 1)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\u001b[2K');
      shown = false;
    },
  };
}

/** Keeps the end of long lines (the file name's tail is the informative part) so the line never wraps. */
function fit(text: string, width: number): string {
  const clean = text.replace(/[\u0000-\u001F\u007F-\u009F]/g, '?');
  if (clean.length <= width) return clean;
  return '…' + clean.slice(clean.length - width + 1);
}

export function validatingText(done: number, total: number, file: string): string {
  return `validating ${done}/${total} ${file}…`;
}

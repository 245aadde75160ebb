/**
 * Validation of many files: in worker threads across cores when there is more than one file and the
 * built worker is available, in-process otherwise. Results keep the input order whatever finishes first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { buildReport, validateFile, ValidationContext, type ValidateOptions } from './pipeline.js';
import type { DocumentReport, ValidationReport } from './finding.js';

export type ProgressListener = (done: number, total: number, file: string) => void;

/** Message from a worker: one document's report, plus the pack notes it has gathered so far. */
export interface WorkerResult {
  index: number;
  report: DocumentReport;
  packNotes: string[];
}

function workerUrl(): URL | undefined {
  const url = new URL('./validate-worker.js', import.meta.url);
  return fs.existsSync(fileURLToPath(url)) ? url : undefined;
}

export async function validateFiles(files: readonly string[], options: ValidateOptions = {}, onProgress?: ProgressListener): Promise<ValidationReport> {
  const ctx = new ValidationContext(options);
  const jobs = Math.max(1, Math.min(options.jobs ?? os.availableParallelism(), files.length));
  const url = jobs > 1 ? workerUrl() : undefined;
  const reports: DocumentReport[] = new Array(files.length);
  const notes = new Set<string>();
  let done = 0;

  if (!url) {
    for (const [i, file] of files.entries()) {
      reports[i] = validateFile(file, ctx);
      onProgress?.(++done, files.length, file);
      await new Promise((r) => setImmediate(r));
    }
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: jobs }, () =>
        new Promise<void>((resolve, reject) => {
          const worker = new Worker(url, { workerData: options });
          // Two files in flight per worker: the next one is queued in the worker while it validates the
          // current one, so it never waits for this thread's round trip.
          let inFlight = 0;
          const feed = () => {
            if (next >= files.length) {
              if (inFlight === 0) void worker.terminate().then(() => resolve());
              return;
            }
            const index = next++;
            inFlight++;
            worker.postMessage({ index, file: files[index] });
          };
          worker.on('message', (msg: WorkerResult) => {
            inFlight--;
            reports[msg.index] = msg.report;
            for (const n of msg.packNotes) notes.add(n);
            onProgress?.(++done, files.length, msg.report.file);
            feed();
          });
          worker.on('error', reject);
          feed();
          feed();
        }),
      ),
    );
  }
  if (ctx.pack) {
    for (const n of ctx.pack.info.notes) notes.add(n);
    ctx.pack.info.notes = [...notes].sort();
  }
  return buildReport(ctx, reports);
}

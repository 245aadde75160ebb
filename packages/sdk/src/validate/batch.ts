/**
 * Validation of many files: in worker threads across cores when there is more than one file and the
 * built worker is available, in-process otherwise. Results keep the input order whatever finishes first.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import * as path from 'node:path';
import { buildReport, loadXsdModule, readDocumentFile, runDocument, validateFile, ValidationContext, type ValidateOptions } from './pipeline.js';
import { LAYERS, type DocumentReport, type ValidationReport } from './finding.js';
import { PACK_XSD } from '../rules-pack/pack.js';
import type { XsdWorkerReply } from './xsd-worker.js';

export type ProgressListener = (done: number, total: number, file: string) => void;

/** Message from a worker: one document's report, plus the pack notes it has gathered so far. */
export interface WorkerResult {
  index: number;
  report: DocumentReport;
  packNotes: string[];
}

/** A built worker beside this module (absent when running from sources, e.g. under vitest). */
function workerUrl(name: string): URL | undefined {
  const url = new URL(`./${name}.js`, import.meta.url);
  return fs.existsSync(fileURLToPath(url)) ? url : undefined;
}

export async function validateFiles(files: readonly string[], options: ValidateOptions = {}, onProgress?: ProgressListener): Promise<ValidationReport> {
  const cores = options.jobs ?? os.availableParallelism();
  // One document and a core to spare: its XSD layer runs in a worker that starts parsing the schema now,
  // before the pack is even opened here.
  const xsdWorker = files.length === 1 && cores > 1 && options.rules && new Set(options.layers ?? LAYERS).has('xsd') ? startXsdWorker(options.rules) : undefined;
  let ctx: ValidationContext;
  try {
    ctx = new ValidationContext(options);
  } catch (e) {
    void xsdWorker?.terminate();
    throw e;
  }
  const jobs = Math.max(1, Math.min(cores, files.length));
  const url = jobs > 1 ? workerUrl('validate-worker') : undefined;
  const reports: DocumentReport[] = new Array(files.length);
  const notes = new Set<string>();
  let done = 0;

  if (xsdWorker) {
    try {
      reports[0] = await validateWithXsdWorker(files[0]!, ctx, xsdWorker);
    } finally {
      void xsdWorker.terminate();
    }
    onProgress?.(++done, files.length, files[0]!);
  } else if (!url) {
    for (const [i, file] of files.entries()) {
      reports[i] = await validateFile(file, ctx);
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

function startXsdWorker(rules: string): Worker | undefined {
  const url = workerUrl('validate-xsd-worker');
  if (!url) return undefined;
  const worker = new Worker(url, { workerData: { xsdPath: path.join(path.resolve(rules), PACK_XSD) } });
  // Not waited for by the process: a caller that stops early must not hang on it.
  worker.unref();
  return worker;
}

/**
 * One document with its XSD layer in the worker, the other layers here, at the same time. Should the worker
 * fail (schema unreadable, thread lost), the layer runs here as it would have without it: same report.
 */
async function validateWithXsdWorker(file: string, ctx: ValidationContext, worker: Worker): Promise<DocumentReport> {
  const read = readDocumentFile(file, ctx);
  if (!(read instanceof Uint8Array)) return read;
  const reply = new Promise<XsdWorkerReply>((resolve) => {
    worker.once('message', resolve);
    worker.once('error', (e) => resolve({ failed: e.message }));
    worker.once('exit', () => resolve({ failed: 'the XSD worker stopped' }));
  });
  worker.postMessage({ bytes: read, file });
  const { report, fillXsd } = runDocument(read, file, ctx, 'defer');
  if (!fillXsd) return report;
  const answer = await reply;
  if ('outcome' in answer) fillXsd(answer.outcome);
  else {
    const t = performance.now();
    const { loadXsd, validateXsd } = await loadXsdModule();
    const findings = validateXsd(loadXsd(ctx.pack!.xsdPath), read, file);
    fillXsd({ findings, durationMs: performance.now() - t });
  }
  return report;
}

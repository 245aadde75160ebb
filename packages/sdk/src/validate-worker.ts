/** Worker thread for batch validation (see validate/batch.ts): one context, many files. */
import { parentPort, workerData } from 'node:worker_threads';
import { validateFile, ValidationContext, type ValidateOptions } from './validate/pipeline.js';
import type { WorkerResult } from './validate/batch.js';

const ctx = new ValidationContext(workerData as ValidateOptions);
parentPort!.on('message', async (msg: { index: number; file: string }) => {
  const report = await validateFile(msg.file, ctx);
  const result: WorkerResult = { index: msg.index, report, packNotes: ctx.pack?.info.notes ?? [] };
  parentPort!.postMessage(result);
});

/**
 * Worker thread for the XSD layer of a lone document (see validate/batch.ts): it parses the CDA schema set
 * as soon as it starts, while the main thread opens the rule pack and runs the schematrons, then validates
 * the bytes it is sent. A cold one-document run thus costs the longer of the two, not their sum.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { loadXsd, validateXsd } from './xsd.js';
import type { XsdOutcome } from './pipeline.js';

/** Sent back: the layer's outcome, or why the schema could not be loaded (the caller then runs it itself). */
export type XsdWorkerReply = { outcome: XsdOutcome } | { failed: string };

const { xsdPath } = workerData as { xsdPath: string };
let failure: string | undefined;
try {
  loadXsd(xsdPath);
} catch (e) {
  failure = (e as Error).message;
}
parentPort!.on('message', (msg: { bytes: Uint8Array; file: string }) => {
  let reply: XsdWorkerReply;
  if (failure !== undefined) reply = { failed: failure };
  else {
    const t = performance.now();
    try {
      const findings = validateXsd(loadXsd(xsdPath), msg.bytes, msg.file);
      reply = { outcome: { findings, durationMs: performance.now() - t } };
    } catch (e) {
      reply = { failed: (e as Error).message };
    }
  }
  parentPort!.postMessage(reply);
});

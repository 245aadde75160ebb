/**
 * A decode thread (decode-pool.ts): prepareCall on the bytes it is sent. The decoded message's byte arrays are views
 * of this thread's copy of the body, which goes back transferred, not copied.
 */
import { parentPort } from 'node:worker_threads';
import { faultFields, type PrepareReply, type PrepareRequest } from './decode-pool.js';
import { prepareCall, SimulatorFault } from './soap-call.js';

type Message = Omit<PrepareRequest, 'body'> & { id: number; body: Uint8Array };

parentPort!.on('message', (m: Message) => {
  const body = Buffer.from(m.body.buffer, m.body.byteOffset, m.body.byteLength);
  let reply: PrepareReply;
  try {
    reply = { id: m.id, ok: prepareCall(m.settings, m.service, body, m.contentType) };
  } catch (e) {
    reply = e instanceof SimulatorFault ? { id: m.id, fault: faultFields(e) } : { id: m.id, error: (e as Error).message };
  }
  try {
    parentPort!.postMessage(reply, 'ok' in reply ? [m.body.buffer as ArrayBuffer] : []);
  } catch (e) {
    // Something in the decoded message cannot be cloned: answered as an unexpected error, never silently dropped.
    parentPort!.postMessage({ id: m.id, error: `decode thread: ${(e as Error).message}` } satisfies PrepareReply);
  }
});

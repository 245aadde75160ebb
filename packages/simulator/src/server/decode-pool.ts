/**
 * Decode threads: parsing a request (MTOM, SOAP, ebRIM) and verifying its VIHF signature is most of the CPU a deposit
 * costs, and depends on nothing but the bytes and the settings (prepareCall is pure). Worker threads do it while the
 * event loop runs the handlers and the store, which stay on one thread (one SQLite writer, group commit). The body is
 * copied to the thread, and the thread's copy comes back transferred (no copy) inside the decoded message, whose
 * document contents are views of it.
 *
 * Small requests (THREAD_MIN_BYTES) are decoded in-process. Without a built worker beside this module (running from sources, under vitest) or with `threads: 0`, requests are
 * prepared in-process, exactly as before. A thread that fails is dropped: its requests and the next ones are prepared
 * in-process, with the same result.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { prepareCall, SimulatorFault, type PrepareSettings, type PreparedCall } from './soap-call.js';

export interface PrepareRequest {
  service: string;
  body: Buffer;
  contentType: string | undefined;
  settings: PrepareSettings;
}

/** What a decode thread answers: the prepared call, a SimulatorFault's fields, or an unexpected error. */
export type PrepareReply =
  | { id: number; ok: PreparedCall }
  | { id: number; fault: { code: 'Sender' | 'Receiver'; subcode: string; message: string; httpStatus: number; detail?: string; version?: PreparedCall['version']; relatesTo?: string } }
  | { id: number; error: string };

export function faultFields(f: SimulatorFault): Extract<PrepareReply, { fault: unknown }>['fault'] {
  return { code: f.code, subcode: f.subcode, message: f.message, httpStatus: f.httpStatus, ...(f.detail !== undefined ? { detail: f.detail } : {}), ...(f.version ? { version: f.version } : {}), ...(f.relatesTo ? { relatesTo: f.relatesTo } : {}) };
}

function faultOf(r: Extract<PrepareReply, { fault: unknown }>['fault']): SimulatorFault {
  const f = new SimulatorFault(r.code, r.subcode, r.message, r.httpStatus, r.detail);
  if (r.version) f.version = r.version;
  if (r.relatesTo) f.relatesTo = r.relatesTo;
  return f;
}

/** Byte arrays that crossed the thread boundary arrive as plain Uint8Array: made Buffers again, as in-process ones are. */
function asBuffers(value: unknown, depth = 0): unknown {
  if (value instanceof Uint8Array) return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  if (value === null || typeof value !== 'object' || depth > 64) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = asBuffers(value[i], depth + 1);
  } else {
    const o = value as Record<string, unknown>;
    for (const k of Object.keys(o)) o[k] = asBuffers(o[k], depth + 1);
  }
  return value;
}

interface Thread {
  worker: Worker;
  pending: Map<number, { request: PrepareRequest; resolve: (p: PreparedCall) => void; reject: (e: unknown) => void }>;
}

/**
 * Requests smaller than this are decoded in-process: a search or a status (5-8 KB, VIHF included) decodes in less than
 * the round trip to a thread costs, and its latency is what a user sees. ITI-41 lots are above it.
 */
export const THREAD_MIN_BYTES = 16 * 1024;

/**
 * The default: none below 4 cores, else one per core beyond two, at most 2 (the handlers and the store are one
 * thread). On 2 cores shared with the client or the load generator (a CI runner, bench:simulator) a thread gained
 * ~15% of ITI-41 throughput, within the host's noise, for ~75 MB more resident memory (the thread loads the SDK).
 */
export function defaultDecodeThreads(cores: number): number {
  return cores < 4 ? 0 : Math.min(2, cores - 2);
}

export class DecodePool {
  private readonly threads: Thread[] = [];
  private nextId = 1;
  /** Requests prepared by a thread and in-process (small ones, a failed thread's), for the tests and diagnostics. */
  readonly stats = { threaded: 0, inProcess: 0 };

  constructor(threads: number) {
    const url = new URL('./decode-worker.js', import.meta.url);
    if (threads <= 0 || !existsSync(fileURLToPath(url))) return;
    for (let i = 0; i < threads; i++) this.threads.push(this.start(url));
  }

  /** Threads running (0: requests are prepared in-process). */
  get size(): number {
    return this.threads.length;
  }

  private start(url: URL): Thread {
    const thread: Thread = { worker: new Worker(url), pending: new Map() };
    thread.worker.unref();
    thread.worker.on('message', (reply: PrepareReply) => {
      const p = thread.pending.get(reply.id);
      if (!p) return;
      thread.pending.delete(reply.id);
      if ('ok' in reply) p.resolve(asBuffers(reply.ok) as PreparedCall);
      else if ('fault' in reply) p.reject(faultOf(reply.fault));
      else p.reject(new Error(reply.error));
    });
    const drop = (): void => {
      const i = this.threads.indexOf(thread);
      if (i >= 0) this.threads.splice(i, 1);
      // Its requests are prepared here instead: same inputs, same answer.
      for (const p of thread.pending.values()) this.inProcess(p.request).then(p.resolve, p.reject);
      thread.pending.clear();
    };
    thread.worker.on('error', (e) => {
      process.stderr.write(`[dmp-simulator] decode thread failed, requests are decoded in-process: ${e.message}\n`);
      drop();
    });
    thread.worker.on('exit', drop);
    return thread;
  }

  private inProcess(r: PrepareRequest): Promise<PreparedCall> {
    this.stats.inProcess++;
    try {
      return Promise.resolve(prepareCall(r.settings, r.service, r.body, r.contentType));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  /** prepareCall on the least busy thread (rejects with the same SimulatorFault it would throw). */
  prepare(r: PrepareRequest): Promise<PreparedCall> {
    if (this.threads.length === 0 || r.body.byteLength < THREAD_MIN_BYTES) return this.inProcess(r);
    let thread = this.threads[0]!;
    for (const t of this.threads) if (t.pending.size < thread.pending.size) thread = t;
    const id = this.nextId++;
    this.stats.threaded++;
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { request: r, resolve, reject });
      thread.worker.postMessage({ id, service: r.service, body: r.body, contentType: r.contentType, settings: r.settings });
    });
  }

  async close(): Promise<void> {
    const threads = this.threads.splice(0);
    await Promise.allSettled(threads.map((t) => t.worker.terminate()));
  }
}

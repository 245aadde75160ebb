/**
 * The simulator's HTTP(S) server on 127.0.0.1: the DMP services under /si-dmp-server/v2/services/{service}, the
 * test-driver API under /_driver, the web console at /. Bodies are bounded; a request the simulator cannot read is
 * answered with a SOAP fault or a 4xx, never by crashing; every SOAP exchange is written to the request log.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TLSSocket } from 'node:tls';
import { handleConsole } from '../console/routes.js';
import { handleDriver } from '../driver/routes.js';
import { handlePatientList, handlePatientQuery } from '../handlers/patients.js';
import { handleListAuthorizations, handleSetAuthorization } from '../handlers/habilitations.js';
import { handleQuery } from '../handlers/query.js';
import { handleRetrieve } from '../handlers/retrieve.js';
import { handleSubmit } from '../handlers/submit.js';
import { handleUpdate } from '../handlers/update.js';
import type { SimulatorContext } from './context.js';
import { applyFault } from './fault-answers.js';
import { BodyTooLargeError, readBody } from './http-body.js';
import { faultAnswer, prepareSettingsOf, SERVICES, SimulatorFault, successAnswer, type HttpAnswer, type SoapAnswer, type SoapCall } from './soap-call.js';
import { WalSyncError } from '../store/group-commit.js';

export const SERVICE_PREFIX = '/si-dmp-server/v2/services/';

/**
 * Transactions whose answer acknowledges a change of the registry, the repository or the authorizations: answered
 * only once committed. The others (searches, retrievals, status) acknowledge nothing stored: they answer as soon as
 * ready, and their access traces, notifications and request-log entry are committed with the group right after.
 */
const ACKNOWLEDGES_WRITES = new Set(['TD0.3', 'TD2.1', 'TD3.3']);

const HANDLERS: Record<string, (call: SoapCall) => SoapAnswer> = {
  'TD0.2': handlePatientQuery,
  'TD0.4': handlePatientList,
  'TD0.3': handleSetAuthorization,
  'TD1.6': handleListAuthorizations,
  'TD2.1': handleSubmit,
  'TD3.1': handleQuery,
  'TD3.2': handleRetrieve,
  'TD3.3': handleUpdate,
};

function send(res: ServerResponse, a: HttpAnswer, extraHeaders: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(a.status, { 'content-type': a.contentType, 'content-length': String(a.body.byteLength), ...extraHeaders });
  res.end(a.body);
}

/**
 * Serves one SOAP request to a DMP service. Its writes (registry, traces, notifications, its request-log entry)
 * join the store's group transaction; a deposit, an update or an authorization is answered only once that group is
 * committed, so what the answer acknowledges is on disk whatever the concurrency (group-commit.ts).
 */
async function serveSoap(ctx: SimulatorContext, service: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const started = performance.now();
  const at = ctx.clock.now();
  const contentType = req.headers['content-type'];
  const { store } = ctx;
  let body: Buffer;
  try {
    body = await readBody(req, ctx.settings.maxBodyBytes);
  } catch (e) {
    const tooLarge = e instanceof BodyTooLargeError;
    const a = faultAnswer(new SimulatorFault('Sender', tooLarge ? 'MessageTooLarge' : 'InvalidMessage', tooLarge ? `Requête trop volumineuse : ${(e as Error).message}` : 'Requête interrompue', tooLarge ? 413 : 400), '1.2');
    // Nothing was done to acknowledge: the refusal leaves at once, its log entry goes with the next group.
    send(res, a, { connection: 'close' });
    store.group.join(false);
    store.addRequest({ at, service, httpStatus: a.status, outcome: tooLarge ? 'MessageTooLarge' : 'aborted', durationMs: performance.now() - started });
    if (tooLarge) setTimeout(() => req.destroy(), 100).unref();
    await store.group.durable();
    return;
  }
  let call: SoapCall | undefined;
  let answer: HttpAnswer;
  let outcome: string;
  let action: string | undefined;
  try {
    const prepared = await ctx.decoder.prepare({ service, body, contentType, settings: prepareSettingsOf(ctx) });
    action = prepared.route.action;
    call = { ctx, route: prepared.route, version: prepared.version, ...(prepared.messageId ? { messageId: prepared.messageId } : {}), decoded: prepared.decoded, vihf: prepared.vihf, now: at, decisions: [], traceIds: [] };
    const injected = await applyFault(ctx, service, action, call);
    if (injected === 'dropped') {
      req.socket.destroy();
      store.group.join(false);
      store.addRequest({ at, service, action, httpStatus: 0, outcome: 'fault: dropped connection', durationMs: performance.now() - started });
      await store.group.durable();
      return;
    }
    if (injected) {
      answer = injected.answer;
      outcome = injected.outcome;
    } else {
      store.group.join(ACKNOWLEDGES_WRITES.has(prepared.route.transaction));
      const handled = HANDLERS[prepared.route.transaction]!(call);
      answer = await successAnswer(call, handled);
      outcome = handled.outcome;
    }
  } catch (e) {
    const fault = e instanceof SimulatorFault ? e : new SimulatorFault('Receiver', 'InternalError', `Erreur interne du simulateur : ${(e as Error).message}`);
    if (!(e instanceof SimulatorFault)) process.stderr.write(`[dmp-simulator] internal error on ${service}: ${(e as Error).stack ?? e}\n`);
    answer = faultAnswer(fault, fault.version ?? call?.version ?? '1.2', fault.relatesTo ?? call?.messageId);
    outcome = `fault ${fault.subcode}`;
  }
  const keep = ctx.settings.logBodies;
  // The log entry is written in the same group as the request's other writes (durationMs: until the answer was ready).
  const acknowledges = call !== undefined && ACKNOWLEDGES_WRITES.has(call.route.transaction);
  store.group.join(acknowledges);
  const requestId = store.addRequest({
    at,
    service,
    ...(action ? { action } : {}),
    ...(call ? { transaction: call.route.transaction } : {}),
    httpStatus: answer.status,
    outcome,
    durationMs: performance.now() - started,
    ...(call?.messageId ? { correlation: call.messageId } : {}),
    ...(call ? { vihf: call.vihf } : {}),
    ...(call?.decisions.length ? { decisions: call.decisions } : {}),
    ...(keep ? { requestType: contentType ?? '', request: body, responseType: answer.contentType, response: answer.body } : {}),
  });
  if (call?.traceIds.length) store.linkTraces(requestId, call.traceIds);
  const committed = store.group.durable();
  if (!acknowledges || !call) {
    send(res, answer);
    // Still awaited: the simulator's close() waits for it, and a failed commit is reported.
    await committed.catch((e: unknown) => process.stderr.write(`[dmp-simulator] commit failed after a read on ${service}: ${(e as Error).message}\n`));
    return;
  }
  try {
    await committed;
  } catch (e) {
    // Not known to be on disk: nothing may be acknowledged. A failed commit kept nothing; a failed sync kept the writes.
    process.stderr.write(`[dmp-simulator] commit failed on ${service}: ${(e as Error).message}\n`);
    const reason =
      e instanceof WalSyncError
        ? 'Erreur interne du simulateur : écriture sur disque non confirmée ; la transaction peut avoir été enregistrée, vérifiez par uniqueId avant de la renvoyer'
        : 'Erreur interne du simulateur : écriture impossible, rien n’a été enregistré';
    answer = faultAnswer(new SimulatorFault('Receiver', 'InternalError', reason), call.version, call.messageId);
  }
  send(res, answer);
}

export interface ServerTls {
  key: string | Buffer;
  cert: string | Buffer;
  /** CA certificates of accepted client certificates; with it, client certificates are required. */
  clientCa?: string | Buffer;
}

export function createSimulatorServer(ctx: SimulatorContext, tls?: ServerTls): Server {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    const done = (p: Promise<void> | void) => {
      const run = Promise.resolve(p).catch((e: unknown) => {
        // Only the first path segment: console paths carry the patient's INS.
        process.stderr.write(`[dmp-simulator] ${req.method} /${path.split('/')[1] ?? ''}: ${(e as Error).stack ?? e}\n`);
        if (!res.headersSent) {
          res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          res.end('internal error');
        } else res.destroy();
      });
      // close() waits for these before closing the store, so no request writes to a closed database.
      ctx.inflight.add(run);
      void run.finally(() => ctx.inflight.delete(run));
    };
    if (tls?.clientCa && !(req.socket as TLSSocket).authorized) {
      res.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('client certificate required (structure authentication certificate)');
      return;
    }
    if (path.startsWith(SERVICE_PREFIX)) {
      const service = path.slice(SERVICE_PREFIX.length).replace(/\/+$/, '');
      if (!SERVICES.includes(service as never)) {
        res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`unknown DMP service "${service}" (services: ${SERVICES.join(', ')})`);
        return;
      }
      if (req.method !== 'POST') {
        res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain; charset=utf-8' });
        res.end('the DMP services take SOAP requests by POST');
        return;
      }
      done(serveSoap(ctx, service, req, res));
      return;
    }
    if (path === '/_driver' || path.startsWith('/_driver/')) {
      done(handleDriver(ctx, req, res, url));
      return;
    }
    done(handleConsole(ctx, req, res, url));
  };
  const server = tls
    ? createHttpsServer({ key: tls.key, cert: tls.cert, ...(tls.clientCa ? { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false } : {}), minVersion: 'TLSv1.2' }, handler)
    : createHttpServer(handler);
  server.headersTimeout = 30_000;
  server.requestTimeout = 120_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    // A readable reason even for input the HTTP parser refuses (a lying Content-Length leaves bytes that are no request).
    const reason = `malformed HTTP request (${err.code ?? 'parse error'})`;
    if (socket.writable) socket.end(`HTTP/1.1 400 Bad Request\r\nconnection: close\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(reason)}\r\n\r\n${reason}`);
    else socket.destroy();
  });
  return server;
}

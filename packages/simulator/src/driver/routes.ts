/**
 * The test-driver API (JSON over HTTP under /_driver, described in docs/simulator-driver.openapi.yaml): reset, load a
 * scenario, patient actions, the clock, traces, notifications, the request log, settings and fault injection.
 * It is for tests on the developer's machine: it is served on the simulator's loopback address only.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { DEFAULT_SCENARIO } from '../scenarios/default.js';
import { applyScenario, ScenarioError } from '../scenarios/load.js';
import { policyOf, type SimulatorContext } from '../server/context.js';
import { FaultPlanSchema } from '../server/faults.js';
import { HttpError, readJson, sendError, sendJson } from '../server/json.js';
import { applyPatientAction, PatientActionSchema } from './patient-actions.js';

const ResetSchema = z.object({ scenario: z.enum(['default', 'empty']).default('default') }).default({ scenario: 'default' });
const ClockSchema = z.union([z.object({ at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time') }), z.object({ advanceMs: z.number().int() }), z.object({ real: z.literal(true) })]);
const SettingsSchema = z.object({ vihfMode: z.enum(['strict', 'lenient']).optional(), logBodies: z.boolean().optional() });

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const r = schema.safeParse(value);
  if (!r.success) throw new HttpError(400, 'INVALID_INPUT', r.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; '));
  return r.data;
}

const limitOf = (url: URL) => Math.min(Math.max(Number(url.searchParams.get('limit') ?? 200) || 200, 1), 10_000);

/** Resets the store and loads the default (or no) scenario. */
export function resetSimulator(ctx: SimulatorContext, scenario: 'default' | 'empty' = 'default'): void {
  ctx.store.reset();
  ctx.clock.reset();
  ctx.faults.clear();
  if (scenario === 'default') applyScenario(ctx, DEFAULT_SCENARIO, { file: 'default scenario' });
}

export async function handleDriver(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  const path = url.pathname.replace(/^\/_driver/, '') || '/';
  const method = req.method ?? 'GET';
  try {
    if (method === 'GET' && (path === '/' || path === '/health')) {
      return sendJson(res, 200, { ok: true, patients: ctx.store.patientCount(), entries: ctx.store.entryCount(), clock: new Date(ctx.clock.now()).toISOString(), vihfMode: ctx.settings.vihfMode });
    }
    if (method === 'POST' && path === '/reset') {
      const body = parse(ResetSchema, (await readJson(req)) ?? undefined);
      resetSimulator(ctx, body.scenario);
      return sendJson(res, 200, { ok: true, scenario: body.scenario, patients: ctx.store.patientCount() });
    }
    if (method === 'POST' && path === '/scenario') {
      const body = await readJson(req);
      const summary = applyScenario(ctx, (body ?? {}) as never, { file: 'driver request' });
      return sendJson(res, 200, { ok: true, ...summary });
    }
    if (path === '/clock') {
      if (method === 'GET') return sendJson(res, 200, { now: new Date(ctx.clock.now()).toISOString() });
      if (method === 'PUT' || method === 'POST') {
        const body = parse(ClockSchema, await readJson(req));
        if ('at' in body) ctx.clock.set(Date.parse(body.at));
        else if ('advanceMs' in body) ctx.clock.advance(body.advanceMs);
        else ctx.clock.reset();
        return sendJson(res, 200, { now: new Date(ctx.clock.now()).toISOString() });
      }
    }
    if (path === '/faults') {
      if (method === 'GET') return sendJson(res, 200, ctx.faults.describe());
      if (method === 'DELETE') {
        ctx.faults.clear();
        return sendJson(res, 200, ctx.faults.describe());
      }
      if (method === 'PUT' || method === 'POST') {
        ctx.faults.set(parse(FaultPlanSchema, await readJson(req)));
        return sendJson(res, 200, ctx.faults.describe());
      }
    }
    if (path === '/settings') {
      if (method === 'PUT' || method === 'POST') {
        const body = parse(SettingsSchema, await readJson(req));
        if (body.vihfMode) ctx.settings.vihfMode = body.vihfMode;
        if (body.logBodies !== undefined) ctx.settings.logBodies = body.logBodies;
        ctx.policy = policyOf(ctx.settings);
      }
      if (method === 'GET' || method === 'PUT' || method === 'POST') return sendJson(res, 200, { vihfMode: ctx.settings.vihfMode, logBodies: ctx.settings.logBodies, policy: ctx.policy.describe() });
    }
    if (method === 'GET' && path === '/patients') return sendJson(res, 200, ctx.store.patients());
    const patientAction = /^\/patients\/([^/]+)\/actions$/.exec(path);
    if (method === 'POST' && patientAction) {
      const ins = decodeURIComponent(patientAction[1]!);
      const action = parse(PatientActionSchema, await readJson(req));
      return sendJson(res, 200, applyPatientAction(ctx, ins, action));
    }
    if (method === 'GET' && path === '/traces') return sendJson(res, 200, ctx.store.traces({ ...(url.searchParams.get('ins') ? { ins: url.searchParams.get('ins')! } : {}), limit: limitOf(url) }));
    if (method === 'GET' && path === '/notifications') return sendJson(res, 200, ctx.store.notifications({ ...(url.searchParams.get('ins') ? { ins: url.searchParams.get('ins')! } : {}), limit: limitOf(url) }));
    if (method === 'GET' && path === '/requests') return sendJson(res, 200, ctx.store.requests({ limit: limitOf(url) }));
    const one = /^\/requests\/(\d+)(\/request|\/response)?$/.exec(path);
    if (method === 'GET' && one) {
      const r = ctx.store.request(Number(one[1]));
      if (!r) throw new HttpError(404, 'NOT_FOUND', `no request ${one[1]} in the log`);
      if (one[2]) {
        const raw = one[2] === '/request' ? r.request : r.response;
        const type = one[2] === '/request' ? r.requestType : r.responseType;
        if (!raw) throw new HttpError(404, 'NO_BODY', 'the body was not kept (settings.logBodies is false)');
        res.writeHead(200, { 'content-type': type || 'application/octet-stream', 'content-length': String(raw.byteLength) });
        res.end(raw);
        return;
      }
      const { request: _q, response: _r, ...meta } = r;
      return sendJson(res, 200, { ...meta, requestBytes: r.request?.byteLength ?? 0, responseBytes: r.response?.byteLength ?? 0 });
    }
    throw new HttpError(404, 'NOT_FOUND', `no driver route ${method} ${url.pathname} (see docs/simulator-driver.openapi.yaml)`);
  } catch (e) {
    if (e instanceof HttpError) return sendError(res, e.status, e.code, e.message);
    if (e instanceof ScenarioError) return sendError(res, 400, 'SCENARIO_INVALID', e.message);
    throw e;
  }
}

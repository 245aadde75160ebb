/**
 * The test-driver API (/_driver) against a running simulator, observed through the SDK's client as a vendor's
 * software sees the DMP: reset, scenarios, patient actions, the clock, fault injection, settings, the request log.
 */
import {
  FindDocumentsCommand,
  GetAdminDataCommand,
  GetDmpStatusCommand,
  ListAuthorizationsCommand,
  DmpServiceError,
  RegistryError,
  RetrieveDocumentsCommand,
  SetAuthorizationCommand,
  SoapFaultError,
  SubmitDocumentsCommand,
  TransportError,
  type DmpClient,
} from '@dmpkit/sdk';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { client, DOCTOR, FIXTURE_PATIENT, fixtureVariant, KINE, PATB } from './support.js';

const EXAMPLE = fileURLToPath(new URL('../../../fixtures/scenarios/example.yaml', import.meta.url));
const OID = FIXTURE_PATIENT.oid;
/** The professional of the example scenario (the author of fixtures/cda). */
const EXAMPLE_DOCTOR = { ...DOCTOR, nameId: '899999000001', subjectId: 'Testeur DMPKIT-MEDECIN', structureId: '1999999001' };

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

interface DriverAnswer {
  status: number;
  json: any;
}

async function driver(method: string, path: string, body?: unknown): Promise<DriverAnswer> {
  const res = await fetch(`${sim.url}/_driver${path}`, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : undefined };
}

async function ok(method: string, path: string, body?: unknown): Promise<any> {
  const r = await driver(method, path, body);
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

async function registryCodes(p: Promise<unknown>): Promise<string[]> {
  const e = await failure(p);
  if (e instanceof RegistryError) return e.errors.map((x) => x.errorCode);
  throw e;
}

/** The example scenario as `dmp simulator load` sends it: parsed, document paths made absolute. */
function exampleScenario(): any {
  const raw = YAML.parse(readFileSync(EXAMPLE, 'utf8'));
  raw.documents = raw.documents.map((d: { file: string }) => ({ ...d, file: isAbsolute(d.file) ? d.file : resolve(dirname(EXAMPLE), d.file) }));
  return raw;
}

const action = (ins: string, body: unknown) => ok('POST', `/patients/${ins}/actions`, body);

describe('health, reset and scenarios', () => {
  it('resets to the default scenario and to an empty store', async () => {
    const def = await ok('POST', '/reset', {});
    expect(def).toEqual({ ok: true, scenario: 'default', patients: 18 });
    expect((await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: PATB }))).dmpExists).toBe(true);
    const empty = await ok('POST', '/reset', { scenario: 'empty' });
    expect(empty).toEqual({ ok: true, scenario: 'empty', patients: 0 });
    expect(await ok('GET', '/patients')).toEqual([]);
    expect((await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: PATB }))).dmpExists).toBe(false);
    const health = await ok('GET', '/health');
    expect(health).toMatchObject({ ok: true, patients: 0, entries: 0, vihfMode: 'strict' });
    // No body at all means the default scenario.
    const r = await fetch(`${sim.url}/_driver/reset`, { method: 'POST' });
    expect(await r.json()).toMatchObject({ scenario: 'default', patients: 18 });
  });

  it('refuses an unknown reset scenario and answers unknown routes with NOT_FOUND', async () => {
    const bad = await driver('POST', '/reset', { scenario: 'full' });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('INVALID_INPUT');
    expect(bad.json.error.message).toContain('scenario');
    const none = await driver('GET', '/nothing-here');
    expect(none).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
    const notJson = await fetch(`${sim.url}/_driver/faults`, { method: 'PUT', body: '{oops' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as any).error.code).toBe('JSON_INVALID');
  });

  it('loads fixtures/scenarios/example.yaml: the client sees its patients, authorizations and document', async () => {
    await ok('POST', '/reset', { scenario: 'empty' });
    const summary = await ok('POST', '/scenario', exampleScenario());
    expect(summary).toEqual({ ok: true, patients: 3, professionals: 1, authorizations: 2, documents: 1 });
    const c = client(sim.baseUrl, EXAMPLE_DOCTOR);
    const status = await c.send(new GetDmpStatusCommand({ patient: FIXTURE_PATIENT }));
    expect(status).toMatchObject({ dmpExists: true, dmpStatus: 'active', authorization: 'VALIDE', medecinTraitant: true });
    const found = await c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }));
    expect(found.documentEntries.map((e) => e.uniqueId)).toEqual(['1.2.250.1.999.1.1.1.1']);
    expect(found.documentEntries[0]!.creationTime).toBeDefined();
    const got = await c.send(new RetrieveDocumentsCommand({ patient: FIXTURE_PATIENT, uniqueIds: ['1.2.250.1.999.1.1.1.1'] }));
    expect(Buffer.from(got.documents[0]!.content).equals(readFileSync(resolve(dirname(EXAMPLE), '../cda/valid/n1-pdf.xml')))).toBe(true);
    expect(await c.send(new GetDmpStatusCommand({ patient: { ins: '100000000000146', oid: OID } }))).toMatchObject({ dmpExists: true, dmpStatus: 'terminated' });
    const blocked = await c.send(new GetDmpStatusCommand({ patient: { ins: '200000000000292', oid: OID } }));
    expect(blocked.authorization).toBe('INTERDITE');
    expect(await registryCodes(c.send(new FindDocumentsCommand({ patient: { ins: '200000000000292', oid: OID } })))).toEqual(['DMPAccessDenied']);
  });

  it('refuses an invalid scenario with 400 SCENARIO_INVALID naming the field, and writes nothing', async () => {
    await ok('POST', '/reset', { scenario: 'empty' });
    const badIns = exampleScenario();
    badIns.patients[1].ins = '12345';
    const r = await driver('POST', '/scenario', badIns);
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe('SCENARIO_INVALID');
    expect(r.json.error.message).toContain('patients.1.ins');
    const badFile = exampleScenario();
    badFile.documents[0].file = '/nonexistent/doc.xml';
    const f = await driver('POST', '/scenario', badFile);
    expect(f.status).toBe(400);
    expect(f.json.error.message).toContain('documents.0.file');
    const badStatus = exampleScenario();
    badStatus.patients[0].authorizations[0].status = 'maybe';
    expect((await driver('POST', '/scenario', badStatus)).json.error.message).toContain('patients.0.authorizations.0.status');
    expect(await ok('GET', '/patients')).toEqual([]);
  });
});

describe('patient actions, as the SDK client observes them', () => {
  beforeEach(async () => {
    await ok('POST', '/reset', {});
  });

  it('block / unblock a professional: DMPAccessDenied on FindDocuments and TD0.3, INTERDITE on TD0.2', async () => {
    const c = client(sim.baseUrl);
    await c.send(new FindDocumentsCommand({ patient: PATB }));
    const blocked = await action(PATB.ins, { action: 'block', professional: DOCTOR.nameId });
    expect(blocked.ok).toBe(true);
    expect(await registryCodes(c.send(new FindDocumentsCommand({ patient: PATB })))).toEqual(['DMPAccessDenied']);
    expect((await c.send(new GetDmpStatusCommand({ patient: PATB }))).authorization).toBe('INTERDITE');
    // A blocked professional cannot declare himself authorized again (habilitations status DMPAccessDenied).
    const denied = await failure(c.send(new SetAuthorizationCommand({ patient: PATB, action: 'AJOUT' })));
    expect(denied).toBeInstanceOf(DmpServiceError);
    expect((denied as DmpServiceError).status).toBe('DMPAccessDenied');
    // Unblocking removes the block, not more: the professional has no authorization until he declares one.
    await action(PATB.ins, { action: 'unblock', professional: DOCTOR.nameId });
    expect((await c.send(new GetDmpStatusCommand({ patient: PATB }))).authorization).toBe('NON_AUTORISE');
    await c.send(new SetAuthorizationCommand({ patient: PATB, action: 'AJOUT' }));
    expect(Array.isArray((await c.send(new FindDocumentsCommand({ patient: PATB }))).documentEntries)).toBe(true);
  });

  it('close-dmp / reopen-dmp: TD0.2 says terminated, then active', async () => {
    const c = client(sim.baseUrl);
    const closed = await action(PATB.ins, { action: 'close-dmp', reason: 'FERMETURE_DEMANDE_PATIENT' });
    expect(closed.patient).toMatchObject({ ins: PATB.ins, dmp: 'closed', closedReason: 'FERMETURE_DEMANDE_PATIENT' });
    expect(await c.send(new GetDmpStatusCommand({ patient: PATB }))).toMatchObject({ dmpExists: true, dmpStatus: 'terminated' });
    await action(PATB.ins, { action: 'reopen-dmp' });
    expect(await c.send(new GetDmpStatusCommand({ patient: PATB }))).toMatchObject({ dmpExists: true, dmpStatus: 'active' });
  });

  it('activate-mes / deactivate-mes change RATTACHEMENT_ENS', async () => {
    const c = client(sim.baseUrl);
    const ens = async () => (await c.send(new GetDmpStatusCommand({ patient: PATB }))).observations.find((o) => o.code === 'RATTACHEMENT_ENS')?.value;
    await action(PATB.ins, { action: 'deactivate-mes' });
    expect(await ens()).toBe(false);
    await action(PATB.ins, { action: 'activate-mes' });
    expect(await ens()).toBe(true);
  });

  it('oppose / withdraw-opposition change TD1.3a and bris de glace access', async () => {
    const ins = { ins: '213102288044517', oid: OID }; // URGENCE: no authorization, no opposition
    const c = client(sim.baseUrl);
    const glass = client(sim.baseUrl, { ...DOCTOR, purposeOfUse: 'bris_de_glace' });
    expect(Array.isArray((await glass.send(new FindDocumentsCommand({ patient: ins }))).documentEntries)).toBe(true);
    await action(ins.ins, { action: 'oppose', to: 'bris_de_glace' });
    await action(ins.ins, { action: 'oppose', to: 'centre_15' });
    expect(await c.send(new GetAdminDataCommand({ patient: ins }))).toMatchObject({ opposedToBreakGlass: true, opposedToEmergencyAccess: true });
    expect(await registryCodes(glass.send(new FindDocumentsCommand({ patient: ins })))).toEqual(['DMPAccessDenied']);
    await action(ins.ins, { action: 'withdraw-opposition', to: 'bris_de_glace' });
    expect(await c.send(new GetAdminDataCommand({ patient: ins }))).toMatchObject({ opposedToBreakGlass: false, opposedToEmergencyAccess: true });
    expect(Array.isArray((await glass.send(new FindDocumentsCommand({ patient: ins }))).documentEntries)).toBe(true);
  });

  it('hide-document / show-document: a new metadata version, masked to other professionals', async () => {
    const doctor = client(sim.baseUrl);
    const doc = fixtureVariant({ ins: PATB.ins, authorId: DOCTOR.nameId, typeCode: { code: '83981-1', displayName: "Lettre de liaison à la sortie d'une structure" } });
    await doctor.send(new SubmitDocumentsCommand({ documents: [{ content: doc.content }] }));
    const kine = client(sim.baseUrl, KINE);
    await kineAuthorized(kine);
    expect((await kine.send(new FindDocumentsCommand({ patient: PATB }))).documentEntries.map((e) => e.uniqueId)).toContain(doc.uniqueId);
    const hidden = await action(PATB.ins, { action: 'hide-document', uniqueId: doc.uniqueId });
    expect(hidden.ok).toBe(true);
    expect((await kine.send(new FindDocumentsCommand({ patient: PATB }))).documentEntries.map((e) => e.uniqueId)).not.toContain(doc.uniqueId);
    const own = (await doctor.send(new FindDocumentsCommand({ patient: PATB }))).documentEntries.find((e) => e.uniqueId === doc.uniqueId)!;
    expect(own.version).toBe('2');
    expect(own.confidentialityCode.map((c) => c.code)).toContain('MASQUE_PS');
    await action(PATB.ins, { action: 'show-document', uniqueId: doc.uniqueId });
    expect((await kine.send(new FindDocumentsCommand({ patient: PATB }))).documentEntries.map((e) => e.uniqueId)).toContain(doc.uniqueId);
    const unknown = await driver('POST', `/patients/${PATB.ins}/actions`, { action: 'hide-document', uniqueId: '1.2.3.4' });
    expect(unknown).toMatchObject({ status: 404, json: { error: { code: 'DOCUMENT_UNKNOWN' } } });
  });

  it('masked-visible-in-emergency lets a masked document be found in bris de glace', async () => {
    const ins = { ins: '213102288044517', oid: OID };
    const author = client(sim.baseUrl);
    // The author declares himself authorized, deposits, then the patient masks the document.
    await author.send(new SetAuthorizationCommand({ patient: ins, action: 'AJOUT' }));
    const doc = fixtureVariant({ ins: ins.ins, authorId: DOCTOR.nameId, typeCode: { code: '83981-1', displayName: "Lettre de liaison à la sortie d'une structure" } });
    await author.send(new SubmitDocumentsCommand({ documents: [{ content: doc.content }] }));
    await action(ins.ins, { action: 'hide-document', uniqueId: doc.uniqueId });
    const glass = client(sim.baseUrl, { ...KINE, purposeOfUse: 'bris_de_glace' });
    const ids = async () => (await glass.send(new FindDocumentsCommand({ patient: ins }))).documentEntries.map((e) => e.uniqueId);
    expect(await ids()).not.toContain(doc.uniqueId);
    const allowed = await action(ins.ins, { action: 'masked-visible-in-emergency', allowed: true });
    expect(allowed.patient.maskedVisibleInEmergency).toBe(true);
    expect(await ids()).toContain(doc.uniqueId);
  });

  it('refuses an unknown patient (404 PATIENT_UNKNOWN) and an invalid action (400 INVALID_INPUT)', async () => {
    expect(await driver('POST', '/patients/100000000000999/actions', { action: 'close-dmp' })).toMatchObject({ status: 404, json: { error: { code: 'PATIENT_UNKNOWN' } } });
    const bad = await driver('POST', `/patients/${PATB.ins}/actions`, { action: 'oppose', to: 'everyone' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'INVALID_INPUT' });
    expect(bad.json.error.message).toContain('to');
  });
});

async function kineAuthorized(kine: DmpClient): Promise<void> {
  await kine.send(new SetAuthorizationCommand({ patient: PATB, action: 'AJOUT' }));
}

describe('the clock', () => {
  beforeAll(async () => {
    await ok('POST', '/reset', {});
  });
  afterAll(async () => {
    await ok('PUT', '/clock', { real: true });
  });

  it('set, advance and back to real time; traces carry the simulated time', async () => {
    // Within the test PKI's validity (a year from yesterday), and the client signs its VIHF at the same time.
    const at = Math.floor(Date.now() / 60_000) * 60_000 + 30 * 86_400_000;
    const set = await ok('PUT', '/clock', { at: new Date(at).toISOString() });
    expect(Math.abs(Date.parse(set.now) - at)).toBeLessThan(2_000);
    const c = client(sim.baseUrl, DOCTOR, { now: () => new Date(at) });
    await c.send(new FindDocumentsCommand({ patient: PATB }));
    const [trace] = await ok('GET', `/traces?ins=${PATB.ins}&limit=1`);
    expect(trace).toMatchObject({ ins: PATB.ins, actorId: DOCTOR.nameId, action: 'TD3.1-META', decision: 'allow' });
    expect(Math.abs(trace.at - at)).toBeLessThan(5_000);
    const advanced = await ok('POST', '/clock', { advanceMs: 3_600_000 });
    expect(Math.abs(Date.parse(advanced.now) - (at + 3_600_000))).toBeLessThan(5_000);
    const real = await ok('PUT', '/clock', { real: true });
    expect(Math.abs(Date.parse(real.now) - Date.now())).toBeLessThan(2_000);
    expect((await driver('PUT', '/clock', { at: 'yesterday' })).json.error.code).toBe('INVALID_INPUT');
  });
});

describe('fault injection', () => {
  beforeAll(async () => {
    await ok('POST', '/reset', {});
  });
  beforeEach(async () => {
    await ok('DELETE', '/faults');
  });
  afterAll(async () => {
    await ok('DELETE', '/faults');
  });

  it('latency delays the answer, which stays correct', async () => {
    await ok('PUT', '/faults', { rules: [{ service: 'patients', kind: 'latency', latencyMs: 400 }] });
    const started = performance.now();
    const s = await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: PATB }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    expect(s.dmpExists).toBe(true);
  });

  it('soap-fault: a SoapFaultError from the client', async () => {
    await ok('PUT', '/faults', { rules: [{ service: 'registry', action: 'RegistryStoredQuery', kind: 'soap-fault', reason: 'panne simulée' }] });
    const e = await failure(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: PATB })));
    expect(e).toBeInstanceOf(SoapFaultError);
    expect((e as SoapFaultError).faultCode.localName).toBe('Receiver');
    expect((e as SoapFaultError).subcodes.map((s) => s.localName)).toContain('InjectedFault');
    expect((e as SoapFaultError).message).toContain('panne simulée');
    // Another service is not affected.
    expect((await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: PATB }))).dmpExists).toBe(true);
  });

  it('registry-busy: a RegistryError XDSRegistryBusy on the registry', async () => {
    await ok('PUT', '/faults', { rules: [{ kind: 'registry-busy' }] });
    expect(await registryCodes(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: PATB })))).toEqual(['XDSRegistryBusy']);
  });

  it('drop: the connection is cut, a TransportError', async () => {
    await ok('PUT', '/faults', { rules: [{ service: 'patients', kind: 'drop' }] });
    const e = await failure(client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: PATB })));
    expect(e).toBeInstanceOf(TransportError);
    const [last] = await ok('GET', '/requests?limit=1');
    expect(last).toMatchObject({ service: 'patients', httpStatus: 0, outcome: 'fault: dropped connection' });
  });

  it('malformed-mtom on a retrieve: a clear client error, not a crash or an empty document', async () => {
    const c = client(sim.baseUrl);
    const doc = fixtureVariant({ ins: PATB.ins, authorId: DOCTOR.nameId });
    await c.send(new SubmitDocumentsCommand({ documents: [{ content: doc.content }] }));
    await ok('PUT', '/faults', { rules: [{ service: 'repository', action: 'RetrieveDocumentSet', kind: 'malformed-mtom' }] });
    const e = await failure(c.send(new RetrieveDocumentsCommand({ patient: PATB, uniqueIds: [doc.uniqueId] })));
    // The declared boundary never appears: the client reads a multipart body that never ends.
    expect(e).toBeInstanceOf(TransportError);
    expect(e).toMatchObject({ code: 'TRANSPORT-TRUNCATED', transaction: 'TD3.2', transportKind: 'truncated', phase: 'body', httpStatus: 200, detail: 'multipart body without its close delimiter' });
    // The deposit was not affected (the rule names the retrieve action only).
    await ok('DELETE', '/faults');
    expect((await c.send(new RetrieveDocumentsCommand({ patient: PATB, uniqueIds: [doc.uniqueId] }))).documents).toHaveLength(1);
  });

  it('http-status: 503 by default, any 4xx/5xx when asked', async () => {
    await ok('PUT', '/faults', { rules: [{ service: 'habilitations', kind: 'http-status' }] });
    const e = await failure(client(sim.baseUrl).send(new ListAuthorizationsCommand({ patient: PATB })));
    expect(e).toBeInstanceOf(TransportError);
    expect((e as TransportError).httpStatus).toBe(503);
    await ok('PUT', '/faults', { rules: [{ service: 'habilitations', kind: 'http-status', status: 429 }] });
    expect(((await failure(client(sim.baseUrl).send(new ListAuthorizationsCommand({ patient: PATB })))) as TransportError).httpStatus).toBe(429);
    expect((await driver('PUT', '/faults', { rules: [{ kind: 'http-status', status: 200 }] })).json.error.code).toBe('INVALID_INPUT');
  });

  it('count: the rule applies that many times, then the service answers normally', async () => {
    const plan = await ok('PUT', '/faults', { rules: [{ service: 'patients', kind: 'soap-fault', count: 2 }] });
    expect(plan.rules[0]).toMatchObject({ kind: 'soap-fault', count: 2, probability: 1, service: 'patients' });
    const c = client(sim.baseUrl);
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) outcomes.push(await c.send(new GetDmpStatusCommand({ patient: PATB })).then(() => 'ok', (e) => (e instanceof SoapFaultError ? 'fault' : String(e))));
    expect(outcomes).toEqual(['fault', 'fault', 'ok']);
    expect((await ok('GET', '/faults')).rules[0].count).toBe(0);
  });

  it('probability with a seed: the same seed gives the same sequence', async () => {
    const c = client(sim.baseUrl);
    const run = async (seed: number): Promise<string> => {
      await ok('PUT', '/faults', { seed, rules: [{ service: 'patients', kind: 'soap-fault', probability: 0.5 }] });
      let s = '';
      for (let i = 0; i < 12; i++) s += await c.send(new GetDmpStatusCommand({ patient: PATB })).then(() => '.', (e) => (e instanceof SoapFaultError ? 'F' : '?'));
      return s;
    };
    const first = await run(42);
    expect(first).toMatch(/^[.F]{12}$/);
    expect(first).toContain('F');
    expect(first).toContain('.');
    expect(await run(42)).toBe(first);
    expect((await ok('GET', '/faults')).seed).toBe(42);
  });
});

describe('settings and the request log', () => {
  beforeAll(async () => {
    await ok('POST', '/reset', {});
  });
  afterAll(async () => {
    await ok('PUT', '/settings', { vihfMode: 'strict', logBodies: true });
  });

  it('vihfMode: strict refuses a VIHF whose signed content was altered, lenient reads its attributes only', async () => {
    // A genuine TD0.2 request from the log, replayed with one signed attribute changed (MAX LIBRE → MAX LIBRF).
    await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: PATB }));
    const [logged] = await ok('GET', '/requests?limit=1');
    const raw = await fetch(`${sim.url}/_driver/requests/${logged.id}/request`);
    const type = raw.headers.get('content-type')!;
    const original = await raw.text();
    expect(original).toContain('MAX LIBRE');
    const tampered = original.replaceAll('MAX LIBRE', 'MAX LIBRF');
    const post = () => fetch(`${sim.baseUrl}/patients`, { method: 'POST', headers: { 'content-type': type }, body: tampered });
    const strict = await post();
    expect(strict.status).toBe(500);
    const fault = await strict.text();
    expect(fault).toContain('VIHF');
    expect(fault).toMatch(/Fault/);
    const s = await ok('PUT', '/settings', { vihfMode: 'lenient' });
    expect(s).toMatchObject({ vihfMode: 'lenient', logBodies: true });
    expect(s.policy).toBeDefined();
    expect((await ok('GET', '/health')).vihfMode).toBe('lenient');
    const lenient = await post();
    expect(lenient.status).toBe(200);
    expect(await lenient.text()).toContain('queryResponseCode');
    await ok('PUT', '/settings', { vihfMode: 'strict' });
    expect((await ok('GET', '/settings')).vihfMode).toBe('strict');
    expect((await post()).status).toBe(500);
  });

  it('lists requests with their decisions and serves the raw bodies; logBodies=false keeps none', async () => {
    const c = client(sim.baseUrl);
    await c.send(new FindDocumentsCommand({ patient: PATB }));
    const [last] = await ok('GET', '/requests?limit=1');
    expect(last).toMatchObject({ service: 'registry', transaction: 'TD3.1', httpStatus: 200 });
    expect(last.outcome).toMatch(/^Success/);
    expect(last.request).toBeUndefined();
    const one = await ok('GET', `/requests/${last.id}`);
    expect(one.requestBytes).toBeGreaterThan(0);
    expect(one.responseBytes).toBeGreaterThan(0);
    expect(one.decisions[0]).toMatchObject({ action: 'TD3.1-META', decision: 'allow' });
    const req = await fetch(`${sim.url}/_driver/requests/${last.id}/request`);
    expect(req.status).toBe(200);
    const reqText = await req.text();
    expect(reqText).toContain('AdhocQueryRequest');
    expect(reqText).toContain(PATB.ins);
    expect(Buffer.byteLength(reqText)).toBe(one.requestBytes);
    const resp = await fetch(`${sim.url}/_driver/requests/${last.id}/response`);
    expect(resp.headers.get('content-type')).toContain('soap+xml');
    expect(await resp.text()).toContain('AdhocQueryResponse');

    await ok('PUT', '/settings', { logBodies: false });
    await c.send(new GetDmpStatusCommand({ patient: PATB }));
    const [bare] = await ok('GET', '/requests?limit=1');
    expect(bare.transaction).toBe('TD0.2');
    expect(await driver('GET', `/requests/${bare.id}/request`)).toMatchObject({ status: 404, json: { error: { code: 'NO_BODY' } } });
    expect(await driver('GET', '/requests/999999')).toMatchObject({ status: 404, json: { error: { code: 'NOT_FOUND' } } });
  });

  it('lists traces and notifications by patient', async () => {
    const c = client(sim.baseUrl, KINE);
    await c.send(new SetAuthorizationCommand({ patient: PATB, action: 'AJOUT' }));
    await c.send(new FindDocumentsCommand({ patient: PATB }));
    const traces = await ok('GET', `/traces?ins=${PATB.ins}`);
    expect(traces.every((t: { ins: string }) => t.ins === PATB.ins)).toBe(true);
    expect(traces[0]).toMatchObject({ actorId: KINE.nameId, action: 'TD3.1-META' });
    const notes = await ok('GET', `/notifications?ins=${PATB.ins}`);
    expect(notes.some((n: { kind: string; actorId?: string }) => n.kind === 'first-access' && n.actorId === KINE.nameId)).toBe(true);
    expect(await ok('GET', `/notifications?ins=${FIXTURE_PATIENT.ins}&limit=5`)).toEqual([]);
  });
});

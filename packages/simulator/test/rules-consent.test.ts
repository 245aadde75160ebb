/**
 * Consent and access-mode rules, end to end with the SDK client against the simulator's default scenario (the
 * official test patients, dmp-interface.md §4.4). Each case is written from the rule's text:
 * - §12 step 6: "consultation requires AUTORISATION VALIDE except in centre_15/bris_de_glace (unless patient opposed:
 *   OPPOSITION_ACCES_URGENCE, OPPOSITION_BRIS_DE_GLACE) and except Alimentation-profile actions"; "PS blocked →
 *   refuse everything patient-scoped except TD0.2"; "terminated → refuse feeding/consult".
 * - §4.1 LPS rules: "a blocked PS can never access, with or without patient consent; authorizations only gate
 *   consultation".
 * Refusals are RegistryErrors DMPAccessDenied whose codeContext names the SDK policy's deciding rule ids; traces and
 * notifications are read through the driver API.
 */
import { DmpError, FindDocumentsCommand, GetDmpStatusCommand, RetrieveDocumentsCommand, SetAuthorizationCommand, SubmitDocumentsCommand, type DmpClientConfig } from '@dmpkit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { client, DOCTOR, fixtureVariant, PATB, registryRefusal } from './support.js';

const OID = PATB.oid;
const AUTORISEPAS = { ins: '265025544371476', oid: OID };
const EXPIRE = { ins: '241030750595179', oid: OID };
const BLOCH = { ins: '138080427231017', oid: OID };
const URGENCE = { ins: '213102288044517', oid: OID };
const VUN_UN = { ins: '199033022011538', oid: OID };
const VUN_DEUX = { ins: '116083022011613', oid: OID };
const FERMETURE = { ins: '270108604926542', oid: OID };

const BDG: DmpClientConfig['vihf'] = { ...DOCTOR, purposeOfUse: 'bris_de_glace' };
const C15: DmpClientConfig['vihf'] = { ...DOCTOR, purposeOfUse: 'centre_15' };

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

/** The rule ids the codeContext of a DMPAccessDenied names ("Accès refusé par la politique d'accès DMP (ID, ID) : …"). */
function deniedBy(errors: Array<[string, string]>): string[] {
  expect(errors.map((e) => e[0])).toEqual(['DMPAccessDenied']);
  const m = /^Accès refusé par la politique d'accès DMP \(([^)]*)\)/.exec(errors[0]![1]);
  expect(m, errors[0]![1]).not.toBeNull();
  return m![1]!.split(', ');
}

interface Trace { action: string; decision: string; mode: string; actorId: string; document?: string; rules: Array<{ id: string }> }
interface Notification { kind: string; text: string; actorId?: string; document?: string }
const driver = async <T>(path: string): Promise<T> => (await (await fetch(`${sim.url}/_driver/${path}`)).json()) as T;

async function deposit(patient: { ins: string }, vihf = DOCTOR): Promise<string> {
  const doc = fixtureVariant({ ins: patient.ins, authorId: DOCTOR.nameId });
  const sent = await client(sim.baseUrl, vihf).send(new SubmitDocumentsCommand({ documents: [{ content: doc.content }] }));
  expect(sent.status).toBe('Success');
  return doc.uniqueId;
}

describe('no valid authorization: consultation refused, feeding allowed (§12 step 6, §4.1 "authorizations only gate consultation")', () => {
  it('AUTORISEPAS: TD0.2 answers (without VALIDE), TD3.1 is refused by ACC-CONSENT-REQUIRED', async () => {
    const status = await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: AUTORISEPAS }));
    expect(status.dmpExists).toBe(true);
    expect(status.authorization).not.toBe('VALIDE');
    const rules = deniedBy(await registryRefusal(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: AUTORISEPAS }))));
    expect(rules).toContain('ACC-CONSENT-REQUIRED');
  });

  it('AUTORISEPAS: feeding needs no authorization (Alimentation profile), the document is then still not readable', async () => {
    const uniqueId = await deposit(AUTORISEPAS);
    const rules = deniedBy(await registryRefusal(client(sim.baseUrl).send(new RetrieveDocumentsCommand({ patient: AUTORISEPAS, uniqueIds: [uniqueId] }))));
    expect(rules).toContain('ACC-CONSENT-REQUIRED');
    const traces = await driver<Trace[]>(`traces?ins=${AUTORISEPAS.ins}`);
    expect(traces.some((t) => t.action === 'TD2.1' && t.decision === 'allow' && t.actorId === DOCTOR.nameId)).toBe(true);
  });

  it('EXPIRE: TD0.2 says EXPIREE; consultation is refused as without authorization', async () => {
    const status = await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: EXPIRE }));
    expect(status.authorization).toBe('EXPIREE');
    const rules = deniedBy(await registryRefusal(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: EXPIRE }))));
    expect(rules).toContain('ACC-CONSENT-REQUIRED');
  });
});

describe('blocked professional (§4.1 "a blocked PS can never access"; §12 step 6 "except TD0.2")', () => {
  it('BLOCH: TD0.2 still answers; TD3.1, TD2.1 and even TD0.3 (declaring oneself authorized) are refused by ACC-BLOCKED', async () => {
    const status = await client(sim.baseUrl).send(new GetDmpStatusCommand({ patient: BLOCH }));
    expect(status.dmpExists).toBe(true);
    expect(status.authorization).not.toBe('VALIDE');
    expect(deniedBy(await registryRefusal(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: BLOCH }))))).toContain('ACC-BLOCKED');
    const doc = fixtureVariant({ ins: BLOCH.ins, authorId: DOCTOR.nameId });
    expect(deniedBy(await registryRefusal(client(sim.baseUrl).send(new SubmitDocumentsCommand({ documents: [{ content: doc.content }] }))))).toContain('ACC-BLOCKED');
    const td03 = await client(sim.baseUrl).send(new SetAuthorizationCommand({ patient: BLOCH, action: 'AJOUT' })).catch((e: unknown) => e);
    expect(td03).toBeInstanceOf(DmpError); // DmpServiceError: status DMPAccessDenied
    expect(String((td03 as Error).message)).toMatch(/ACC-BLOCKED/);
    // The block stands: TD0.3 did not turn it into an authorization.
    expect(deniedBy(await registryRefusal(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: BLOCH }))))).toContain('ACC-BLOCKED');
    const traces = await driver<Trace[]>(`traces?ins=${BLOCH.ins}`);
    const denied = traces.filter((t) => t.decision === 'deny' && t.rules.some((r) => r.id === 'ACC-BLOCKED')).map((t) => t.action.slice(0, 5));
    expect(new Set(denied)).toEqual(new Set(['TD3.1', 'TD2.1', 'TD0.3']));
    expect(traces.filter((t) => t.decision === 'allow').map((t) => t.action)).toEqual(['TD0.2']);
  });
});

describe('closed DMP (§12 step 6 "terminated → refuse feeding/consult")', () => {
  it('FERMETURE: feeding and reading are refused by ACC-DMP-CLOSED', async () => {
    const doc = fixtureVariant({ ins: FERMETURE.ins, authorId: DOCTOR.nameId });
    expect(deniedBy(await registryRefusal(client(sim.baseUrl).send(new SubmitDocumentsCommand({ documents: [{ content: doc.content }] }))))).toContain('ACC-DMP-CLOSED');
    expect(deniedBy(await registryRefusal(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: FERMETURE }))))).toContain('ACC-DMP-CLOSED');
  });
});

describe('bris de glace (§4.3, §3 column F, §12 step 6)', () => {
  let uniqueId: string;
  beforeAll(async () => {
    uniqueId = await deposit(URGENCE);
  });

  it('URGENCE: refused in normal mode (no authorization), read in bris de glace, with trace and notification', async () => {
    expect(deniedBy(await registryRefusal(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: URGENCE }))))).toContain('ACC-CONSENT-REQUIRED');
    const bdg = client(sim.baseUrl, BDG);
    const found = await bdg.send(new FindDocumentsCommand({ patient: URGENCE }));
    expect(found.documentEntries.map((e) => e.uniqueId)).toContain(uniqueId);
    const got = await bdg.send(new RetrieveDocumentsCommand({ patient: URGENCE, uniqueIds: [uniqueId] }));
    expect(got.documents.map((d) => d.documentUniqueId)).toEqual([uniqueId]);
    const traces = await driver<Trace[]>(`traces?ins=${URGENCE.ins}`);
    expect(traces.some((t) => t.action === 'TD3.2' && t.document === uniqueId && t.mode === 'bris_de_glace' && t.decision === 'allow')).toBe(true);
    const notes = await driver<Notification[]>(`notifications?ins=${URGENCE.ins}`);
    expect(notes.filter((n) => n.kind === 'bris-de-glace' && n.document === uniqueId)).toHaveLength(1);
    expect(notes.find((n) => n.kind === 'bris-de-glace')!.text).toBe(`Accès en bris de glace par ${DOCTOR.subjectId}`);
  });

  it('the first access of a professional to a DMP is notified once (the deposit was his first access)', async () => {
    const notes = await driver<Notification[]>(`notifications?ins=${URGENCE.ins}`);
    const first = notes.filter((n) => n.kind === 'first-access' && n.actorId === DOCTOR.nameId);
    expect(first).toHaveLength(1);
    expect(first[0]!.text).toBe(`Premier accès de ${DOCTOR.subjectId} à votre dossier`);
  });

  it('PAT-VUN-DEUX, opposed to bris de glace: refused by ACC-BDG-OPPOSED, nothing notified', async () => {
    await deposit(VUN_DEUX);
    const before = (await driver<Notification[]>(`notifications?ins=${VUN_DEUX.ins}`)).length;
    expect(deniedBy(await registryRefusal(client(sim.baseUrl, BDG).send(new FindDocumentsCommand({ patient: VUN_DEUX }))))).toContain('ACC-BDG-OPPOSED');
    const notes = await driver<Notification[]>(`notifications?ins=${VUN_DEUX.ins}`);
    expect(notes).toHaveLength(before);
    expect(notes.some((n) => n.kind === 'bris-de-glace')).toBe(false);
  });

  it('PAT-VUN-UN, opposed to centre 15 only: bris de glace is still allowed', async () => {
    const uid = await deposit(VUN_UN);
    const found = await client(sim.baseUrl, BDG).send(new FindDocumentsCommand({ patient: VUN_UN }));
    expect(found.documentEntries.map((e) => e.uniqueId)).toContain(uid);
  });
});

describe('centre 15 / régulation (§4.3, §3 column E, §4.1 "in centre de régulation mode the LPS does not check the authorization")', () => {
  it('URGENCE: read without authorization in centre_15 mode, notified as such', async () => {
    const found = await client(sim.baseUrl, C15).send(new FindDocumentsCommand({ patient: URGENCE }));
    expect(found.documentEntries.length).toBeGreaterThan(0);
    const traces = await driver<Trace[]>(`traces?ins=${URGENCE.ins}`);
    expect(traces.some((t) => t.action.startsWith('TD3.1') && t.mode === 'centre_15' && t.decision === 'allow' && t.rules.some((r) => r.id === 'ACC-EMERGENCY-NO-AUTHORIZATION'))).toBe(true);
    const uniqueId = found.documentEntries[0]!.uniqueId;
    await client(sim.baseUrl, C15).send(new RetrieveDocumentsCommand({ patient: URGENCE, uniqueIds: [uniqueId] }));
    const notes = await driver<Notification[]>(`notifications?ins=${URGENCE.ins}`);
    expect(notes.some((n) => n.kind === 'centre-15' && n.document === uniqueId)).toBe(true);
  });

  // "except in centre_15 … (unless patient opposed: OPPOSITION_ACCES_URGENCE)": with the opposition, the
  // authorization check applies again, so the deciding rule is ACC-CONSENT-REQUIRED and ACC-C15-OPPOSED says why.
  it('PAT-VUN-UN and PAT-VUN-DEUX, opposed to centre 15: refused for lack of authorization, ACC-C15-OPPOSED in the trace', async () => {
    for (const p of [VUN_UN, VUN_DEUX]) {
      expect(deniedBy(await registryRefusal(client(sim.baseUrl, C15).send(new FindDocumentsCommand({ patient: p }))))).toEqual(['ACC-CONSENT-REQUIRED']);
      const last = (await driver<Trace[]>(`traces?ins=${p.ins}`))[0]!;
      expect(last).toMatchObject({ mode: 'centre_15', decision: 'deny' });
      expect(last.rules.map((r) => r.id)).toContain('ACC-C15-OPPOSED');
    }
  });

  it('an opposition recorded through the driver takes effect at once (URGENCE opposes centre 15, then withdraws)', async () => {
    const act = (body: unknown) => fetch(`${sim.url}/_driver/patients/${URGENCE.ins}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await act({ action: 'oppose', to: 'centre_15' })).status).toBe(200);
    expect(deniedBy(await registryRefusal(client(sim.baseUrl, C15).send(new FindDocumentsCommand({ patient: URGENCE }))))).toEqual(['ACC-CONSENT-REQUIRED']);
    expect((await driver<Trace[]>(`traces?ins=${URGENCE.ins}`))[0]!.rules.map((r) => r.id)).toContain('ACC-C15-OPPOSED');
    expect((await act({ action: 'withdraw-opposition', to: 'centre_15' })).status).toBe(200);
    expect((await client(sim.baseUrl, C15).send(new FindDocumentsCommand({ patient: URGENCE }))).documentEntries.length).toBeGreaterThan(0);
  });
});

/**
 * Visibility of documents masked to professionals (MASQUE_PS), end to end with the SDK client. From the rule texts:
 * - §3 matrix row "TD3.2 docs masqués PS": footnote (6) "only own documents (author)"; (7) "masked doc in bris de
 *   glace / centre 15 only if the patient authorised it"; column H (médecin traitant) "oui" without footnote.
 * - §12 step 7: "MASQUE_PS hidden from PS except author, MT, or (BdG/C15 with patient consent)".
 * The patient's consent is set through the driver action masked-visible-in-emergency.
 */
import { FindDocumentsCommand, RegistryError, RetrieveDocumentsCommand, SetAuthorizationCommand, SubmitDocumentsCommand, UpdateDocumentCommand, type DmpClientConfig } from '@dmpkit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { client, DOCTOR, fixtureVariant, KINE, PATB } from './support.js';

/** ATTRIBUT, the official TD3.3 test patient: MAX LIBRE is authorized on it. */
const ATTRIBUT = { ins: '235061058692768', oid: PATB.oid };
/** Another médecin généraliste of the same structure (added to the simulator by this suite's scenario). */
const OTHER_DOCTOR: DmpClientConfig['vihf'] = { ...DOCTOR, subjectId: 'JEANNE AUTRE', nameId: '899900063501' };
/** A type the document-type matrix lets a kiné read (83981-1, see e2e-flow), so that only masking can hide it. */
const LIAISON = { code: '83981-1', displayName: "Lettre de liaison à la sortie d'une structure" };

let sim: RunningSimulator;
let masked: string;
beforeAll(async () => {
  sim = await startSimulator();
  sim.load({ professionals: [{ id: OTHER_DOCTOR.nameId, family: 'AUTRE', given: 'JEANNE', profession: '10', specialty: 'SM26', card: 'CPS', structureId: DOCTOR.structureId }] });
  const doc = fixtureVariant({ ins: ATTRIBUT.ins, authorId: DOCTOR.nameId, typeCode: LIAISON });
  await client(sim.baseUrl).send(new SubmitDocumentsCommand({ documents: [{ content: doc.content }] }));
  await client(sim.baseUrl).send(new UpdateDocumentCommand({ patient: ATTRIBUT, action: 'mask', document: doc.uniqueId }));
  masked = doc.uniqueId;
});
afterAll(() => sim.close());

const listed = async (vihf: DmpClientConfig['vihf']) => (await client(sim.baseUrl, vihf).send(new FindDocumentsCommand({ patient: ATTRIBUT }))).documentEntries.map((e) => e.uniqueId);
async function retrieveCodes(vihf: DmpClientConfig['vihf']): Promise<string[]> {
  try {
    const r = await client(sim.baseUrl, vihf).send(new RetrieveDocumentsCommand({ patient: ATTRIBUT, uniqueIds: [masked] }));
    return r.documents.map((d) => `ok:${d.documentUniqueId}`);
  } catch (e) {
    if (e instanceof RegistryError) return e.errors.map((x) => x.errorCode);
    throw e;
  }
}
const setMaskedVisibleInEmergency = (allowed: boolean) =>
  fetch(`${sim.url}/_driver/patients/${ATTRIBUT.ins}/actions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ action: 'masked-visible-in-emergency', allowed }) });

describe('MASQUE_PS (§3 TD3.2 masked row, footnotes 6 and 7; §12 step 7)', () => {
  it('the entry carries MASQUE_PS; the author finds and reads it (footnote 6)', async () => {
    const entry = (await client(sim.baseUrl).send(new FindDocumentsCommand({ patient: ATTRIBUT }))).documentEntries.find((e) => e.uniqueId === masked)!;
    expect(entry.confidentialityCode.map((c) => c.code)).toContain('MASQUE_PS');
    expect(await retrieveCodes(DOCTOR)).toEqual([`ok:${masked}`]);
  });

  it('another authorized professional (a kiné, another médecin) neither finds nor reads it', async () => {
    for (const who of [KINE, OTHER_DOCTOR]) {
      await client(sim.baseUrl, who).send(new SetAuthorizationCommand({ patient: ATTRIBUT, action: 'AJOUT' }));
      expect(await listed(who)).not.toContain(masked);
      expect(await retrieveCodes(who)).toEqual(['DMPAccessDenied']);
    }
  });

  it('in bris de glace: hidden while the patient has not allowed it, visible once allowed (footnote 7)', async () => {
    const bdg = { ...KINE, purposeOfUse: 'bris_de_glace' as const };
    expect((await setMaskedVisibleInEmergency(false)).status).toBe(200);
    expect(await listed(bdg)).not.toContain(masked);
    expect(await retrieveCodes(bdg)).toEqual(['DMPAccessDenied']);
    expect((await setMaskedVisibleInEmergency(true)).status).toBe(200);
    expect(await listed(bdg)).toContain(masked);
    expect(await retrieveCodes(bdg)).toEqual([`ok:${masked}`]);
    // The consent is for emergencies only: in normal mode the kiné still does not see it.
    expect(await listed(KINE)).not.toContain(masked);
    expect((await setMaskedVisibleInEmergency(false)).status).toBe(200);
    expect(await listed(bdg)).not.toContain(masked);
  });

  it('the médecin traitant (TD0.3 AJOUT with role MEDECIN_TRAITANT) sees masked documents (column H)', async () => {
    expect(await listed(OTHER_DOCTOR)).not.toContain(masked);
    await client(sim.baseUrl, OTHER_DOCTOR).send(new SetAuthorizationCommand({ patient: ATTRIBUT, action: 'AJOUT', role: 'MEDECIN_TRAITANT' }));
    expect(await listed(OTHER_DOCTOR)).toContain(masked);
    expect(await retrieveCodes(OTHER_DOCTOR)).toEqual([`ok:${masked}`]);
    const traces = (await (await fetch(`${sim.url}/_driver/traces?ins=${ATTRIBUT.ins}`)).json()) as Array<{ action: string; actorId: string; decision: string; document?: string; rules: Array<{ id: string }> }>;
    const read = traces.find((t) => t.action === 'TD3.2' && t.actorId === OTHER_DOCTOR.nameId && t.decision === 'allow' && t.document === masked)!;
    expect(read.rules.map((r) => r.id)).toContain('DOC-MT-ALL');
  });
});

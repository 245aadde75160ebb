/**
 * The SDK's client against the real simulator on 127.0.0.1: status, authorization, submission, search, retrieval,
 * replacement, masking and its effect on another professional, the document-type matrix, lifecycle, traces.
 */
import {
  FindDocumentsCommand,
  GetDmpStatusCommand,
  ListAuthorizationsCommand,
  ListAuthorizedPatientsCommand,
  RegistryError,
  RetrieveDocumentsCommand,
  SetAuthorizationCommand,
  SubmitDocumentsCommand,
  UpdateDocumentCommand,
} from '@dmpkit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { client, DOCTOR, FIXTURE_PATIENT, fixtureVariant, KINE, PATB, registryRefusal } from './support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

async function registryCodes(p: Promise<unknown>): Promise<string[]> {
  return (await registryRefusal(p)).map(([code]) => code);
}

describe('TD0.2 status', () => {
  it('tells open, closed and absent DMPs apart, with the authorization of the actor', async () => {
    const c = client(sim.baseUrl);
    const open = await c.send(new GetDmpStatusCommand({ patient: PATB }));
    expect(open).toMatchObject({ dmpExists: true, dmpStatus: 'active', authorization: 'VALIDE', medecinTraitant: false });
    const closed = await c.send(new GetDmpStatusCommand({ patient: { ins: '270108604926542', oid: PATB.oid } }));
    expect(closed).toMatchObject({ dmpExists: true, dmpStatus: 'terminated' });
    const absent = await c.send(new GetDmpStatusCommand({ patient: { ins: '153078987658513', oid: PATB.oid } }));
    expect(absent.dmpExists).toBe(false);
    const expired = await c.send(new GetDmpStatusCommand({ patient: { ins: '241030750595179', oid: PATB.oid } }));
    expect(expired.authorization).toBe('EXPIREE');
  });
});

describe('submit, search, retrieve', () => {
  let uniqueId: string;
  let deposited: Buffer;

  it('deposits the fixture N1 document and finds it back with its metadata', async () => {
    const c = client(sim.baseUrl);
    const doc = fixtureVariant({ authorId: DOCTOR.nameId });
    const sent = await c.send(new SubmitDocumentsCommand({ documents: [{ content: doc.content, file: 'n1-pdf.xml' }] }));
    expect(sent.status).toBe('Success');
    uniqueId = sent.documents[0]!.uniqueId;
    expect(uniqueId).toBe(doc.uniqueId);
    deposited = doc.content;
    const found = await c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }));
    const entry = found.documentEntries.find((e) => e.uniqueId === uniqueId);
    expect(entry).toBeDefined();
    expect(entry).toMatchObject({ availabilityStatus: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved', version: '1', repositoryUniqueId: '1.2.250.1.213.4.1.1.1.2', size: deposited.byteLength });
    expect(entry!.entryUUID).toMatch(/^urn:uuid:/);
    expect(entry!.typeCode?.code).toBe('11488-4');
  });

  it('returns the exact bytes deposited', async () => {
    const got = await client(sim.baseUrl).send(new RetrieveDocumentsCommand({ patient: FIXTURE_PATIENT, uniqueIds: [uniqueId] }));
    expect(got.status).toBe('Success');
    expect(Buffer.from(got.documents[0]!.content).equals(deposited)).toBe(true);
  });

  it('refuses the same uniqueId twice (XDSDuplicateUniqueIdInRegistry)', async () => {
    const codes = await registryCodes(client(sim.baseUrl).send(new SubmitDocumentsCommand({ documents: [{ content: deposited }] })));
    expect(codes).toContain('XDSDuplicateUniqueIdInRegistry');
  });

  it('masks the document: the author still reads it, another professional no longer finds it', async () => {
    const doctor = client(sim.baseUrl);
    await doctor.send(new UpdateDocumentCommand({ patient: FIXTURE_PATIENT, action: 'mask', document: uniqueId }));
    const mine = await doctor.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }));
    const entry = mine.documentEntries.find((e) => e.uniqueId === uniqueId)!;
    expect(entry.version).toBe('2');
    expect(entry.confidentialityCode.map((c) => c.code)).toContain('MASQUE_PS');
    // The kiné has no authorization: declare it, then search.
    const kine = client(sim.baseUrl, KINE);
    await kine.send(new SetAuthorizationCommand({ patient: FIXTURE_PATIENT, action: 'AJOUT' }));
    const theirs = await kine.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }));
    expect(theirs.documentEntries.map((e) => e.uniqueId)).not.toContain(uniqueId);
    const codes = await registryCodes(kine.send(new RetrieveDocumentsCommand({ patient: FIXTURE_PATIENT, uniqueIds: [uniqueId] })));
    expect(codes).toEqual(['DMPAccessDenied']);
    await doctor.send(new UpdateDocumentCommand({ patient: FIXTURE_PATIENT, action: 'unmask', document: uniqueId }));
    const again = await kine.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }));
    expect(again.documentEntries.map((e) => e.uniqueId)).toContain(uniqueId);
  });

  it('archives, unarchives and deletes with OriginalStatus checked', async () => {
    const c = client(sim.baseUrl);
    await c.send(new UpdateDocumentCommand({ patient: FIXTURE_PATIENT, action: 'archive', document: uniqueId }));
    const archived = await c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT, status: ['Archived'] }));
    expect(archived.documentEntries.map((e) => e.uniqueId)).toContain(uniqueId);
    await c.send(new UpdateDocumentCommand({ patient: FIXTURE_PATIENT, action: 'unarchive', document: uniqueId }));
    await c.send(new UpdateDocumentCommand({ patient: FIXTURE_PATIENT, action: 'delete', document: uniqueId }));
    const current = await c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }));
    expect(current.documentEntries.map((e) => e.uniqueId)).not.toContain(uniqueId);
    const deleted = await c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT, status: ['Deleted'] }));
    expect(deleted.documentEntries.map((e) => e.uniqueId)).toContain(uniqueId);
  });
});

describe('the document-type matrix', () => {
  it('lets a kiné read a liaison letter (83981-1, allowed), not a pharmaceutical consultation report (93024-8, denied), and says when a cell is unknown (11488-4)', async () => {
    const doctor = client(sim.baseUrl);
    const kine = client(sim.baseUrl, KINE);
    const report = fixtureVariant({ ins: PATB.ins, typeCode: { code: '83981-1', displayName: "Lettre de liaison à la sortie d'une structure" } });
    const unknown = fixtureVariant({ ins: PATB.ins });
    const pharma = fixtureVariant({ ins: PATB.ins, typeCode: { code: '93024-8', displayName: 'CR de consultation pharmaceutique' } });
    await doctor.send(new SubmitDocumentsCommand({ documents: [{ content: report.content }, { content: pharma.content }, { content: unknown.content }] }));
    await kine.send(new SetAuthorizationCommand({ patient: PATB, action: 'AJOUT' }));
    const ok = await kine.send(new RetrieveDocumentsCommand({ patient: PATB, uniqueIds: [report.uniqueId] }));
    expect(ok.documents).toHaveLength(1);
    const codes = await registryCodes(kine.send(new RetrieveDocumentsCommand({ patient: PATB, uniqueIds: [pharma.uniqueId] })));
    expect(codes).toEqual(['DMPAccessDenied']);
    const traces = (await (await fetch(`${sim.url}/_driver/traces?ins=${PATB.ins}`)).json()) as Array<{ action: string; decision: string; document?: string; rules: Array<{ id: string }> }>;
    const refusal = traces.find((t) => t.action === 'TD3.2' && t.document === pharma.uniqueId)!;
    expect(refusal.decision).toBe('deny');
    expect(refusal.rules.map((r) => r.id)).toContain('DOC-MATRIX-CELL');
    const undecided = await kine.send(new RetrieveDocumentsCommand({ patient: PATB, uniqueIds: [unknown.uniqueId] })).catch((e: RegistryError) => e);
    expect((undecided as RegistryError).errors[0]!.codeContext).toMatch(/DOC-MATRIX-UNKNOWN.*dmp matrix import/);
  });
});

describe('refusals a support person can act on', () => {
  it('a blocked professional is refused everything on the patient (BLOCH)', async () => {
    const codes = await registryCodes(client(sim.baseUrl).send(new FindDocumentsCommand({ patient: { ins: '138080427231017', oid: PATB.oid } })));
    expect(codes).toEqual(['DMPAccessDenied']);
  });

  it('a closed DMP cannot be fed (FERMETURE)', async () => {
    const { content } = fixtureVariant({ ins: '270108604926542' });
    const codes = await registryCodes(client(sim.baseUrl).send(new SubmitDocumentsCommand({ documents: [{ content }] })));
    expect(codes).toEqual(['DMPAccessDenied']);
  });

  it('lists the authorizations (TD1.6) and the authorized patients (TD0.4)', async () => {
    const c = client(sim.baseUrl);
    const list = await c.send(new ListAuthorizationsCommand({ patient: PATB, mode: 'TOUTE' }));
    expect(list.authorizations.map((a) => a.nationalId)).toContain(DOCTOR.nameId);
    const patients = await c.send(new ListAuthorizedPatientsCommand({ since: new Date('2000-01-01T00:00:00Z'), dateType: 'LASTAUTORIZATION' }));
    expect(patients.patients.map((p) => p.patientIdentifiers[0]?.nationalId)).toContain(PATB.ins);
  });

  it('keeps an access trace for each decision, readable through the driver', async () => {
    const res = await fetch(`${sim.url}/_driver/traces?ins=${FIXTURE_PATIENT.ins}`);
    const traces = (await res.json()) as Array<{ action: string; decision: string; actorId: string }>;
    expect(traces.some((t) => t.action === 'TD3.2' && t.decision === 'deny' && t.actorId === KINE.nameId)).toBe(true);
    expect(traces.some((t) => t.action === 'TD2.1' && t.decision === 'allow')).toBe(true);
  });
});

/**
 * Document lifecycle, end to end with the SDK client. From the rule texts:
 * - §6 Replace: "XDS association RPLC new entry→old entryUUID; old becomes Deprecated"; §12 "Replacement: … mark old
 *   Deprecated, assign new entryUUID + new logicalId".
 * - §12 ITI-57: "UpdateAvailabilityStatus (OriginalStatus must equal current status)"; "metadata update … via
 *   HasMember + PreviousVersion (must equal current version)". The raw ITI-57 requests are built with the SDK
 *   builders (buildAvailabilityStatusUpdate / buildMetadataUpdate + encodeSubmitObjectsRequest) and sent through the
 *   client's command machinery by a small DmpCommand, so the wrong values reach the simulator as written.
 */
import {
  AVAILABILITY_STATUS,
  buildAvailabilityStatusUpdate,
  buildMetadataUpdate,
  DmpCommand,
  encodeSubmitObjectsRequest,
  expectPayload,
  FindDocumentsCommand,
  GetDocumentsCommand,
  RetrieveDocumentsCommand,
  SubmitDocumentsCommand,
  UpdateDocumentCommand,
  type DecodedMessage,
  type DecodedRegistryResponse,
  type DocumentEntry,
  type RegistryObjectList,
  type SerializedCommand,
  type SubmissionSetInput,
} from '@dmpkit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { cxOfPatient } from '../src/util/cx.js';
import { client, DOCTOR, fixtureVariant, PATB, SOURCE_ID, registryRefusal } from './support.js';

/** HALL, the official "feed, replace, delete" test patient; MAX LIBRE is authorized. */
const HALL = { ins: '287080883795737', oid: PATB.oid };

/** An ITI-57 request as built by the caller, sent by the client (VIHF, envelope, transport) as any command. */
class RawUpdateCommand extends DmpCommand<RegistryObjectList, DecodedRegistryResponse> {
  readonly transaction = 'TD3.3' as const;
  override readonly mode = 'write' as const;
  serialize(): SerializedCommand {
    return { body: encodeSubmitObjectsRequest(this.input), patient: HALL };
  }
  deserialize(decoded: DecodedMessage): DecodedRegistryResponse {
    expectPayload(decoded, 'RegistryResponse');
    return decoded.xds as DecodedRegistryResponse;
  }
}

let serial = 0;
function submissionSet(entry: DocumentEntry): SubmissionSetInput {
  const now = new Date();
  return {
    uniqueId: `${SOURCE_ID}.${now.getTime()}${++serial}`,
    sourceId: SOURCE_ID,
    patientId: cxOfPatient(HALL.ins, HALL.oid),
    submissionTime: now.toISOString().replace(/[-:T]/g, '').slice(0, 14),
    authors: entry.authors,
    contentTypeCode: entry.healthcareFacilityTypeCode!,
  };
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const current = async (uniqueId: string): Promise<DocumentEntry> => {
  // GetDocuments returns every version with this uniqueId; after a metadata update the older ones are Deprecated.
  const r = await client(sim.baseUrl).send(new GetDocumentsCommand({ patient: HALL, uniqueIds: [uniqueId] }));
  const live = r.documentEntries.filter((e) => e.availabilityStatus !== AVAILABILITY_STATUS.Deprecated);
  expect(live).toHaveLength(1);
  return live[0]!;
};

describe('replacement (RPLC, §6 and §12)', () => {
  it('deprecates the old entry; the new one has its own entryUUID and lid; the old one stays retrievable and listed as Deprecated', async () => {
    const c = client(sim.baseUrl);
    const v1 = fixtureVariant({ ins: HALL.ins, authorId: DOCTOR.nameId });
    await c.send(new SubmitDocumentsCommand({ documents: [{ content: v1.content }] }));
    const old = await current(v1.uniqueId);
    const v2 = fixtureVariant({ ins: HALL.ins, authorId: DOCTOR.nameId });
    const sent = await c.send(new SubmitDocumentsCommand({ documents: [{ content: v2.content, replaces: v1.uniqueId }] }));
    expect(sent.status).toBe('Success');

    const approved = await c.send(new FindDocumentsCommand({ patient: HALL }));
    expect(approved.documentEntries.map((e) => e.uniqueId)).toEqual([v2.uniqueId]);
    const next = approved.documentEntries[0]!;
    expect(next.entryUUID).not.toBe(old.entryUUID);
    expect(next.logicalId).not.toBe(old.logicalId);
    expect(next.availabilityStatus).toBe(AVAILABILITY_STATUS.Approved);

    const deprecated = await c.send(new FindDocumentsCommand({ patient: HALL, status: ['Deprecated'] }));
    expect(deprecated.documentEntries.map((e) => [e.uniqueId, e.entryUUID, e.availabilityStatus])).toEqual([[v1.uniqueId, old.entryUUID, AVAILABILITY_STATUS.Deprecated]]);
    const got = await c.send(new RetrieveDocumentsCommand({ patient: HALL, uniqueIds: [v1.uniqueId] }));
    expect(Buffer.from(got.documents[0]!.content).equals(v1.content)).toBe(true);

    // Replacing the deprecated version again is refused: only a current version can be replaced (§12).
    const v3 = fixtureVariant({ ins: HALL.ins, authorId: DOCTOR.nameId });
    const codes = await registryRefusal(c.send(new SubmitDocumentsCommand({ documents: [{ content: v3.content, replaces: v1.uniqueId }] })));
    expect(codes.map((x) => x[0])).toEqual(['XDSReplaceFailed']);
  });
});

describe('ITI-57 preconditions (§12 ITI-57)', () => {
  let doc: { uniqueId: string };
  beforeAll(async () => {
    const v = fixtureVariant({ ins: HALL.ins, authorId: DOCTOR.nameId });
    await client(sim.baseUrl).send(new SubmitDocumentsCommand({ documents: [{ content: v.content }] }));
    doc = v;
  });

  it('an UpdateAvailabilityStatus whose OriginalStatus is not the current status → XDSMetadataUpdateError, nothing changes', async () => {
    const entry = await current(doc.uniqueId);
    expect(entry.availabilityStatus).toBe(AVAILABILITY_STATUS.Approved);
    const wrong = buildAvailabilityStatusUpdate({ submissionSet: submissionSet(entry), targetEntryUUID: entry.entryUUID!, originalStatus: AVAILABILITY_STATUS.Archived, newStatus: AVAILABILITY_STATUS.Deleted });
    const errors = await registryRefusal(client(sim.baseUrl).send(new RawUpdateCommand(wrong)));
    expect(errors.map((x) => x[0])).toEqual(['XDSMetadataUpdateError']);
    expect(errors[0]![1]).toContain(`OriginalStatus ${AVAILABILITY_STATUS.Archived}`);
    expect((await current(doc.uniqueId)).availabilityStatus).toBe(AVAILABILITY_STATUS.Approved);
    // The same request with the right OriginalStatus is accepted (so the refusal was about that slot).
    const right = buildAvailabilityStatusUpdate({ submissionSet: submissionSet(entry), targetEntryUUID: entry.entryUUID!, originalStatus: AVAILABILITY_STATUS.Approved, newStatus: AVAILABILITY_STATUS.Archived });
    expect((await client(sim.baseUrl).send(new RawUpdateCommand(right))).outcome).toBe('Success');
    expect((await current(doc.uniqueId)).availabilityStatus).toBe(AVAILABILITY_STATUS.Archived);
    await client(sim.baseUrl).send(new UpdateDocumentCommand({ patient: HALL, action: 'unarchive', document: doc.uniqueId }));
  });

  it('a metadata update with a stale PreviousVersion → XDSMetadataVersionError, the version stays', async () => {
    await client(sim.baseUrl).send(new UpdateDocumentCommand({ patient: HALL, action: 'mask', document: doc.uniqueId }));
    const v2 = await current(doc.uniqueId);
    expect(v2.version).toBe('2');
    const { availabilityStatus: _s, entryUUID: _id, ...rest } = v2;
    const unmasked = v2.confidentialityCode.filter((c) => c.code !== 'MASQUE_PS');
    const stale = buildMetadataUpdate({ submissionSet: submissionSet(v2), entry: { ...rest, confidentialityCode: unmasked, logicalId: v2.logicalId! }, previousVersion: '1' });
    const errors = await registryRefusal(client(sim.baseUrl).send(new RawUpdateCommand(stale)));
    expect(errors.map((x) => x[0])).toEqual(['XDSMetadataVersionError']);
    expect(errors[0]![1]).toMatch(/PreviousVersion 1 ≠ version actuelle 2/);
    const after = await current(doc.uniqueId);
    expect([after.version, after.entryUUID]).toEqual(['2', v2.entryUUID]);
    // With the current version it goes through: version 3, new entryUUID, same lid.
    const fresh = buildMetadataUpdate({ submissionSet: submissionSet(v2), entry: { ...rest, confidentialityCode: unmasked, logicalId: v2.logicalId! }, previousVersion: '2' });
    expect((await client(sim.baseUrl).send(new RawUpdateCommand(fresh))).outcome).toBe('Success');
    const v3 = await current(doc.uniqueId);
    expect(v3.version).toBe('3');
    expect(v3.logicalId).toBe(v2.logicalId);
    expect(v3.entryUUID).not.toBe(v2.entryUUID);
    expect(v3.confidentialityCode.map((c) => c.code)).not.toContain('MASQUE_PS');
  });
});

describe('traces and notifications of the lifecycle (driver API)', () => {
  it('each deposit notifies the patient of a new document; each update is traced with its decision', async () => {
    const notes = (await (await fetch(`${sim.url}/_driver/notifications?ins=${HALL.ins}`)).json()) as Array<{ kind: string; document?: string }>;
    expect(notes.filter((n) => n.kind === 'new-document')).toHaveLength(3);
    expect(notes.filter((n) => n.kind === 'first-access')).toHaveLength(1);
    const traces = (await (await fetch(`${sim.url}/_driver/traces?ins=${HALL.ins}`)).json()) as Array<{ action: string; decision: string }>;
    const actions = new Set(traces.filter((t) => t.decision === 'allow').map((t) => t.action));
    for (const a of ['TD2.1', 'TD2.1-REPLACE', 'TD3.3d-ARCHIVE', 'TD3.3a-MASK', 'TD3.3a-UNMASK']) expect(actions, a).toContain(a);
  });
});

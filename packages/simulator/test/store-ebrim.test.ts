/**
 * The encoded ExtrinsicObject kept with each entry (src/store/ebrim.ts): written at insert, written again when the
 * status changes, encoded on read for a row stored without it, and an answer the SDK encoder writes from these strings
 * (encodedDocumentEntries) reads as the one it writes from the entries.
 */
import { AVAILABILITY_STATUS, decodeXds, emptyRegistryObjectList, encodeAdhocQueryResponse, FindDocumentsCommand, RESPONSE_STATUS, SubmitDocumentsCommand, type DocumentEntry } from '@dmpkit/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../src/index.js';
import { ebrimFragment } from '../src/store/ebrim.js';
import { client, FIXTURE_PATIENT, fixtureVariant } from './support.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(() => sim.close());

const entriesOf = (xml: string): DocumentEntry[] => {
  const x = decodeXds(xml).message;
  if (x?.kind !== 'AdhocQueryResponse') throw new Error('not an AdhocQueryResponse');
  return x.objects.documentEntries;
};
// Classification and ExternalIdentifier ids are made by the encoder (a new urn:uuid each time).
const withoutMadeIds = (entries: DocumentEntry[]) => JSON.parse(JSON.stringify(entries).replace(/"id":"urn:uuid:[0-9a-f-]+"/g, '"id":""')) as unknown;

describe('stored ebRIM fragments', () => {
  it('are written at insert and again on a status change, and assemble the answer the encoder writes', async () => {
    const c = client(sim.baseUrl);
    const lot = fixtureVariant();
    await c.send(new SubmitDocumentsCommand({ documents: [{ content: lot.content }] }));
    const store = sim.context.store;
    const stored = store.entriesByUniqueId(lot.uniqueId)[0]!;
    expect(stored.ebrim).toBeDefined();
    expect(stored.ebrim).toMatch(/^<rim:ExtrinsicObject\b[\s\S]*<\/rim:ExtrinsicObject>$/);

    const all = store.entriesOfPatient(FIXTURE_PATIENT.ins).filter((e) => !e.isSignature);
    const objects = { ...emptyRegistryObjectList(), associations: [] };
    const withFragments = (fragments: string[]) => encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], startIndex: 0, totalResultCount: all.length, objects }, { encodedDocumentEntries: fragments });
    const assembled = withFragments(all.map((e) => e.ebrim!));
    const reference = encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], startIndex: 0, totalResultCount: all.length, objects: { ...objects, documentEntries: all.map((e) => e.entry) } });
    expect(withoutMadeIds(entriesOf(assembled))).toEqual(withoutMadeIds(entriesOf(reference)));

    store.setEntryStatus(stored.entryUUID, AVAILABILITY_STATUS.Deprecated);
    const after = store.entryByUuid(stored.entryUUID)!;
    expect(entriesOf(withFragments([after.ebrim!]))[0]!.availabilityStatus).toBe(AVAILABILITY_STATUS.Deprecated);
    const found = await c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT, status: ['Deprecated'] }));
    expect(found.documentEntries.map((e) => e.uniqueId)).toContain(lot.uniqueId);
  });

  it('a row stored without one (before the column) is encoded when read', async () => {
    const c = client(sim.baseUrl);
    const lot = fixtureVariant();
    await c.send(new SubmitDocumentsCommand({ documents: [{ content: lot.content }] }));
    const store = sim.context.store;
    store.db.prepare('UPDATE entries SET ebrim = NULL WHERE unique_id = ?').run(lot.uniqueId);
    const stored = store.entriesByUniqueId(lot.uniqueId)[0]!;
    expect(stored.ebrim).toBeUndefined();
    expect(withoutMadeIds(entriesOf(encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], objects: emptyRegistryObjectList() }, { encodedDocumentEntries: [ebrimFragment(stored.entry)] })))).toEqual(
      withoutMadeIds([stored.entry].map((e) => entriesOf(encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], objects: { ...emptyRegistryObjectList(), documentEntries: [e] } }))[0]!)),
    );
    const found = await c.send(new FindDocumentsCommand({ patient: FIXTURE_PATIENT }));
    expect(found.documentEntries.map((e) => e.uniqueId)).toContain(lot.uniqueId);
  });
});

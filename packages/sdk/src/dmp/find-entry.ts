/**
 * Finding the registry's current version of a document from a uniqueId or an entryUUID (DMP_3.1b): writes that
 * target an entry (replacement, TD3.3) need its entryUUID, lid, version and status as the registry has them now.
 */
import type { DocumentEntry } from '../xds/model.js';
import { AVAILABILITY_STATUS } from '../xds/uuids.js';
import { DmpClientError, type DmpClient } from './client.js';
import type { PatientInput } from './inputs.js';
import { documentIdKind, GetDocumentsCommand, getDocumentsById } from './td31-find.js';

/** Current first, Deprecated last: a uniqueId can have several metadata versions. */
const RANK: Record<string, number> = { [AVAILABILITY_STATUS.Approved]: 0, [AVAILABILITY_STATUS.Archived]: 1, [AVAILABILITY_STATUS.Deleted]: 2, [AVAILABILITY_STATUS.Deprecated]: 3 };

export async function findCurrentEntry(client: DmpClient, patient: PatientInput, id: string): Promise<DocumentEntry> {
  const result = await client.send(new GetDocumentsCommand(getDocumentsById(patient, id)));
  const entries = [...result.documentEntries].sort((a, b) => (RANK[a.availabilityStatus ?? ''] ?? 9) - (RANK[b.availabilityStatus ?? ''] ?? 9));
  const entry = entries[0];
  if (!entry?.entryUUID) {
    throw new DmpClientError('DOCUMENT-NOT-FOUND', `no document with ${documentIdKind(id)} ${id} in this DMP (GetDocuments, correlation ${result.$metadata.correlationId})`);
  }
  return entry;
}

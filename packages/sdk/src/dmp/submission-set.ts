/**
 * The SubmissionSet of a write (ITI-41 lot or ITI-57 update): its author is the sender of the request (the VIHF's
 * user and structure, dmp-interface.md §5.3), its uniqueId a fresh OID under the LPS's sourceId.
 */
import { randomInt } from 'node:crypto';
import type { XdsAuthor, XdsCode } from '../xds/model.js';
import type { SubmissionSetInput } from '../xds/submission.js';
import { DmpClientError, type DmpClient } from './client.js';
import { dmpTime, patientId, type PatientInput } from './inputs.js';

/** IDNPS / IDNST assigning authorities (dmp-interface.md §2.3). */
const IDNPS = '1.2.250.1.71.4.2.1';
const IDNST = '1.2.250.1.71.4.2.2';

/** The sender as XDS author: XCN of the VIHF NameID, XON of the VIHF structure. */
export function senderAuthor(client: DmpClient): XdsAuthor {
  const v = client.config.vihf;
  return {
    authorPerson: `${v.nameId}^^^^^^^^&${IDNPS}&ISO^D^^^IDNPS`,
    authorInstitution: [`^^^^^&${IDNST}&ISO^IDNST^^^${v.structureId}`],
    authorRole: [],
    authorSpecialty: [],
  };
}

export function sourceIdOf(client: DmpClient): string {
  const id = client.config.sourceId;
  if (!id) throw new DmpClientError('CLIENT-CONFIG', 'sourceId (the OID of the sending software) is required to write to the DMP');
  return id;
}

/** A new OID under the sourceId: millisecond time plus randomness, so two lots of one millisecond differ. */
export function newUniqueId(client: DmpClient, now: Date = client.now()): string {
  return `${sourceIdOf(client)}.${now.getTime()}${String(randomInt(0, 1000)).padStart(3, '0')}`;
}

export function buildSubmissionSetInput(client: DmpClient, patient: PatientInput, contentTypeCode: XdsCode, extra: { title?: string; comments?: string; uniqueId?: string } = {}): SubmissionSetInput {
  const now = client.now();
  return {
    uniqueId: extra.uniqueId ?? newUniqueId(client, now),
    sourceId: sourceIdOf(client),
    patientId: patientId(patient),
    submissionTime: dmpTime(now),
    authors: [client.config.sender ?? senderAuthor(client)],
    contentTypeCode,
    ...(extra.title ? { title: extra.title } : {}),
    ...(extra.comments ? { comments: extra.comments } : {}),
  };
}

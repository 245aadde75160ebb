/**
 * TD3.1 — registry stored queries (ITI-18): FindDocuments with every filter, GetDocuments by uniqueId or entryUUID,
 * FindSubmissionSets, GetAssociations, GetDocumentsAndAssociations. All are reads; the VIHF names the patient.
 */
import { z } from 'zod';
import type { DecodedMessage } from '../soap/decode-message.js';
import type { DecodedAdhocQueryResponse } from '../xds/ebrim-decode.js';
import { encodeAdhocQueryRequest } from '../xds/ebrim-encode.js';
import type { Association, DocumentEntry, ObjectRef, RegistryErrorEntry, SubmissionSet } from '../xds/model.js';
import {
  FindDocumentsQuerySchema,
  FindSubmissionSetsQuerySchema,
  GetAssociationsQuerySchema,
  GetDocumentsAndAssociationsQuerySchema,
  GetDocumentsQuerySchema,
  type StoredQueryInput,
} from '../xds/stored-query.js';
import { AVAILABILITY_STATUS } from '../xds/uuids.js';
import { expectPayload } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { parseInput, patientId, patientInputSchema, type PatientInput } from './inputs.js';

export interface QueryOutput {
  /** Success or PartialSuccess (Failure is thrown as RegistryError). */
  status: 'Success' | 'PartialSuccess';
  totalResultCount?: number;
  documentEntries: DocumentEntry[];
  submissionSets: SubmissionSet[];
  associations: Association[];
  /** ObjectRef results (returnType ObjectRef). */
  objectRefs: ObjectRef[];
  /** Warning-severity entries of a successful response, and errors of a PartialSuccess. */
  registryErrors: RegistryErrorEntry[];
}

function readQueryResponse(decoded: DecodedMessage): QueryOutput {
  expectPayload(decoded, 'AdhocQueryResponse');
  const r = decoded.xds as DecodedAdhocQueryResponse;
  return {
    status: r.outcome === 'PartialSuccess' ? 'PartialSuccess' : 'Success',
    ...(r.totalResultCount !== undefined ? { totalResultCount: r.totalResultCount } : {}),
    documentEntries: r.objects.documentEntries,
    submissionSets: r.objects.submissionSets,
    associations: r.objects.associations,
    objectRefs: r.objects.objectRefs,
    registryErrors: r.errors,
  };
}

abstract class StoredQueryCommand<I> extends DmpCommand<I, QueryOutput> {
  readonly transaction = 'TD3.1' as const;
  protected abstract query(): { query: StoredQueryInput; patient: PatientInput };
  serialize(): SerializedCommand {
    const { query, patient } = this.query();
    return { body: encodeAdhocQueryRequest(query), patient };
  }
  deserialize(decoded: DecodedMessage): QueryOutput {
    return readQueryResponse(decoded);
  }
}

const statusNames = z.array(z.enum(['Approved', 'Archived', 'Deprecated', 'Deleted'])).min(1);

export const FindDocumentsInputSchema = FindDocumentsQuerySchema.omit({ query: true, patientId: true, status: true }).extend({
  patient: patientInputSchema,
  /** Default: Approved only (the DMP's guidance for a first automatic search). */
  status: statusNames.default(['Approved']),
});
export type FindDocumentsInput = z.input<typeof FindDocumentsInputSchema>;

export class FindDocumentsCommand extends StoredQueryCommand<FindDocumentsInput> {
  protected query() {
    const { patient, status, ...filters } = parseInput(FindDocumentsInputSchema, this.input, 'FindDocumentsCommand');
    return { patient, query: { query: 'FindDocuments' as const, ...filters, patientId: patientId(patient), status: status.map((s) => AVAILABILITY_STATUS[s]) } };
  }
}

const byIds = {
  patient: patientInputSchema,
  uniqueIds: z.array(z.string().min(1)).optional(),
  entryUUIDs: z.array(z.string().min(1)).optional(),
  returnType: z.enum(['LeafClass', 'ObjectRef']).default('LeafClass'),
};
export const GetDocumentsInputSchema = z.object(byIds);
export type GetDocumentsInput = z.input<typeof GetDocumentsInputSchema>;

export class GetDocumentsCommand extends StoredQueryCommand<GetDocumentsInput> {
  protected query() {
    const { patient, ...ids } = parseInput(GetDocumentsInputSchema, this.input, 'GetDocumentsCommand');
    const query = { query: 'GetDocuments' as const, ...ids };
    parseInput(GetDocumentsQuerySchema, query, 'GetDocumentsCommand');
    return { patient, query };
  }
}

export class GetDocumentsAndAssociationsCommand extends StoredQueryCommand<GetDocumentsInput> {
  protected query() {
    const { patient, ...ids } = parseInput(GetDocumentsInputSchema, this.input, 'GetDocumentsAndAssociationsCommand');
    const query = { query: 'GetDocumentsAndAssociations' as const, ...ids };
    parseInput(GetDocumentsAndAssociationsQuerySchema, query, 'GetDocumentsAndAssociationsCommand');
    return { patient, query };
  }
}

export const FindSubmissionSetsInputSchema = FindSubmissionSetsQuerySchema.omit({ query: true, patientId: true, status: true }).extend({
  patient: patientInputSchema,
  status: statusNames.default(['Approved']),
});
export type FindSubmissionSetsInput = z.input<typeof FindSubmissionSetsInputSchema>;

export class FindSubmissionSetsCommand extends StoredQueryCommand<FindSubmissionSetsInput> {
  protected query() {
    const { patient, status, ...filters } = parseInput(FindSubmissionSetsInputSchema, this.input, 'FindSubmissionSetsCommand');
    return { patient, query: { query: 'FindSubmissionSets' as const, ...filters, patientId: patientId(patient), status: status.map((s) => AVAILABILITY_STATUS[s]) } };
  }
}

export const GetAssociationsInputSchema = GetAssociationsQuerySchema.omit({ query: true }).extend({ patient: patientInputSchema });
export type GetAssociationsInput = z.input<typeof GetAssociationsInputSchema>;

export class GetAssociationsCommand extends StoredQueryCommand<GetAssociationsInput> {
  protected query() {
    const { patient, ...rest } = parseInput(GetAssociationsInputSchema, this.input, 'GetAssociationsCommand');
    return { patient, query: { query: 'GetAssociations' as const, ...rest } };
  }
}

/** A document reference given by the user: an entryUUID (`urn:uuid:…`) or a uniqueId (an OID). */
export function documentIdKind(id: string): 'entryUUID' | 'uniqueId' {
  return /^urn:uuid:/i.test(id.trim()) ? 'entryUUID' : 'uniqueId';
}

/** The GetDocuments input for one id of either kind. */
export function getDocumentsById(patient: PatientInput, id: string): GetDocumentsInput {
  return documentIdKind(id) === 'entryUUID' ? { patient, entryUUIDs: [id.trim()] } : { patient, uniqueIds: [id.trim()] };
}

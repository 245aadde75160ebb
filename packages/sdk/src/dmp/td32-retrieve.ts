/** TD3.2 — retrieve documents by uniqueId (ITI-43); the response is MTOM, the bytes come from its XOP parts. */
import { z } from 'zod';
import type { DecodedMessage } from '../soap/decode-message.js';
import type { DecodedRetrieveResponse } from '../xds/ebrim-decode.js';
import { encodeRetrieveDocumentSetRequest } from '../xds/ebrim-encode.js';
import type { RegistryErrorEntry } from '../xds/model.js';
import { expectPayload, type DmpClient } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { parseInput, patientInputSchema } from './inputs.js';
import { UnexpectedResponseError } from './response-errors.js';

export const RetrieveInputSchema = z.object({
  patient: patientInputSchema,
  /** uniqueIds (OIDs): the DMP refuses an entryUUID here (XDSDocumentUniqueIdError). */
  uniqueIds: z.array(z.string().regex(/^[0-2](\.(0|[1-9]\d*))+$/, 'a document uniqueId is an OID (find it with GetDocuments for an entryUUID)')).min(1),
  repositoryUniqueId: z.string().min(1).optional(),
});
export type RetrieveInput = z.input<typeof RetrieveInputSchema>;

export interface RetrievedDocument {
  documentUniqueId: string;
  repositoryUniqueId: string;
  mimeType: string;
  content: Uint8Array;
}

export interface RetrieveOutput {
  status: 'Success' | 'PartialSuccess';
  documents: RetrievedDocument[];
  registryErrors: RegistryErrorEntry[];
}

export class RetrieveDocumentsCommand extends DmpCommand<RetrieveInput, RetrieveOutput> {
  readonly transaction = 'TD3.2' as const;
  serialize(client: DmpClient): SerializedCommand {
    const i = parseInput(RetrieveInputSchema, this.input, 'RetrieveDocumentsCommand');
    const repositoryUniqueId = i.repositoryUniqueId ?? client.repositoryUniqueId;
    return { body: encodeRetrieveDocumentSetRequest(i.uniqueIds.map((documentUniqueId) => ({ repositoryUniqueId, documentUniqueId }))), patient: i.patient };
  }
  deserialize(decoded: DecodedMessage): RetrieveOutput {
    expectPayload(decoded, 'RetrieveDocumentSetResponse');
    const r = decoded.xds as DecodedRetrieveResponse;
    const documents = r.documents.map((d) => {
      // A DocumentResponse whose bytes cannot be found (XOP part missing) is not a document.
      if (!d.content) throw new UnexpectedResponseError({ expected: `the bytes of document ${d.documentUniqueId}`, received: `a ${d.transfer} Document element` });
      return { documentUniqueId: d.documentUniqueId, repositoryUniqueId: d.repositoryUniqueId, mimeType: d.mimeType, content: d.content };
    });
    return { status: r.response.outcome === 'PartialSuccess' ? 'PartialSuccess' : 'Success', documents, registryErrors: r.response.errors };
  }
}

/**
 * TD3.2 — ITI-43 Retrieve Document Set, always answered as MTOM (dmp-interface.md §1.1). Documents are looked up by
 * uniqueId in the DMP repository; an entryUUID is refused as the DMP does (XDSDocumentUniqueIdError with the value in
 * codeContext); each document is read only when the SDK's policy allows it.
 */
import { AVAILABILITY_STATUS, DMP_OIDS, encodeRetrieveDocumentSetResponse, RESPONSE_STATUS, type RegistryErrorEntry, type RetrieveResponseDocument, type MtomAttachment } from '@dmpkit/sdk';
import { decide, refusalText } from '../policy/gate.js';
import { SimulatorFault, type SoapAnswer, type SoapCall } from '../server/soap-call.js';
import { requestPatient } from './patient-of.js';
import { ACCESS_DENIED, registryError } from './registry-errors.js';

export function handleRetrieve(call: SoapCall): SoapAnswer {
  const x = call.decoded.xds;
  if (!x || x.kind !== 'RetrieveDocumentSetRequest') throw new SimulatorFault('Sender', 'InvalidMessage', 'Le corps de la requête n’est pas un RetrieveDocumentSetRequest');
  const patient = requestPatient(call);
  const record = patient?.record;
  const errors: RegistryErrorEntry[] = [];
  const documents: RetrieveResponseDocument[] = [];
  const attachments: MtomAttachment[] = [];
  if (!x.documents.length) errors.push(registryError('XDSRepositoryMetadataError', 'La requête ne demande aucun document'));
  for (const [i, d] of x.documents.entries()) {
    if (d.repositoryUniqueId !== DMP_OIDS.repositoryUniqueId) {
      errors.push(registryError('XDSUnknownRepositoryId', `repositoryUniqueId=${d.repositoryUniqueId} (le dépôt du DMP est ${DMP_OIDS.repositoryUniqueId})`));
      continue;
    }
    const versions = d.documentUniqueId.startsWith('urn:uuid:') ? [] : call.ctx.store.entriesByUniqueId(d.documentUniqueId);
    // The newest metadata version that is not a superseded metadata copy; a replaced document stays readable (Deprecated).
    const entry = versions.find((v) => v.status !== AVAILABILITY_STATUS.Deprecated || versions.every((w) => w.status === AVAILABILITY_STATUS.Deprecated)) ?? versions[0];
    if (!entry || !record || entry.ins !== record.ins || entry.isSignature) {
      errors.push(registryError('XDSDocumentUniqueIdError', `uniqueId=${d.documentUniqueId}`));
      continue;
    }
    const decision = decide(call, 'TD3.2', record, entry);
    if (decision.decision !== 'allow') {
      errors.push(registryError(ACCESS_DENIED, refusalText(decision), `uniqueId=${d.documentUniqueId}`));
      continue;
    }
    const content = call.ctx.store.content(entry.contentId);
    if (!content) {
      errors.push(registryError('XDSRepositoryError', `Contenu introuvable pour uniqueId=${d.documentUniqueId}`));
      continue;
    }
    call.ctx.store.touchAccess(record.ins, call.vihf.nameId, call.now);
    const contentId = `doc${i + 1}.${entry.entryUUID.slice(9)}@dmp.simulator`;
    attachments.push({ contentId, contentType: content.mimeType, data: content.bytes });
    documents.push({ repositoryUniqueId: DMP_OIDS.repositoryUniqueId, documentUniqueId: d.documentUniqueId, mimeType: content.mimeType, transfer: { kind: 'xop', contentId } });
  }
  const status = errors.length === 0 ? RESPONSE_STATUS.Success : documents.length ? RESPONSE_STATUS.PartialSuccess : RESPONSE_STATUS.Failure;
  const outcome = status === RESPONSE_STATUS.Success ? `Success (${documents.length})` : `${status.split(':').pop()} ${[...new Set(errors.map((e) => e.errorCode))].join(',')}`;
  return { outcome, mtom: true, attachments, body: encodeRetrieveDocumentSetResponse({ status, errors }, documents) };
}

/**
 * TD2.1 — ITI-41 Provide and Register, the acceptance checklist of dmp-interface.md §12: the SDK's metadata checks
 * (one source of truth with the client), the patient of the VIHF everywhere, the lot signature, hash and size
 * computed on the bytes received, a uniqueId never seen before, RPLC against a current entry of the same patient,
 * then the SDK's policy for each document. Everything is stored in one transaction before the answer leaves.
 */
import {
  ASSOCIATION_TYPE,
  AVAILABILITY_STATUS,
  checkSubmissionMetadata,
  DMP_OIDS,
  isSignatureEntry,
  sha1Hex,
  XDS_RULE_ERROR_CODES,
  type Association,
  type DecodedProvideAndRegister,
  type DocumentEntry,
  type RegistryErrorEntry,
  type XdsRuleId,
} from '@dmpkit/sdk';
import { randomUUID } from 'node:crypto';
import { decide, refusalText } from '../policy/gate.js';
import { SimulatorFault, type SoapAnswer, type SoapCall } from '../server/soap-call.js';
import type { PatientRecord, StoredEntry } from '../store/store.js';
import { hl7Utc, samePatientCx } from '../util/cx.js';
import { requestPatient } from './patient-of.js';
import { ACCESS_DENIED, registryError, registryFailure, registrySuccess } from './registry-errors.js';

const isUuid = (id: string | undefined): id is string => !!id && /^urn:uuid:[0-9a-fA-F-]{36}$/.test(id);

/** Decode problems that a repository answers with an XDS error (attachment missing, document without entry). */
function decodeErrors(call: SoapCall): RegistryErrorEntry[] {
  const out: RegistryErrorEntry[] = [];
  for (const i of call.decoded.issues) {
    if (i.severity !== 'error') continue;
    if (i.code === 'XOP_UNRESOLVED' || i.code === 'XDS_MISSING_DOCUMENT') out.push(registryError('XDSMissingDocument', i.message));
    else if (i.code === 'XDS_DOCUMENT_WITHOUT_ENTRY') out.push(registryError('XDSMissingDocumentMetadata', i.message));
    else if (i.code === 'XDS_BAD_BASE64') out.push(registryError('XDSRepositoryError', i.message));
  }
  return out;
}

export function handleSubmit(call: SoapCall): SoapAnswer {
  const x = call.decoded.xds;
  if (!x || x.kind !== 'ProvideAndRegisterDocumentSetRequest') throw new SimulatorFault('Sender', 'InvalidMessage', 'Le corps de la requête n’est pas un ProvideAndRegisterDocumentSetRequest');
  const lot = x as DecodedProvideAndRegister;
  const errors = decodeErrors(call);
  if (errors.length) return registryFailure(errors);

  const patient = requestPatient(call);
  if (!patient) return registryFailure([registryError('XDSUnknownPatientId', 'Le VIHF ne désigne aucun patient (resource-id absent)')]);
  const { objects } = lot;
  const ss = objects.submissionSets[0];
  if (!ss || objects.submissionSets.length !== 1) {
    return registryFailure([registryError('XDSRegistryMetadataError', `Un lot contient exactement un SubmissionSet (trouvés : ${objects.submissionSets.length})`)]);
  }

  // The SDK's metadata checks, with the bytes as received: refusals are the table's error codes.
  const documents = lot.documents.filter((d) => d.content && d.entryId).map((d) => ({ id: d.entryId!, content: d.content! }));
  const findings = checkSubmissionMetadata(objects, { file: 'ITI-41', vihfPatientId: patient.cx, documents, transaction: 'ITI-41' });
  for (const f of findings) {
    const code = XDS_RULE_ERROR_CODES[f.ruleId as XdsRuleId];
    if (f.severity === 'error' || code?.refusedByDmp) errors.push(registryError(code?.errorCode ?? 'XDSRegistryMetadataError', `${f.ruleId} : ${f.message}`, f.location.xpath));
  }
  const entries = objects.documentEntries;
  const signatures = entries.filter(isSignatureEntry);
  const docs = entries.filter((e) => !isSignatureEntry(e));
  if (!docs.length) errors.push(registryError('XDSRegistryMetadataError', 'Le lot ne contient aucun document (seulement la signature)'));
  if (signatures.length > 1) errors.push(registryError('XDSRegistryMetadataError', `Le lot contient ${signatures.length} entrées de signature ; une seule est attendue`));
  if (errors.length) return registryFailure(errors);

  // Patient: known, with an open DMP (policy gates say closed/absent too, but XDS has its own code for it).
  const record = patient.record;
  if (!record || record.dmp === 'absent') return registryFailure([registryError('XDSUnknownPatientId', 'Aucun DMP pour ce patient (test d’existence TD0.2 : NF)')]);
  if (!samePatientCx(ss.patientId, patient.cx)) return registryFailure([registryError('XDSPatientIdDoesNotMatch', 'Le patientId du lot diffère du resource-id du VIHF')]);

  // Replacements: the RPLC target must be a current entry of the same patient.
  const replaced = new Map<string, StoredEntry>();
  for (const a of objects.associations.filter((a) => a.type === ASSOCIATION_TYPE.RPLC || a.type === 'urn:oasis:names:tc:ebxml-regrep:AssociationType:RPLC')) {
    const target = call.ctx.store.entryByUuid(a.targetObject);
    if (!target) {
      errors.push(registryError('XDSReplaceFailed', `Le document remplacé ${a.targetObject} est inconnu du registre`));
    } else if (target.ins !== record.ins) {
      errors.push(registryError('XDSPatientIdDoesNotMatch', 'Le document remplacé appartient à un autre patient'));
    } else if (target.status !== AVAILABILITY_STATUS.Approved && target.status !== AVAILABILITY_STATUS.Archived) {
      errors.push(registryError('XDSReplaceFailed', `Le document remplacé n'est pas à jour (statut ${target.status}) : remplacez sa dernière version`));
    } else replaced.set(a.sourceObject, target);
  }
  if (errors.length) return registryFailure(errors);

  // The policy decides each deposit (feeding rights, closed DMP, blocked professional, replacement author).
  for (const e of docs) {
    const target = replaced.get(e.entryUUID ?? '');
    const decision = decide(call, target ? 'TD2.1-REPLACE' : 'TD2.1', record, target ?? pseudoEntry(e, record));
    if (decision.decision !== 'allow') errors.push(registryError(ACCESS_DENIED, refusalText(decision), `ExtrinsicObject[@id='${e.entryUUID}']`));
  }
  if (errors.length) return registryFailure(errors);

  // uniqueIds: new in the message and in the registry.
  const seen = new Set<string>();
  for (const e of entries) {
    if (seen.has(e.uniqueId)) errors.push(registryError('XDSRegistryDuplicateUniqueIdInMessage', `uniqueId ${e.uniqueId} apparaît deux fois dans le lot`));
    seen.add(e.uniqueId);
    if (call.ctx.store.uniqueIdExists(e.uniqueId)) errors.push(registryError('XDSDuplicateUniqueIdInRegistry', `uniqueId ${e.uniqueId} existe déjà au DMP : un nouveau document (ou une nouvelle version) doit avoir un nouvel identifiant`));
  }
  if (errors.length) return registryFailure(errors);

  storeLot(call, record, lot, replaced);
  return registrySuccess();
}

/** The document being deposited, as the policy sees it before it has a registry identity. */
function pseudoEntry(e: DocumentEntry, record: PatientRecord): StoredEntry {
  return { entryUUID: '', lid: '', version: 1, uniqueId: e.uniqueId, ins: record.ins, status: AVAILABILITY_STATUS.Approved, submissionSet: '', depositedAt: 0, isSignature: false, entry: e, contentId: 0 };
}

/** Assigns registry identities (entryUUID, lid, version, status, hash, size) and stores the whole lot. */
export function storeLot(call: Pick<SoapCall, 'ctx' | 'now'>, record: PatientRecord, lot: DecodedProvideAndRegister, replaced: ReadonlyMap<string, StoredEntry>): void {
  const { objects } = lot;
  const ids = new Map<string, string>();
  const uuid = (id: string | undefined): string => {
    if (isUuid(id)) return id.toLowerCase();
    const key = id ?? '';
    let v = ids.get(key);
    if (!v) ids.set(key, (v = `urn:uuid:${randomUUID()}`));
    return v;
  };
  const ss = { ...objects.submissionSets[0]!, entryUUID: uuid(objects.submissionSets[0]!.entryUUID), submissionTime: objects.submissionSets[0]!.submissionTime || hl7Utc(call.now), availabilityStatus: AVAILABILITY_STATUS.Approved };
  const bytesById = new Map(lot.documents.filter((d) => d.entryId && d.content).map((d) => [d.entryId!, d.content!]));
  const newDocs = objects.documentEntries.map((e) => {
    const content = Buffer.from(bytesById.get(e.entryUUID ?? '') ?? new Uint8Array(0));
    const entryUUID = uuid(e.entryUUID);
    const entry: DocumentEntry = {
      ...e,
      entryUUID,
      logicalId: entryUUID,
      version: '1',
      availabilityStatus: AVAILABILITY_STATUS.Approved,
      hash: sha1Hex(content),
      size: content.byteLength,
      repositoryUniqueId: DMP_OIDS.repositoryUniqueId,
      patientId: e.patientId ?? ss.patientId,
    };
    return { entry, lid: entryUUID, isSignature: isSignatureEntry(e), content: { hash: entry.hash!, size: content.byteLength, mimeType: e.mimeType, bytes: content } };
  });
  const associations: Association[] = objects.associations.map((a) => ({
    ...a,
    entryUUID: uuid(a.entryUUID),
    sourceObject: replaced.has(a.sourceObject) || !isUuid(a.sourceObject) ? uuid(a.sourceObject) : a.sourceObject.toLowerCase(),
    targetObject: isUuid(a.targetObject) ? a.targetObject.toLowerCase() : uuid(a.targetObject),
    availabilityStatus: AVAILABILITY_STATUS.Approved,
  }));
  call.ctx.store.transaction(() => {
    call.ctx.store.saveSubmission({ ins: record.ins, submissionSet: ss, documents: newDocs, associations, deprecate: [...replaced.values()].map((t) => t.entryUUID), at: call.now });
    for (const d of newDocs) {
      // Nothing to tell the patient about a lot signature or a document hidden from them.
      if (d.isSignature || d.entry.confidentialityCode.some((c) => c.code === 'INVISIBLE_PATIENT')) continue;
      call.ctx.store.addNotification({ at: call.now, ins: record.ins, kind: 'new-document', text: `Nouveau document dans votre dossier : ${d.entry.title ?? d.entry.typeCode?.displayName ?? 'document'}`, document: d.entry.uniqueId });
    }
  });
}

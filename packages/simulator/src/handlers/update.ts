/**
 * TD3.3 — ITI-57 Update Document Set: availability-status updates (archive, unarchive, delete: OriginalStatus must be
 * the current status) and metadata updates (mask/unmask, visibility to the patient or legal representatives: a new
 * version with the same lid, PreviousVersion must be the current version, new entryUUID). The SDK's policy names the
 * action from what changes and decides it.
 */
import {
  ASSOCIATION_TYPE,
  AVAILABILITY_STATUS,
  statusChangeAction,
  visibilityChangeActions,
  type Association,
  type DecodedSubmitObjectsRequest,
  type DocumentEntry,
  type SubmissionSet,
} from '@dmpkit/sdk';
import { randomUUID } from 'node:crypto';
import { decide, refusalText } from '../policy/gate.js';
import { SimulatorFault, type SoapAnswer, type SoapCall } from '../server/soap-call.js';
import type { PatientRecord, StoredEntry } from '../store/store.js';
import { hl7Utc, samePatientCx } from '../util/cx.js';
import { requestPatient } from './patient-of.js';
import { ACCESS_DENIED, RegistryRefusal, refuse, registryError, registryFailure, registrySuccess } from './registry-errors.js';

const newUuid = () => `urn:uuid:${randomUUID()}`;

export function handleUpdate(call: SoapCall): SoapAnswer {
  const x = call.decoded.xds;
  if (!x || x.kind !== 'SubmitObjectsRequest') throw new SimulatorFault('Sender', 'InvalidMessage', 'Le corps de la requête n’est pas un SubmitObjectsRequest (ITI-57)');
  const { objects } = x as DecodedSubmitObjectsRequest;
  const patient = requestPatient(call);
  const record = patient?.record;
  if (!patient || !record || record.dmp === 'absent') return registryFailure([registryError('XDSUnknownPatientId', 'Aucun DMP pour ce patient (test d’existence TD0.2 : NF)')]);
  const ss = objects.submissionSets[0];
  if (!ss || objects.submissionSets.length !== 1) return registryFailure([registryError('XDSMetadataUpdateError', `Une mise à jour contient exactement un SubmissionSet (trouvés : ${objects.submissionSets.length})`)]);
  if (!samePatientCx(ss.patientId, patient.cx)) return registryFailure([registryError('XDSPatientIdDoesNotMatch', 'Le patientId du lot diffère du resource-id du VIHF')]);
  const submissionSet = { ...ss, entryUUID: ss.entryUUID.startsWith('urn:uuid:') ? ss.entryUUID : newUuid(), submissionTime: ss.submissionTime || hl7Utc(call.now), availabilityStatus: AVAILABILITY_STATUS.Approved };
  try {
    const statusUpdates = objects.associations.filter((a) => a.type === ASSOCIATION_TYPE.UpdateAvailabilityStatus);
    const memberships = objects.associations.filter((a) => a.type === ASSOCIATION_TYPE.HasMember && a.previousVersion !== undefined);
    if (!statusUpdates.length && !memberships.length) refuse('XDSMetadataUpdateOperationError', 'Ni association UpdateAvailabilityStatus ni nouvelle version (HasMember avec PreviousVersion) : rien à mettre à jour');
    for (const a of statusUpdates) statusUpdate(call, record, a, submissionSet);
    for (const a of memberships) metadataUpdate(call, record, a, objects.documentEntries, submissionSet);
  } catch (e) {
    if (e instanceof RegistryRefusal) return registryFailure(e.errors);
    throw e;
  }
  return registrySuccess();
}

function currentTarget(call: SoapCall, record: PatientRecord, entryUUID: string): StoredEntry {
  const target = call.ctx.store.entryByUuid(entryUUID.toLowerCase());
  if (!target || target.ins !== record.ins || target.isSignature) refuse('XDSMetadataUpdateError', `Document ${entryUUID} inconnu du DMP de ce patient`);
  return target;
}

function statusUpdate(call: SoapCall, record: PatientRecord, a: Association, submissionSet: SubmissionSet): void {
  const target = currentTarget(call, record, a.targetObject);
  const from = a.originalStatus ?? '';
  const to = a.newStatus ?? '';
  if (from !== target.status) refuse('XDSMetadataUpdateError', `OriginalStatus ${from} ≠ statut actuel ${target.status} du document ${target.uniqueId}`);
  const action = statusChangeAction(to);
  if (!action) refuse('XDSMetadataUpdateOperationError', `NewStatus ${to} n'est le statut d'aucune action du DMP (archiver, désarchiver, supprimer)`);
  const decision = decide(call, action, record, target);
  if (decision.decision !== 'allow') refuse(ACCESS_DENIED, refusalText(decision), `uniqueId=${target.uniqueId}`);
  call.ctx.store.saveStatusUpdate(target, to, submissionSet, { ...a, entryUUID: newUuid(), sourceObject: submissionSet.entryUUID, targetObject: target.entryUUID });
}

function metadataUpdate(call: SoapCall, record: PatientRecord, a: Association, entries: readonly DocumentEntry[], submissionSet: SubmissionSet): void {
  const next = entries.find((e) => e.entryUUID === a.targetObject);
  if (!next) refuse('XDSMetadataUpdateError', `L'association ${a.entryUUID} vise ${a.targetObject}, absent de la requête`);
  const lid = next.logicalId;
  if (!lid) refuse('XDSMetadataUpdateError', `La nouvelle version ${a.targetObject} n'a pas de lid (logicalId du document à mettre à jour)`);
  const current = call.ctx.store.currentByLid(lid.toLowerCase());
  if (!current || current.ins !== record.ins || current.isSignature) refuse('XDSMetadataUpdateError', `Aucun document de lid ${lid} pour ce patient`);
  if (String(current.version) !== a.previousVersion) refuse('XDSMetadataVersionError', `PreviousVersion ${a.previousVersion} ≠ version actuelle ${current.version} du document ${current.uniqueId}`);
  if (next.uniqueId !== current.uniqueId) refuse('XDSMetadataUpdateError', `La nouvelle version change l'uniqueId (${current.uniqueId} → ${next.uniqueId})`);
  const actions = visibilityChangeActions(current.entry.confidentialityCode, next.confidentialityCode);
  if (!actions.length) refuse('XDSMetadataUpdateOperationError', 'La nouvelle version ne change aucun code de visibilité (MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX) : le DMP ne met à jour que ceux-là');
  for (const action of actions) {
    const decision = decide(call, action, record, current);
    if (decision.decision !== 'allow') refuse(ACCESS_DENIED, refusalText(decision), `uniqueId=${current.uniqueId}`);
  }
  // Only the confidentiality codes change; the rest of the metadata is the registry's.
  const entryUUID = newUuid();
  const updated: DocumentEntry = { ...current.entry, entryUUID, logicalId: current.lid, version: String(current.version + 1), confidentialityCode: next.confidentialityCode, availabilityStatus: current.status };
  call.ctx.store.saveEntryVersion(current, updated, submissionSet, [{ ...a, entryUUID: newUuid(), sourceObject: submissionSet.entryUUID, targetObject: entryUUID }], call.now);
}

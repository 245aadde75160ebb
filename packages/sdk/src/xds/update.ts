/**
 * ITI-57 Update Document Set bodies as the DMP uses them (TD3.3, dmp-interface.md §6):
 * - availability status changes (archive, unarchive, delete): a SubmissionSet plus an
 *   UpdateAvailabilityStatus association carrying OriginalStatus and NewStatus;
 * - metadata updates (mask/unmask for professionals, hide/show for the patient or legal representatives):
 *   a SubmissionSet, a new version of the entry (same lid, full metadata, new confidentiality codes) and
 *   a HasMember association with SubmissionSetStatus=Original and PreviousVersion.
 */
import type { DocumentEntry, RegistryObjectList, XdsCode } from './model.js';
import { emptyRegistryObjectList } from './model.js';
import type { SubmissionSetInput } from './submission.js';
import { ASSOCIATION_TYPE, AVAILABILITY_STATUS, DMP_OIDS, RIM_OBJECT_TYPE, SUBMISSION_SET_STATUS } from './uuids.js';

export type DmpStatusChange = 'archive' | 'unarchive' | 'delete';

/** The status transition of each DMP action; delete starts from the entry's current status. */
export const DMP_STATUS_CHANGES: Readonly<Record<DmpStatusChange, { from?: string; to: string }>> = {
  archive: { from: AVAILABILITY_STATUS.Approved, to: AVAILABILITY_STATUS.Archived },
  unarchive: { from: AVAILABILITY_STATUS.Archived, to: AVAILABILITY_STATUS.Approved },
  delete: { to: AVAILABILITY_STATUS.Deleted },
};

export interface AvailabilityStatusUpdateInput {
  submissionSet: SubmissionSetInput;
  /** entryUUID of the DocumentEntry version to change. */
  targetEntryUUID: string;
  /** The entry's current status (must equal the registry's, or the DMP refuses). */
  originalStatus: string;
  newStatus: string;
  associationId?: string;
}

/** SubmissionSet + UpdateAvailabilityStatus association (TD3.3c delete, TD3.3d archive/unarchive). */
export function buildAvailabilityStatusUpdate(input: AvailabilityStatusUpdateInput): RegistryObjectList {
  const objects = emptyRegistryObjectList();
  const ssId = input.submissionSet.entryUUID ?? 'SubmissionSet01';
  objects.submissionSets.push({ ...input.submissionSet, entryUUID: ssId, intendedRecipient: input.submissionSet.intendedRecipient ?? [] });
  objects.associations.push({
    entryUUID: input.associationId ?? 'association1',
    type: ASSOCIATION_TYPE.UpdateAvailabilityStatus,
    // The DMP writes the ebRIM object type on this association; harmless elsewhere.
    objectType: RIM_OBJECT_TYPE.association,
    sourceObject: ssId,
    targetObject: input.targetEntryUUID,
    originalStatus: input.originalStatus,
    newStatus: input.newStatus,
  });
  return objects;
}

/** The transition for a DMP action, given the entry's current status. */
export function statusChange(action: DmpStatusChange, currentStatus: string): { originalStatus: string; newStatus: string } {
  const t = DMP_STATUS_CHANGES[action];
  return { originalStatus: t.from ?? currentStatus, newStatus: t.to };
}

export interface MetadataUpdateInput {
  submissionSet: SubmissionSetInput;
  /** The full new metadata of the entry; logicalId (lid) must be the entry's logical id. */
  entry: DocumentEntry & { logicalId: string };
  /** The version being replaced (the registry's current VersionInfo/@versionName). */
  previousVersion: string;
  /** Id of the new version in the request (symbolic; the registry assigns the entryUUID). */
  newEntryId?: string;
  associationId?: string;
}

/** SubmissionSet + new entry version + HasMember(PreviousVersion) (TD3.3a/b). */
export function buildMetadataUpdate(input: MetadataUpdateInput): RegistryObjectList {
  const objects = emptyRegistryObjectList();
  const ssId = input.submissionSet.entryUUID ?? 'SubmissionSet01';
  const entryId = input.newEntryId ?? 'Document01';
  objects.submissionSets.push({ ...input.submissionSet, entryUUID: ssId, intendedRecipient: input.submissionSet.intendedRecipient ?? [] });
  objects.associations.push({
    entryUUID: input.associationId ?? 'association1',
    type: ASSOCIATION_TYPE.HasMember,
    objectType: RIM_OBJECT_TYPE.association,
    sourceObject: ssId,
    targetObject: entryId,
    submissionSetStatus: SUBMISSION_SET_STATUS.Original,
    previousVersion: input.previousVersion,
  });
  const { version: _registryVersion, ...entry } = input.entry;
  objects.documentEntries.push({ ...entry, entryUUID: entryId });
  return objects;
}

/** DMP visibility flags carried as confidentiality codes (TRE_A07, dmp-interface.md §5.4). */
export interface Visibility {
  /** MASQUE_PS: hidden from health professionals other than the author and the médecin traitant. */
  maskedToProfessionals?: boolean;
  /** INVISIBLE_PATIENT. */
  hiddenFromPatient?: boolean;
  /** INVISIBLE_REPRESENTANTS_LEGAUX. */
  hiddenFromLegalRepresentatives?: boolean;
}

const VISIBILITY_CODES = {
  maskedToProfessionals: { code: 'MASQUE_PS', displayName: 'Masqué aux professionnels de santé' },
  hiddenFromPatient: { code: 'INVISIBLE_PATIENT', displayName: 'Non visible par le patient' },
  hiddenFromLegalRepresentatives: { code: 'INVISIBLE_REPRESENTANTS_LEGAUX', displayName: 'Non visible par les représentants légaux du patient' },
} as const;

/**
 * The confidentiality codes after a visibility change: the codes not concerned stay as they are, each
 * flag given adds or removes its TRE_A07 code. `N` is kept (the DMP requires it).
 */
export function applyVisibility(codes: readonly XdsCode[], change: Visibility): XdsCode[] {
  let out = [...codes];
  for (const key of Object.keys(VISIBILITY_CODES) as (keyof Visibility)[]) {
    const wanted = change[key];
    if (wanted === undefined) continue;
    const { code, displayName } = VISIBILITY_CODES[key];
    const has = out.some((c) => c.code === code && c.codingScheme === DMP_OIDS.visibilityCodeSystem);
    if (wanted && !has) out.push({ code, codingScheme: DMP_OIDS.visibilityCodeSystem, displayName });
    if (!wanted && has) out = out.filter((c) => !(c.code === code && c.codingScheme === DMP_OIDS.visibilityCodeSystem));
  }
  return out;
}

/** The visibility a set of confidentiality codes expresses. */
export function visibilityOf(codes: readonly XdsCode[]): Required<Visibility> {
  const has = (code: string) => codes.some((c) => c.code === code && c.codingScheme === DMP_OIDS.visibilityCodeSystem);
  return {
    maskedToProfessionals: has('MASQUE_PS'),
    hiddenFromPatient: has('INVISIBLE_PATIENT'),
    hiddenFromLegalRepresentatives: has('INVISIBLE_REPRESENTANTS_LEGAUX'),
  };
}

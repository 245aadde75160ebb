/**
 * TD3.3 — document attribute management (ITI-57): mask/unmask for professionals (TD3.3a), hide/show for the patient
 * and for legal representatives (TD3.3b), delete (TD3.3c), archive/unarchive (TD3.3d). The registry's current
 * version of the entry is looked up first: a status change must state the current status, a metadata update the
 * current version and lid.
 */
import { z } from 'zod';
import type { DecodedMessage } from '../soap/decode-message.js';
import type { DecodedRegistryResponse } from '../xds/ebrim-decode.js';
import { encodeSubmitObjectsRequest } from '../xds/ebrim-encode.js';
import type { DocumentEntry, RegistryErrorEntry, XdsCode } from '../xds/model.js';
import { applyVisibility, buildAvailabilityStatusUpdate, buildMetadataUpdate, statusChange, type Visibility } from '../xds/update.js';
import { DmpClientError, expectPayload, type DmpClient } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { findCurrentEntry } from './find-entry.js';
import { parseInput, patientInputSchema } from './inputs.js';
import { buildSubmissionSetInput } from './submission-set.js';

export const UPDATE_ACTIONS = {
  mask: { visibility: { maskedToProfessionals: true } },
  unmask: { visibility: { maskedToProfessionals: false } },
  'hide-from-patient': { visibility: { hiddenFromPatient: true } },
  'show-to-patient': { visibility: { hiddenFromPatient: false } },
  'hide-from-legal-representatives': { visibility: { hiddenFromLegalRepresentatives: true } },
  'show-to-legal-representatives': { visibility: { hiddenFromLegalRepresentatives: false } },
  archive: { status: 'archive' },
  unarchive: { status: 'unarchive' },
  delete: { status: 'delete' },
} as const satisfies Record<string, { visibility: Visibility } | { status: 'archive' | 'unarchive' | 'delete' }>;
export type UpdateAction = keyof typeof UPDATE_ACTIONS;

export const UpdateInputSchema = z.object({
  patient: patientInputSchema,
  action: z.enum(Object.keys(UPDATE_ACTIONS) as [UpdateAction, ...UpdateAction[]]),
  /** uniqueId (OID) or entryUUID (`urn:uuid:…`) of the document. */
  document: z.string().min(1),
  /** SubmissionSet contentTypeCode; default: the entry's healthcareFacilityTypeCode (TRE_R02 is in J59). */
  contentTypeCode: z.object({ code: z.string().min(1), codingScheme: z.string().min(1), displayName: z.string().optional() }).optional(),
});
export type UpdateInput = z.input<typeof UpdateInputSchema>;

export interface UpdateOutput {
  status: 'Success' | 'PartialSuccess';
  action: UpdateAction;
  /** The version that was changed. */
  target: { uniqueId: string; entryUUID: string; availabilityStatus?: string; version?: string };
  /** Status change: from → to; visibility change: the new confidentiality codes. */
  change: { from?: string; to?: string; confidentialityCodes?: XdsCode[] };
  registryErrors: RegistryErrorEntry[];
}

export class UpdateDocumentCommand extends DmpCommand<UpdateInput, UpdateOutput> {
  readonly transaction = 'TD3.3' as const;
  override readonly mode = 'write' as const;
  #current?: DocumentEntry;
  #change: UpdateOutput['change'] = {};

  get parsed() {
    return parseInput(UpdateInputSchema, this.input, 'UpdateDocumentCommand');
  }

  override async prepare(client: DmpClient): Promise<void> {
    const i = this.parsed;
    this.#current = await findCurrentEntry(client, i.patient, i.document);
  }

  serialize(client: DmpClient): SerializedCommand {
    const i = this.parsed;
    const current = this.#current;
    if (!current?.entryUUID) throw new DmpClientError('CLIENT-STATE', 'UpdateDocumentCommand: prepare() must run first (client.send does it)');
    const contentType = i.contentTypeCode ?? client.config.contentTypeCode ?? current.healthcareFacilityTypeCode;
    if (!contentType) throw new DmpClientError('CLIENT-INPUT', 'UpdateDocumentCommand: no contentTypeCode (give one, or configure the client default)');
    const submissionSet = buildSubmissionSetInput(client, i.patient, contentType);
    const def = UPDATE_ACTIONS[i.action];
    let objects;
    if ('status' in def) {
      if (!current.availabilityStatus) throw new DmpClientError('DOCUMENT-STATE', `the registry did not give the status of ${current.entryUUID}`);
      const t = statusChange(def.status, current.availabilityStatus);
      this.#change = { from: t.originalStatus, to: t.newStatus };
      objects = buildAvailabilityStatusUpdate({ submissionSet, targetEntryUUID: current.entryUUID, ...t });
    } else {
      if (!current.logicalId || !current.version) throw new DmpClientError('DOCUMENT-STATE', `the registry did not give the lid and version of ${current.entryUUID}`);
      const confidentialityCode = applyVisibility(current.confidentialityCode, def.visibility);
      this.#change = { confidentialityCodes: confidentialityCode };
      // Registry-managed attributes are not sent back (the registry sets status, hash/size stay as they are).
      const { availabilityStatus: _s, entryUUID: _id, ...rest } = current;
      objects = buildMetadataUpdate({ submissionSet, entry: { ...rest, confidentialityCode, logicalId: current.logicalId }, previousVersion: current.version });
    }
    return { body: encodeSubmitObjectsRequest(objects), patient: i.patient };
  }

  deserialize(decoded: DecodedMessage): UpdateOutput {
    expectPayload(decoded, 'RegistryResponse');
    const r = decoded.xds as DecodedRegistryResponse;
    const c = this.#current!;
    return {
      status: r.outcome === 'PartialSuccess' ? 'PartialSuccess' : 'Success',
      action: this.parsed.action,
      target: { uniqueId: c.uniqueId, entryUUID: c.entryUUID!, ...(c.availabilityStatus ? { availabilityStatus: c.availabilityStatus } : {}), ...(c.version ? { version: c.version } : {}) },
      change: this.#change,
      registryErrors: r.errors,
    };
  }
}

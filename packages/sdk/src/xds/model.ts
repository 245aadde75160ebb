/**
 * The XDS.b registry object model (DocumentEntry, SubmissionSet, Folder, Association, ObjectRef) as zod
 * schemas with inferred types. The DocumentEntry (document-entry.ts) is the one the CDA header mapping
 * produces, so a CDA-derived entry is an XDS entry without conversion.
 *
 * Conventions: ids are the registry object ids as written (`urn:uuid:…`, or symbolic in a submission);
 * composite values (CX, XCN, XON) stay HL7 v2 strings; statuses and association types are full URNs
 * (constants in uuids.ts). Slots, classifications and external identifiers the model does not name are
 * kept (`extraSlots`, `extraClassifications`, `extraExternalIdentifiers`) so nothing read is lost.
 */
import { z } from 'zod';
import { DocumentEntrySchema, registryObjectFields, XdsAuthorSchema, XdsCodeSchema, SlotSchema, RawClassificationSchema, RawExternalIdentifierSchema } from './document-entry.js';
import { ASSOCIATION_TYPE, SUBMISSION_SET_STATUS } from './uuids.js';

export * from './document-entry.js';

export const SubmissionSetSchema = z.object({
  entryUUID: z.string().min(1),
  uniqueId: z.string(),
  sourceId: z.string(),
  /** CX; must equal every member's patientId. */
  patientId: z.string(),
  submissionTime: z.string(),
  title: z.string().optional(),
  comments: z.string().optional(),
  /** The sender of the request (dmp-interface.md §10.2), not necessarily the documents' author. */
  authors: z.array(XdsAuthorSchema),
  contentTypeCode: XdsCodeSchema.optional(),
  intendedRecipient: z.array(z.string()),
  availabilityStatus: z.string().optional(),
  ...registryObjectFields,
});
export type SubmissionSet = z.infer<typeof SubmissionSetSchema>;

export const FolderSchema = z.object({
  entryUUID: z.string().min(1),
  uniqueId: z.string(),
  patientId: z.string(),
  title: z.string().optional(),
  comments: z.string().optional(),
  codeList: z.array(XdsCodeSchema),
  lastUpdateTime: z.string().optional(),
  availabilityStatus: z.string().optional(),
  ...registryObjectFields,
});
export type Folder = z.infer<typeof FolderSchema>;

/**
 * One Association. Its typed slots depend on the type: HasMember carries SubmissionSetStatus (and
 * PreviousVersion in an ITI-57 metadata update); UpdateAvailabilityStatus carries OriginalStatus and
 * NewStatus; RPLC/XFRM/APND/signs carry none.
 */
export const AssociationSchema = z
  .object({
    entryUUID: z.string().min(1),
    /** Full URN, see ASSOCIATION_TYPE. */
    type: z.string().min(1),
    sourceObject: z.string().min(1),
    targetObject: z.string().min(1),
    submissionSetStatus: z.string().optional(),
    previousVersion: z.string().optional(),
    originalStatus: z.string().optional(),
    newStatus: z.string().optional(),
    availabilityStatus: z.string().optional(),
    /** `@objectType` when written (the DMP writes the ebRIM Association object type). */
    objectType: z.string().optional(),
    ...registryObjectFields,
  })
  .superRefine((a, ctx) => {
    if (a.type === ASSOCIATION_TYPE.UpdateAvailabilityStatus && (!a.originalStatus || !a.newStatus)) {
      ctx.addIssue({ code: 'custom', message: 'an UpdateAvailabilityStatus association needs originalStatus and newStatus', path: ['newStatus'] });
    }
    if (a.submissionSetStatus !== undefined && !Object.values(SUBMISSION_SET_STATUS).includes(a.submissionSetStatus as 'Original')) {
      ctx.addIssue({ code: 'custom', message: 'submissionSetStatus is "Original" or "Reference"', path: ['submissionSetStatus'] });
    }
  });
export type Association = z.infer<typeof AssociationSchema>;

export const ObjectRefSchema = z.object({ id: z.string().min(1), home: z.string().optional() });
export type ObjectRef = z.infer<typeof ObjectRefSchema>;

/** A Classification written at the top level of a RegistryObjectList (SubmissionSet/Folder flags, folder membership). */
export const TopLevelClassificationSchema = RawClassificationSchema.extend({ classifiedObject: z.string() });
export type TopLevelClassification = z.infer<typeof TopLevelClassificationSchema>;

/** A RegistryPackage that is neither flagged as SubmissionSet nor as Folder, kept as read. */
export const UnknownRegistryPackageSchema = z.object({
  entryUUID: z.string(),
  slots: z.array(SlotSchema),
  classifications: z.array(RawClassificationSchema),
  externalIdentifiers: z.array(RawExternalIdentifierSchema),
});
export type UnknownRegistryPackage = z.infer<typeof UnknownRegistryPackageSchema>;

/** The content of a RegistryObjectList (SubmitObjectsRequest, AdhocQueryResponse), each kind in document order. */
export const RegistryObjectListSchema = z.object({
  submissionSets: z.array(SubmissionSetSchema),
  folders: z.array(FolderSchema),
  documentEntries: z.array(DocumentEntrySchema),
  associations: z.array(AssociationSchema),
  objectRefs: z.array(ObjectRefSchema),
  classifications: z.array(TopLevelClassificationSchema),
  otherPackages: z.array(UnknownRegistryPackageSchema).optional(),
});
export type RegistryObjectList = z.infer<typeof RegistryObjectListSchema>;

export function emptyRegistryObjectList(): RegistryObjectList {
  return { submissionSets: [], folders: [], documentEntries: [], associations: [], objectRefs: [], classifications: [] };
}

// --- responses -------------------------------------------------------------------------------------

export const RegistryErrorEntrySchema = z.object({
  errorCode: z.string(),
  /** Full URN, see ERROR_SEVERITY. */
  severity: z.string(),
  codeContext: z.string(),
  location: z.string().optional(),
  value: z.string().optional(),
});
export type RegistryErrorEntry = z.infer<typeof RegistryErrorEntrySchema>;

export const RegistryResponseSchema = z.object({
  /** Full URN as written (see RESPONSE_STATUS). */
  status: z.string(),
  requestId: z.string().optional(),
  errors: z.array(RegistryErrorEntrySchema),
  /** RegistryErrorList/@highestSeverity when written. */
  highestSeverity: z.string().optional(),
  /** ResponseSlotList (deferred processing, XCA). */
  responseSlots: z.array(SlotSchema).optional(),
});
export type RegistryResponse = z.infer<typeof RegistryResponseSchema>;

export const AdhocQueryResponseSchema = RegistryResponseSchema.extend({
  startIndex: z.number().int().nonnegative().optional(),
  totalResultCount: z.number().int().nonnegative().optional(),
  objects: RegistryObjectListSchema,
});
export type AdhocQueryResponse = z.infer<typeof AdhocQueryResponseSchema>;

// --- ITI-41 / ITI-43 documents ------------------------------------------------------------------------

/** Bytes (a Buffer is a Uint8Array), whatever buffer backs them. */
const BytesSchema = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected bytes (Uint8Array or Buffer)' });

/** A document's bytes, travelling next to its DocumentEntry (ITI-41) or in a DocumentResponse (ITI-43). */
export const DocumentContentSchema = z.object({
  /** The DocumentEntry id (ITI-41 Document/@id). */
  id: z.string().min(1),
  content: BytesSchema,
});
export type DocumentContent = z.infer<typeof DocumentContentSchema>;

export const DocumentRequestSchema = z.object({
  homeCommunityId: z.string().optional(),
  repositoryUniqueId: z.string().min(1),
  documentUniqueId: z.string().min(1),
});
export type DocumentRequest = z.infer<typeof DocumentRequestSchema>;

export const DocumentResponseSchema = DocumentRequestSchema.extend({
  newRepositoryUniqueId: z.string().optional(),
  newDocumentUniqueId: z.string().optional(),
  mimeType: z.string(),
  /** The bytes, when they travelled (XOP part or inline base64) and could be resolved. */
  content: BytesSchema.optional(),
});
export type DocumentResponse = z.infer<typeof DocumentResponseSchema>;

export const RetrieveDocumentSetResponseSchema = z.object({
  response: RegistryResponseSchema,
  documents: z.array(DocumentResponseSchema),
});
export type RetrieveDocumentSetResponse = z.infer<typeof RetrieveDocumentSetResponseSchema>;

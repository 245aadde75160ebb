/**
 * The XDS DocumentEntry metadata (IHE ITI TF-3 §4.2.3.2 names) as the DMP uses it (dmp-interface.md §5.2).
 * Composite values (CX, XCN, XON) are kept as their HL7 v2 strings, exactly as they go into ebRIM slots.
 * The same type serves the CDA → metadata mapping (cda/to-metadata.ts) and the ebRIM codec (xds/): the
 * registry-managed attributes (lid, version, home…) and the "kept as read" extras are optional.
 */
import { z } from 'zod';

/** XDS DTM in UTC: `YYYY[MM[DD[hh[mm[ss]]]]]`. */
export const XdsDateTimeSchema = z.string().regex(/^\d{4}(\d{2}){0,5}$/, 'expected an XDS UTC date-time yyyyMMdd[HH[mm[ss]]]');

/** A classification code: code (nodeRepresentation), codingScheme slot, display name (Name). */
export const XdsCodeSchema = z.object({
  code: z.string().min(1),
  codingScheme: z.string().min(1),
  displayName: z.string().optional(),
});
export type XdsCode = z.infer<typeof XdsCodeSchema>;

/** An ebRIM Slot: name and values, kept verbatim. */
export const SlotSchema = z.object({ name: z.string().min(1), values: z.array(z.string()) });
export type Slot = z.infer<typeof SlotSchema>;

/** A Classification the model has no field for (unknown scheme or node), kept as read. */
export const RawClassificationSchema = z.object({
  id: z.string().optional(),
  classificationScheme: z.string().optional(),
  classificationNode: z.string().optional(),
  classifiedObject: z.string().optional(),
  nodeRepresentation: z.string().optional(),
  name: z.string().optional(),
  slots: z.array(SlotSchema),
});
export type RawClassification = z.infer<typeof RawClassificationSchema>;

/** An ExternalIdentifier the model has no field for, kept as read. */
export const RawExternalIdentifierSchema = z.object({
  id: z.string().optional(),
  identificationScheme: z.string(),
  value: z.string(),
  registryObject: z.string().optional(),
  name: z.string().optional(),
});
export type RawExternalIdentifier = z.infer<typeof RawExternalIdentifierSchema>;

/** Registry-managed attributes and the "kept as read" extras of every registry object. */
export const registryObjectFields = {
  /** ebRIM `lid`: stable across metadata versions of one document (new on replacement). */
  logicalId: z.string().optional(),
  /** `VersionInfo/@versionName`: the metadata version. */
  version: z.string().optional(),
  /** `@home`: homeCommunityId of the community that holds the object (XCA). */
  homeCommunityId: z.string().optional(),
  /** Slots the model does not name. */
  extraSlots: z.array(SlotSchema).optional(),
  extraClassifications: z.array(RawClassificationSchema).optional(),
  extraExternalIdentifiers: z.array(RawExternalIdentifierSchema).optional(),
};

export const XdsAuthorSchema = z.object({
  /** XCN. */
  authorPerson: z.string().optional(),
  /** XON, 0..n. */
  authorInstitution: z.array(z.string()),
  /** `code^display^system` (JDV_J47 functionCode), 0..n. */
  authorRole: z.array(z.string()),
  /** `code^display^system` (JDV_J01), 0..n. */
  authorSpecialty: z.array(z.string()),
  /** XTN, 0..n. */
  authorTelecommunication: z.array(z.string()).optional(),
  /** Author sub-slots the model does not name. */
  extraSlots: z.array(SlotSchema).optional(),
});
export type XdsAuthor = z.infer<typeof XdsAuthorSchema>;

export const DocumentEntrySchema = z.object({
  /** Registry object id (`urn:uuid:…` or a symbolic id in a submission); not derived from the CDA. */
  entryUUID: z.string().optional(),
  uniqueId: z.string().min(1),
  mimeType: z.string().min(1),
  title: z.string().optional(),
  comments: z.string().optional(),
  creationTime: XdsDateTimeSchema.optional(),
  languageCode: z.string().optional(),
  /** CX `<INS>^^^&<INS OID>&ISO^NH`. */
  patientId: z.string().optional(),
  /** CX of the local id (`^PI`), or the INS when there is none. */
  sourcePatientId: z.string().optional(),
  /** `PID-5|…`, `PID-7|…`, `PID-8|…` values. */
  sourcePatientInfo: z.array(z.string()),
  authors: z.array(XdsAuthorSchema),
  /** XCN. */
  legalAuthenticator: z.string().optional(),
  serviceStartTime: XdsDateTimeSchema.optional(),
  serviceStopTime: XdsDateTimeSchema.optional(),
  classCode: XdsCodeSchema.optional(),
  typeCode: XdsCodeSchema.optional(),
  formatCode: XdsCodeSchema.optional(),
  healthcareFacilityTypeCode: XdsCodeSchema.optional(),
  practiceSettingCode: XdsCodeSchema.optional(),
  confidentialityCode: z.array(XdsCodeSchema),
  eventCodeList: z.array(XdsCodeSchema),
  /** CX values with CX.5 = `urn:ihe:iti:xds:2013:order` / `…:accession` / `urn:ihe:iti:xds:2016:studyInstanceUID`. */
  referenceIdList: z.array(z.string()),
  /** SHA-1 (hex) and size in bytes of the exact bytes deposited: computed on the file, not from the header. */
  hash: z.string().regex(/^[0-9a-fA-F]{40}$/).optional(),
  size: z.number().int().nonnegative().optional(),
  repositoryUniqueId: z.string().optional(),
  /** Full URN (see AVAILABILITY_STATUS in xds/uuids.ts), set by the registry. */
  availabilityStatus: z.string().optional(),
  /** `@objectType`: stable (default, the only kind the DMP knows) or on-demand. */
  objectType: z.string().optional(),
  /** `@isOpaque` as registries write it ("false"); kept for round trips. */
  isOpaque: z.string().optional(),
  ...registryObjectFields,
});
export type DocumentEntry = z.infer<typeof DocumentEntrySchema>;

/**
 * What the DMP requires of a submitted entry (dmp-interface.md §5.2 "R"): the same shape with the
 * mandatory attributes present. Registry-set attributes (entryUUID, availabilityStatus) stay optional.
 */
export const DmpDocumentEntrySchema = DocumentEntrySchema.required({
  title: true,
  creationTime: true,
  languageCode: true,
  patientId: true,
  sourcePatientId: true,
  legalAuthenticator: true,
  serviceStartTime: true,
  classCode: true,
  typeCode: true,
  formatCode: true,
  healthcareFacilityTypeCode: true,
  practiceSettingCode: true,
}).extend({
  confidentialityCode: z.array(XdsCodeSchema).min(1),
  authors: z.array(XdsAuthorSchema.required({ authorPerson: true })).min(1),
});
export type DmpDocumentEntry = z.infer<typeof DmpDocumentEntrySchema>;

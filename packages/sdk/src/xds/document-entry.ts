/**
 * The XDS DocumentEntry metadata (IHE ITI TF-3 §4.2.3.2 names) as the DMP uses it (dmp-interface.md §5.2).
 * Composite values (CX, XCN, XON) are kept as their HL7 v2 strings, exactly as they go into ebRIM slots.
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

export const XdsAuthorSchema = z.object({
  /** XCN. */
  authorPerson: z.string().optional(),
  /** XON, 0..n. */
  authorInstitution: z.array(z.string()),
  /** `code^display^system` (JDV_J47 functionCode), 0..n. */
  authorRole: z.array(z.string()),
  /** `code^display^system` (JDV_J01), 0..n. */
  authorSpecialty: z.array(z.string()),
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
  availabilityStatus: z.string().optional(),
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

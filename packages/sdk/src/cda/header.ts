/**
 * The CI-SIS CDA R2 header as read from a document (dmp-interface.md §10.1, CI-SIS "Structuration minimale").
 *
 * These schemas describe what was *found*: nearly everything is optional because a reader must not
 * fail on a bad document — rules judge completeness afterwards. The builder has its own strict input.
 */
import { z } from 'zod';

/** HL7 nullFlavor (the header allows UNK, NASK, ASKU, NAV, MSK; others are kept as written for rules to judge). */
export const NullFlavorSchema = z.string();

/** II: instance identifier. `root` is absent only with a nullFlavor (or in a broken document). */
export const IISchema = z.object({
  root: z.string().optional(),
  extension: z.string().optional(),
  assigningAuthorityName: z.string().optional(),
  nullFlavor: NullFlavorSchema.optional(),
});
export type II = z.infer<typeof IISchema>;

/** CD/CE/CV/CS: a coded value, with translations (e.g. healthCareFacility/code). */
export const CodedSchema = z.object({
  code: z.string().optional(),
  codeSystem: z.string().optional(),
  codeSystemName: z.string().optional(),
  displayName: z.string().optional(),
  nullFlavor: NullFlavorSchema.optional(),
  get translations() {
    return z.array(CodedSchema).optional();
  },
});
export type Coded = z.infer<typeof CodedSchema>;

/** TS: a point in time, kept as written (see hl7-time.ts to interpret it). */
export const TSSchema = z.object({
  value: z.string().optional(),
  nullFlavor: NullFlavorSchema.optional(),
});
export type TS = z.infer<typeof TSSchema>;

/** IVL_TS: an interval (or a single value written on the element itself). */
export const IVLTSSchema = z.object({
  value: z.string().optional(),
  low: TSSchema.optional(),
  high: TSSchema.optional(),
  nullFlavor: NullFlavorSchema.optional(),
});
export type IVLTS = z.infer<typeof IVLTSSchema>;

/** A name part with its qualifier (BR = birth, CL = used, per the INS rules). */
export const NamePartSchema = z.object({
  value: z.string(),
  qualifier: z.string().optional(),
});
export type NamePart = z.infer<typeof NamePartSchema>;

export const PersonNameSchema = z.object({
  use: z.string().optional(),
  nullFlavor: NullFlavorSchema.optional(),
  family: z.array(NamePartSchema),
  given: z.array(NamePartSchema),
  prefix: z.array(NamePartSchema),
  suffix: z.array(NamePartSchema),
  /** Text written directly in <name> without parts (e.g. an organisation-style name). */
  text: z.string().optional(),
});
export type PersonName = z.infer<typeof PersonNameSchema>;

/** AD: address; common parts by name, any other part kept in `other`. */
export const AddressSchema = z.object({
  use: z.string().optional(),
  nullFlavor: NullFlavorSchema.optional(),
  streetAddressLine: z.array(z.string()),
  houseNumber: z.string().optional(),
  streetName: z.string().optional(),
  unitID: z.string().optional(),
  additionalLocator: z.string().optional(),
  postBox: z.string().optional(),
  postalCode: z.string().optional(),
  city: z.string().optional(),
  /** In birthplace, the INSEE (COG) code of the birth place. */
  county: z.string().optional(),
  state: z.string().optional(),
  country: z.string().optional(),
  other: z.array(z.object({ part: z.string(), value: z.string() })),
});
export type Address = z.infer<typeof AddressSchema>;

export const TelecomSchema = z.object({
  value: z.string().optional(),
  use: z.string().optional(),
  nullFlavor: NullFlavorSchema.optional(),
});
export type Telecom = z.infer<typeof TelecomSchema>;

export const PersonSchema = z.object({
  names: z.array(PersonNameSchema),
});
export type Person = z.infer<typeof PersonSchema>;

export const OrganizationSchema = z.object({
  ids: z.array(IISchema),
  name: z.string().optional(),
  telecoms: z.array(TelecomSchema),
  addrs: z.array(AddressSchema),
  /** Cadre d'exercice (practiceSettingCode source, JDV_J04) when on a performer's organisation. */
  standardIndustryClassCode: CodedSchema.optional(),
});
export type Organization = z.infer<typeof OrganizationSchema>;

export const DeviceSchema = z.object({
  manufacturerModelName: z.string().optional(),
  softwareName: z.string().optional(),
});
export type Device = z.infer<typeof DeviceSchema>;

/** assignedEntity / assignedAuthor / associatedEntity / intendedRecipient: a role played by a person or device. */
export const AssignedEntitySchema = z.object({
  classCode: z.string().optional(),
  ids: z.array(IISchema),
  code: CodedSchema.optional(),
  addrs: z.array(AddressSchema),
  telecoms: z.array(TelecomSchema),
  person: PersonSchema.optional(),
  /** Only for authors: assignedAuthoringDevice. */
  device: DeviceSchema.optional(),
  /** representedOrganization, scopingOrganization or receivedOrganization, by context. */
  organization: OrganizationSchema.optional(),
});
export type AssignedEntity = z.infer<typeof AssignedEntitySchema>;

export const PatientSchema = z.object({
  names: z.array(PersonNameSchema),
  administrativeGenderCode: CodedSchema.optional(),
  birthTime: TSSchema.optional(),
  birthplace: z.object({ name: z.string().optional(), addr: AddressSchema.optional() }).optional(),
});
export type Patient = z.infer<typeof PatientSchema>;

export const RecordTargetSchema = z.object({
  /** In document order: for shared documents the INS must come first. */
  ids: z.array(IISchema),
  addrs: z.array(AddressSchema),
  telecoms: z.array(TelecomSchema),
  patient: PatientSchema.optional(),
});
export type RecordTarget = z.infer<typeof RecordTargetSchema>;

export const AuthorSchema = z.object({
  time: TSSchema.optional(),
  functionCode: CodedSchema.optional(),
  assignedAuthor: AssignedEntitySchema.optional(),
});
export type Author = z.infer<typeof AuthorSchema>;

/** legalAuthenticator, authenticator, dataEnterer. */
export const AuthenticatorSchema = z.object({
  time: TSSchema.optional(),
  signatureCode: z.string().optional(),
  assignedEntity: AssignedEntitySchema.optional(),
});
export type Authenticator = z.infer<typeof AuthenticatorSchema>;

export const InformantSchema = z.object({
  assignedEntity: AssignedEntitySchema.optional(),
  relatedEntity: z
    .object({ classCode: z.string().optional(), code: CodedSchema.optional(), person: PersonSchema.optional() })
    .optional(),
});
export type Informant = z.infer<typeof InformantSchema>;

export const InformationRecipientSchema = z.object({
  typeCode: z.string().optional(),
  intendedRecipient: AssignedEntitySchema.optional(),
});
export type InformationRecipient = z.infer<typeof InformationRecipientSchema>;

export const ParticipantSchema = z.object({
  typeCode: z.string().optional(),
  functionCode: CodedSchema.optional(),
  time: IVLTSSchema.optional(),
  associatedEntity: AssignedEntitySchema.optional(),
});
export type Participant = z.infer<typeof ParticipantSchema>;

export const OrderSchema = z.object({ ids: z.array(IISchema), code: CodedSchema.optional() });
export type Order = z.infer<typeof OrderSchema>;

export const PerformerSchema = z.object({
  typeCode: z.string().optional(),
  functionCode: CodedSchema.optional(),
  time: IVLTSSchema.optional(),
  assignedEntity: AssignedEntitySchema.optional(),
});
export type Performer = z.infer<typeof PerformerSchema>;

export const ServiceEventSchema = z.object({
  classCode: z.string().optional(),
  ids: z.array(IISchema),
  code: CodedSchema.optional(),
  effectiveTime: IVLTSSchema.optional(),
  performers: z.array(PerformerSchema),
});
export type ServiceEvent = z.infer<typeof ServiceEventSchema>;

export const RelatedDocumentSchema = z.object({
  /** RPLC (replacement) or XFRM (transformation) for the DMP; APND exists in CDA. */
  typeCode: z.string().optional(),
  parentDocument: z
    .object({ ids: z.array(IISchema), setId: IISchema.optional(), versionNumber: z.string().optional() })
    .optional(),
});
export type RelatedDocument = z.infer<typeof RelatedDocumentSchema>;

export const AuthorizationSchema = z.object({
  consent: z
    .object({ ids: z.array(IISchema), code: CodedSchema.optional(), statusCode: z.string().optional() })
    .optional(),
});
export type Authorization = z.infer<typeof AuthorizationSchema>;

export const HealthCareFacilitySchema = z.object({
  ids: z.array(IISchema),
  /** healthcareFacilityTypeCode source (JDV_J02), optionally with a translation (catégorie d'établissement). */
  code: CodedSchema.optional(),
  location: z.object({ name: z.string().optional(), addr: AddressSchema.optional() }).optional(),
  serviceProviderOrganization: OrganizationSchema.optional(),
});
export type HealthCareFacility = z.infer<typeof HealthCareFacilitySchema>;

export const EncompassingEncounterSchema = z.object({
  ids: z.array(IISchema),
  code: CodedSchema.optional(),
  effectiveTime: IVLTSSchema.optional(),
  responsibleParty: AssignedEntitySchema.optional(),
  healthCareFacility: HealthCareFacilitySchema.optional(),
});
export type EncompassingEncounter = z.infer<typeof EncompassingEncounterSchema>;

export const BodySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('structured'), sectionCount: z.number().int().nonnegative() }),
  z.object({
    kind: z.literal('nonXML'),
    mediaType: z.string().optional(),
    representation: z.string().optional(),
    compression: z.string().optional(),
    /** A `<reference>` instead of inline content (not accepted by the DMP). */
    reference: z.string().optional(),
    /** Characters of inline content (whitespace excluded): the payload itself is not copied. */
    contentLength: z.number().int().nonnegative(),
  }),
  z.object({ kind: z.literal('missing') }),
]);
export type Body = z.infer<typeof BodySchema>;

/** How the ClinicalDocument is carried: bare, inside an auto-présentable `xsl:stylesheet`, or an enveloping XMLDSig. */
export const EnvelopeSchema = z.enum(['none', 'xsl-stylesheet', 'xmldsig']);
export type Envelope = z.infer<typeof EnvelopeSchema>;

export const CdaHeaderSchema = z.object({
  envelope: EnvelopeSchema,
  realmCode: CodedSchema.optional(),
  typeId: IISchema.optional(),
  templateIds: z.array(IISchema),
  id: IISchema.optional(),
  code: CodedSchema.optional(),
  title: z.string().optional(),
  effectiveTime: TSSchema.optional(),
  confidentialityCode: CodedSchema.optional(),
  languageCode: CodedSchema.optional(),
  setId: IISchema.optional(),
  versionNumber: z.string().optional(),
  recordTargets: z.array(RecordTargetSchema),
  authors: z.array(AuthorSchema),
  dataEnterer: AuthenticatorSchema.optional(),
  informants: z.array(InformantSchema),
  custodian: OrganizationSchema.optional(),
  informationRecipients: z.array(InformationRecipientSchema),
  legalAuthenticator: AuthenticatorSchema.optional(),
  authenticators: z.array(AuthenticatorSchema),
  participants: z.array(ParticipantSchema),
  inFulfillmentOf: z.array(OrderSchema),
  documentationOf: z.array(ServiceEventSchema),
  relatedDocuments: z.array(RelatedDocumentSchema),
  authorizations: z.array(AuthorizationSchema),
  encompassingEncounter: EncompassingEncounterSchema.optional(),
  body: BodySchema,
});
export type CdaHeader = z.infer<typeof CdaHeaderSchema>;

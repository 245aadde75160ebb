/**
 * Builds a CI-SIS CDA R2 level-1 document (nonXMLBody, B64) around a PDF, JPEG, TIFF, RTF or text file.
 *
 * The header follows the CI-SIS "Structuration minimale" shape of the ANS N1 examples: the three
 * templateIds, a root-only document id (the DMP refuses OID^extension), the INS as first patient id with
 * BR/CL name qualifiers, one author, custodian, legalAuthenticator signed "S", one serviceEvent whose
 * performer carries the practice setting, and an encompassingEncounter with the facility type.
 */
import { create } from 'xmlbuilder2';
import { z } from 'zod';
import { displayOf, isInValueSet, JDV, type ValueSetId } from '../terminology/index.js';
import { dateToHl7, parseHl7Time } from './hl7-time.js';
import { INS_OIDS, OID_PATTERN, OIDS } from './ids.js';
import { contentMatchesMediaType, N1_MEDIA_TYPES, type N1MediaType } from './n1.js';

/** Largest file the builder wraps: the DMP refuses documents over 5 MiB. */
export const N1_MAX_CONTENT_BYTES = 5 * 1024 * 1024;

export type N1BuildErrorCode = 'N1_TOO_LARGE' | 'N1_MEDIA_TYPE' | 'N1_CONTENT_MISMATCH' | 'N1_INVALID_INPUT';

export class N1BuildError extends Error {
  override readonly name = 'N1BuildError';
  constructor(
    readonly code: N1BuildErrorCode,
    message: string,
    /** For N1_INVALID_INPUT: one line per problem, `path: message`. */
    readonly problems: string[] = [],
  ) {
    super(problems.length ? `${message}:\n- ${problems.join('\n- ')}` : message);
  }
}

const OidSchema = z.string().regex(OID_PATTERN, 'expected an OID (digits and dots)');

/** An HL7 TS (`YYYYMMDDHHMMSS+ZZZZ`) or a Date (written in UTC, `+0000`). A time of day needs its UTC offset. */
const TimeSchema = z.union([z.date(), z.string()]).transform((v, ctx) => {
  const value = v instanceof Date ? dateToHl7(v) : v;
  const parsed = parseHl7Time(value);
  if (!parsed.ok) {
    ctx.addIssue({ code: 'custom', message: parsed.error });
    return z.NEVER;
  }
  const t = parsed.time;
  if (t.hour !== undefined && t.offsetMinutes === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${value}" has a time of day but no UTC offset (write e.g. +0100)` });
    return z.NEVER;
  }
  return value;
});

/** The document's own effectiveTime: to the second, with offset (dmp-interface.md §10.1). */
const DocumentTimeSchema = TimeSchema.refine((v) => /^\d{14}[+-]\d{4}$/.test(v), 'the document effectiveTime must be given to the second with a UTC offset (YYYYMMDDHHMMSS+ZZZZ)');

const CodedInputSchema = z.object({
  code: z.string().min(1).regex(/^\S+$/, 'a code has no spaces'),
  codeSystem: OidSchema,
  /** Defaults to the official display of the value set. */
  displayName: z.string().min(1).optional(),
  codeSystemName: z.string().min(1).optional(),
});
export type CodedInput = z.infer<typeof CodedInputSchema>;

const IdInputSchema = z.object({ root: OidSchema, extension: z.string().min(1) });

/** Civilité (JDV_J245-Civilite-CISIS, 1.2.250.1.213.1.1.5.718) and titre (JDV_J246-Titre-CISIS, …5.719), as the ANS header rules bind them. */
export const CIVILITE_CODES = ['M', 'MME'] as const;
export const TITRE_CODES = ['DR', 'MC', 'MG', 'PC', 'PG', 'PR'] as const;

const NameInputSchema = z.object({
  family: z.string().min(1),
  given: z.string().min(1).optional(),
  /** Civilité: M or MME. */
  prefix: z.enum(CIVILITE_CODES).optional(),
  /** Titre: DR, PR… (a doctor is `suffix: 'DR'`, not a prefix). */
  suffix: z.enum(TITRE_CODES).optional(),
});

const AddressInputSchema = z.object({
  houseNumber: z.string().min(1).optional(),
  streetName: z.string().min(1).optional(),
  streetAddressLine: z.array(z.string().min(1)).max(7).optional(),
  unitID: z.string().min(1).optional(),
  postalCode: z.string().min(1).optional(),
  city: z.string().min(1).optional(),
  country: z.string().min(1).optional(),
});

const TelecomInputSchema = z.object({
  value: z.string().regex(/^(tel|fax|mailto|http|https):\S+$/, 'a telecom is a URL: tel:, fax:, mailto:, http(s):'),
  use: z.enum(['H', 'HP', 'HV', 'WP', 'DIR', 'PUB', 'MC', 'PG', 'EC', 'TMP']).optional(),
});

const OrganizationInputSchema = z.object({
  id: IdInputSchema,
  name: z.string().min(1),
  telecoms: z.array(TelecomInputSchema).optional(),
  addr: AddressInputSchema.optional(),
});

export const N1DocumentInputSchema = z.object({
  document: z.object({
    /** uniqueId: a plain OID, no extension (the DMP refuses OID^extension). */
    id: OidSchema.max(64),
    /** Shared by all versions; defaults to `id` for a first version. */
    setId: OidSchema.optional(),
    versionNumber: z.number().int().min(1).default(1),
    /** JDV_J07-XdsTypeCode-CISIS. */
    typeCode: CodedInputSchema,
    title: z.string().trim().min(1).max(128),
    effectiveTime: DocumentTimeSchema,
    confidentialityCode: z.enum(['N', 'R', 'V']).default('N'),
    languageCode: z.string().regex(/^[a-z]{2,3}-[A-Z]{2}$/).default('fr-FR'),
  }),
  patient: z.object({
    /** INS: NIR/NIA (15 characters) under an INS authority OID. */
    ins: z.object({
      root: z.enum([INS_OIDS.NIR, INS_OIDS.NIA, INS_OIDS.NIR_TEST, INS_OIDS.NIR_DEMO]),
      extension: z.string().regex(/^\d{5}(\d{2}|2[AB])\d{8}$/, 'an INS (NIR/NIA) has 15 characters'),
    }),
    /** Local ids (IPP…), written after the INS. */
    localIds: z.array(IdInputSchema).default([]),
    birthFamilyName: z.string().trim().min(1),
    usedFamilyName: z.string().trim().min(1).optional(),
    /** All first names of the birth certificate, space separated. */
    birthGivenNames: z.string().trim().min(1),
    /** First birth first name; defaults to the first word of birthGivenNames. */
    firstBirthGivenName: z.string().trim().min(1).optional(),
    usedGivenName: z.string().trim().min(1).optional(),
    gender: z.enum(['M', 'F', 'U']),
    birthDate: z.string().regex(/^\d{8}$/, 'birthDate is YYYYMMDD').refine((v) => parseHl7Time(v).ok, 'birthDate is not a calendar date'),
    /** INSEE (COG) code of the birth commune, or 99xxx for a birth abroad. */
    birthplaceCode: z.string().regex(/^(\d{5}|2[AB]\d{3})$/, 'a COG code has 5 characters').optional(),
    addr: AddressInputSchema.optional(),
    telecoms: z.array(TelecomInputSchema).optional(),
  }),
  author: z.object({
    time: TimeSchema,
    /** JDV_J47-FunctionCode-CISIS (e.g. PCP, médecin traitant). */
    functionCode: CodedInputSchema.optional(),
    /** PS_IdNat (root 1.2.250.1.71.4.2.1) or another author id. */
    id: IdInputSchema,
    /** JDV_J01-XdsAuthorSpecialty-CISIS. */
    specialty: CodedInputSchema,
    person: NameInputSchema,
    telecoms: z.array(TelecomInputSchema).optional(),
    organization: OrganizationInputSchema,
  }),
  custodian: OrganizationInputSchema,
  legalAuthenticator: z.object({ time: TimeSchema, id: IdInputSchema, person: NameInputSchema }),
  serviceEvent: z.object({
    code: CodedInputSchema.optional(),
    effectiveTime: z.object({ low: TimeSchema, high: TimeSchema.optional() }),
    performer: z.object({ id: IdInputSchema, person: NameInputSchema.optional(), organization: OrganizationInputSchema }),
    /** JDV_J04-XdsPracticeSettingCode-CISIS, on the performer's organisation. */
    practiceSetting: CodedInputSchema,
  }),
  encounter: z.object({
    effectiveTime: z.object({ low: TimeSchema, high: TimeSchema.optional() }),
    /** JDV_J02-XdsHealthcareFacilityTypeCode-CISIS, with an optional translation (catégorie d'établissement). */
    facilityType: CodedInputSchema,
    facilityTypeTranslation: CodedInputSchema.optional(),
    facilityId: IdInputSchema.optional(),
  }),
  relatedDocument: z.object({ typeCode: z.enum(['RPLC', 'XFRM']), parentId: OidSchema }).optional(),
  body: z.object({
    mediaType: z.enum(N1_MEDIA_TYPES),
    /** The file bytes (a Buffer is fine). */
    content: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'content must be a Uint8Array or Buffer'),
  }),
});
export type N1DocumentInput = z.input<typeof N1DocumentInputSchema>;
type Parsed = z.output<typeof N1DocumentInputSchema>;

/** Codes the ANS header schematron checks against a value set: refused here rather than produced invalid. */
const CODE_BINDINGS: Array<[string, ValueSetId, (i: Parsed) => CodedInput | undefined]> = [
  ['document.typeCode', JDV.J07_TYPE_CODE, (i) => i.document.typeCode],
  ['author.specialty', JDV.J01_AUTHOR_SPECIALTY, (i) => i.author.specialty],
  ['author.functionCode', JDV.J47_FUNCTION_CODE, (i) => i.author.functionCode],
  ['serviceEvent.practiceSetting', JDV.J04_PRACTICE_SETTING, (i) => i.serviceEvent.practiceSetting],
  ['encounter.facilityType', JDV.J02_FACILITY_TYPE, (i) => i.encounter.facilityType],
];

/** Validates the input, then returns the CDA document as UTF-8 XML text. Throws {@link N1BuildError}. */
export function buildN1Document(input: N1DocumentInput): string {
  checkBody(input.body);
  const parsed = N1DocumentInputSchema.safeParse(input);
  if (!parsed.success) {
    throw new N1BuildError(
      'N1_INVALID_INPUT',
      'invalid N1 document input',
      parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`),
    );
  }
  const data = parsed.data;
  const problems: string[] = [];
  for (const [path, vs, get] of CODE_BINDINGS) {
    const c = get(data);
    if (c && !isInValueSet(vs, c.code, c.codeSystem)) problems.push(`${path}: ${c.code} (${c.codeSystem}) is not in ${vs}`);
    else if (c && !c.displayName) c.displayName = displayOf(vs, c.code, c.codeSystem);
  }
  if (problems.length) throw new N1BuildError('N1_INVALID_INPUT', 'invalid N1 document input', problems);
  return write(data);
}

function checkBody(body: { mediaType?: unknown; content?: unknown } | undefined): void {
  if (!body || !(body.content instanceof Uint8Array)) return; // reported by the schema
  if (typeof body.mediaType !== 'string' || !(N1_MEDIA_TYPES as readonly string[]).includes(body.mediaType)) {
    throw new N1BuildError('N1_MEDIA_TYPE', `media type "${String(body.mediaType)}" is not accepted in a CDA N1 body; use one of ${N1_MEDIA_TYPES.join(', ')}`);
  }
  if (body.content.length > N1_MAX_CONTENT_BYTES) {
    throw new N1BuildError(
      'N1_TOO_LARGE',
      `the file is ${body.content.length} bytes, over the ${N1_MAX_CONTENT_BYTES}-byte (5 MiB) limit of documents the DMP accepts`,
    );
  }
  if (!contentMatchesMediaType(body.content, body.mediaType as N1MediaType)) {
    throw new N1BuildError('N1_CONTENT_MISMATCH', `the file content does not look like ${body.mediaType} (signature bytes or text encoding do not match)`);
  }
}

type XMLBuilder = ReturnType<typeof create>;
type Attrs = Record<string, string | undefined>;

function el(parent: XMLBuilder, name: string, attrs: Attrs = {}, text?: string): XMLBuilder {
  const defined: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) defined[k] = v;
  const child = parent.ele(name, defined);
  if (text !== undefined) child.txt(text);
  return child;
}

function coded(parent: XMLBuilder, name: string, c: CodedInput): XMLBuilder {
  return el(parent, name, { code: c.code, displayName: c.displayName, codeSystem: c.codeSystem, codeSystemName: c.codeSystemName });
}

function addr(parent: XMLBuilder, a: z.infer<typeof AddressInputSchema> | undefined): void {
  if (!a) return;
  const x = el(parent, 'addr');
  for (const line of a.streetAddressLine ?? []) el(x, 'streetAddressLine', {}, line);
  for (const part of ['houseNumber', 'streetName', 'unitID', 'postalCode', 'city', 'country'] as const) {
    const v = a[part];
    if (v) el(x, part, {}, v);
  }
}

function telecoms(parent: XMLBuilder, list: z.infer<typeof TelecomInputSchema>[] | undefined): void {
  for (const t of list ?? []) el(parent, 'telecom', { value: t.value, use: t.use });
}

function personName(parent: XMLBuilder, n: z.infer<typeof NameInputSchema>): void {
  const name = el(parent, 'name');
  if (n.prefix) el(name, 'prefix', {}, n.prefix);
  if (n.given) el(name, 'given', {}, n.given);
  el(name, 'family', {}, n.family);
  if (n.suffix) el(name, 'suffix', {}, n.suffix);
}

function organization(parent: XMLBuilder, name: string, o: z.infer<typeof OrganizationInputSchema>, extra?: (org: XMLBuilder) => void): void {
  const org = el(parent, name);
  el(org, 'id', { root: o.id.root, extension: o.id.extension });
  el(org, 'name', {}, o.name);
  telecoms(org, o.telecoms);
  addr(org, o.addr);
  extra?.(org);
}

function interval(parent: XMLBuilder, name: string, t: { low: string; high?: string | undefined }): void {
  const x = el(parent, name);
  el(x, 'low', { value: t.low });
  if (t.high) el(x, 'high', { value: t.high });
}

function write(i: Parsed): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const cd = doc.ele('urn:hl7-org:v3', 'ClinicalDocument');
  el(cd, 'realmCode', { code: 'FR' });
  el(cd, 'typeId', { root: OIDS.CDA_TYPE_ID, extension: 'POCD_HD000040' });
  el(cd, 'templateId', { root: OIDS.TEMPLATE_HL7_FRANCE });
  el(cd, 'templateId', { root: OIDS.TEMPLATE_CISIS });
  el(cd, 'templateId', { root: OIDS.TEMPLATE_XDS_SD });
  el(cd, 'id', { root: i.document.id });
  coded(cd, 'code', i.document.typeCode);
  el(cd, 'title', {}, i.document.title);
  el(cd, 'effectiveTime', { value: i.document.effectiveTime });
  coded(cd, 'confidentialityCode', {
    code: i.document.confidentialityCode,
    codeSystem: OIDS.HL7_CONFIDENTIALITY,
    displayName: displayOf(JDV.J58_CONFIDENTIALITY_DMP, i.document.confidentialityCode, OIDS.HL7_CONFIDENTIALITY),
  });
  el(cd, 'languageCode', { code: i.document.languageCode });
  el(cd, 'setId', { root: i.document.setId ?? i.document.id });
  el(cd, 'versionNumber', { value: String(i.document.versionNumber) });

  const p = i.patient;
  const role = el(el(cd, 'recordTarget'), 'patientRole');
  el(role, 'id', { root: p.ins.root, extension: p.ins.extension });
  for (const id of p.localIds) el(role, 'id', { root: id.root, extension: id.extension });
  addr(role, p.addr);
  telecoms(role, p.telecoms);
  const patient = el(role, 'patient', { classCode: 'PSN' });
  // INS identity traits: birth names (BR), all birth first names, first birth first name (BR), used names (CL).
  const name = el(patient, 'name');
  el(name, 'family', { qualifier: 'BR' }, p.birthFamilyName);
  el(name, 'given', {}, p.birthGivenNames);
  el(name, 'given', { qualifier: 'BR' }, p.firstBirthGivenName ?? p.birthGivenNames.split(/\s+/)[0]!);
  if (p.usedFamilyName) el(name, 'family', { qualifier: 'CL' }, p.usedFamilyName);
  if (p.usedGivenName) el(name, 'given', { qualifier: 'CL' }, p.usedGivenName);
  el(patient, 'administrativeGenderCode', {
    code: p.gender,
    displayName: { M: 'Masculin', F: 'Féminin', U: 'Inconnu' }[p.gender],
    codeSystem: OIDS.HL7_ADMINISTRATIVE_GENDER,
  });
  el(patient, 'birthTime', { value: p.birthDate });
  if (p.birthplaceCode) el(el(el(el(patient, 'birthplace'), 'place'), 'addr'), 'county', {}, p.birthplaceCode);

  const a = i.author;
  const author = el(cd, 'author');
  if (a.functionCode) coded(author, 'functionCode', a.functionCode);
  el(author, 'time', { value: a.time });
  const aa = el(author, 'assignedAuthor');
  el(aa, 'id', { root: a.id.root, extension: a.id.extension });
  coded(aa, 'code', a.specialty);
  telecoms(aa, a.telecoms);
  personName(el(aa, 'assignedPerson'), a.person);
  organization(aa, 'representedOrganization', a.organization);

  const cust = el(el(cd, 'custodian'), 'assignedCustodian');
  organization(cust, 'representedCustodianOrganization', i.custodian);

  const la = el(cd, 'legalAuthenticator');
  el(la, 'time', { value: i.legalAuthenticator.time });
  el(la, 'signatureCode', { code: 'S' });
  const lae = el(la, 'assignedEntity');
  el(lae, 'id', { root: i.legalAuthenticator.id.root, extension: i.legalAuthenticator.id.extension });
  personName(el(lae, 'assignedPerson'), i.legalAuthenticator.person);

  const se = el(el(cd, 'documentationOf'), 'serviceEvent');
  if (i.serviceEvent.code) coded(se, 'code', i.serviceEvent.code);
  interval(se, 'effectiveTime', i.serviceEvent.effectiveTime);
  const perf = el(el(se, 'performer', { typeCode: 'PRF' }), 'assignedEntity');
  el(perf, 'id', { root: i.serviceEvent.performer.id.root, extension: i.serviceEvent.performer.id.extension });
  if (i.serviceEvent.performer.person) personName(el(perf, 'assignedPerson'), i.serviceEvent.performer.person);
  organization(perf, 'representedOrganization', i.serviceEvent.performer.organization, (org) =>
    coded(org, 'standardIndustryClassCode', i.serviceEvent.practiceSetting),
  );

  if (i.relatedDocument) {
    const rd = el(cd, 'relatedDocument', { typeCode: i.relatedDocument.typeCode });
    el(el(rd, 'parentDocument'), 'id', { root: i.relatedDocument.parentId });
  }

  const enc = el(el(cd, 'componentOf'), 'encompassingEncounter');
  interval(enc, 'effectiveTime', i.encounter.effectiveTime);
  const hcf = el(el(enc, 'location'), 'healthCareFacility');
  if (i.encounter.facilityId) el(hcf, 'id', { root: i.encounter.facilityId.root, extension: i.encounter.facilityId.extension });
  const fcode = coded(hcf, 'code', i.encounter.facilityType);
  if (i.encounter.facilityTypeTranslation) coded(fcode, 'translation', i.encounter.facilityTypeTranslation);

  const text = el(el(el(cd, 'component'), 'nonXMLBody'), 'text', { mediaType: i.body.mediaType, representation: 'B64' });
  text.txt(Buffer.from(i.body.content.buffer, i.body.content.byteOffset, i.body.content.byteLength).toString('base64'));
  return doc.end({ prettyPrint: true });
}

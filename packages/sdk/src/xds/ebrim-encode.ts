/**
 * ebRIM 3.0 encoding of the XDS model: registry objects, SubmitObjectsRequest (ITI-41 inside a
 * ProvideAndRegisterDocumentSetRequest, ITI-57), AdhocQueryRequest/Response (ITI-18), RegistryResponse,
 * RetrieveDocumentSetRequest/Response (ITI-43).
 *
 * Output is a string (no XML declaration) ready to be placed in a SOAP Body. Element order follows the
 * ebRIM schema (Slot*, Name?, Description?, VersionInfo?, Classification*, ExternalIdentifier*);
 * LocalizedStrings carry `charset="UTF8" xml:lang="FR"` as in the DMP's own messages unless told otherwise.
 */
import { randomUUID } from 'node:crypto';
import type { AdhocQueryResponse, Association, XdsAuthor, DocumentEntry, DocumentRequest, Folder, ObjectRef, RawClassification, RawExternalIdentifier, RegistryErrorEntry, RegistryObjectList, RegistryResponse, Slot, SubmissionSet, TopLevelClassification, UnknownRegistryPackage, XdsCode } from './model.js';
import { storedQuerySlots, type StoredQueryInput } from './stored-query.js';
import { DOCUMENT_ENTRY, ERROR_SEVERITY, FOLDER, SLOT, SUBMISSION_SET, XDS_NS } from './uuids.js';
import { attrs, escapeAttr, escapeText } from './xml-write.js';

export interface EbrimEncodeOptions {
  /** Ids of the Classifications and ExternalIdentifiers the encoder creates (default: a new urn:uuid each). */
  newId?: () => string;
  /** LocalizedString/@xml:lang (default "FR", as the DMP writes it). */
  lang?: string;
  /** LocalizedString/@charset (default "UTF8", as the DMP writes it). */
  charset?: string;
  /**
   * DocumentEntries already encoded by {@link encodeDocumentEntry} with the same options, written where the
   * encoder writes document entries (before `objects.documentEntries`): a registry that keeps each entry's encoded
   * form (the simulator) answers a query without encoding every entry again.
   */
  encodedDocumentEntries?: readonly string[];
}

export class XdsEncodeError extends Error {
  override readonly name = 'XdsEncodeError';
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Namespace declarations of every message root element (prefixes are ours, readers must not care). */
const NS_DECLS = ` xmlns:rim="${XDS_NS.rim}" xmlns:rs="${XDS_NS.rs}" xmlns:lcm="${XDS_NS.lcm}" xmlns:query="${XDS_NS.query}"`;

interface Ctx {
  newId: () => string;
  lang: string;
  charset: string;
  encodedDocumentEntries: readonly string[];
}

function ctxOf(o: EbrimEncodeOptions = {}): Ctx {
  return { newId: o.newId ?? (() => `urn:uuid:${randomUUID()}`), lang: o.lang ?? 'FR', charset: o.charset ?? 'UTF8', encodedDocumentEntries: o.encodedDocumentEntries ?? [] };
}

// --- building blocks -------------------------------------------------------------------------------------

function slot(name: string, values: readonly string[]): string {
  let v = '';
  for (const value of values) v += `<rim:Value>${escapeText(value)}</rim:Value>`;
  return `<rim:Slot name="${escapeAttr(name)}"><rim:ValueList>${v}</rim:ValueList></rim:Slot>`;
}

function slots(list: readonly Slot[] | undefined): string {
  let out = '';
  if (list) for (const s of list) out += slot(s.name, s.values);
  return out;
}

function localized(tag: 'Name' | 'Description', value: string | undefined, c: Ctx): string {
  if (value === undefined) return '';
  return `<rim:${tag}><rim:LocalizedString${attrs([['charset', c.charset], ['xml:lang', c.lang], ['value', value]])}/></rim:${tag}>`;
}

function versionInfo(version: string | undefined): string {
  return version === undefined ? '' : `<rim:VersionInfo versionName="${escapeAttr(version)}"/>`;
}

function codeClassification(scheme: string, objectId: string, code: XdsCode, c: Ctx): string {
  return (
    `<rim:Classification${attrs([['classificationScheme', scheme], ['classifiedObject', objectId], ['id', c.newId()], ['nodeRepresentation', code.code]])}>` +
    slot(SLOT.codingScheme, [code.codingScheme]) +
    localized('Name', code.displayName, c) +
    '</rim:Classification>'
  );
}

function authorClassification(scheme: string, objectId: string, a: XdsAuthor, c: Ctx): string {
  let body = '';
  if (a.authorPerson !== undefined) body += slot(SLOT.authorPerson, [a.authorPerson]);
  if (a.authorInstitution.length) body += slot(SLOT.authorInstitution, a.authorInstitution);
  if (a.authorRole.length) body += slot(SLOT.authorRole, a.authorRole);
  if (a.authorSpecialty.length) body += slot(SLOT.authorSpecialty, a.authorSpecialty);
  if (a.authorTelecommunication?.length) body += slot(SLOT.authorTelecommunication, a.authorTelecommunication);
  body += slots(a.extraSlots);
  // ITI TF-3 §4.2.3.1.7: an author classification has an empty nodeRepresentation.
  return `<rim:Classification${attrs([['classificationScheme', scheme], ['classifiedObject', objectId], ['id', c.newId()], ['nodeRepresentation', '']])}>${body}</rim:Classification>`;
}

function flagClassification(node: string, objectId: string, c: Ctx): string {
  return `<rim:Classification${attrs([['classificationNode', node], ['classifiedObject', objectId], ['id', c.newId()]])}/>`;
}

function rawClassification(r: RawClassification, objectId: string | undefined, c: Ctx): string {
  return (
    `<rim:Classification${attrs([
      ['classificationNode', r.classificationNode],
      ['classificationScheme', r.classificationScheme],
      ['classifiedObject', r.classifiedObject ?? objectId],
      ['id', r.id ?? c.newId()],
      ['nodeRepresentation', r.nodeRepresentation],
    ])}>` +
    slots(r.slots) +
    localized('Name', r.name, c) +
    '</rim:Classification>'
  );
}

function externalIdentifier(scheme: string, objectId: string, value: string, name: string | undefined, c: Ctx, id?: string): string {
  return (
    `<rim:ExternalIdentifier${attrs([['id', id ?? c.newId()], ['identificationScheme', scheme], ['registryObject', objectId], ['value', value]])}>` +
    localized('Name', name, c) +
    '</rim:ExternalIdentifier>'
  );
}

function rawExternalIdentifiers(list: readonly RawExternalIdentifier[] | undefined, objectId: string, c: Ctx): string {
  let out = '';
  if (list) for (const r of list) out += externalIdentifier(r.identificationScheme, r.registryObject ?? objectId, r.value, r.name, c, r.id);
  return out;
}

function requireId(kind: string, id: string | undefined): string {
  if (!id) throw new XdsEncodeError('XDS_MISSING_ID', `a ${kind} has no id (entryUUID): give it a urn:uuid or a symbolic id before encoding`);
  return id;
}

// --- registry objects ----------------------------------------------------------------------------------------

export function encodeDocumentEntry(e: DocumentEntry, options?: EbrimEncodeOptions): string {
  return documentEntry(e, ctxOf(options));
}

function documentEntry(e: DocumentEntry, c: Ctx): string {
  const id = requireId('DocumentEntry', e.entryUUID);
  let s = '';
  if (e.creationTime !== undefined) s += slot(SLOT.creationTime, [e.creationTime]);
  if (e.hash !== undefined) s += slot(SLOT.hash, [e.hash]);
  if (e.languageCode !== undefined) s += slot(SLOT.languageCode, [e.languageCode]);
  if (e.legalAuthenticator !== undefined) s += slot(SLOT.legalAuthenticator, [e.legalAuthenticator]);
  if (e.repositoryUniqueId !== undefined) s += slot(SLOT.repositoryUniqueId, [e.repositoryUniqueId]);
  if (e.serviceStartTime !== undefined) s += slot(SLOT.serviceStartTime, [e.serviceStartTime]);
  if (e.serviceStopTime !== undefined) s += slot(SLOT.serviceStopTime, [e.serviceStopTime]);
  if (e.size !== undefined) s += slot(SLOT.size, [String(e.size)]);
  if (e.sourcePatientId !== undefined) s += slot(SLOT.sourcePatientId, [e.sourcePatientId]);
  if (e.sourcePatientInfo.length) s += slot(SLOT.sourcePatientInfo, e.sourcePatientInfo);
  if (e.referenceIdList.length) s += slot(SLOT.referenceIdList, e.referenceIdList);
  s += slots(e.extraSlots);
  s += localized('Name', e.title, c) + localized('Description', e.comments, c) + versionInfo(e.version);
  for (const a of e.authors) s += authorClassification(DOCUMENT_ENTRY.author, id, a, c);
  if (e.classCode) s += codeClassification(DOCUMENT_ENTRY.classCode, id, e.classCode, c);
  for (const code of e.confidentialityCode) s += codeClassification(DOCUMENT_ENTRY.confidentialityCode, id, code, c);
  for (const code of e.eventCodeList) s += codeClassification(DOCUMENT_ENTRY.eventCodeList, id, code, c);
  if (e.formatCode) s += codeClassification(DOCUMENT_ENTRY.formatCode, id, e.formatCode, c);
  if (e.healthcareFacilityTypeCode) s += codeClassification(DOCUMENT_ENTRY.healthcareFacilityTypeCode, id, e.healthcareFacilityTypeCode, c);
  if (e.practiceSettingCode) s += codeClassification(DOCUMENT_ENTRY.practiceSettingCode, id, e.practiceSettingCode, c);
  if (e.typeCode) s += codeClassification(DOCUMENT_ENTRY.typeCode, id, e.typeCode, c);
  if (e.extraClassifications) for (const r of e.extraClassifications) s += rawClassification(r, id, c);
  if (e.patientId !== undefined) s += externalIdentifier(DOCUMENT_ENTRY.patientId, id, e.patientId, 'XDSDocumentEntry.patientId', c);
  s += externalIdentifier(DOCUMENT_ENTRY.uniqueId, id, e.uniqueId, 'XDSDocumentEntry.uniqueId', c);
  s += rawExternalIdentifiers(e.extraExternalIdentifiers, id, c);
  const head = attrs([
    ['home', e.homeCommunityId],
    ['id', id],
    ['isOpaque', e.isOpaque],
    ['lid', e.logicalId],
    ['mimeType', e.mimeType],
    ['objectType', e.objectType ?? DOCUMENT_ENTRY.stableObjectType],
    ['status', e.availabilityStatus],
  ]);
  return `<rim:ExtrinsicObject${head}>${s}</rim:ExtrinsicObject>`;
}

function registryPackageHead(id: string, o: { homeCommunityId?: string | undefined; logicalId?: string | undefined; availabilityStatus?: string | undefined }): string {
  return attrs([
    ['home', o.homeCommunityId],
    ['id', id],
    ['lid', o.logicalId],
    ['status', o.availabilityStatus],
  ]);
}

export function encodeSubmissionSet(ss: SubmissionSet, options?: EbrimEncodeOptions): string {
  return submissionSet(ss, ctxOf(options));
}

function submissionSet(ss: SubmissionSet, c: Ctx): string {
  const id = requireId('SubmissionSet', ss.entryUUID);
  let s = slot(SLOT.submissionTime, [ss.submissionTime]);
  if (ss.intendedRecipient.length) s += slot(SLOT.intendedRecipient, ss.intendedRecipient);
  s += slots(ss.extraSlots);
  s += localized('Name', ss.title, c) + localized('Description', ss.comments, c) + versionInfo(ss.version);
  for (const a of ss.authors) s += authorClassification(SUBMISSION_SET.author, id, a, c);
  if (ss.contentTypeCode) s += codeClassification(SUBMISSION_SET.contentTypeCode, id, ss.contentTypeCode, c);
  if (ss.extraClassifications) for (const r of ss.extraClassifications) s += rawClassification(r, id, c);
  // The flag is nested, as the DMP writes it (a sibling Classification is equally valid ebRIM).
  s += flagClassification(SUBMISSION_SET.classificationNode, id, c);
  s += externalIdentifier(SUBMISSION_SET.patientId, id, ss.patientId, 'XDSSubmissionSet.patientId', c);
  s += externalIdentifier(SUBMISSION_SET.sourceId, id, ss.sourceId, 'XDSSubmissionSet.sourceId', c);
  s += externalIdentifier(SUBMISSION_SET.uniqueId, id, ss.uniqueId, 'XDSSubmissionSet.uniqueId', c);
  s += rawExternalIdentifiers(ss.extraExternalIdentifiers, id, c);
  return `<rim:RegistryPackage${registryPackageHead(id, ss)}>${s}</rim:RegistryPackage>`;
}

export function encodeFolder(f: Folder, options?: EbrimEncodeOptions): string {
  return folder(f, ctxOf(options));
}

function folder(f: Folder, c: Ctx): string {
  const id = requireId('Folder', f.entryUUID);
  let s = '';
  if (f.lastUpdateTime !== undefined) s += slot(SLOT.lastUpdateTime, [f.lastUpdateTime]);
  s += slots(f.extraSlots);
  s += localized('Name', f.title, c) + localized('Description', f.comments, c) + versionInfo(f.version);
  for (const code of f.codeList) s += codeClassification(FOLDER.codeList, id, code, c);
  if (f.extraClassifications) for (const r of f.extraClassifications) s += rawClassification(r, id, c);
  s += flagClassification(FOLDER.classificationNode, id, c);
  s += externalIdentifier(FOLDER.patientId, id, f.patientId, 'XDSFolder.patientId', c);
  s += externalIdentifier(FOLDER.uniqueId, id, f.uniqueId, 'XDSFolder.uniqueId', c);
  s += rawExternalIdentifiers(f.extraExternalIdentifiers, id, c);
  return `<rim:RegistryPackage${registryPackageHead(id, f)}>${s}</rim:RegistryPackage>`;
}

function unknownPackage(p: UnknownRegistryPackage, c: Ctx): string {
  let s = slots(p.slots);
  for (const r of p.classifications) s += rawClassification(r, p.entryUUID, c);
  s += rawExternalIdentifiers(p.externalIdentifiers, p.entryUUID, c);
  return `<rim:RegistryPackage${attrs([['id', p.entryUUID]])}>${s}</rim:RegistryPackage>`;
}

export function encodeAssociation(a: Association, options?: EbrimEncodeOptions): string {
  return association(a, ctxOf(options));
}

function association(a: Association, c: Ctx): string {
  let s = '';
  if (a.submissionSetStatus !== undefined) s += slot(SLOT.submissionSetStatus, [a.submissionSetStatus]);
  if (a.previousVersion !== undefined) s += slot(SLOT.previousVersion, [a.previousVersion]);
  if (a.originalStatus !== undefined) s += slot(SLOT.originalStatus, [a.originalStatus]);
  if (a.newStatus !== undefined) s += slot(SLOT.newStatus, [a.newStatus]);
  s += slots(a.extraSlots) + versionInfo(a.version);
  if (a.extraClassifications) for (const r of a.extraClassifications) s += rawClassification(r, a.entryUUID, c);
  const head = attrs([
    ['associationType', a.type],
    ['home', a.homeCommunityId],
    ['id', a.entryUUID],
    ['lid', a.logicalId],
    ['objectType', a.objectType],
    ['sourceObject', a.sourceObject],
    ['status', a.availabilityStatus],
    ['targetObject', a.targetObject],
  ]);
  return s ? `<rim:Association${head}>${s}</rim:Association>` : `<rim:Association${head}/>`;
}

function objectRef(r: ObjectRef): string {
  return `<rim:ObjectRef${attrs([['home', r.home], ['id', r.id]])}/>`;
}

function topLevelClassification(t: TopLevelClassification, c: Ctx): string {
  return rawClassification(t, t.classifiedObject, c);
}

/** `<rim:RegistryObjectList>` with packages first, then entries, associations, classifications, references. */
export function encodeRegistryObjectList(list: RegistryObjectList, options?: EbrimEncodeOptions): string {
  return registryObjectList(list, ctxOf(options), '');
}

function registryObjectList(list: RegistryObjectList, c: Ctx, nsDecls: string): string {
  const parts: string[] = [];
  for (const ss of list.submissionSets) parts.push(submissionSet(ss, c));
  for (const f of list.folders) parts.push(folder(f, c));
  if (list.otherPackages) for (const p of list.otherPackages) parts.push(unknownPackage(p, c));
  for (const x of c.encodedDocumentEntries) parts.push(x);
  for (const e of list.documentEntries) parts.push(documentEntry(e, c));
  for (const a of list.associations) parts.push(association(a, c));
  for (const t of list.classifications) parts.push(topLevelClassification(t, c));
  for (const r of list.objectRefs) parts.push(objectRef(r));
  return parts.length ? `<rim:RegistryObjectList${nsDecls}>${parts.join('')}</rim:RegistryObjectList>` : `<rim:RegistryObjectList${nsDecls}/>`;
}

// --- messages ---------------------------------------------------------------------------------------------------

/** lcm:SubmitObjectsRequest (ITI-42 body, ITI-57 Update Document Set, the metadata half of ITI-41). */
export function encodeSubmitObjectsRequest(list: RegistryObjectList, options?: EbrimEncodeOptions): string {
  return `<lcm:SubmitObjectsRequest${NS_DECLS}>${registryObjectList(list, ctxOf(options), '')}</lcm:SubmitObjectsRequest>`;
}

/** How a document travels in an ITI-41 request or ITI-43 response. */
export type DocumentTransfer =
  /** An MTOM/XOP part: the element holds `<xop:Include href="cid:…"/>`. */
  | { kind: 'xop'; contentId: string }
  /** Inline base64 (SOAP without MTOM; some registries answer ITI-43 this way). */
  | { kind: 'inline'; content: Uint8Array };

/** `cid:` URL of a Content-ID (RFC 2392: characters outside the URL-safe set are %-escaped). */
export function cidUrl(contentId: string): string {
  return `cid:${contentId.replace(/[^A-Za-z0-9@._\-~!$&'()*+,;=:/]/g, (ch) => encodeURIComponent(ch))}`;
}

function documentElement(tag: 'xdsb:Document', transfer: DocumentTransfer, id?: string): string {
  const head = attrs([['id', id]]);
  if (transfer.kind === 'inline') return `<${tag}${head}>${Buffer.from(transfer.content.buffer, transfer.content.byteOffset, transfer.content.byteLength).toString('base64')}</${tag}>`;
  return `<${tag}${head}><xop:Include xmlns:xop="${XDS_NS.xop}" href="${escapeAttr(cidUrl(transfer.contentId))}"/></${tag}>`;
}

export interface ProvideAndRegisterBody {
  objects: RegistryObjectList;
  /** One per document, in the order the Document elements are written; id = the DocumentEntry id. */
  documents: ReadonlyArray<{ id: string; transfer: DocumentTransfer }>;
}

/** xdsb:ProvideAndRegisterDocumentSetRequest (ITI-41). */
export function encodeProvideAndRegisterRequest(body: ProvideAndRegisterBody, options?: EbrimEncodeOptions): string {
  const c = ctxOf(options);
  let docs = '';
  for (const d of body.documents) docs += documentElement('xdsb:Document', d.transfer, d.id);
  return (
    `<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb="${XDS_NS.xdsb}"${NS_DECLS}>` +
    `<lcm:SubmitObjectsRequest>${registryObjectList(body.objects, c, '')}</lcm:SubmitObjectsRequest>` +
    docs +
    '</xdsb:ProvideAndRegisterDocumentSetRequest>'
  );
}

function registryErrorList(r: RegistryResponse): string {
  if (!r.errors.length && r.highestSeverity === undefined) return '';
  let s = '';
  for (const e of r.errors) {
    const head = attrs([['codeContext', e.codeContext], ['errorCode', e.errorCode], ['location', e.location], ['severity', e.severity]]);
    s += e.value === undefined ? `<rs:RegistryError${head}/>` : `<rs:RegistryError${head}>${escapeText(e.value)}</rs:RegistryError>`;
  }
  return `<rs:RegistryErrorList${attrs([['highestSeverity', r.highestSeverity]])}>${s}</rs:RegistryErrorList>`;
}

function responseSlotList(r: RegistryResponse): string {
  if (!r.responseSlots?.length) return '';
  return `<rs:ResponseSlotList>${slots(r.responseSlots)}</rs:ResponseSlotList>`;
}

/** rs:RegistryResponse (ITI-41/42/57 answers, and the status part of an ITI-43 answer). */
export function encodeRegistryResponse(r: RegistryResponse): string {
  return registryResponse(r, NS_DECLS);
}

function registryResponse(r: RegistryResponse, nsDecls: string): string {
  const inner = responseSlotList(r) + registryErrorList(r);
  const head = `rs:RegistryResponse${nsDecls}${attrs([['requestId', r.requestId], ['status', r.status]])}`;
  return inner ? `<${head}>${inner}</rs:RegistryResponse>` : `<${head}/>`;
}

/** The highest severity of a list of errors, as RegistryErrorList/@highestSeverity wants it. */
export function highestSeverity(errors: readonly RegistryErrorEntry[]): string | undefined {
  if (!errors.length) return undefined;
  return errors.some((e) => e.severity === ERROR_SEVERITY.Error) ? ERROR_SEVERITY.Error : ERROR_SEVERITY.Warning;
}

/** query:AdhocQueryRequest for a stored query (the input is validated; a malformed query throws a ZodError). */
export function encodeAdhocQueryRequest(query: StoredQueryInput, options: { returnComposedObjects?: boolean } = {}): string {
  const { id, returnType, homeCommunityId, slots: params } = storedQuerySlots(query);
  return (
    `<query:AdhocQueryRequest${NS_DECLS}>` +
    `<query:ResponseOption returnComposedObjects="${options.returnComposedObjects ?? true}" returnType="${returnType}"/>` +
    `<rim:AdhocQuery${attrs([['home', homeCommunityId], ['id', id]])}>${slots(params)}</rim:AdhocQuery>` +
    '</query:AdhocQueryRequest>'
  );
}

/** query:AdhocQueryResponse (what a registry answers; used by the simulator and round-trip tests). */
export function encodeAdhocQueryResponse(r: AdhocQueryResponse, options?: EbrimEncodeOptions): string {
  const head = attrs([
    ['requestId', r.requestId],
    ['startIndex', r.startIndex === undefined ? undefined : String(r.startIndex)],
    ['status', r.status],
    ['totalResultCount', r.totalResultCount === undefined ? undefined : String(r.totalResultCount)],
  ]);
  return (
    `<query:AdhocQueryResponse${NS_DECLS}${head}>` +
    responseSlotList(r) +
    registryErrorList(r) +
    registryObjectList(r.objects, ctxOf(options), '') +
    '</query:AdhocQueryResponse>'
  );
}

function documentIds(d: DocumentRequest): string {
  let s = '';
  if (d.homeCommunityId !== undefined) s += `<xdsb:HomeCommunityId>${escapeText(d.homeCommunityId)}</xdsb:HomeCommunityId>`;
  s += `<xdsb:RepositoryUniqueId>${escapeText(d.repositoryUniqueId)}</xdsb:RepositoryUniqueId>`;
  s += `<xdsb:DocumentUniqueId>${escapeText(d.documentUniqueId)}</xdsb:DocumentUniqueId>`;
  return s;
}

/** xdsb:RetrieveDocumentSetRequest (ITI-43). */
export function encodeRetrieveDocumentSetRequest(requests: readonly DocumentRequest[]): string {
  let s = '';
  for (const d of requests) s += `<xdsb:DocumentRequest>${documentIds(d)}</xdsb:DocumentRequest>`;
  return `<xdsb:RetrieveDocumentSetRequest xmlns:xdsb="${XDS_NS.xdsb}">${s}</xdsb:RetrieveDocumentSetRequest>`;
}

export interface RetrieveResponseDocument extends DocumentRequest {
  newRepositoryUniqueId?: string;
  newDocumentUniqueId?: string;
  mimeType: string;
  transfer: DocumentTransfer;
}

/** xdsb:RetrieveDocumentSetResponse (ITI-43 answer). */
export function encodeRetrieveDocumentSetResponse(response: RegistryResponse, documents: readonly RetrieveResponseDocument[]): string {
  let s = registryResponse(response, '');
  for (const d of documents) {
    s += `<xdsb:DocumentResponse>${documentIds(d)}`;
    if (d.newRepositoryUniqueId !== undefined) s += `<xdsb:NewRepositoryUniqueId>${escapeText(d.newRepositoryUniqueId)}</xdsb:NewRepositoryUniqueId>`;
    if (d.newDocumentUniqueId !== undefined) s += `<xdsb:NewDocumentUniqueId>${escapeText(d.newDocumentUniqueId)}</xdsb:NewDocumentUniqueId>`;
    s += `<xdsb:mimeType>${escapeText(d.mimeType)}</xdsb:mimeType>`;
    s += documentElement('xdsb:Document', d.transfer);
    s += '</xdsb:DocumentResponse>';
  }
  return `<xdsb:RetrieveDocumentSetResponse xmlns:xdsb="${XDS_NS.xdsb}" xmlns:rs="${XDS_NS.rs}" xmlns:rim="${XDS_NS.rim}">${s}</xdsb:RetrieveDocumentSetResponse>`;
}

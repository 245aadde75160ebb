/**
 * ebRIM 3.0 decoding into the XDS model, tolerant of what real registries and clients send
 * (xds-corpus.md §3): any namespace prefix, elements in the wrong namespace, scheme UUIDs broken by
 * whitespace, symbolic or bare ids, SubmissionSets flagged by a nested or a sibling Classification,
 * ebRS 2.1 list/status spellings, unknown slots and classifications (kept, never dropped).
 *
 * Whitespace policy: identifiers used for matching (scheme UUIDs, classification nodes, association
 * types) are compared with all whitespace removed, and a warning says so; values (slots, codes,
 * identifiers' values, ids) are kept exactly as written so that what was sent can be shown as sent;
 * checks.ts flags stray whitespace in values before sending.
 *
 * Nothing here throws on bad content: problems are issues (ebrim issues.ts), decoding goes on.
 */
import type { XdsAuthor, Association, DocumentEntry, Folder, ObjectRef, RawClassification, RawExternalIdentifier, RegistryErrorEntry, RegistryObjectList, RegistryResponse, Slot, SubmissionSet, TopLevelClassification, UnknownRegistryPackage, XdsCode, DocumentRequest, DocumentResponse, AdhocQueryResponse } from './model.js';
import { emptyRegistryObjectList } from './model.js';
import { IssueLog, type DecodeIssue } from './issues.js';
import { readStoredQuery, type QueryReturnType, type StoredQuery } from './stored-query.js';
import { readXml, type XmlSource } from '../xml/fast-parse.js';
import { encodeSubmitObjectsRequest } from './ebrim-encode.js';
import { ASSOCIATION_TYPE, ASSOCIATION_TYPE_ALIASES, DOCUMENT_ENTRY, EBXML_21_NS, FOLDER, RESPONSE_STATUS, RESPONSE_STATUS_ALIASES, SLOT, SUBMISSION_SET, XDS_NS, storedQueryName, type StoredQueryName } from './uuids.js';
import { att, kid, kidIgnoreCase, kidRow, kids, stripWs, txt, type El } from './xml-read.js';

// --- shared pieces ------------------------------------------------------------------------------------------

const UUID_URN = /^urn:uuid:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const BARE_UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Warns about ids that claim to be UUIDs but are not (an OID wrapped in urn:uuid:, a bare UUID). */
function checkId(log: IssueLog, kind: string, id: string, el: El): void {
  if (id.startsWith('urn:uuid:')) {
    if (!UUID_URN.test(id)) log.warn('XDS_BAD_UUID', `${kind} id "${id}" starts with urn:uuid: but is not a UUID`, el);
  } else if (BARE_UUID.test(id)) {
    log.info('XDS_BARE_UUID', `${kind} id "${id}" is a UUID without the urn:uuid: prefix`, el);
  }
}

/** A scheme/node identifier normalised for matching, with a warning when whitespace had to be removed. */
function schemeOf(log: IssueLog, el: El, attribute: string): string | undefined {
  const raw = att(el, attribute);
  if (raw === undefined) return undefined;
  const clean = stripWs(raw);
  if (clean !== raw) {
    log.warn('XDS_SCHEME_WHITESPACE', `${el.localName} ${att(el, 'id') ?? '(no id)'} ${attribute} contains whitespace: '${raw}'`, el);
  }
  return clean.toLowerCase();
}

export function readSlot(el: El): Slot {
  return slotAt(el.source, el.index);
}

// Slots, values and names are read by row (XmlSource): no element object is made for the four fifths of a
// registry object's elements that they are.

function slotAt(doc: XmlSource, row: number): Slot {
  const values: string[] = [];
  const list = kidRow(doc, row, 'ValueList');
  if (list >= 0) for (let v = doc.firstChild(list); v >= 0; v = doc.nextSibling(v)) if (doc.localNameOf(v) === 'Value') values.push(doc.textOf(v));
  return { name: doc.attributeOf(row, 'name') ?? '', values };
}

/** The first LocalizedString value of a Name/Description. */
function localized(el: El | undefined): string | undefined {
  return el ? localizedAt(el.source, el.index) : undefined;
}

function localizedAt(doc: XmlSource, row: number): string | undefined {
  const ls = kidRow(doc, row, 'LocalizedString');
  return ls >= 0 ? (doc.attributeOf(ls, 'value') ?? '') : undefined;
}

interface Parts {
  slots: Slot[];
  name: string | undefined;
  description: string | undefined;
  version: string | undefined;
  classifications: El[];
  externalIdentifiers: El[];
}

/**
 * Splits a registry object's children by kind (order inside each kind kept). Every field is set in the literal:
 * an object given its fields later has a hidden class that a full GC drops once no such object is left, and
 * the optimised decoders that read it with it.
 */
function partsOf(el: El): Parts {
  const p: Parts = { slots: [], name: undefined, description: undefined, version: undefined, classifications: [], externalIdentifiers: [] };
  const doc = el.source;
  for (let c = doc.firstChild(el.index); c >= 0; c = doc.nextSibling(c)) {
    switch (doc.localNameOf(c)) {
      case 'Slot':
        p.slots.push(slotAt(doc, c));
        break;
      case 'Name':
        p.name = localizedAt(doc, c);
        break;
      case 'Description':
        p.description = localizedAt(doc, c);
        break;
      case 'VersionInfo':
        p.version = doc.attributeOf(c, 'versionName') ?? undefined;
        break;
      case 'Classification':
        p.classifications.push(doc.element(c));
        break;
      case 'ExternalIdentifier':
        p.externalIdentifiers.push(doc.element(c));
        break;
      default:
        break;
    }
  }
  return p;
}

function rawClassification(el: El): RawClassification {
  const p = partsOf(el);
  const r: RawClassification = { slots: p.slots };
  for (const a of ['id', 'classificationScheme', 'classificationNode', 'classifiedObject', 'nodeRepresentation'] as const) {
    const v = att(el, a);
    if (v !== undefined) r[a] = v;
  }
  if (p.name !== undefined) r.name = p.name;
  return r;
}

function rawExternalIdentifier(el: El): RawExternalIdentifier {
  const r: RawExternalIdentifier = { identificationScheme: att(el, 'identificationScheme') ?? '', value: att(el, 'value') ?? '' };
  const id = att(el, 'id');
  const ro = att(el, 'registryObject');
  if (id !== undefined) r.id = id;
  if (ro !== undefined) r.registryObject = ro;
  const name = localized(kid(el, 'Name'));
  if (name !== undefined) r.name = name;
  return r;
}

function codeOf(log: IssueLog, el: El, what: string): XdsCode {
  const p = partsOf(el);
  const scheme = p.slots.find((s) => s.name === SLOT.codingScheme)?.values[0];
  const code = att(el, 'nodeRepresentation');
  if (code === undefined) log.warn('XDS_CODE_INCOMPLETE', `${what} classification ${att(el, 'id') ?? ''} has no nodeRepresentation`, el);
  if (scheme === undefined) log.warn('XDS_CODE_INCOMPLETE', `${what} classification ${att(el, 'id') ?? ''} has no codingScheme slot`, el);
  const out: XdsCode = { code: code ?? '', codingScheme: scheme ?? '' };
  if (p.name !== undefined) out.displayName = p.name;
  return out;
}

function authorOf(el: El): XdsAuthor {
  const a: XdsAuthor = { authorInstitution: [], authorRole: [], authorSpecialty: [] };
  const extra: Slot[] = [];
  for (const s of partsOf(el).slots) {
    switch (s.name) {
      case SLOT.authorPerson:
        if (s.values[0] !== undefined) a.authorPerson = s.values[0];
        if (s.values.length > 1) extra.push({ name: s.name, values: s.values.slice(1) });
        break;
      case SLOT.authorInstitution:
        a.authorInstitution.push(...s.values);
        break;
      case SLOT.authorRole:
        a.authorRole.push(...s.values);
        break;
      case SLOT.authorSpecialty:
        a.authorSpecialty.push(...s.values);
        break;
      case SLOT.authorTelecommunication:
        (a.authorTelecommunication ??= []).push(...s.values);
        break;
      default:
        extra.push(s);
    }
  }
  if (extra.length) a.extraSlots = extra;
  return a;
}

/** Common ebRIM attributes and the registry-object extras. */
function registryAttrs(el: El, target: { logicalId?: string; homeCommunityId?: string; version?: string }, version: string | undefined): void {
  const lid = att(el, 'lid');
  const home = att(el, 'home');
  if (lid !== undefined) target.logicalId = lid;
  if (home !== undefined) target.homeCommunityId = home;
  if (version !== undefined) target.version = version;
}

// --- DocumentEntry -------------------------------------------------------------------------------------------

const SINGLE_VALUE_SLOTS = new Set<string>([
  SLOT.creationTime,
  SLOT.hash,
  SLOT.languageCode,
  SLOT.legalAuthenticator,
  SLOT.repositoryUniqueId,
  SLOT.serviceStartTime,
  SLOT.serviceStopTime,
  SLOT.size,
  SLOT.sourcePatientId,
]);

type SingleCodeField = 'classCode' | 'typeCode' | 'formatCode' | 'healthcareFacilityTypeCode' | 'practiceSettingCode';
const DE_CODE_SCHEMES: ReadonlyMap<string, SingleCodeField | 'confidentialityCode' | 'eventCodeList' | 'author'> = new Map([
  [DOCUMENT_ENTRY.author, 'author'],
  [DOCUMENT_ENTRY.classCode, 'classCode'],
  [DOCUMENT_ENTRY.typeCode, 'typeCode'],
  [DOCUMENT_ENTRY.formatCode, 'formatCode'],
  [DOCUMENT_ENTRY.healthcareFacilityTypeCode, 'healthcareFacilityTypeCode'],
  [DOCUMENT_ENTRY.practiceSettingCode, 'practiceSettingCode'],
  [DOCUMENT_ENTRY.confidentialityCode, 'confidentialityCode'],
  [DOCUMENT_ENTRY.eventCodeList, 'eventCodeList'],
]);

/** A single code field, set by name (see decodeDocumentEntry: no store by computed key). */
function setCode(e: DocumentEntry, field: SingleCodeField, code: XdsCode): void {
  switch (field) {
    case 'classCode':
      e.classCode = code;
      break;
    case 'typeCode':
      e.typeCode = code;
      break;
    case 'formatCode':
      e.formatCode = code;
      break;
    case 'healthcareFacilityTypeCode':
      e.healthcareFacilityTypeCode = code;
      break;
    case 'practiceSettingCode':
      e.practiceSettingCode = code;
      break;
  }
}

export function decodeDocumentEntry(el: El, log: IssueLog): DocumentEntry {
  const id = att(el, 'id') ?? '';
  if (!id) log.error('XDS_MISSING_ID', 'an ExtrinsicObject has no id', el);
  else checkId(log, 'ExtrinsicObject', id, el);
  const p = partsOf(el);
  const e: DocumentEntry = {
    entryUUID: id,
    uniqueId: '',
    mimeType: att(el, 'mimeType') ?? '',
    sourcePatientInfo: [],
    authors: [],
    confidentialityCode: [],
    eventCodeList: [],
    referenceIdList: [],
  };
  if (!att(el, 'mimeType')) log.warn('XDS_MISSING_ATTRIBUTE', `ExtrinsicObject ${id} has no mimeType`, el);
  // Named stores only: past a dozen fields, one store by computed key turns the object into a dictionary.
  const objectType = att(el, 'objectType');
  const status = att(el, 'status');
  const isOpaque = att(el, 'isOpaque');
  if (objectType !== undefined) e.objectType = objectType;
  if (status !== undefined) e.availabilityStatus = status;
  if (isOpaque !== undefined) e.isOpaque = isOpaque;
  registryAttrs(el, e, p.version);
  if (p.name !== undefined) e.title = p.name;
  if (p.description !== undefined) e.comments = p.description;

  const seen = new Set<string>();
  for (const s of p.slots) {
    const first = s.values[0];
    if (SINGLE_VALUE_SLOTS.has(s.name)) {
      if (seen.has(s.name) || s.values.length !== 1) {
        log.warn('XDS_SLOT_MULTIPLICITY', `ExtrinsicObject ${id} slot ${s.name} should hold exactly one value (kept the first, the rest under extraSlots)`, el);
        if (seen.has(s.name) || first === undefined) {
          (e.extraSlots ??= []).push(s);
          continue;
        }
        (e.extraSlots ??= []).push({ name: s.name, values: s.values.slice(1) });
      }
      seen.add(s.name);
    }
    switch (s.name) {
      case SLOT.creationTime:
        e.creationTime = first!;
        break;
      case SLOT.hash:
        e.hash = first!;
        break;
      case SLOT.languageCode:
        e.languageCode = first!;
        break;
      case SLOT.legalAuthenticator:
        e.legalAuthenticator = first!;
        break;
      case SLOT.repositoryUniqueId:
        e.repositoryUniqueId = first!;
        break;
      case SLOT.serviceStartTime:
        e.serviceStartTime = first!;
        break;
      case SLOT.serviceStopTime:
        e.serviceStopTime = first!;
        break;
      case SLOT.sourcePatientId:
        e.sourcePatientId = first!;
        break;
      case SLOT.size:
        if (/^\s*\d+\s*$/.test(first!)) e.size = Number(first);
        else {
          log.warn('XDS_BAD_SIZE', `ExtrinsicObject ${id} size "${first}" is not a number (kept under extraSlots)`, el);
          (e.extraSlots ??= []).push(s);
        }
        break;
      case SLOT.sourcePatientInfo:
        e.sourcePatientInfo.push(...s.values);
        break;
      case SLOT.referenceIdList:
        e.referenceIdList.push(...s.values);
        break;
      default:
        (e.extraSlots ??= []).push(s);
    }
  }

  for (const c of p.classifications) {
    const scheme = schemeOf(log, c, 'classificationScheme');
    const field = scheme ? DE_CODE_SCHEMES.get(scheme) : undefined;
    if (!field) {
      (e.extraClassifications ??= []).push(rawClassification(c));
      continue;
    }
    if (field === 'author') e.authors.push(authorOf(c));
    else if (field === 'confidentialityCode' || field === 'eventCodeList') e[field].push(codeOf(log, c, field));
    else if (e[field]) {
      log.warn('XDS_CODE_MULTIPLICITY', `ExtrinsicObject ${id} has more than one ${field} (kept the first, the rest under extraClassifications)`, c);
      (e.extraClassifications ??= []).push(rawClassification(c));
    } else setCode(e, field, codeOf(log, c, field));
  }

  let uniqueIdSeen = false;
  for (const x of p.externalIdentifiers) {
    const scheme = schemeOf(log, x, 'identificationScheme');
    const value = att(x, 'value') ?? '';
    if (scheme === DOCUMENT_ENTRY.uniqueId && !uniqueIdSeen) {
      e.uniqueId = value;
      uniqueIdSeen = true;
    } else if (scheme === DOCUMENT_ENTRY.patientId && e.patientId === undefined) e.patientId = value;
    else (e.extraExternalIdentifiers ??= []).push(rawExternalIdentifier(x));
  }
  if (!uniqueIdSeen) log.error('XDS_MISSING_UNIQUE_ID', `ExtrinsicObject ${id} has no XDSDocumentEntry.uniqueId external identifier`, el);
  if (e.patientId === undefined) log.warn('XDS_MISSING_PATIENT_ID', `ExtrinsicObject ${id} has no XDSDocumentEntry.patientId external identifier`, el);
  return e;
}

// --- RegistryPackage (SubmissionSet / Folder) ----------------------------------------------------------------------

export type PackageKind = 'SubmissionSet' | 'Folder' | 'RegistryPackage';
export type PackageFlag = 'nested' | 'sibling' | 'inferred' | 'none';

export interface PackageProvenance {
  id: string;
  kind: PackageKind;
  /** How the package was recognised: a nested Classification, a sibling one, its identifiers only, or not at all. */
  flaggedBy: PackageFlag;
}

function decodeSubmissionSet(el: El, p: Parts, nestedFlags: El[], log: IssueLog): SubmissionSet {
  const id = att(el, 'id') ?? '';
  const ss: SubmissionSet = { entryUUID: id, uniqueId: '', sourceId: '', patientId: '', submissionTime: '', authors: [], intendedRecipient: [] };
  registryAttrs(el, ss, p.version);
  const status = att(el, 'status');
  if (status !== undefined) ss.availabilityStatus = status;
  if (p.name !== undefined) ss.title = p.name;
  if (p.description !== undefined) ss.comments = p.description;
  let timeSeen = false;
  for (const s of p.slots) {
    if (s.name === SLOT.submissionTime && !timeSeen && s.values[0] !== undefined) {
      ss.submissionTime = s.values[0];
      timeSeen = true;
    } else if (s.name === SLOT.intendedRecipient) ss.intendedRecipient.push(...s.values);
    else (ss.extraSlots ??= []).push(s);
  }
  if (!timeSeen) log.warn('XDS_MISSING_SLOT', `SubmissionSet ${id} has no submissionTime`, el);
  for (const c of p.classifications) {
    if (nestedFlags.includes(c)) continue;
    const scheme = schemeOf(log, c, 'classificationScheme');
    if (scheme === SUBMISSION_SET.author) ss.authors.push(authorOf(c));
    else if (scheme === SUBMISSION_SET.contentTypeCode && !ss.contentTypeCode) ss.contentTypeCode = codeOf(log, c, 'contentTypeCode');
    else (ss.extraClassifications ??= []).push(rawClassification(c));
  }
  const found = new Set<string>();
  for (const x of p.externalIdentifiers) {
    const scheme = schemeOf(log, x, 'identificationScheme');
    const value = att(x, 'value') ?? '';
    const key = scheme === SUBMISSION_SET.uniqueId ? 'uniqueId' : scheme === SUBMISSION_SET.sourceId ? 'sourceId' : scheme === SUBMISSION_SET.patientId ? 'patientId' : undefined;
    if (key && !found.has(key)) {
      ss[key] = value;
      found.add(key);
    } else (ss.extraExternalIdentifiers ??= []).push(rawExternalIdentifier(x));
  }
  for (const key of ['uniqueId', 'sourceId', 'patientId'] as const) {
    if (!found.has(key)) log.error('XDS_MISSING_EXTERNAL_ID', `SubmissionSet ${id} has no XDSSubmissionSet.${key} external identifier`, el);
  }
  return ss;
}

function decodeFolder(el: El, p: Parts, nestedFlags: El[], log: IssueLog): Folder {
  const id = att(el, 'id') ?? '';
  const f: Folder = { entryUUID: id, uniqueId: '', patientId: '', codeList: [] };
  registryAttrs(el, f, p.version);
  const status = att(el, 'status');
  if (status !== undefined) f.availabilityStatus = status;
  if (p.name !== undefined) f.title = p.name;
  if (p.description !== undefined) f.comments = p.description;
  for (const s of p.slots) {
    if (s.name === SLOT.lastUpdateTime && f.lastUpdateTime === undefined && s.values[0] !== undefined) f.lastUpdateTime = s.values[0];
    else (f.extraSlots ??= []).push(s);
  }
  for (const c of p.classifications) {
    if (nestedFlags.includes(c)) continue;
    if (schemeOf(log, c, 'classificationScheme') === FOLDER.codeList) f.codeList.push(codeOf(log, c, 'codeList'));
    else (f.extraClassifications ??= []).push(rawClassification(c));
  }
  const found = new Set<string>();
  for (const x of p.externalIdentifiers) {
    const scheme = schemeOf(log, x, 'identificationScheme');
    const key = scheme === FOLDER.uniqueId ? 'uniqueId' : scheme === FOLDER.patientId ? 'patientId' : undefined;
    if (key && !found.has(key)) {
      f[key] = att(x, 'value') ?? '';
      found.add(key);
    } else (f.extraExternalIdentifiers ??= []).push(rawExternalIdentifier(x));
  }
  for (const key of ['uniqueId', 'patientId'] as const) {
    if (!found.has(key)) log.error('XDS_MISSING_EXTERNAL_ID', `Folder ${id} has no XDSFolder.${key} external identifier`, el);
  }
  return f;
}

// --- Association / ObjectRef ------------------------------------------------------------------------------------------

export function decodeAssociation(el: El, log: IssueLog): Association {
  const id = att(el, 'id') ?? '';
  if (!id) log.warn('XDS_MISSING_ID', 'an Association has no id', el);
  const rawType = att(el, 'associationType') ?? '';
  let type = stripWs(rawType);
  if (type !== rawType) log.warn('XDS_SCHEME_WHITESPACE', `Association ${id} associationType contains whitespace: '${rawType}'`, el);
  const alias = ASSOCIATION_TYPE_ALIASES[type];
  if (alias) {
    log.warn('XDS_ASSOCIATION_TYPE_ALIAS', `Association ${id} type "${type}" is not the IHE URN; read as ${alias}`, el);
    type = alias;
  }
  if (!type) log.error('XDS_MISSING_ATTRIBUTE', `Association ${id} has no associationType`, el);
  const a: Association = { entryUUID: id, type, sourceObject: att(el, 'sourceObject') ?? '', targetObject: att(el, 'targetObject') ?? '' };
  if (!a.sourceObject || !a.targetObject) log.error('XDS_MISSING_ATTRIBUTE', `Association ${id} lacks sourceObject or targetObject`, el);
  for (const [attr, key] of [['sourceObject', 'sourceObject'], ['targetObject', 'targetObject']] as const) if (a[key]) checkId(log, `Association ${id} ${attr}`, a[key], el);
  const p = partsOf(el);
  registryAttrs(el, a, p.version);
  const objectType = att(el, 'objectType');
  const status = att(el, 'status');
  if (objectType !== undefined) a.objectType = objectType;
  if (status !== undefined) a.availabilityStatus = status;
  for (const s of p.slots) {
    const key =
      s.name === SLOT.submissionSetStatus ? 'submissionSetStatus'
      : s.name === SLOT.previousVersion ? 'previousVersion'
      : s.name === SLOT.originalStatus ? 'originalStatus'
      : s.name === SLOT.newStatus ? 'newStatus'
      : undefined;
    if (key && a[key] === undefined && s.values.length === 1) a[key] = s.values[0]!;
    else (a.extraSlots ??= []).push(s);
  }
  for (const c of p.classifications) (a.extraClassifications ??= []).push(rawClassification(c));
  return a;
}

function decodeObjectRef(el: El): ObjectRef {
  const r: ObjectRef = { id: att(el, 'id') ?? '' };
  const home = att(el, 'home');
  if (home !== undefined) r.home = home;
  return r;
}

// --- RegistryObjectList ------------------------------------------------------------------------------------------------

export interface DecodedObjectList {
  objects: RegistryObjectList;
  /** Every RegistryPackage in document order and how it was recognised. */
  packages: PackageProvenance[];
}

const RIM_NAMESPACES = new Set<string>([XDS_NS.rim, EBXML_21_NS.rim]);

function flagNode(log: IssueLog, c: El): 'SubmissionSet' | 'Folder' | undefined {
  const node = schemeOf(log, c, 'classificationNode');
  return node === SUBMISSION_SET.classificationNode ? 'SubmissionSet' : node === FOLDER.classificationNode ? 'Folder' : undefined;
}

/** Decodes the children of a RegistryObjectList (or ebRS 2.1 LeafRegistryObjectList). */
export function decodeRegistryObjectList(list: El | undefined, log: IssueLog): DecodedObjectList {
  keptModel ??= modelOfExample();
  return readObjectList(list, log);
}

/**
 * A decoded registry object list kept for the life of the process, as the fast reader keeps a tree (Reader.kept in
 * xml/fast-parse.ts): a document entry, code or author is given its fields one by one, and V8 drops such hidden
 * classes at a full GC once no object has them, deoptimising the decoders that embedded them (decodeDocumentEntry
 * then took ~90 ms to compile again, on a thread that competes with the main one on a 2-core host). Read, on first
 * use, from what our encoder writes for a typical DMP entry, submission set and association (the DMP writes its
 * entries in the same order); a message written in another order makes other classes, and only pays the price.
 */
let keptModel: DecodedObjectList | undefined;

function modelOfExample(): DecodedObjectList {
  const id = (n: number) => `urn:uuid:00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const code = (c: string) => ({ code: c, codingScheme: '1.2.3', displayName: c });
  const author = { authorPerson: 'p', authorInstitution: ['i'], authorRole: ['r'], authorSpecialty: ['s'] };
  const entry: DocumentEntry = {
    entryUUID: id(1), logicalId: id(1), version: '1', availabilityStatus: 'a', objectType: DOCUMENT_ENTRY.stableObjectType, isOpaque: 'false',
    uniqueId: '1.2.3', mimeType: 'text/xml', title: 't', comments: 'c', creationTime: '20240101', hash: 'h', languageCode: 'fr-FR',
    legalAuthenticator: 'l', repositoryUniqueId: '1.2', serviceStartTime: '20240101', serviceStopTime: '20240101', size: 1,
    sourcePatientId: 'p', sourcePatientInfo: ['PID-5|p'], patientId: 'p', authors: [author], classCode: code('c'),
    confidentialityCode: [code('N')], eventCodeList: [code('e')], formatCode: code('f'), healthcareFacilityTypeCode: code('h'),
    practiceSettingCode: code('p'), typeCode: code('t'), referenceIdList: [],
  };
  const submissionSet: SubmissionSet = {
    entryUUID: id(2), uniqueId: '1.2.4', sourceId: '1.2', patientId: 'p', submissionTime: '20240101', title: 't', authors: [author],
    contentTypeCode: code('c'), intendedRecipient: [], availabilityStatus: 'a',
  };
  const association: Association = { entryUUID: id(3), type: ASSOCIATION_TYPE.HasMember, sourceObject: id(2), targetObject: id(1), submissionSetStatus: 'Original' };
  const objects = { ...emptyRegistryObjectList(), documentEntries: [entry], submissionSets: [submissionSet], associations: [association] };
  const request = readXml(encodeSubmitObjectsRequest(objects)).root;
  return readObjectList(kid(request, 'RegistryObjectList'), new IssueLog());
}

function readObjectList(list: El | undefined, log: IssueLog): DecodedObjectList {
  const objects = emptyRegistryObjectList();
  const packages: PackageProvenance[] = [];
  if (!list) return { objects, packages };
  const children = kids(list);
  // Sibling flags first: a SubmissionSet may be flagged by a Classification written after it.
  const siblingFlags = new Map<string, 'SubmissionSet' | 'Folder'>();
  for (const c of children) {
    if (c.localName !== 'Classification') continue;
    const kind = flagNode(log, c);
    const target = att(c, 'classifiedObject');
    if (kind && target) siblingFlags.set(target, kind);
  }
  for (const c of children) {
    if (c.namespaceURI && !RIM_NAMESPACES.has(c.namespaceURI) && c.localName !== 'ObjectRef') {
      log.warn('XDS_WRONG_NAMESPACE', `${c.localName} is in namespace ${c.namespaceURI}, not ebRIM`, c);
    }
    switch (c.localName) {
      case 'ExtrinsicObject':
        objects.documentEntries.push(decodeDocumentEntry(c, log));
        break;
      case 'RegistryPackage':
        decodePackage(c, siblingFlags, objects, packages, log);
        break;
      case 'Association':
        objects.associations.push(decodeAssociation(c, log));
        break;
      case 'ObjectRef':
        objects.objectRefs.push(decodeObjectRef(c));
        break;
      case 'Classification': {
        const r = rawClassification(c);
        if (!r.classifiedObject) log.warn('XDS_MISSING_ATTRIBUTE', `top-level Classification ${r.id ?? ''} has no classifiedObject`, c);
        objects.classifications.push({ ...r, classifiedObject: r.classifiedObject ?? '' } satisfies TopLevelClassification);
        break;
      }
      default:
        log.info('XDS_UNKNOWN_OBJECT', `${c.localName} in the RegistryObjectList is not part of the XDS model (ignored)`, c);
    }
  }
  return { objects, packages };
}

function decodePackage(el: El, siblingFlags: Map<string, 'SubmissionSet' | 'Folder'>, objects: RegistryObjectList, packages: PackageProvenance[], log: IssueLog): void {
  const id = att(el, 'id') ?? '';
  if (!id) log.error('XDS_MISSING_ID', 'a RegistryPackage has no id', el);
  else checkId(log, 'RegistryPackage', id, el);
  const p = partsOf(el);
  const nestedFlags: El[] = [];
  let kind: PackageKind | undefined;
  let flaggedBy: PackageFlag = 'none';
  for (const c of p.classifications) {
    const k = flagNode(log, c);
    if (k) {
      nestedFlags.push(c);
      kind ??= k;
      flaggedBy = 'nested';
    }
  }
  if (!kind && siblingFlags.has(id)) {
    kind = siblingFlags.get(id)!;
    flaggedBy = 'sibling';
  }
  if (!kind) {
    // No flag at all (seen in the wild): recognise the package by its identifier schemes, and say so.
    const schemes = new Set(p.externalIdentifiers.map((x) => stripWs(att(x, 'identificationScheme') ?? '').toLowerCase()));
    if (schemes.has(SUBMISSION_SET.uniqueId) || schemes.has(SUBMISSION_SET.sourceId)) kind = 'SubmissionSet';
    else if (schemes.has(FOLDER.uniqueId)) kind = 'Folder';
    if (kind) {
      flaggedBy = 'inferred';
      log.warn('XDS_PACKAGE_NOT_FLAGGED', `RegistryPackage ${id} has no ${kind} classification; recognised from its external identifiers`, el);
    }
  }
  if (kind === 'SubmissionSet') objects.submissionSets.push(decodeSubmissionSet(el, p, nestedFlags, log));
  else if (kind === 'Folder') objects.folders.push(decodeFolder(el, p, nestedFlags, log));
  else {
    log.warn('XDS_PACKAGE_NOT_FLAGGED', `RegistryPackage ${id} is neither a SubmissionSet nor a Folder (kept as read)`, el);
    const unknown: UnknownRegistryPackage = {
      entryUUID: id,
      slots: p.slots,
      classifications: p.classifications.map(rawClassification),
      externalIdentifiers: p.externalIdentifiers.map(rawExternalIdentifier),
    };
    (objects.otherPackages ??= []).push(unknown);
  }
  packages.push({ id, kind: kind ?? 'RegistryPackage', flaggedBy });
}

// --- messages -------------------------------------------------------------------------------------------------------

/** The RegistryObjectList child, in any namespace (ebRS 2.1 calls it LeafRegistryObjectList). */
function objectListOf(parent: El, log: IssueLog): El | undefined {
  const list = kid(parent, 'RegistryObjectList');
  if (list) return list;
  const leaf = kid(parent, 'LeafRegistryObjectList');
  if (leaf) log.info('XDS_EBRS21', 'ebRS 2.1 LeafRegistryObjectList read as a RegistryObjectList', leaf);
  return leaf;
}

export interface DecodedSubmitObjectsRequest extends DecodedObjectList {
  kind: 'SubmitObjectsRequest';
}

export function decodeSubmitObjectsRequest(el: El, log: IssueLog): DecodedSubmitObjectsRequest {
  return { kind: 'SubmitObjectsRequest', ...decodeRegistryObjectList(objectListOf(el, log), log) };
}

/** Resolves an `xop:Include/@href` to the bytes of its MIME part (given by the MTOM layer). */
export type XopResolver = (href: string) => { contentId: string; content: Uint8Array } | undefined;

export interface DecodedDocumentBytes {
  /** How the bytes travelled: an XOP reference, inline base64, or nothing (empty element). */
  transfer: 'xop' | 'inline' | 'empty';
  href?: string;
  /** The MIME part the href resolved to (without angle brackets). */
  contentId?: string;
  /** Length of the inline base64 text, whitespace removed. */
  base64Length?: number;
  content?: Uint8Array;
}

export interface DecodedDocument extends DecodedDocumentBytes {
  /** Document/@id as written. */
  id: string;
  /** The ExtrinsicObject it belongs to; differs from id only when matched case-insensitively. */
  entryId?: string;
}

function documentBytes(doc: El, resolve: XopResolver | undefined, log: IssueLog, what: string): DecodedDocumentBytes {
  const include = kids(doc).find((c) => c.localName === 'Include');
  if (include) {
    if (include.namespaceURI !== XDS_NS.xop) log.warn('XDS_WRONG_NAMESPACE', `${what}: Include is in namespace ${include.namespaceURI ?? '(none)'}, not XOP`, include);
    const href = att(include, 'href') ?? '';
    const out: DecodedDocumentBytes = { transfer: 'xop', href };
    const part = resolve?.(href);
    if (part) {
      out.contentId = part.contentId;
      out.content = part.content;
    } else {
      log.error('XOP_UNRESOLVED', `${what}: xop:Include href "${href}" matches no MIME part (attachment missing)`, include);
    }
    return out;
  }
  const text = (doc.textContent ?? '').replace(/\s+/g, '');
  if (!text) return { transfer: 'empty', base64Length: 0, content: new Uint8Array(0) };
  const out: DecodedDocumentBytes = { transfer: 'inline', base64Length: text.length };
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) {
    log.error('XDS_BAD_BASE64', `${what}: the inline content is not valid base64`, doc);
  } else {
    out.content = new Uint8Array(Buffer.from(text, 'base64'));
  }
  return out;
}

export interface DecodedProvideAndRegister extends DecodedObjectList {
  kind: 'ProvideAndRegisterDocumentSetRequest';
  documents: DecodedDocument[];
}

/** ITI-41 request body. Documents are matched to ExtrinsicObjects by id (case-insensitively as a fallback). */
export function decodeProvideAndRegisterRequest(el: El, log: IssueLog, resolve?: XopResolver): DecodedProvideAndRegister {
  const sor = kid(el, 'SubmitObjectsRequest');
  if (!sor) log.error('XDS_MISSING_ELEMENT', 'ProvideAndRegisterDocumentSetRequest has no SubmitObjectsRequest', el);
  const decoded = sor ? decodeRegistryObjectList(objectListOf(sor, log), log) : { objects: emptyRegistryObjectList(), packages: [] };
  const ids = decoded.objects.documentEntries.map((e) => e.entryUUID ?? '');
  const documents: DecodedDocument[] = [];
  const covered = new Set<string>();
  for (const d of kids(el, 'Document')) {
    const id = att(d, 'id') ?? '';
    const doc: DecodedDocument = { id, ...documentBytes(d, resolve, log, `Document ${id}`) };
    if (ids.includes(id)) {
      doc.entryId = id;
    } else {
      const match = ids.find((x) => x.toLowerCase() === id.toLowerCase());
      if (match) {
        doc.entryId = match;
        log.warn('XDS_DOCUMENT_ID_CASE', `Document id "${id}" matches ExtrinsicObject "${match}" only when case is ignored`, d);
      } else log.error('XDS_DOCUMENT_WITHOUT_ENTRY', `Document id "${id}" matches no ExtrinsicObject`, d);
    }
    if (doc.entryId) covered.add(doc.entryId);
    documents.push(doc);
  }
  for (const id of ids) if (!covered.has(id)) log.error('XDS_MISSING_DOCUMENT', `ExtrinsicObject ${id} has no Document element (a repository answers XDSMissingDocument)`, el);
  return { kind: 'ProvideAndRegisterDocumentSetRequest', ...decoded, documents };
}

export type ResponseOutcome = 'Success' | 'Failure' | 'PartialSuccess' | 'Unknown';

export interface DecodedRegistryResponse extends RegistryResponse {
  kind: 'RegistryResponse';
  /** The status reduced to its meaning (ebRS 2.1 and non-IHE PartialSuccess spellings included). */
  outcome: ResponseOutcome;
  /** Whether a RegistryErrorList element was present (possibly empty). */
  errorListPresent: boolean;
}

const STATUS_OUTCOME = new Map<string, ResponseOutcome>([
  [RESPONSE_STATUS.Success, 'Success'],
  [RESPONSE_STATUS.Failure, 'Failure'],
  [RESPONSE_STATUS.PartialSuccess, 'PartialSuccess'],
]);

function outcomeOf(status: string, el: El, log: IssueLog): ResponseOutcome {
  const known = STATUS_OUTCOME.get(status);
  if (known) return known;
  const alias = RESPONSE_STATUS_ALIASES[status.trim()];
  if (alias) {
    log.info('XDS_STATUS_ALIAS', `response status "${status}" read as ${alias}`, el);
    return alias;
  }
  log.warn('XDS_UNKNOWN_STATUS', `response status "${status}" is not a known RegistryResponse status`, el);
  return 'Unknown';
}

/** The RegistryResponse part shared by RegistryResponse and AdhocQueryResponse. */
function responseFields(el: El, log: IssueLog): Omit<DecodedRegistryResponse, 'kind'> {
  const status = att(el, 'status') ?? '';
  if (!status) log.error('XDS_MISSING_ATTRIBUTE', `${el.localName} has no status`, el);
  const r: Omit<DecodedRegistryResponse, 'kind'> = { status, errors: [], outcome: status ? outcomeOf(status, el, log) : 'Unknown', errorListPresent: false };
  const requestId = att(el, 'requestId');
  if (requestId !== undefined) r.requestId = requestId;
  const slotList = kid(el, 'ResponseSlotList');
  if (slotList) r.responseSlots = kids(slotList, 'Slot').map(readSlot);
  const errorList = kid(el, 'RegistryErrorList');
  if (errorList) {
    r.errorListPresent = true;
    if (errorList.namespaceURI !== XDS_NS.rs && errorList.namespaceURI !== EBXML_21_NS.rs) {
      log.warn('XDS_WRONG_NAMESPACE', `RegistryErrorList is in namespace ${errorList.namespaceURI ?? '(none)'}, not rs`, errorList);
    }
    const highest = att(errorList, 'highestSeverity');
    if (highest !== undefined) r.highestSeverity = highest;
    for (const e of kids(errorList, 'RegistryError')) {
      const err: RegistryErrorEntry = { errorCode: att(e, 'errorCode') ?? '', severity: att(e, 'severity') ?? 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error', codeContext: att(e, 'codeContext') ?? '' };
      const location = att(e, 'location');
      if (location !== undefined) err.location = location;
      const value = (e.textContent ?? '').trim();
      if (value) err.value = value;
      r.errors.push(err);
    }
  }
  if (r.outcome === 'Success' && r.errors.some((e) => /Error$/.test(e.severity))) {
    log.warn('XDS_SUCCESS_WITH_ERRORS', 'status is Success but the RegistryErrorList holds Error-severity errors: do not treat as a clean success', el);
  }
  return r;
}

export function decodeRegistryResponse(el: El, log: IssueLog): DecodedRegistryResponse {
  return { kind: 'RegistryResponse', ...responseFields(el, log) };
}

export interface DecodedAdhocQueryResponse extends Omit<AdhocQueryResponse, 'objects'>, DecodedObjectList {
  kind: 'AdhocQueryResponse';
  outcome: ResponseOutcome;
  errorListPresent: boolean;
}

function intAttr(el: El, name: string, log: IssueLog): number | undefined {
  const v = att(el, name);
  if (v === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(v)) return Number(v);
  log.warn('XDS_BAD_NUMBER', `${el.localName}/@${name} "${v}" is not a number`, el);
  return undefined;
}

export function decodeAdhocQueryResponse(el: El, log: IssueLog): DecodedAdhocQueryResponse {
  const r: DecodedAdhocQueryResponse = { kind: 'AdhocQueryResponse', ...responseFields(el, log), ...decodeRegistryObjectList(objectListOf(el, log), log) };
  const start = intAttr(el, 'startIndex', log);
  const total = intAttr(el, 'totalResultCount', log);
  if (start !== undefined) r.startIndex = start;
  if (total !== undefined) r.totalResultCount = total;
  return r;
}

export interface DecodedAdhocQueryRequest {
  kind: 'AdhocQueryRequest';
  queryId: string;
  queryName?: StoredQueryName;
  returnType: string;
  returnComposedObjects?: boolean;
  home?: string;
  /** Parameters exactly as written. */
  slots: Slot[];
  /** The typed query when every parameter could be read. */
  query?: StoredQuery;
}

export function decodeAdhocQueryRequest(el: El, log: IssueLog): DecodedAdhocQueryRequest {
  const option = kid(el, 'ResponseOption');
  const query = kid(el, 'AdhocQuery');
  if (!query) log.error('XDS_MISSING_ELEMENT', 'AdhocQueryRequest has no AdhocQuery', el);
  const queryId = att(query, 'id') ?? '';
  const returnType = att(option, 'returnType') ?? 'LeafClass';
  const out: DecodedAdhocQueryRequest = { kind: 'AdhocQueryRequest', queryId, returnType, slots: query ? kids(query, 'Slot').map(readSlot) : [] };
  const composed = att(option, 'returnComposedObjects');
  if (composed !== undefined) out.returnComposedObjects = composed.trim() === 'true';
  const home = att(query, 'home');
  if (home !== undefined) out.home = home;
  const name = storedQueryName(queryId);
  if (name) out.queryName = name;
  else if (query) log.warn('XDS_UNKNOWN_QUERY', `AdhocQuery id "${queryId}" is not a known stored query`, query);
  if (returnType !== 'LeafClass' && returnType !== 'ObjectRef') log.warn('XDS_BAD_RETURN_TYPE', `returnType "${returnType}" is neither LeafClass nor ObjectRef`, option);
  const read = readStoredQuery(queryId, out.slots, returnType === 'ObjectRef' ? 'ObjectRef' : ('LeafClass' satisfies QueryReturnType));
  for (const p of read.problems) log.warn('XDS_QUERY_PARAMETER', `stored query parameter ${p.parameter}: ${p.reason} (kept opaque, never interpolated)`, query);
  if (read.query) out.query = read.query;
  return out;
}

function documentRequestOf(el: El, log: IssueLog): DocumentRequest {
  const home = kidIgnoreCase(el, 'HomeCommunityId');
  if (home && home.localName !== 'HomeCommunityId') log.info('XDS_ELEMENT_CASE', `${home.localName} read as HomeCommunityId`, home);
  const d: DocumentRequest = { repositoryUniqueId: (txt(kid(el, 'RepositoryUniqueId')) ?? '').trim(), documentUniqueId: (txt(kid(el, 'DocumentUniqueId')) ?? '').trim() };
  if (home) d.homeCommunityId = (home.textContent ?? '').trim();
  if (!d.repositoryUniqueId || !d.documentUniqueId) log.error('XDS_MISSING_ELEMENT', `${el.localName} lacks RepositoryUniqueId or DocumentUniqueId`, el);
  return d;
}

export interface DecodedRetrieveRequest {
  kind: 'RetrieveDocumentSetRequest';
  documents: DocumentRequest[];
}

export function decodeRetrieveDocumentSetRequest(el: El, log: IssueLog): DecodedRetrieveRequest {
  return { kind: 'RetrieveDocumentSetRequest', documents: kids(el, 'DocumentRequest').map((d) => documentRequestOf(d, log)) };
}

export type DecodedDocumentResponse = Omit<DocumentResponse, 'content'> & DecodedDocumentBytes;

export interface DecodedRetrieveResponse {
  kind: 'RetrieveDocumentSetResponse';
  response: DecodedRegistryResponse;
  documents: DecodedDocumentResponse[];
}

export function decodeRetrieveDocumentSetResponse(el: El, log: IssueLog, resolve?: XopResolver): DecodedRetrieveResponse {
  const rr = kid(el, 'RegistryResponse');
  if (!rr) log.error('XDS_MISSING_ELEMENT', 'RetrieveDocumentSetResponse has no RegistryResponse', el);
  const response: DecodedRegistryResponse = rr ? decodeRegistryResponse(rr, log) : { kind: 'RegistryResponse', status: '', errors: [], outcome: 'Unknown', errorListPresent: false };
  const documents: DecodedDocumentResponse[] = [];
  for (const d of kids(el, 'DocumentResponse')) {
    const ids = documentRequestOf(d, log);
    const doc: DecodedDocumentResponse = { ...ids, mimeType: (txt(kid(d, 'mimeType')) ?? '').trim(), transfer: 'empty' };
    const newRepo = txt(kid(d, 'NewRepositoryUniqueId'));
    const newDoc = txt(kid(d, 'NewDocumentUniqueId'));
    if (newRepo !== undefined) doc.newRepositoryUniqueId = newRepo.trim();
    if (newDoc !== undefined) doc.newDocumentUniqueId = newDoc.trim();
    const docEl = kid(d, 'Document');
    if (docEl) Object.assign(doc, documentBytes(docEl, resolve, log, `DocumentResponse ${ids.documentUniqueId}`));
    else log.error('XDS_MISSING_ELEMENT', `DocumentResponse ${ids.documentUniqueId} has no Document`, d);
    documents.push(doc);
  }
  return { kind: 'RetrieveDocumentSetResponse', response, documents };
}

// --- dispatch ---------------------------------------------------------------------------------------------------------

export type DecodedXds =
  | DecodedProvideAndRegister
  | DecodedSubmitObjectsRequest
  | DecodedRegistryResponse
  | DecodedAdhocQueryRequest
  | DecodedAdhocQueryResponse
  | DecodedRetrieveRequest
  | DecodedRetrieveResponse;

/** The XDS message elements this module decodes, by local name. */
export const XDS_MESSAGE_ELEMENTS = [
  'ProvideAndRegisterDocumentSetRequest',
  'SubmitObjectsRequest',
  'RegistryResponse',
  'AdhocQueryRequest',
  'AdhocQueryResponse',
  'RetrieveDocumentSetRequest',
  'RetrieveDocumentSetResponse',
] as const;

/** Decodes an XDS message element (the SOAP Body child, or a bare body); undefined when it is not one. */
export function decodeXdsElement(el: El, log: IssueLog, resolve?: XopResolver): DecodedXds | undefined {
  switch (el.localName) {
    case 'ProvideAndRegisterDocumentSetRequest':
      return decodeProvideAndRegisterRequest(el, log, resolve);
    case 'SubmitObjectsRequest':
      return decodeSubmitObjectsRequest(el, log);
    case 'RegistryResponse':
      return decodeRegistryResponse(el, log);
    case 'AdhocQueryRequest':
      return decodeAdhocQueryRequest(el, log);
    case 'AdhocQueryResponse':
      return decodeAdhocQueryResponse(el, log);
    case 'RetrieveDocumentSetRequest':
      return decodeRetrieveDocumentSetRequest(el, log);
    case 'RetrieveDocumentSetResponse':
      return decodeRetrieveDocumentSetResponse(el, log, resolve);
    default:
      return undefined;
  }
}

export type { DecodeIssue };

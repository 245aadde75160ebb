/**
 * CDA header → XDS DocumentEntry (dmp-interface.md §10.2). Problems that prevent or weaken a DMP
 * submission are returned as issues, never thrown, so one call reports everything.
 */
import { classCodeForTypeCode, isInValueSet, JDV, type ValueSetId } from '../terminology/index.js';
import type { Author, CdaHeader, Coded, II, PersonName, TS } from './header.js';
import { escapeHl7v2, formatCodedSlot, formatCx, formatXcn, formatXon } from './hl7v2.js';
import { hl7TimeToXds, parseHl7Time, type ToXdsTimeOptions } from './hl7-time.js';
import { isInsRoot, isOid } from './ids.js';
import { isN1MediaType, n1FormatCode } from './n1.js';
import { sourceLocationOf } from './read-header.js';
import type { DocumentEntry, XdsAuthor, XdsCode } from '../xds/document-entry.js';

export type MetadataIssueSeverity = 'error' | 'warning' | 'info';

export interface MetadataIssue {
  /** Stable code, e.g. `CLASS_CODE_UNMAPPED`. */
  code: string;
  severity: MetadataIssueSeverity;
  message: string;
  /** The DocumentEntry attribute concerned. */
  attribute: string;
  /** Where in the CDA (when the header was read from a parsed file). */
  location?: { line?: number; column?: number; xpath: string };
}

export interface ToDocumentEntryOptions extends ToXdsTimeOptions {
  /** formatCode of a structured (N3) document: its template → formatCode table (ASS_A11) is not in our data. */
  formatCode?: XdsCode;
  /** Visibility flags (TRE_A07: MASQUE_PS, INVISIBLE_PATIENT…) added after the CDA confidentialityCode. */
  extraConfidentialityCodes?: XdsCode[];
  /** Overrides the mimeType derived from the envelope. */
  mimeType?: string;
  comments?: string;
  entryUUID?: string;
  /** Of the exact bytes deposited (see `hash`/`size` in DocumentEntry). */
  hash?: string;
  size?: number;
  repositoryUniqueId?: string;
  /** Extra referenceIdList values (accession, study UID) the CDA header does not carry. */
  referenceIds?: string[];
}

export interface ToDocumentEntryResult {
  documentEntry: DocumentEntry;
  /** From relatedDocument: the uniqueId this document replaces (RPLC) or transforms (XFRM). */
  parentDocument?: { uniqueId: string; relation: string };
  issues: MetadataIssue[];
}

const XDS_UNIQUE_ID_MAX = 64;

/** Derives the DocumentEntry of a CDA document from its header. */
export function toDocumentEntry(header: CdaHeader, options: ToDocumentEntryOptions = {}): ToDocumentEntryResult {
  const issues: MetadataIssue[] = [];
  const issue: IssueFn = (severity, code, attribute, message, at) => {
    const location = at ? sourceLocationOf(at) : undefined;
    issues.push({ code, severity, attribute, message, ...(location ? { location } : {}) });
  };
  const entry: DocumentEntry = {
    uniqueId: uniqueIdOf(header.id, issue),
    mimeType: options.mimeType ?? (header.envelope === 'xsl-stylesheet' ? 'application/xslt+xml' : 'text/xml'),
    sourcePatientInfo: [],
    authors: [],
    confidentialityCode: [],
    eventCodeList: [],
    referenceIdList: [],
  };
  if (options.entryUUID) entry.entryUUID = options.entryUUID;
  if (options.comments) entry.comments = options.comments;
  if (options.hash) entry.hash = options.hash;
  if (options.size !== undefined) entry.size = options.size;
  if (options.repositoryUniqueId) entry.repositoryUniqueId = options.repositoryUniqueId;

  const ctx: Ctx = { header, entry, options, issue, time: (ts, attribute, label, missingAt) => xdsTime(ts, attribute, label, missingAt, options, issue) };
  deriveTypeAndClass(ctx);
  if (header.title) entry.title = header.title;
  else issue('error', 'TITLE_MISSING', 'title', 'ClinicalDocument/title is missing or empty', header);
  const creation = ctx.time(header.effectiveTime, 'creationTime', 'ClinicalDocument/effectiveTime', header);
  if (creation) entry.creationTime = creation;
  deriveConfidentiality(ctx);
  if (header.languageCode?.code) entry.languageCode = header.languageCode.code;
  else issue('error', 'LANGUAGE_MISSING', 'languageCode', 'ClinicalDocument/languageCode is missing', header.languageCode ?? header);
  derivePatient(ctx);
  deriveAuthors(ctx);
  deriveLegalAuthenticator(ctx);
  deriveServiceEvents(ctx);
  deriveFacility(ctx);
  deriveFormatCode(ctx);
  deriveReferenceIds(ctx);
  const parentDocument = deriveParent(ctx);
  return { documentEntry: entry, ...(parentDocument ? { parentDocument } : {}), issues };
}

type IssueFn = (severity: MetadataIssueSeverity, code: string, attribute: string, message: string, at?: object) => void;

interface Ctx {
  header: CdaHeader;
  entry: DocumentEntry;
  options: ToDocumentEntryOptions;
  issue: IssueFn;
  /** XDS UTC value of a CDA time; `missingAt` (when given) makes the time required and locates its absence. */
  time: (ts: TS | undefined, attribute: string, label: string, missingAt?: object) => string | undefined;
}

function xdsTime(ts: TS | undefined, attribute: string, label: string, missingAt: object | undefined, options: ToXdsTimeOptions, issue: IssueFn): string | undefined {
  if (!ts?.value) {
    if (missingAt) issue('error', 'TIME_MISSING', attribute, `${label} is missing`, ts ?? missingAt);
    return undefined;
  }
  const parsed = parseHl7Time(ts.value.trim());
  if (!parsed.ok) {
    issue('error', 'TIME_INVALID', attribute, `${label}: ${parsed.error}`, ts);
    return undefined;
  }
  const r = hl7TimeToXds(parsed.time, options);
  if (!r.ok) {
    issue('error', r.reason === 'NO_OFFSET' ? 'TIME_NO_OFFSET' : 'TIME_INVALID', attribute, `${label}: ${r.message}`, ts);
    return undefined;
  }
  if (r.basis === 'assumed-time-zone') {
    issue('warning', 'TIME_ASSUMED_ZONE', attribute, `${label} "${ts.value}" has no UTC offset: read in ${options.assumeTimeZone}`, ts);
  }
  return r.value;
}

function deriveTypeAndClass({ header, entry, issue }: Ctx): void {
  const type = codeOf(header.code);
  if (!type) {
    issue('error', 'TYPE_CODE_MISSING', 'typeCode', 'ClinicalDocument/code has no code and codeSystem', header.code ?? header);
    return;
  }
  entry.typeCode = type;
  const inJ07 = isInValueSet(JDV.J07_TYPE_CODE, type.code, type.codingScheme);
  const inJ66 = isInValueSet(JDV.J66_TYPE_CODE_DMP, type.code, type.codingScheme);
  if (!inJ07 && !inJ66) {
    issue('error', 'TYPE_CODE_UNKNOWN', 'typeCode', `typeCode ${type.code} (${type.codingScheme}) is in neither JDV_J07 nor JDV_J66`, header.code);
  } else if (!inJ66) {
    issue('warning', 'TYPE_CODE_NOT_IN_J66', 'typeCode', `typeCode ${type.code} is in JDV_J07 but not in our JDV_J66-TypeCode-DMP copy (dated 2022, may be outdated)`, header.code);
  }
  const cls = classCodeForTypeCode(type.code, type.codingScheme);
  if (!cls) {
    issue('error', 'CLASS_CODE_UNMAPPED', 'classCode', `typeCode ${type.code} (${type.codingScheme}) has no classCode in ASS_X04 (the DMP table ASS_X16 is not available)`, header.code);
    return;
  }
  entry.classCode = { code: cls.code, codingScheme: cls.system, displayName: cls.display };
  if (!isInValueSet(JDV.J57_CLASS_CODE_DMP, cls.code, cls.system)) {
    issue('error', 'CLASS_CODE_NOT_DMP', 'classCode', `classCode ${cls.code} derived from ${type.code} is not accepted by the DMP (JDV_J57)`, header.code);
  }
}

/** The CDA confidentialityCode first, then the visibility flags given by the application. */
function deriveConfidentiality({ header, entry, options, issue }: Ctx): void {
  const conf = codeOf(header.confidentialityCode);
  if (!conf) {
    issue('error', 'CONFIDENTIALITY_MISSING', 'confidentialityCode', 'ClinicalDocument/confidentialityCode is missing', header.confidentialityCode ?? header);
  } else {
    entry.confidentialityCode.push(conf);
    if (conf.code === 'R' || conf.code === 'V') {
      issue('warning', 'CONFIDENTIALITY_RESTRICTED', 'confidentialityCode', `confidentialityCode ${conf.code}: CI-SIS says R/V documents should not be shared to the DMP`, header.confidentialityCode);
    }
  }
  for (const extra of options.extraConfidentialityCodes ?? []) {
    if (!entry.confidentialityCode.some((c) => c.code === extra.code && c.codingScheme === extra.codingScheme)) entry.confidentialityCode.push(extra);
  }
  for (const c of entry.confidentialityCode) {
    if (!isInValueSet(JDV.J58_CONFIDENTIALITY_DMP, c.code, c.codingScheme)) {
      issue('error', 'CONFIDENTIALITY_NOT_DMP', 'confidentialityCode', `confidentialityCode ${c.code} (${c.codingScheme}) is not in JDV_J58`, c === conf ? header.confidentialityCode : undefined);
    }
  }
}

function deriveLegalAuthenticator({ header, entry, issue }: Ctx): void {
  const la = header.legalAuthenticator?.assignedEntity;
  const id = la?.ids[0];
  if (!id) {
    issue('error', 'LEGAL_AUTHENTICATOR_MISSING', 'legalAuthenticator', 'legalAuthenticator/assignedEntity/id is missing', header.legalAuthenticator ?? header);
    return;
  }
  const name = la.person?.names[0];
  entry.legalAuthenticator = formatXcn({ id, family: familyOf(name), given: givenOf(name), nameType: 'D' });
}

/** Service times from the first serviceEvent, event codes (with translations) from all, practice setting from the first performer that has one. */
function deriveServiceEvents({ header, entry, issue, time }: Ctx): void {
  const se = header.documentationOf[0];
  if (!se) {
    issue('error', 'SERVICE_EVENT_MISSING', 'serviceStartTime', 'documentationOf/serviceEvent is missing', header);
  } else {
    const start = time(se.effectiveTime?.low, 'serviceStartTime', 'serviceEvent/effectiveTime/low', se.effectiveTime ?? se);
    if (start) entry.serviceStartTime = start;
    const stop = time(se.effectiveTime?.high, 'serviceStopTime', 'serviceEvent/effectiveTime/high');
    if (stop) entry.serviceStopTime = stop;
  }
  const seen = new Set<string>();
  for (const ev of header.documentationOf) {
    for (const c of [ev.code, ...(ev.code?.translations ?? [])]) {
      const code = codeOf(c);
      if (code && !seen.has(`${code.codingScheme}|${code.code}`)) {
        seen.add(`${code.codingScheme}|${code.code}`);
        entry.eventCodeList.push(code);
      }
    }
  }
  const psc = header.documentationOf
    .flatMap((s) => s.performers)
    .map((p) => p.assignedEntity?.organization?.standardIndustryClassCode)
    .find((c) => c?.code);
  const practice = codeOf(psc);
  if (!practice) {
    issue('error', 'PRACTICE_SETTING_MISSING', 'practiceSettingCode', 'serviceEvent/performer/assignedEntity/representedOrganization/standardIndustryClassCode is missing', se ?? header);
    return;
  }
  entry.practiceSettingCode = practice;
  checkDmpCode(practice, JDV.J04_PRACTICE_SETTING, JDV.J62_PRACTICE_SETTING_DMP, 'practiceSettingCode', psc!, issue);
}

function deriveFacility({ header, entry, issue }: Ctx): void {
  const hcf = header.encompassingEncounter?.healthCareFacility?.code;
  const facility = codeOf(hcf);
  if (!facility) {
    issue('error', 'FACILITY_TYPE_MISSING', 'healthcareFacilityTypeCode', 'componentOf/encompassingEncounter/location/healthCareFacility/code is missing', header.encompassingEncounter ?? header);
    return;
  }
  entry.healthcareFacilityTypeCode = facility;
  checkDmpCode(facility, JDV.J02_FACILITY_TYPE, JDV.J61_FACILITY_TYPE_DMP, 'healthcareFacilityTypeCode', hcf!, issue);
}

function deriveReferenceIds({ header, entry, options, issue }: Ctx): void {
  for (const order of header.inFulfillmentOf) {
    for (const id of order.ids) {
      if (id.root && id.extension) entry.referenceIdList.push(formatCx(id.extension, id.root, 'urn:ihe:iti:xds:2013:order'));
      else issue('info', 'REFERENCE_ID_SKIPPED', 'referenceIdList', 'inFulfillmentOf/order/id without root and extension cannot be a CX reference id', id);
    }
  }
  entry.referenceIdList.push(...(options.referenceIds ?? []));
}

function deriveParent({ header, issue }: Ctx): ToDocumentEntryResult['parentDocument'] {
  const related = header.relatedDocuments[0];
  if (!related) return undefined;
  if (related.typeCode !== 'RPLC' && related.typeCode !== 'XFRM') {
    issue('error', 'RELATED_DOCUMENT_TYPE', 'parentDocument', `relatedDocument typeCode "${related.typeCode ?? ''}": the DMP accepts RPLC or XFRM`, related);
  }
  const parentId = related.parentDocument?.ids[0];
  if (!parentId?.root) {
    issue('error', 'PARENT_DOCUMENT_ID_MISSING', 'parentDocument', 'relatedDocument/parentDocument/id is missing', related);
    return undefined;
  }
  return { uniqueId: parentId.extension ? `${parentId.root}^${parentId.extension}` : parentId.root, relation: related.typeCode ?? '' };
}

function uniqueIdOf(id: II | undefined, issue: IssueFn): string {
  if (!id?.root) {
    issue('error', 'UNIQUE_ID_MISSING', 'uniqueId', 'ClinicalDocument/id has no root', id);
    return '';
  }
  if (id.extension !== undefined) {
    issue('error', 'UNIQUE_ID_EXTENSION', 'uniqueId', `ClinicalDocument/id has an extension: the DMP does not support uniqueId "OID^extension", use a root-only OID`, id);
    return `${id.root}^${id.extension}`;
  }
  if (!isOid(id.root)) issue('error', 'UNIQUE_ID_NOT_OID', 'uniqueId', `ClinicalDocument/id/@root "${id.root}" is not an OID`, id);
  else if (id.root.length > XDS_UNIQUE_ID_MAX) issue('error', 'UNIQUE_ID_TOO_LONG', 'uniqueId', `uniqueId is ${id.root.length} characters, over the XDS limit of ${XDS_UNIQUE_ID_MAX}`, id);
  return id.root;
}

function codeOf(c: Coded | undefined): XdsCode | undefined {
  if (!c?.code || !c.codeSystem || c.nullFlavor) return undefined;
  return { code: c.code, codingScheme: c.codeSystem, ...(c.displayName ? { displayName: c.displayName } : {}) };
}

function checkDmpCode(code: XdsCode, cisis: ValueSetId, dmp: ValueSetId, attribute: string, at: object, issue: IssueFn): void {
  const inCisis = isInValueSet(cisis, code.code, code.codingScheme);
  const inDmp = isInValueSet(dmp, code.code, code.codingScheme);
  if (!inCisis && !inDmp) issue('error', `${attributeCode(attribute)}_UNKNOWN`, attribute, `${attribute} ${code.code} (${code.codingScheme}) is in neither ${cisis} nor ${dmp}`, at);
  else if (!inDmp) issue('warning', `${attributeCode(attribute)}_NOT_IN_DMP_JDV`, attribute, `${attribute} ${code.code} is in ${cisis} but not in our ${dmp} copy (old, may be outdated)`, at);
}

function attributeCode(attribute: string): string {
  return attribute.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase();
}

function familyOf(name: PersonName | undefined, qualifier?: string): string | undefined {
  if (!name) return undefined;
  const parts = name.family;
  return (qualifier ? parts.find((p) => p.qualifier === qualifier) : undefined)?.value ?? parts.find((p) => !p.qualifier)?.value ?? parts[0]?.value;
}

function givenOf(name: PersonName | undefined, qualifier?: string): string | undefined {
  if (!name) return undefined;
  const parts = name.given;
  return (qualifier ? parts.find((p) => p.qualifier === qualifier) : undefined)?.value ?? parts.find((p) => !p.qualifier)?.value ?? parts[0]?.value;
}

function derivePatient({ header, entry, issue }: Ctx): void {
  const rt = header.recordTargets[0];
  if (!rt) {
    issue('error', 'RECORD_TARGET_MISSING', 'patientId', 'recordTarget/patientRole is missing', header);
    return;
  }
  const insIndex = rt.ids.findIndex((id) => isInsRoot(id.root) && id.extension);
  const ins = rt.ids[insIndex];
  if (!ins) {
    issue('error', 'INS_MISSING', 'patientId', 'recordTarget/patientRole has no INS id (root 1.2.250.1.213.1.4.8/.9/.10/.11 with an extension)', rt);
  } else {
    if (insIndex !== 0) issue('error', 'INS_NOT_FIRST', 'patientId', `the INS is recordTarget/patientRole/id[${insIndex + 1}]: it must be the first id`, ins);
    entry.patientId = formatCx(ins.extension!, ins.root!, 'NH');
  }
  const local = rt.ids.find((id) => id !== ins && id.root && id.extension && !id.nullFlavor);
  if (local) entry.sourcePatientId = formatCx(local.extension!, local.root!, 'PI');
  else if (entry.patientId) entry.sourcePatientId = entry.patientId;

  const p = rt.patient;
  const name = p?.names[0];
  if (name) {
    // PID-5 carries the birth (legal) name: birth family name and first birth first name.
    const family = familyOf(name, 'BR');
    const given = name.given.find((g) => g.qualifier === 'BR')?.value ?? givenOf(name);
    if (family) entry.sourcePatientInfo.push(`PID-5|${escapeHl7v2(family)}^${escapeHl7v2(given ?? '')}^^^^^L`);
  } else {
    issue('error', 'PATIENT_NAME_MISSING', 'sourcePatientInfo', 'recordTarget/patientRole/patient/name is missing', p ?? rt);
  }
  const birth = p?.birthTime?.value?.match(/^\d{4,14}/)?.[0];
  if (birth) entry.sourcePatientInfo.push(`PID-7|${birth}`);
  const gender = p?.administrativeGenderCode?.code;
  if (gender) entry.sourcePatientInfo.push(`PID-8|${gender}`);
}

function deriveAuthors({ header, entry, issue }: Ctx): void {
  if (header.authors.length === 0) issue('error', 'AUTHOR_MISSING', 'author', 'ClinicalDocument/author is missing', header);
  header.authors.forEach((a: Author, i) => {
    const aa = a.assignedAuthor;
    const id = aa?.ids[0];
    const out: XdsAuthor = { authorInstitution: [], authorRole: [], authorSpecialty: [] };
    if (!id?.root) {
      issue('error', 'AUTHOR_ID_MISSING', 'authorPerson', `author[${i + 1}]/assignedAuthor/id is missing`, aa ?? a);
    } else {
      if (!id.extension) issue('warning', 'AUTHOR_ID_NO_EXTENSION', 'authorPerson', `author[${i + 1}]/assignedAuthor/id has no extension: XCN.1 falls back to the root`, id);
      const name = aa?.person?.names[0];
      // Systems (assignedAuthoringDevice) get XCN10 U and no name (dmp-interface.md §2.3).
      out.authorPerson = aa?.device ? formatXcn({ id, nameType: 'U' }) : formatXcn({ id, family: familyOf(name), given: givenOf(name), nameType: 'D' });
    }
    const org = aa?.organization;
    if (org && (org.name || org.ids[0])) out.authorInstitution.push(formatXon(org.name, org.ids[0]));
    const spec = aa?.code;
    if (spec?.code) {
      out.authorSpecialty.push(formatCodedSlot(spec.code, spec.displayName, spec.codeSystem));
      if (!isInValueSet(JDV.J01_AUTHOR_SPECIALTY, spec.code, spec.codeSystem)) {
        issue('warning', 'AUTHOR_SPECIALTY_UNKNOWN', 'authorSpecialty', `author specialty ${spec.code} is not in JDV_J01`, spec);
      }
    }
    const fn = a.functionCode;
    if (fn?.code) {
      out.authorRole.push(formatCodedSlot(fn.code, fn.displayName, fn.codeSystem));
      if (!isInValueSet(JDV.J47_FUNCTION_CODE, fn.code, fn.codeSystem)) {
        issue('warning', 'AUTHOR_ROLE_UNKNOWN', 'authorRole', `author functionCode ${fn.code} is not in JDV_J47`, fn);
      }
    }
    entry.authors.push(out);
  });
}

function deriveFormatCode({ header, entry, options, issue }: Ctx): void {
  const body = header.body;
  if (body.kind === 'nonXML') {
    if (body.representation !== 'B64') {
      issue('error', 'NON_XML_BODY_REPRESENTATION', 'formatCode', `nonXMLBody/text/@representation is "${body.representation ?? ''}": the CI-SIS requires B64`, body);
    }
    if (!isN1MediaType(body.mediaType)) {
      issue('error', 'NON_XML_BODY_MEDIA_TYPE', 'formatCode', `nonXMLBody/text/@mediaType "${body.mediaType ?? ''}" is not one of application/pdf, image/jpeg, image/tiff, text/rtf, text/plain`, body);
    } else {
      const f = n1FormatCode(body.mediaType);
      entry.formatCode = { code: f.code, codingScheme: f.codeSystem, displayName: f.displayName };
    }
    if (options.formatCode && options.formatCode.code !== entry.formatCode?.code) {
      issue('warning', 'FORMAT_CODE_OVERRIDDEN', 'formatCode', `formatCode ${options.formatCode.code} given for an N1 document whose media type implies ${entry.formatCode?.code ?? 'none'}`);
      entry.formatCode = options.formatCode;
    }
    return;
  }
  if (body.kind === 'missing') issue('error', 'BODY_MISSING', 'formatCode', 'ClinicalDocument/component has neither structuredBody nor nonXMLBody', header);
  if (options.formatCode) {
    entry.formatCode = options.formatCode;
    if (!isInValueSet(JDV.J60_FORMAT_CODE_DMP, options.formatCode.code, options.formatCode.codingScheme)) {
      issue('warning', 'FORMAT_CODE_NOT_IN_J60', 'formatCode', `formatCode ${options.formatCode.code} is not in JDV_J60-FormatCode-DMP`);
    }
  } else if (body.kind === 'structured') {
    issue('warning', 'FORMAT_CODE_UNKNOWN', 'formatCode', 'structured document: formatCode depends on the content model (ASS_A11, not available here); pass options.formatCode');
  }
}

/**
 * Metadata checks before sending to the DMP: required attributes (dmp-interface.md §5.2/§5.3), DMP value
 * sets (J57/J58/J59/J60/J61/J62/J66), classCode consistent with typeCode (ASS_X04), N among the
 * confidentiality codes and no R/V, uniqueId a plain OID, one patient everywhere (and the VIHF's), UTC
 * times, hash/size of the attached bytes, lot structure (HasMember, signature, RPLC targets).
 *
 * Findings use the validator's Finding model (layer `dmp`, rule table rules.ts) so that the report
 * formatters print them; `location.xpath` names the registry object and attribute concerned. Texts never
 * carry patient data.
 */
import { isInsRoot, isOid } from '../cda/ids.js';
import { classCodeForTypeCode, findConcept, isInValueSet, JDV, type ValueSetId } from '../terminology/index.js';
import type { Finding } from '../validate/finding.js';
import { formatRuleText } from '../validate/rules/catalogue.js';
import type { DocumentContent, DocumentEntry, RegistryObjectList, SubmissionSet, XdsCode } from './model.js';
import { XDS_RULES, type XdsRuleId } from './rules.js';
import { sha1Hex } from './submission.js';
import { ASSOCIATION_TYPE, DMP_OIDS, SIGNATURE_ENTRY_CODES } from './uuids.js';

export interface MetadataCheckOptions {
  /** Names the checked thing in findings' `location.file` (default `metadata`). */
  file?: string;
  /** The VIHF `resource-id` (CX of the INS): every patientId must designate the same patient. */
  vihfPatientId?: string;
  /** Documents bytes by entry id, to verify hash and size. */
  documents?: readonly DocumentContent[];
  /**
   * ITI-41 (a lot: members, signature) or ITI-57 (an update: entries are new versions, no signature).
   * Default ITI-41.
   */
  transaction?: 'ITI-41' | 'ITI-57';
}

const RULES = new Map<string, (typeof XDS_RULES)[number]>(XDS_RULES.map((r) => [r.id, r]));

class Reporter {
  readonly findings: Finding[] = [];
  constructor(private readonly file: string) {}

  report(ruleId: XdsRuleId, xpath: string, params: Record<string, string | number>): void {
    const def = RULES.get(ruleId)!;
    this.findings.push({
      ruleId,
      severity: def.severity,
      layer: def.layer,
      message: formatRuleText(def.fr, params),
      messageEn: formatRuleText(def.en, params),
      location: { file: this.file, xpath },
    });
  }
}

const LIST = '/SubmitObjectsRequest/RegistryObjectList';
const entryPath = (id: string) => `${LIST}/ExtrinsicObject[@id='${id}']`;
const packagePath = (id: string) => `${LIST}/RegistryPackage[@id='${id}']`;
const associationPath = (id: string) => `${LIST}/Association[@id='${id}']`;

/** CX → the identity part (CX.1 and the assigning authority CX.4), ignoring the other components. */
function cxIdentity(cx: string): { id: string; authority: string; type: string } {
  const parts = cx.split('^');
  const authority = (parts[3] ?? '').split('&')[1] ?? '';
  return { id: parts[0] ?? '', authority, type: parts[4] ?? '' };
}

const XDS_DTM = /^\d{4}(\d{2}){0,5}$/;

/** The lot's XAdES signature entry (dmp-interface.md §5.5), told by its classCode or formatCode. */
export function isSignatureEntry(e: DocumentEntry): boolean {
  return e.classCode?.code === SIGNATURE_ENTRY_CODES.classCode.code || e.formatCode?.code === SIGNATURE_ENTRY_CODES.formatCode.code;
}

/** Checks the registry objects of an ITI-41 lot or an ITI-57 update before sending. */
export function checkSubmissionMetadata(objects: RegistryObjectList, options: MetadataCheckOptions = {}): Finding[] {
  const r = new Reporter(options.file ?? 'metadata');
  const transaction = options.transaction ?? 'ITI-41';
  const ss = objects.submissionSets[0];
  if (ss) checkSubmissionSet(r, ss);
  for (const e of objects.documentEntries) checkEntry(r, e, options);
  checkPatients(r, objects, options.vihfPatientId);
  checkStructure(r, objects, transaction);
  return r.findings;
}

// --- SubmissionSet --------------------------------------------------------------------------------------------

function checkSubmissionSet(r: Reporter, ss: SubmissionSet): void {
  const id = ss.entryUUID;
  const at = packagePath(id);
  const params = { id };
  for (const attribute of ['uniqueId', 'sourceId', 'patientId', 'submissionTime'] as const) {
    if (!ss[attribute]) r.report('XDS-SS-REQUIRED', at, { ...params, attribute });
  }
  if (!ss.contentTypeCode) r.report('XDS-SS-REQUIRED', at, { ...params, attribute: 'contentTypeCode' });
  if (!ss.authors.some((a) => a.authorPerson)) r.report('XDS-SS-REQUIRED', at, { ...params, attribute: 'author.authorPerson' });
  for (const attribute of ['uniqueId', 'sourceId'] as const) {
    if (ss[attribute] && !isOid(ss[attribute])) r.report('XDS-SS-OID', at, { ...params, attribute });
  }
  if (ss.submissionTime && !XDS_DTM.test(ss.submissionTime)) r.report('XDS-TIME-FORMAT', at, { ...params, attribute: 'submissionTime' });
  whitespace(r, at, id, { uniqueId: ss.uniqueId, sourceId: ss.sourceId, patientId: ss.patientId });
  if (ss.contentTypeCode) {
    codeValueSet(r, at, id, 'contentTypeCode', ss.contentTypeCode, JDV.J59_CONTENT_TYPE_DMP, 'XDS-CONTENTTYPE-J59');
    display(r, at, id, 'contentTypeCode', ss.contentTypeCode);
  }
}

// --- DocumentEntry ---------------------------------------------------------------------------------------------

const REQUIRED_ENTRY_ATTRIBUTES = [
  'uniqueId',
  'mimeType',
  'title',
  'creationTime',
  'languageCode',
  'patientId',
  'sourcePatientId',
  'legalAuthenticator',
  'serviceStartTime',
  'classCode',
  'typeCode',
  'formatCode',
  'healthcareFacilityTypeCode',
  'practiceSettingCode',
] as const;

function checkEntry(r: Reporter, e: DocumentEntry, options: MetadataCheckOptions): void {
  const id = e.entryUUID ?? '(no id)';
  const at = entryPath(id);
  const signature = isSignatureEntry(e);
  for (const attribute of REQUIRED_ENTRY_ATTRIBUTES) {
    const v = e[attribute];
    if (v === undefined || v === '') r.report('XDS-DE-REQUIRED', at, { id, attribute });
  }
  if (!e.confidentialityCode.length) r.report('XDS-DE-REQUIRED', at, { id, attribute: 'confidentialityCode' });
  if (!e.authors.some((a) => a.authorPerson)) r.report('XDS-DE-REQUIRED', at, { id, attribute: 'author.authorPerson' });

  if (e.uniqueId) {
    if (!isOid(e.uniqueId)) r.report('XDS-UNIQUEID-OID', at, { id, detail: e.uniqueId.includes('^') ? ' (forme OID^extension / OID^extension form)' : '' });
    if (e.uniqueId.length > 64) r.report('XDS-UNIQUEID-LENGTH', at, { id, length: e.uniqueId.length });
  }
  whitespace(r, at, id, { uniqueId: e.uniqueId, patientId: e.patientId, mimeType: e.mimeType, sourcePatientId: e.sourcePatientId });
  for (const attribute of ['creationTime', 'serviceStartTime', 'serviceStopTime'] as const) {
    const v = e[attribute];
    if (v !== undefined && !XDS_DTM.test(v)) r.report('XDS-TIME-FORMAT', at, { id, attribute });
  }
  if (e.languageCode && e.languageCode !== (signature ? 'art' : 'fr-FR')) r.report('XDS-LANGUAGE', at, { id, code: e.languageCode });

  const codes: Array<[string, XdsCode | undefined]> = [
    ['classCode', e.classCode],
    ['typeCode', e.typeCode],
    ['formatCode', e.formatCode],
    ['healthcareFacilityTypeCode', e.healthcareFacilityTypeCode],
    ['practiceSettingCode', e.practiceSettingCode],
    ...e.confidentialityCode.map((c): [string, XdsCode] => ['confidentialityCode', c]),
    ...e.eventCodeList.map((c): [string, XdsCode] => ['eventCodeList', c]),
  ];
  for (const [attribute, code] of codes) {
    if (!code) continue;
    display(r, at, id, attribute, code);
    whitespace(r, at, id, { [attribute]: code.code });
  }

  checkConfidentiality(r, at, id, e.confidentialityCode);
  // The lot's signature entry carries IHE DSG codes (URN/ASTM), outside the DMP value sets by design.
  if (!signature) {
    checkTypeAndClass(r, at, id, e);
    if (e.formatCode) codeValueSet(r, at, id, 'formatCode', e.formatCode, JDV.J60_FORMAT_CODE_DMP, 'XDS-FORMATCODE-J60');
    if (e.healthcareFacilityTypeCode) codeValueSet(r, at, id, 'healthcareFacilityTypeCode', e.healthcareFacilityTypeCode, JDV.J61_FACILITY_TYPE_DMP, 'XDS-FACILITY-J61');
    if (e.practiceSettingCode) codeValueSet(r, at, id, 'practiceSettingCode', e.practiceSettingCode, JDV.J62_PRACTICE_SETTING_DMP, 'XDS-PRACTICE-J62');
  }
  const content = options.documents?.find((d) => d.id === e.entryUUID)?.content;
  if (content) {
    if (e.hash !== undefined && e.hash.toLowerCase() !== sha1Hex(content)) r.report('XDS-HASH-MISMATCH', at, { id, attribute: 'hash' });
    if (e.size !== undefined && e.size !== content.byteLength) r.report('XDS-HASH-MISMATCH', at, { id, attribute: 'size' });
  }
}

function display(r: Reporter, at: string, id: string, attribute: string, code: XdsCode): void {
  if (!code.displayName) r.report('XDS-CODE-DISPLAY', at, { id, attribute, code: code.code });
}

function whitespace(r: Reporter, at: string, id: string, values: Record<string, string | undefined>): void {
  for (const [attribute, v] of Object.entries(values)) {
    if (v !== undefined && v !== v.trim()) r.report('XDS-VALUE-WHITESPACE', at, { id, attribute });
  }
}

/**
 * Membership of a code in a DMP value set: in → nothing; known under another system → XDS-CODE-SYSTEM;
 * otherwise the value set's own rule.
 */
function codeValueSet(r: Reporter, at: string, id: string, attribute: string, code: XdsCode, vs: ValueSetId, notIn: XdsRuleId): boolean {
  if (isInValueSet(vs, code.code, code.codingScheme)) return true;
  const known = findConcept(vs, code.code);
  if (known) r.report('XDS-CODE-SYSTEM', at, { id, attribute, code: code.code, valueSet: vs, expected: known.system, codingScheme: code.codingScheme });
  else r.report(notIn, at, { id, code: code.code, codingScheme: code.codingScheme });
  return false;
}

function checkTypeAndClass(r: Reporter, at: string, id: string, e: DocumentEntry): void {
  const type = e.typeCode;
  if (type) {
    if (!isInValueSet(JDV.J66_TYPE_CODE_DMP, type.code, type.codingScheme)) {
      if (isInValueSet(JDV.J07_TYPE_CODE, type.code, type.codingScheme)) r.report('XDS-TYPECODE-J66', at, { id, code: type.code });
      else codeValueSet(r, at, id, 'typeCode', type, JDV.J66_TYPE_CODE_DMP, 'XDS-TYPECODE-UNKNOWN');
    }
  }
  const cls = e.classCode;
  if (!cls) return;
  const inJ57 = codeValueSet(r, at, id, 'classCode', cls, JDV.J57_CLASS_CODE_DMP, 'XDS-CLASSCODE-J57');
  if (!type || !inJ57) return;
  const expected = classCodeForTypeCode(type.code, type.codingScheme);
  if (!expected) r.report('XDS-CLASSCODE-X04-UNMAPPED', at, { id, typeCode: type.code, code: cls.code });
  else if (expected.code !== cls.code || expected.system !== cls.codingScheme) r.report('XDS-CLASSCODE-X04', at, { id, code: cls.code, typeCode: type.code, expected: expected.code });
}

function checkConfidentiality(r: Reporter, at: string, id: string, codes: readonly XdsCode[]): void {
  if (!codes.length) return;
  if (!codes.some((c) => c.code === 'N' && c.codingScheme === DMP_OIDS.hl7Confidentiality)) r.report('XDS-CONFIDENTIALITY-N', at, { id });
  for (const c of codes) {
    if ((c.code === 'R' || c.code === 'V') && c.codingScheme === DMP_OIDS.hl7Confidentiality) r.report('XDS-CONFIDENTIALITY-RV', at, { id, code: c.code });
    else codeValueSet(r, at, id, 'confidentialityCode', c, JDV.J58_CONFIDENTIALITY_DMP, 'XDS-CONFIDENTIALITY-J58');
  }
}

// --- patient ----------------------------------------------------------------------------------------------------

function checkPatients(r: Reporter, objects: RegistryObjectList, vihfPatientId: string | undefined): void {
  const ss = objects.submissionSets[0];
  const subjects: Array<{ label: string; at: string; patientId: string }> = [];
  if (ss?.patientId) subjects.push({ label: `SubmissionSet ${ss.entryUUID}`, at: packagePath(ss.entryUUID), patientId: ss.patientId });
  for (const e of objects.documentEntries) {
    if (e.patientId) subjects.push({ label: `DocumentEntry ${e.entryUUID ?? ''}`, at: entryPath(e.entryUUID ?? ''), patientId: e.patientId });
  }
  for (const s of subjects) {
    const { id, authority, type } = cxIdentity(s.patientId);
    const problems: string[] = [];
    if (!id) problems.push('CX.1 (matricule / number) empty');
    if (!isInsRoot(authority)) problems.push('CX.4 is not an INS authority OID');
    if (type !== 'NH') problems.push('CX.5 is not NH');
    if (!s.patientId.split('^')[3]?.endsWith('&ISO')) problems.push('CX.4 is not &OID&ISO');
    if (problems.length) r.report('XDS-PATIENTID-INS', s.at, { id: s.label, detail: problems.join(', ') });
  }
  const reference = vihfPatientId !== undefined ? { label: 'VIHF resource-id', patientId: vihfPatientId } : subjects[0];
  if (!reference) return;
  const refId = cxIdentity(reference.patientId);
  for (const s of subjects) {
    if (s === reference) continue;
    const other = reference.label === 'VIHF resource-id' ? 'du VIHF (resource-id) / of the VIHF (resource-id)' : reference.label;
    const cur = cxIdentity(s.patientId);
    if (cur.id !== refId.id || cur.authority !== refId.authority) r.report('XDS-PATIENTID-MISMATCH', s.at, { id: s.label, other });
    else if (vihfPatientId === undefined && s.patientId !== reference.patientId) r.report('XDS-PATIENTID-DIFFERS', s.at, { id: s.label, other });
  }
}

// --- lot structure ---------------------------------------------------------------------------------------------

function checkStructure(r: Reporter, objects: RegistryObjectList, transaction: 'ITI-41' | 'ITI-57'): void {
  const ss = objects.submissionSets[0];
  for (const a of objects.associations) {
    if (a.type === ASSOCIATION_TYPE.RPLC && !a.targetObject.startsWith('urn:uuid:')) r.report('XDS-RPLC-TARGET', associationPath(a.entryUUID), { id: a.entryUUID, target: a.targetObject });
  }
  if (!ss) return;
  const members = new Set(objects.associations.filter((a) => a.type === ASSOCIATION_TYPE.HasMember && a.sourceObject === ss.entryUUID).map((a) => a.targetObject));
  for (const e of objects.documentEntries) {
    if (e.entryUUID && !members.has(e.entryUUID)) r.report('XDS-HASMEMBER-MISSING', entryPath(e.entryUUID), { id: e.entryUUID });
  }
  if (transaction === 'ITI-41' && objects.documentEntries.length) {
    const signed = objects.associations.some(
      (a) => a.type === ASSOCIATION_TYPE.signs && a.targetObject === ss.entryUUID && objects.documentEntries.some((e) => e.entryUUID === a.sourceObject && isSignatureEntry(e)),
    );
    if (!signed) r.report('XDS-LOT-SIGNATURE', packagePath(ss.entryUUID), { id: ss.entryUUID });
  }
}

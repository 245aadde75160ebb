/**
 * HL7v3 bodies of the DMP "patients" service: TD0.2 (test d'existence, reasonCode TEST_EXST) and TD1.3a
 * (consultation des données administratives, CNSLT_DATA) share PRPA_IN201307UV02 → PRPA_IN201308UV02
 * (dmp-interface.md §1, §4.1). The request is built here; the answer is decoded into what the LPS needs:
 * acknowledgement, DMP existence (queryResponseCode OK/NF), DMP state (active/terminated), the PS's
 * authorization (attentionLine AUTORISATION) and médecin-traitant flag (STATUT_MT), administrative
 * observations. The response builder serves the simulator and the round-trip tests.
 */
import { z } from 'zod';
import { IssueLog } from './issues.js';
import { DMP_OIDS } from './uuids.js';
import { att, kid, kids, type El } from './xml-read.js';
import { attrs, escapeText } from './xml-write.js';

export const HL7V3_NS = 'urn:hl7-org:v3';
const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';

/** Code systems of the DMP HL7v3 messages. */
export const HL7V3_OIDS = {
  interactionId: '2.16.840.1.113883.1.6',
  reasonCode: '1.2.250.1.213.1.1.4.11',
  attentionAuthorization: '1.2.250.1.213.4.1.2.6.1',
  authorizationValue: '1.2.250.1.213.4.1.2.6.2',
  attentionMedecinTraitant: '1.2.250.1.213.4.1.2.6.3',
  administrativeObservation: '1.2.250.1.213.4.1.2.3',
  internetAccount: '1.2.250.1.213.4.1.2.9',
  closureReason: '1.2.250.1.213.4.1.2.4',
} as const;

/** controlActProcess/reasonCode of the "patients" service (dmp-interface.md §12). */
export const HL7V3_REASON = {
  TEST_EXST: "Test d'existence de dossier",
  CNSLT_DATA: 'Consultation des données de gestion de dossier',
  MODIF_DATA: 'Modification des données de gestion de dossier',
  FERM: 'Fermeture de dossier',
  CREA_RD: 'Création de dossier',
  REAC: 'Réactivation de dossier',
} as const;
export type Hl7v3Reason = keyof typeof HL7V3_REASON;

const IiSchema = z.object({ root: z.string().min(1), extension: z.string().optional() });
export type Ii = z.infer<typeof IiSchema>;

export const PatientQueryRequestSchema = z.object({
  /** Message id (root = the LPS's OID, extension = a unique value). */
  id: IiSchema,
  /** HL7 TS, `yyyyMMddHHmmss`. */
  creationTime: z.string().regex(/^\d{8,14}/),
  reason: z.enum(['TEST_EXST', 'CNSLT_DATA']).default('TEST_EXST'),
  /** The patient's INS: root = INS authority OID, extension = the number. */
  patient: IiSchema.required({ extension: true }),
  /** The sending software: device id root and registered LPS name. */
  sender: z.object({ id: z.string().min(1), softwareName: z.string().min(1) }),
  queryId: IiSchema,
  /** HL7 processingCode: P production, D debugging (the DMP examples), T training. */
  processingCode: z.enum(['P', 'D', 'T']).default('P'),
});
export type PatientQueryRequest = z.input<typeof PatientQueryRequestSchema>;

function ii(tag: string, v: Ii): string {
  return `<${tag}${attrs([['root', v.root], ['extension', v.extension]])}/>`;
}

function device(typeCode: 'RCV' | 'SND', id: string, name: string): string {
  const tag = typeCode === 'RCV' ? 'receiver' : 'sender';
  return `<${tag} typeCode="${typeCode}"><device classCode="DEV" determinerCode="INSTANCE">${ii('id', { root: id })}<softwareName>${escapeText(name)}</softwareName></device></${tag}>`;
}

/** PRPA_IN201307UV02 (TD0.2 / TD1.3a). Throws a ZodError on malformed input. */
export function buildPatientQueryRequest(input: PatientQueryRequest): string {
  const r = PatientQueryRequestSchema.parse(input);
  return (
    `<PRPA_IN201307UV02 xmlns="${HL7V3_NS}" ITSVersion="XML_1.0">` +
    ii('id', r.id) +
    `<creationTime value="${r.creationTime}"/>` +
    ii('interactionId', { root: HL7V3_OIDS.interactionId, extension: 'PRPA_IN201307UV02' }) +
    `<processingCode code="${r.processingCode}"/><processingModeCode code="T"/><acceptAckCode code="AL"/>` +
    device('RCV', DMP_OIDS.device, 'DMP') +
    device('SND', r.sender.id, r.sender.softwareName) +
    '<controlActProcess classCode="CACT" moodCode="EVN">' +
    `<reasonCode${attrs([['code', r.reason], ['codeSystem', HL7V3_OIDS.reasonCode], ['displayName', HL7V3_REASON[r.reason]]])}/>` +
    '<queryByParameter>' +
    ii('queryId', r.queryId) +
    '<statusCode code="new"/><parameterList><patientIdentifier>' +
    ii('value', r.patient) +
    '<semanticsText>Patient.id</semanticsText></patientIdentifier></parameterList></queryByParameter></controlActProcess></PRPA_IN201307UV02>'
  );
}

// --- decoding ---------------------------------------------------------------------------------------------

function iiOf(el: El | undefined): Ii | undefined {
  if (!el) return undefined;
  const root = att(el, 'root');
  if (root === undefined) return undefined;
  const ext = att(el, 'extension');
  return ext === undefined ? { root } : { root, extension: ext };
}

export interface DecodedPatientQueryRequest {
  kind: 'PRPA_IN201307UV02';
  interactionId?: string;
  id?: Ii;
  creationTime?: string;
  reasonCode?: string;
  patientIdentifier?: Ii;
  queryId?: Ii;
  sender?: { id?: string; softwareName?: string };
}

export function decodePatientQueryRequest(el: El, log: IssueLog): DecodedPatientQueryRequest {
  const out: DecodedPatientQueryRequest = { kind: 'PRPA_IN201307UV02' };
  const interaction = att(kid(el, 'interactionId'), 'extension');
  if (interaction !== undefined) out.interactionId = interaction;
  const id = iiOf(kid(el, 'id'));
  if (id) out.id = id;
  const ct = att(kid(el, 'creationTime'), 'value');
  if (ct !== undefined) out.creationTime = ct;
  const sender = kid(kid(el, 'sender'), 'device');
  if (sender) {
    const sid = att(kid(sender, 'id'), 'root');
    const name = kid(sender, 'softwareName')?.textContent ?? undefined;
    out.sender = { ...(sid !== undefined ? { id: sid } : {}), ...(name !== undefined ? { softwareName: name.trim() } : {}) };
  }
  const cap = kid(el, 'controlActProcess');
  const reason = att(kid(cap, 'reasonCode'), 'code');
  if (reason !== undefined) out.reasonCode = reason;
  const qbp = kid(cap, 'queryByParameter');
  const queryId = iiOf(kid(qbp, 'queryId'));
  if (queryId) out.queryId = queryId;
  const patient = iiOf(kid(kid(kid(qbp, 'parameterList'), 'patientIdentifier'), 'value'));
  if (patient) out.patientIdentifier = patient;
  else log.error('HL7V3_MISSING_PATIENT', 'PRPA_IN201307UV02 has no parameterList/patientIdentifier/value', el);
  return out;
}

/** A typed attentionLine value: a code (CV/CE) or a boolean (BL). */
export type AttentionValue = { type: 'CV'; code: string; codeSystem?: string } | { type: 'BL'; value: boolean } | { type: string; raw: string };

export interface AttentionLine {
  keyWordText: { code: string; codeSystem?: string };
  value?: AttentionValue;
}

export interface AdministrativeObservation {
  code: string;
  codeSystem?: string;
  displayName?: string;
  /** BL value when the observation is a flag; the raw value otherwise. */
  value?: boolean | string;
}

export type DmpPatientStatus = 'active' | 'terminated';

export interface DecodedPatientQueryResponse {
  kind: 'PRPA_IN201308UV02';
  interactionId?: string;
  id?: Ii;
  creationTime?: string;
  /** AA ok; AE/AR (or CA/CE/CR) failure with details. */
  acknowledgement: { typeCode?: string; targetMessageId?: Ii; details: Array<{ code?: string; text?: string; typeCode?: string }> };
  reasonCode?: string;
  /** OK: the DMP exists; NF: no DMP for this patient. */
  queryResponseCode?: string;
  dmpExists?: boolean;
  /** statusCode of the patient: active (open DMP) / terminated (closed). */
  patientStatus?: string;
  patientIds: Ii[];
  attentionLines: AttentionLine[];
  /** AUTORISATION value (e.g. VALIDE) — the PS's authorization on this DMP. */
  authorization?: string;
  /** STATUT_MT: whether the PS is the patient's médecin traitant DMP. */
  medecinTraitant?: boolean;
  administrativeObservations: AdministrativeObservation[];
}

function valueOf(el: El | undefined): AttentionValue | undefined {
  if (!el) return undefined;
  const type = (el.getAttributeNS(XSI_NS, 'type') ?? '').replace(/^.*:/, '');
  if (type === 'BL' || (type === '' && att(el, 'value') !== undefined && att(el, 'code') === undefined)) {
    const v = att(el, 'value') ?? '';
    if (v === 'true' || v === 'false') return { type: 'BL', value: v === 'true' };
    return { type: type || 'BL', raw: v };
  }
  const code = att(el, 'code');
  if (code !== undefined) {
    const cs = att(el, 'codeSystem');
    return { type: 'CV', code, ...(cs !== undefined ? { codeSystem: cs } : {}) };
  }
  return { type, raw: att(el, 'value') ?? el.textContent ?? '' };
}

export function decodePatientQueryResponse(el: El, log: IssueLog): DecodedPatientQueryResponse {
  const out: DecodedPatientQueryResponse = { kind: 'PRPA_IN201308UV02', acknowledgement: { details: [] }, patientIds: [], attentionLines: [], administrativeObservations: [] };
  const interaction = att(kid(el, 'interactionId'), 'extension');
  if (interaction !== undefined) out.interactionId = interaction;
  const id = iiOf(kid(el, 'id'));
  if (id) out.id = id;
  const ct = att(kid(el, 'creationTime'), 'value');
  if (ct !== undefined) out.creationTime = ct;

  const ack = kid(el, 'acknowledgement');
  if (!ack) log.warn('HL7V3_NO_ACK', 'PRPA_IN201308UV02 has no acknowledgement', el);
  const typeCode = att(ack, 'typeCode');
  if (typeCode !== undefined) out.acknowledgement.typeCode = typeCode;
  const target = iiOf(kid(kid(ack, 'targetMessage'), 'id'));
  if (target) out.acknowledgement.targetMessageId = target;
  for (const d of ack ? kids(ack, 'acknowledgementDetail') : []) {
    const code = att(kid(d, 'code'), 'code');
    const text = kid(d, 'text')?.textContent ?? undefined;
    const dt = att(d, 'typeCode');
    out.acknowledgement.details.push({ ...(code !== undefined ? { code } : {}), ...(text !== undefined ? { text: text.trim() } : {}), ...(dt !== undefined ? { typeCode: dt } : {}) });
  }

  for (const line of kids(el, 'attentionLine')) {
    const kw = kid(line, 'keyWordText');
    if (!kw) continue;
    const kwCode = att(kw, 'code') ?? (kw.textContent ?? '').trim();
    const kwSystem = att(kw, 'codeSystem');
    const a: AttentionLine = { keyWordText: { code: kwCode, ...(kwSystem !== undefined ? { codeSystem: kwSystem } : {}) } };
    const value = valueOf(kid(line, 'value'));
    if (value) a.value = value;
    out.attentionLines.push(a);
    if (kwCode === 'AUTORISATION' && value && 'code' in value) out.authorization = value.code;
    if (kwCode === 'STATUT_MT' && value && 'value' in value) out.medecinTraitant = value.value;
  }

  const cap = kid(el, 'controlActProcess');
  const reason = att(kid(cap, 'reasonCode'), 'code');
  if (reason !== undefined) out.reasonCode = reason;
  const qrc = att(kid(kid(cap, 'queryAck'), 'queryResponseCode'), 'code');
  if (qrc !== undefined) {
    out.queryResponseCode = qrc;
    if (qrc === 'OK') out.dmpExists = true;
    else if (qrc === 'NF') out.dmpExists = false;
  }
  const patient = kid(kid(kid(kid(cap, 'subject'), 'registrationEvent'), 'subject1'), 'patient');
  if (patient) {
    for (const pid of kids(patient, 'id')) {
      const v = iiOf(pid);
      if (v) out.patientIds.push(v);
    }
    const status = att(kid(patient, 'statusCode'), 'code');
    if (status !== undefined) out.patientStatus = status;
    for (const subjectOf of kids(patient, 'subjectOf')) {
      const obs = kid(subjectOf, 'administrativeObservation');
      const code = kid(obs, 'code');
      if (!obs || !code) continue;
      const o: AdministrativeObservation = { code: att(code, 'code') ?? '' };
      const cs = att(code, 'codeSystem');
      const dn = att(code, 'displayName');
      if (cs !== undefined) o.codeSystem = cs;
      if (dn !== undefined) o.displayName = dn;
      const v = valueOf(kid(obs, 'value'));
      if (v) o.value = 'value' in v ? v.value : 'code' in v ? v.code : v.raw;
      out.administrativeObservations.push(o);
    }
  } else if (out.queryResponseCode === 'OK') {
    log.warn('HL7V3_MISSING_PATIENT', 'queryResponseCode is OK but no registrationEvent patient was found', el);
  }
  if (out.acknowledgement.typeCode && out.acknowledgement.typeCode !== 'AA' && out.acknowledgement.typeCode !== 'CA') {
    log.warn('HL7V3_NEGATIVE_ACK', `acknowledgement typeCode ${out.acknowledgement.typeCode}${out.acknowledgement.details[0]?.code ? ` (${out.acknowledgement.details[0].code})` : ''}`, ack);
  }
  return out;
}

// --- response builder (simulator, tests) ------------------------------------------------------------------------

export interface PatientQueryResponseInput {
  id: Ii;
  creationTime: string;
  /** The request's message id, echoed in acknowledgement/targetMessage. */
  targetMessageId: Ii;
  acknowledgement?: { typeCode: string; details?: Array<{ code: string; text?: string }> };
  reason: Hl7v3Reason;
  queryId: Ii;
  queryResponseCode: 'OK' | 'NF' | 'QE' | 'AE';
  patient?: { ids: Ii[]; status: DmpPatientStatus; observations?: AdministrativeObservation[] };
  authorization?: string;
  medecinTraitant?: boolean;
  /** The DMP as sender (default) and the LPS the answer goes to. */
  sender?: { id: string; softwareName: string };
  receiver?: { id: string; softwareName: string };
}

export function buildPatientQueryResponse(r: PatientQueryResponseInput): string {
  let lines = '';
  if (r.authorization !== undefined) {
    lines += `<attentionLine><keyWordText code="AUTORISATION" codeSystem="${HL7V3_OIDS.attentionAuthorization}"/><value xmlns:xsi="${XSI_NS}" xsi:type="CV"${attrs([['code', r.authorization], ['codeSystem', HL7V3_OIDS.authorizationValue]])}/></attentionLine>`;
  }
  if (r.medecinTraitant !== undefined) {
    lines += `<attentionLine><keyWordText code="STATUT_MT" codeSystem="${HL7V3_OIDS.attentionMedecinTraitant}"/><value xmlns:xsi="${XSI_NS}" xsi:type="BL" value="${r.medecinTraitant}"/></attentionLine>`;
  }
  const ack = r.acknowledgement ?? { typeCode: 'AA' };
  let details = '';
  for (const d of ack.details ?? []) {
    details += `<acknowledgementDetail typeCode="E"><code${attrs([['code', d.code]])}/>${d.text !== undefined ? `<text>${escapeText(d.text)}</text>` : ''}</acknowledgementDetail>`;
  }
  let subject = '';
  if (r.patient) {
    let obs = '';
    for (const o of r.patient.observations ?? []) {
      const value = typeof o.value === 'boolean' ? `<value xmlns:xsi="${XSI_NS}" xsi:type="BL" value="${o.value}"/>` : '';
      obs += `<subjectOf typeCode="SBJ"><administrativeObservation classCode="OBS" moodCode="EVN"><code${attrs([['code', o.code], ['codeSystem', o.codeSystem], ['displayName', o.displayName]])}/>${value}</administrativeObservation></subjectOf>`;
    }
    subject =
      '<subject contextConductionInd="false" typeCode="SUBJ"><registrationEvent classCode="REG" moodCode="EVN"><statusCode code="completed"/><subject1 typeCode="SBJ"><patient classCode="PAT">' +
      r.patient.ids.map((v) => ii('id', v)).join('') +
      `<statusCode code="${r.patient.status}"/>${obs}</patient></subject1>` +
      `<custodian typeCode="CST"><assignedEntity classCode="ASSIGNED">${ii('id', { root: DMP_OIDS.device })}</assignedEntity></custodian></registrationEvent></subject>`;
  }
  const sender = r.sender ?? { id: DMP_OIDS.device, softwareName: 'DMP' };
  return (
    `<PRPA_IN201308UV02 xmlns="${HL7V3_NS}" ITSVersion="XML_1.0">` +
    ii('id', r.id) +
    `<creationTime value="${r.creationTime}"/>` +
    ii('interactionId', { root: HL7V3_OIDS.interactionId, extension: 'PRPA_IN201308UV02' }) +
    '<processingCode code="P"/><processingModeCode code="T"/><acceptAckCode code="NE"/>' +
    (r.receiver ? device('RCV', r.receiver.id, r.receiver.softwareName) : '') +
    device('SND', sender.id, sender.softwareName) +
    lines +
    `<acknowledgement typeCode="${ack.typeCode}"><targetMessage>${ii('id', r.targetMessageId)}</targetMessage>${details}</acknowledgement>` +
    '<controlActProcess classCode="CACT" moodCode="EVN">' +
    `<reasonCode${attrs([['code', r.reason], ['codeSystem', HL7V3_OIDS.reasonCode], ['displayName', HL7V3_REASON[r.reason]]])}/>` +
    subject +
    `<queryAck>${ii('queryId', r.queryId)}<queryResponseCode code="${r.queryResponseCode}"/></queryAck>` +
    '</controlActProcess></PRPA_IN201308UV02>'
  );
}

/** HL7v3 interactions of the DMP patients service, by element name (for message classification). */
export const HL7V3_INTERACTIONS = [
  'PRPA_IN201307UV02',
  'PRPA_IN201308UV02',
  'PRPA_IN201305UV02',
  'PRPA_IN201306UV02',
  'PRPA_IN201311UV02',
  'PRPA_IN201312UV02',
  'PRPA_IN201314UV02',
  'PRPA_IN201314ResponseUV02',
] as const;

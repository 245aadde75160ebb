/**
 * The DMP's own (non-IHE) SOAP bodies, from the DMP WSDLs Habilitations.wsdl and PatientsSpecific.wsdl
 * (dmp-interface.md §4.2): TD0.3 setAuthorization, TD0.4 patientList, TD1.6 listAuthorizationByPatient and
 * their answers `{ output: { …, status, context } }`. Every child element is namespace-qualified (the
 * WSDL says `form="qualified"`); answers report `status` `DMPOk` on success (compared case-insensitively,
 * as the official kit does).
 */
import { z } from 'zod';
import { IssueLog } from './issues.js';
import { kid, kids, type El } from './xml-read.js';
import { escapeText } from './xml-write.js';

export const DMP_SERVICE_NS = {
  habilitations: 'urn:si-dmp-habilitations',
  patients: 'urn:si-dmp-patients',
} as const;

export const SetAuthorizationSchema = z.object({
  /** AJOUT: declare oneself authorised (or médecin traitant with role); SUPPRESSION: remove it. */
  action: z.enum(['AJOUT', 'SUPPRESSION']),
  role: z.literal('MEDECIN_TRAITANT').optional(),
});
export type SetAuthorization = z.infer<typeof SetAuthorizationSchema>;

export const PatientListSchema = z.object({
  /** `yyyyMMddHHmmss`. */
  startDate: z.string().regex(/^\d{14}$/, 'expected yyyyMMddHHmmss'),
  dateType: z.enum(['LASTAUTORIZATION', 'LASTDOC']),
  /** PS_IdNat of the professional whose list is asked (secretariat use), optional. */
  psOwnerId: z.string().min(1).optional(),
});
export type PatientList = z.infer<typeof PatientListSchema>;

export const ListAuthorizationByPatientSchema = z.object({ mode: z.enum(['ACTIVE', 'INTERDITE', 'TOUTE']) });
export type ListAuthorizationByPatient = z.infer<typeof ListAuthorizationByPatientSchema>;

function leaf(prefix: string, name: string, value: string | undefined): string {
  return value === undefined ? '' : `<${prefix}:${name}>${escapeText(value)}</${prefix}:${name}>`;
}

/** TD0.3 request body. */
export function buildSetAuthorization(input: SetAuthorization): string {
  const r = SetAuthorizationSchema.parse(input);
  return `<hab:setAuthorization xmlns:hab="${DMP_SERVICE_NS.habilitations}">${leaf('hab', 'action', r.action)}${leaf('hab', 'role', r.role)}</hab:setAuthorization>`;
}

/** TD0.4 request body. */
export function buildPatientList(input: PatientList): string {
  const r = PatientListSchema.parse(input);
  return `<pat:patientList xmlns:pat="${DMP_SERVICE_NS.patients}">${leaf('pat', 'startDate', r.startDate)}${leaf('pat', 'dateType', r.dateType)}${leaf('pat', 'psOwnerId', r.psOwnerId)}</pat:patientList>`;
}

/** TD1.6 request body. */
export function buildListAuthorizationByPatient(input: ListAuthorizationByPatient): string {
  const r = ListAuthorizationByPatientSchema.parse(input);
  return `<hab:listAuthorizationByPatient xmlns:hab="${DMP_SERVICE_NS.habilitations}">${leaf('hab', 'mode', r.mode)}</hab:listAuthorizationByPatient>`;
}

// --- answers ----------------------------------------------------------------------------------------------

export interface DmpServiceStatus {
  /** As written (`DMPOk` on success). */
  status?: string;
  context?: string;
  /** status equals DMPOk, ignoring case. */
  ok: boolean;
}

export interface AuthorizationByPatient {
  nationalId?: string;
  nationalIdType?: string;
  firstName?: string;
  lastName?: string;
  codeSpeciality: string[];
  libSpeciality: string[];
  startOfAuthorization?: string;
  lastActionDate?: string;
  mode?: string;
  specificRight: string[];
}

export interface PatientListEntry {
  patientIdentifiers: Array<{ nationalId?: string; nationalIdType?: string }>;
  lastName?: string;
  patronymicalName?: string;
  firstName?: string;
  civility?: string;
  dateOfBirth?: string;
  /** The asking PS is this patient's médecin traitant DMP. */
  mt?: boolean;
  message?: boolean;
  lastAccessDate?: string;
  lastUpdateDate?: string;
  lastAddDate?: string;
}

export type DecodedDmpService =
  | { kind: 'setAuthorization'; request: SetAuthorization }
  | { kind: 'setAuthorizationResponse'; response: DmpServiceStatus }
  | { kind: 'patientList'; request: Partial<PatientList> }
  | { kind: 'patientListResponse'; response: DmpServiceStatus; patients: PatientListEntry[] }
  | { kind: 'listAuthorizationByPatient'; request: Partial<ListAuthorizationByPatient> }
  | { kind: 'listAuthorizationByPatientResponse'; response: DmpServiceStatus; authorizations: AuthorizationByPatient[] };

const text = (parent: El | undefined, name: string): string | undefined => {
  const el = kid(parent, name);
  return el ? (el.textContent ?? '').trim() : undefined;
};
const texts = (parent: El, name: string): string[] => kids(parent, name).map((e) => (e.textContent ?? '').trim());

function bool(parent: El, name: string, log: IssueLog): boolean | undefined {
  const v = text(parent, name);
  if (v === undefined) return undefined;
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  log.warn('DMP_BAD_BOOLEAN', `${name} "${v}" is not a boolean`, kid(parent, name));
  return undefined;
}

function statusOf(output: El | undefined, el: El, log: IssueLog): DmpServiceStatus {
  if (!output) log.warn('DMP_NO_OUTPUT', `${el.localName} has no output element`, el);
  const status = text(output, 'status');
  const context = text(output, 'context');
  const ok = status?.toLowerCase() === 'dmpok';
  if (status !== undefined && !ok) log.warn('DMP_STATUS_NOT_OK', `${el.localName} status "${status}"${context ? `: ${context}` : ''}`, el);
  return { ...(status !== undefined ? { status } : {}), ...(context ? { context } : {}), ok };
}

function assign<T extends object>(target: T, key: keyof T, value: unknown): void {
  if (value !== undefined) (target as Record<keyof T, unknown>)[key] = value;
}

/** Names of the DMP service elements this module decodes. */
export const DMP_SERVICE_ELEMENTS = [
  'setAuthorization',
  'setAuthorizationResponse',
  'patientList',
  'patientListResponse',
  'listAuthorizationByPatient',
  'listAuthorizationByPatientResponse',
] as const;

/** Decodes a DMP service body element; undefined when it is not one. */
export function decodeDmpServiceElement(el: El, log: IssueLog): DecodedDmpService | undefined {
  const output = kid(el, 'output');
  switch (el.localName) {
    case 'setAuthorization': {
      const action = text(el, 'action');
      const role = text(el, 'role');
      const parsed = SetAuthorizationSchema.safeParse({ action, ...(role !== undefined ? { role } : {}) });
      if (!parsed.success) log.error('DMP_BAD_REQUEST', `setAuthorization: ${parsed.error.issues.map((i) => i.message).join('; ')}`, el);
      return { kind: 'setAuthorization', request: parsed.success ? parsed.data : ({ action: action ?? '', ...(role ? { role } : {}) } as SetAuthorization) };
    }
    case 'setAuthorizationResponse':
      return { kind: 'setAuthorizationResponse', response: statusOf(output, el, log) };
    case 'patientList': {
      const request: Partial<PatientList> = {};
      assign(request, 'startDate', text(el, 'startDate'));
      assign(request, 'dateType', text(el, 'dateType'));
      assign(request, 'psOwnerId', text(el, 'psOwnerId'));
      return { kind: 'patientList', request };
    }
    case 'patientListResponse': {
      const patients: PatientListEntry[] = [];
      for (const p of output ? kids(output, 'patientlistData') : []) {
        const entry: PatientListEntry = {
          patientIdentifiers: kids(p, 'patientIdentifier').map((i) => {
            const id: { nationalId?: string; nationalIdType?: string } = {};
            assign(id, 'nationalId', text(i, 'nationalId'));
            assign(id, 'nationalIdType', text(i, 'nationalIdType'));
            return id;
          }),
        };
        for (const k of ['lastName', 'patronymicalName', 'firstName', 'civility', 'dateOfBirth', 'lastAccessDate', 'lastUpdateDate', 'lastAddDate'] as const) assign(entry, k, text(p, k));
        assign(entry, 'mt', bool(p, 'MT', log));
        assign(entry, 'message', bool(p, 'message', log));
        patients.push(entry);
      }
      return { kind: 'patientListResponse', response: statusOf(output, el, log), patients };
    }
    case 'listAuthorizationByPatient': {
      const request: Partial<ListAuthorizationByPatient> = {};
      assign(request, 'mode', text(el, 'mode'));
      return { kind: 'listAuthorizationByPatient', request };
    }
    case 'listAuthorizationByPatientResponse': {
      const authorizations: AuthorizationByPatient[] = [];
      for (const a of output ? kids(output, 'listOfAuthorizationByPatient') : []) {
        const item: AuthorizationByPatient = { codeSpeciality: texts(a, 'codeSpeciality'), libSpeciality: texts(a, 'libSpeciality'), specificRight: texts(a, 'specificRight') };
        for (const k of ['nationalId', 'nationalIdType', 'firstName', 'lastName', 'startOfAuthorization', 'lastActionDate', 'mode'] as const) assign(item, k, text(a, k));
        authorizations.push(item);
      }
      return { kind: 'listAuthorizationByPatientResponse', response: statusOf(output, el, log), authorizations };
    }
    default:
      return undefined;
  }
}

// --- answer builders (simulator, tests) ---------------------------------------------------------------------------

function statusLeaves(prefix: string, s: { status: string; context?: string }): string {
  return leaf(prefix, 'status', s.status) + leaf(prefix, 'context', s.context);
}

export function buildSetAuthorizationResponse(s: { status: string; context?: string }): string {
  return `<hab:setAuthorizationResponse xmlns:hab="${DMP_SERVICE_NS.habilitations}"><hab:output>${statusLeaves('hab', s)}</hab:output></hab:setAuthorizationResponse>`;
}

export function buildPatientListResponse(s: { status: string; context?: string }, patients: readonly PatientListEntry[]): string {
  let body = '';
  for (const p of patients) {
    body += '<pat:patientlistData>';
    for (const i of p.patientIdentifiers) body += `<pat:patientIdentifier>${leaf('pat', 'nationalId', i.nationalId)}${leaf('pat', 'nationalIdType', i.nationalIdType)}</pat:patientIdentifier>`;
    body += leaf('pat', 'lastName', p.lastName) + leaf('pat', 'patronymicalName', p.patronymicalName) + leaf('pat', 'firstName', p.firstName);
    body += leaf('pat', 'civility', p.civility) + leaf('pat', 'dateOfBirth', p.dateOfBirth);
    // MT and message are required booleans in the WSDL.
    body += leaf('pat', 'MT', String(p.mt ?? false)) + leaf('pat', 'message', String(p.message ?? false));
    body += leaf('pat', 'lastAccessDate', p.lastAccessDate) + leaf('pat', 'lastUpdateDate', p.lastUpdateDate) + leaf('pat', 'lastAddDate', p.lastAddDate);
    body += '</pat:patientlistData>';
  }
  return `<pat:patientListResponse xmlns:pat="${DMP_SERVICE_NS.patients}"><pat:output>${body}${statusLeaves('pat', s)}</pat:output></pat:patientListResponse>`;
}

export function buildListAuthorizationByPatientResponse(s: { status: string; context?: string }, items: readonly AuthorizationByPatient[]): string {
  let body = '';
  for (const a of items) {
    body += '<hab:listOfAuthorizationByPatient>';
    body += leaf('hab', 'nationalId', a.nationalId) + leaf('hab', 'nationalIdType', a.nationalIdType) + leaf('hab', 'firstName', a.firstName) + leaf('hab', 'lastName', a.lastName);
    for (const c of a.codeSpeciality) body += leaf('hab', 'codeSpeciality', c);
    for (const c of a.libSpeciality) body += leaf('hab', 'libSpeciality', c);
    body += leaf('hab', 'startOfAuthorization', a.startOfAuthorization) + leaf('hab', 'lastActionDate', a.lastActionDate) + leaf('hab', 'mode', a.mode);
    for (const r of a.specificRight) body += leaf('hab', 'specificRight', r);
    body += '</hab:listOfAuthorizationByPatient>';
  }
  return `<hab:listAuthorizationByPatientResponse xmlns:hab="${DMP_SERVICE_NS.habilitations}"><hab:output>${body}${statusLeaves('hab', s)}</hab:output></hab:listAuthorizationByPatientResponse>`;
}

/**
 * JSON input of the policy (CLI --input files, simulator fixtures): zod schemas that reject unknown keys and
 * bad values with a message naming the field, so a typo never silently changes a decision.
 */
import { z } from 'zod';
import { DMP_ACTION_IDS, type DmpActionId } from './actions.js';
import type { ConsentRequest } from './consent.js';
import type { AccessSituation } from './explain.js';
import { PolicySettingsSchema, type PolicySettings } from './settings.js';
import { PolicyInputError } from './time.js';
import { zodProblems } from './zod-problems.js';
import type { AccessRequest, AccessActor, AccessDocument, AccessPatientState, PolicyTime } from './types.js';
import { ACCESS_DOCUMENT_STATUSES, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX, MASQUE_PS } from './visibility.js';

const upper = (v: unknown) => (typeof v === 'string' ? v.toUpperCase() : v);

export const TimeSchema = z.union([
  z.number().finite(),
  z.string().refine((s) => Number.isFinite(Date.parse(s)), 'expected an ISO 8601 date such as 2025-03-01T10:00:00Z'),
]);

export const ACCESS_AUTH_MODES = ['DIRECTE', 'INDIRECTE', 'INDIRECTE_RENFORCEE', 'DELEGUEE'] as const;
export const ACCESS_CARD_TYPES = ['CPS', 'CPF', 'CPE'] as const;
export const ACCESS_MODES = ['normal', 'bris_de_glace', 'centre_15'] as const;
export const ACCESS_DMP_STATES = ['open', 'closed', 'absent'] as const;
export const ACCESS_AUTHORIZATION_STATUSES = ['valid', 'expired', 'none', 'unknown'] as const;
export const ACCESS_CONFIDENTIALITY_CODES = ['N', 'R', 'V', MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX] as const;

const code = z.string().min(1).regex(/^\S+$/, 'a code has no spaces');

export const ActorSchema = z.strictObject({
  authMode: z.preprocess(upper, z.enum(ACCESS_AUTH_MODES)),
  card: z.preprocess(upper, z.enum(ACCESS_CARD_TYPES)).optional(),
  profession: code.optional(),
  professionSystem: code.optional(),
  specialty: code.optional(),
  role: code.optional(),
  genre: code.optional(),
  medecinTraitant: z.boolean().optional(),
  mtEquivalentRights: z.boolean().optional(),
  occupationalPhysician: z.boolean().optional(),
  id: z.string().min(1).optional(),
  structureId: z.string().min(1).optional(),
});

export const PatientSchema = z.strictObject({
  dmp: z.enum(ACCESS_DMP_STATES),
  mesActivated: z.boolean().optional(),
  authorization: z.enum(ACCESS_AUTHORIZATION_STATUSES).optional(),
  authorizedAt: TimeSchema.optional(),
  blocked: z.boolean().optional(),
  opposedBrisDeGlace: z.boolean().optional(),
  opposedCentre15: z.boolean().optional(),
  maskedVisibleInEmergency: z.boolean().optional(),
  minor: z.boolean().optional(),
});

const StatusSchema = z.string().transform((v, ctx) => {
  const s = ACCESS_DOCUMENT_STATUSES[v] ?? ACCESS_DOCUMENT_STATUSES[v.toLowerCase()];
  if (s === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not an availability status (approved, archived, deprecated, deleted, or their XDS URNs)` });
    return z.NEVER;
  }
  return s;
});

export const DocumentSchema = z.strictObject({
  ref: z.string().min(1).optional(),
  typeCode: code.optional(),
  classCode: code.optional(),
  confidentiality: z.array(z.enum(ACCESS_CONFIDENTIALITY_CODES)).optional(),
  status: StatusSchema.optional(),
  authorIds: z.array(z.string().min(1)).optional(),
  authorStructureIds: z.array(z.string().min(1)).optional(),
  patientDeposited: z.boolean().optional(),
});

const common = {
  actor: ActorSchema,
  patient: PatientSchema,
  mode: z.enum(ACCESS_MODES).optional(),
  secret: z.boolean().optional(),
  time: TimeSchema.optional(),
  settings: PolicySettingsSchema.optional(),
};

export const AccessInputSchema = z.strictObject({ action: z.enum(DMP_ACTION_IDS as [DmpActionId, ...DmpActionId[]]), document: DocumentSchema.optional(), ...common });

export const ConsentInputSchema = z.strictObject({
  ...common,
  purpose: z.enum(['consult', 'feed']),
  careTeam: z.boolean().optional(),
  informed: z.boolean().optional(),
  objected: z.boolean().optional(),
  consent: z.enum(['patient', 'legal-representative']).nullable().optional(),
  lastAccess: TimeSchema.optional(),
  justification: z.boolean().optional(),
});

export const SituationInputSchema = z.strictObject({ ...common, documents: z.array(DocumentSchema) });

function parse<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new PolicyInputError(`invalid ${what}`, zodProblems(r.error));
  return r.data;
}

export interface ParsedPolicyInput<T> {
  request: T;
  /** Settings given in the input (`settings` key), to merge with the caller's. */
  settings: Partial<PolicySettings>;
}

/** Optional keys with `undefined` dropped: the policy reads absent and undefined alike, but reports stay clean. */
function clean<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

function settingsOf(s: z.output<typeof PolicySettingsSchema> | undefined): Partial<PolicySettings> {
  return s ? (clean(s) as Partial<PolicySettings>) : {};
}

export function parseAccessInput(value: unknown, now: PolicyTime): ParsedPolicyInput<AccessRequest> {
  const d = parse(AccessInputSchema, value, 'access request');
  const request: AccessRequest = clean({
    action: d.action,
    actor: clean(d.actor) as AccessActor,
    patient: clean(d.patient) as AccessPatientState,
    mode: d.mode,
    secret: d.secret,
    document: d.document ? (clean(d.document) as AccessDocument) : undefined,
    time: d.time ?? now,
  });
  return { request, settings: settingsOf(d.settings) };
}

export function parseConsentInput(value: unknown, now: PolicyTime): ParsedPolicyInput<ConsentRequest> {
  const d = parse(ConsentInputSchema, value, 'consent request');
  const { settings, actor, patient, time, ...rest } = d;
  const request = clean({ ...rest, actor: clean(actor) as AccessActor, patient: clean(patient) as AccessPatientState, time: time ?? now }) as ConsentRequest;
  return { request, settings: settingsOf(settings) };
}

export function parseSituationInput(value: unknown, now: PolicyTime): ParsedPolicyInput<AccessSituation> {
  const d = parse(SituationInputSchema, value, 'situation');
  const request: AccessSituation = clean({
    actor: clean(d.actor) as AccessActor,
    patient: clean(d.patient) as AccessPatientState,
    mode: d.mode,
    secret: d.secret,
    time: d.time ?? now,
    documents: d.documents.map((x) => clean(x) as AccessDocument),
  });
  return { request, settings: settingsOf(d.settings) };
}

/**
 * The scenario file: patients (DMP state, Mon espace santé, oppositions, authorizations, blocked professionals,
 * médecin traitant), professionals and documents, as YAML or JSON. Every field is checked; an error names the
 * file and the path of the field.
 */
import { z } from 'zod';

const INS = z.string().regex(/^[0-9]{5}(?:[0-9]{2}|2A|2B)[0-9]{8}$/, 'an INS is 13 characters and a 2-digit key (15 characters)');
const OID = z.string().regex(/^[0-2](\.(0|[1-9]\d*))+$/, 'expected an OID');
const instant = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an ISO 8601 date-time');

export const ScenarioAuthorizationSchema = z.object({
  professional: z.string().min(1),
  /** valid: authorized; expired: the authorization lapsed; blocked: the patient blocked this professional. */
  status: z.enum(['valid', 'expired', 'blocked']).default('valid'),
  medecinTraitant: z.boolean().default(false),
  since: instant.optional(),
});

export const ScenarioPatientSchema = z.object({
  ins: INS,
  oid: OID.default('1.2.250.1.213.1.4.10'),
  label: z.string().optional(),
  dmp: z.enum(['open', 'closed', 'absent']).default('open'),
  mesActivated: z.boolean().default(true),
  family: z.string().optional(),
  given: z.string().optional(),
  birthDate: z.string().regex(/^\d{8}$/, 'expected yyyyMMdd').optional(),
  gender: z.enum(['M', 'F', 'U']).optional(),
  minor: z.boolean().default(false),
  opposedBrisDeGlace: z.boolean().default(false),
  opposedCentre15: z.boolean().default(false),
  maskedVisibleInEmergency: z.boolean().default(false),
  closedReason: z.string().optional(),
  authorizations: z.array(ScenarioAuthorizationSchema).default([]),
  /** Why this patient is in the dataset (what it tests). */
  note: z.string().optional(),
});

export const ScenarioProfessionalSchema = z.object({
  id: z.string().min(1),
  family: z.string().optional(),
  given: z.string().optional(),
  profession: z.string().optional(),
  specialty: z.string().optional(),
  card: z.enum(['CPS', 'CPF', 'CPE']).optional(),
  structureId: z.string().optional(),
});

export const ScenarioDocumentSchema = z.object({
  /** INS of the patient; must be one of the scenario's or already in the simulator. */
  patient: INS,
  /** A CDA file, relative to the scenario file. */
  file: z.string().min(1),
  /** TRE_A07 codes added to the CDA confidentialityCode (MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX). */
  visibility: z.array(z.enum(['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'])).default([]),
  status: z.enum(['approved', 'archived', 'deleted']).default('approved'),
  depositedAt: instant.optional(),
});

export const ScenarioSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  /** Start the simulator's clock here (default: real time). */
  clock: instant.optional(),
  professionals: z.array(ScenarioProfessionalSchema).default([]),
  patients: z.array(ScenarioPatientSchema).default([]),
  documents: z.array(ScenarioDocumentSchema).default([]),
});

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;

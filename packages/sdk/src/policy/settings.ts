/**
 * The policy settings: every point where the public material is silent or ambiguous is a setting with a
 * documented default, never a rule invented in code (docs/access-policy.md, "What is not public").
 */
import { z } from 'zod';
import { OCCUPATIONAL_HEALTH } from './generated/occupational-health.js';
import { PolicyInputError } from './time.js';
import { zodProblems } from './zod-problems.js';

export const POLICY_UNKNOWN_OUTCOMES = ['deny', 'allow', 'unknown'] as const;
export type PolicyUnknownOutcome = (typeof POLICY_UNKNOWN_OUTCOMES)[number];

export interface PolicySettings {
  /** What an undecided request becomes. `deny` (default) adds a rule naming the missing cell. */
  onUnknown: PolicyUnknownOutcome;
  /** Footnote (1) of PDT-INF-526 (CPE × TD0.3 "se déclarer autorisé") was not extracted: how to read "oui(1)". */
  footnote1: PolicyUnknownOutcome;
  /**
   * AIR (INDIRECTE_RENFORCEE) has its own matrix PDT-INF-606, not extracted. `unknown` (default): no column;
   * `indirect`: use K/L; `direct`: use the direct-mode columns from the actor's card and profession.
   */
  airProfiles: 'unknown' | 'indirect' | 'direct';
  /** Consent must be collected again after this many months without access (issue 4, public consent model). */
  consentValidityMonths: number;
  /** How long a DMP authorization lasts; null (default): not public, trust the status TD0.2 returns. */
  authorizationValidityDays: number | null;
  /** Whether the document-type matrix restricts bris de glace / centre 15 too (public material is silent). */
  documentMatrixInEmergency: 'apply' | 'unknown';
  /** The author reads their own documents whatever the document-type matrix ("to verify", terminology.md §7). */
  authorReadsOwnDocuments: boolean;
  /** Apply whole-column statements of the matrix sources ("médecin: every type except ATTEST-RESID"). */
  rowStatements: boolean;
  /** Apply the cells of professions "à rôle" (suspended by litigation 2023–2024, terminology.md §6.1). */
  roleBasedProfessions: boolean;
  /** Savoir-faire / fonction codes that make a médecin a médecin du travail (profile G). */
  occupationalHealthCodes: readonly string[];
  /** DMP parameter `cumul-invisible_patient-masque_ps`: false forbids MASQUE_PS together with INVISIBLE_PATIENT. */
  cumulInvisiblePatientMasquePs: boolean;
  /** TD0.2 AUTORISATION codes → status. Only VALIDE is documented; the others are plausible names (dmp-interface.md §4.1). */
  authorizationCodes: Readonly<Record<string, 'valid' | 'expired' | 'none' | 'blocked'>>;
}

export const DEFAULT_SETTINGS: Readonly<PolicySettings> = Object.freeze({
  onUnknown: 'deny',
  footnote1: 'unknown',
  airProfiles: 'unknown',
  consentValidityMonths: 6,
  authorizationValidityDays: null,
  documentMatrixInEmergency: 'apply',
  authorReadsOwnDocuments: true,
  rowStatements: true,
  roleBasedProfessions: false,
  occupationalHealthCodes: Object.freeze(OCCUPATIONAL_HEALTH.codes.map((c) => c.code)),
  cumulInvisiblePatientMasquePs: false,
  authorizationCodes: Object.freeze({ VALIDE: 'valid' }),
});

export const PolicySettingsSchema = z.strictObject({
  onUnknown: z.enum(POLICY_UNKNOWN_OUTCOMES).optional(),
  footnote1: z.enum(POLICY_UNKNOWN_OUTCOMES).optional(),
  airProfiles: z.enum(['unknown', 'indirect', 'direct']).optional(),
  consentValidityMonths: z.number().int().positive().optional(),
  authorizationValidityDays: z.number().int().positive().nullable().optional(),
  documentMatrixInEmergency: z.enum(['apply', 'unknown']).optional(),
  authorReadsOwnDocuments: z.boolean().optional(),
  rowStatements: z.boolean().optional(),
  roleBasedProfessions: z.boolean().optional(),
  occupationalHealthCodes: z.array(z.string().min(1)).optional(),
  cumulInvisiblePatientMasquePs: z.boolean().optional(),
  authorizationCodes: z.record(z.string().min(1), z.enum(['valid', 'expired', 'none', 'blocked'])).optional(),
});

export type PolicySettingsInput = z.input<typeof PolicySettingsSchema>;

/** Settings from JSON (a --settings file): only known keys, checked values; PolicyInputError otherwise. */
export function parsePolicySettings(value: unknown): Partial<PolicySettings> {
  const r = PolicySettingsSchema.safeParse(value);
  if (!r.success) throw new PolicyInputError('invalid policy settings', zodProblems(r.error));
  return Object.fromEntries(Object.entries(r.data).filter(([, v]) => v !== undefined)) as Partial<PolicySettings>;
}

/** Defaults completed with `input`; throws PolicyInputError on a bad value. */
export function resolveSettings(input: Partial<PolicySettings> = {}): PolicySettings {
  const parsed = parsePolicySettings(input);
  const out: PolicySettings = { ...DEFAULT_SETTINGS };
  for (const [k, v] of Object.entries(parsed)) if (v !== undefined) (out as unknown as Record<string, unknown>)[k] = v;
  return Object.freeze(out);
}

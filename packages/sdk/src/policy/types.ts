/**
 * Inputs and outputs of the access-policy evaluator: who acts (actor), on which patient's DMP (patient state),
 * doing what (action), on which document, in which access mode, when — and the decision with its rules.
 */
import type { DmpActionId } from './actions.js';
import type { AccessProfileId } from './data-types.js';

/** VIHF purposeofuse (TRE_R248 / JDV_J38). */
export type AccessMode = 'normal' | 'bris_de_glace' | 'centre_15';

/** VIHF Authentification_Mode (TRE_R218). */
export type AccessAuthMode = 'DIRECTE' | 'INDIRECTE' | 'INDIRECTE_RENFORCEE' | 'DELEGUEE';

/** Card of a direct-mode actor: CPS (health professional), CPF (student), CPE (staff of a structure). */
export type AccessCardType = 'CPS' | 'CPF' | 'CPE';

export type AccessDmpState = 'open' | 'closed' | 'absent';

/**
 * This actor's authorization on the patient's DMP, as TD0.2 reports it. `unknown`: the LPS got a value it
 * cannot interpret (only `VALIDE` is documented publicly, see authorizationFromTd02).
 */
export type AccessAuthorizationStatus = 'valid' | 'expired' | 'none' | 'unknown';

/** XDS availabilityStatus (JDV_J52), in short form. */
export type AccessDocumentStatus = 'approved' | 'archived' | 'deprecated' | 'deleted';

/** A time: epoch milliseconds (fastest), an ISO 8601 string or a Date. */
export type PolicyTime = number | string | Date;

export interface AccessActor {
  authMode: AccessAuthMode;
  /** Card used in direct mode; absent for a structure certificate (indirect modes). */
  card?: AccessCardType;
  /** Code of the first VIHF subject:role occurrence: the profession (TRE_G15 `10` médecin, `21` pharmacien...). */
  profession?: string;
  /**
   * Code system of `profession`, as a short TRE name (G15, G16, R94, R95, R291, A00) or an OID.
   * Default: G16 with a CPF card (students), G15 otherwise.
   */
  professionSystem?: string;
  /** Second occurrence: savoir-faire (TRE_R01, e.g. SM26) for médecins, CNOP sub-section (TRE_G05) for pharmaciens. */
  specialty?: string;
  /** Third occurrence: role (TRE_R85), for professionals characterised by their role. */
  role?: string;
  /** Fourth occurrence: genre d'activité (TRE_R22). */
  genre?: string;
  /** TD0.2 STATUT_MT: this actor is the patient's médecin traitant DMP. */
  medecinTraitant?: boolean;
  /** The patient gave this professional the rights of the médecin traitant (CSP L1111-16); how the DMP records it is not public. */
  mtEquivalentRights?: boolean;
  /** Médecin du travail; when absent, derived from `specialty`/`role` (settings.occupationalHealthCodes). */
  occupationalPhysician?: boolean;
  /** PS_IdNat, compared with the document's authors (never printed). */
  id?: string;
  /** Struct_IdNat of the structure the actor works for (never printed). */
  structureId?: string;
}

export interface AccessPatientState {
  /** TD0.2: `open` (active), `closed` (terminated) or `absent` (NF). */
  dmp: AccessDmpState;
  /** The DMP is attached to Mon espace santé (RATTACHEMENT_ENS). */
  mesActivated?: boolean;
  /** This actor's authorization (default `none`). */
  authorization?: AccessAuthorizationStatus;
  /** When this actor's authorization was given; used only with settings.authorizationValidityDays. */
  authorizedAt?: PolicyTime;
  /** This actor is blocked by the patient (listAuthorizationByPatient mode INTERDITE). */
  blocked?: boolean;
  /** OPPOSITION_BRIS_DE_GLACE. */
  opposedBrisDeGlace?: boolean;
  /** OPPOSITION_ACCES_URGENCE (centre 15). */
  opposedCentre15?: boolean;
  /** The patient allowed documents masked to professionals to be read in bris de glace / centre 15 (footnote 7). */
  maskedVisibleInEmergency?: boolean;
  minor?: boolean;
}

export interface AccessDocument {
  /** Caller's reference for reports (never a patient identifier). */
  ref?: string;
  typeCode?: string;
  classCode?: string;
  /** Confidentiality codes: N, MASQUE_PS, INVISIBLE_PATIENT, INVISIBLE_REPRESENTANTS_LEGAUX. */
  confidentiality?: readonly string[];
  /** Default `approved`. */
  status?: AccessDocumentStatus;
  /** PS_IdNat of the authors. */
  authorIds?: readonly string[];
  /** Struct_IdNat of the authors' structures. */
  authorStructureIds?: readonly string[];
  /** Deposited by the patient; when absent, derived from the typeCode (DOCPAT*, EXPPAT_*) or classCode 90. */
  patientDeposited?: boolean;
}

export interface AccessRequest {
  action: DmpActionId;
  actor: AccessActor;
  patient: AccessPatientState;
  /** Default `normal`. */
  mode?: AccessMode;
  /** A minor's secret access ("connexion secrète"). */
  secret?: boolean;
  /** The document acted on (TD3.2, TD3.3, replacement), or deposited (TD2.x). */
  document?: AccessDocument;
  time: PolicyTime;
}

export type AccessDecisionValue = 'allow' | 'deny' | 'unknown';

/** What a rule did: `info` rules explain without deciding. */
export type RuleEffect = AccessDecisionValue | 'info';

export interface RuleHit {
  /** Stable rule id (see POLICY_RULES in rules.ts). */
  readonly id: string;
  readonly effect: RuleEffect;
  /** What the rule says about this request, in words a support person can act on. */
  readonly text: string;
  /** Where the rule comes from: document and section. */
  readonly source: string;
}

export interface AccessObligation {
  readonly id: string;
  /** What the software must do. */
  readonly text: string;
  readonly source: string;
}

export interface AccessDecision {
  /** The decision after settings.onUnknown. */
  readonly decision: AccessDecisionValue;
  /** The decision of the rules alone: `unknown` when public material does not decide. */
  readonly raw: AccessDecisionValue;
  /** Ordered: context first, then every rule that decided. Never empty. */
  readonly rules: readonly RuleHit[];
  readonly obligations: readonly AccessObligation[];
  /** Column of the functional matrix the actor falls in, or null when none applies. */
  readonly profile: AccessProfileId | null;
  /** The text of the deciding rule (first deny, else first unknown, else the last rule that allowed). */
  readonly reason: string;
}

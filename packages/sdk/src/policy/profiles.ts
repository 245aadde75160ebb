/**
 * Which column (A–L) of the functional matrix an actor falls in. The columns mix who acts (authentication
 * mode, card, médecin or not, médecin traitant, médecin du travail) and how (normal, régulation = centre 15,
 * bris de glace); combinations the matrix has no column for are reported as such, never guessed.
 */
import type { AccessProfileId } from './data-types.js';
import { FUNCTIONAL_MATRIX } from './generated/functional-matrix.js';
import { hit } from './rules.js';
import type { PolicySettings } from './settings.js';
import type { AccessMode, AccessActor, RuleHit } from './types.js';

export const ACCESS_PROFILE_IDS: readonly AccessProfileId[] = ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'];

/** Our reading of each column header, used in rule texts. */
const DESCRIPTIONS: Record<AccessProfileId, string> = {
  A: 'health professional other than a médecin, with a CPS or CPF card, normal access',
  B: 'health professional other than a médecin, with a CPS or CPF card, centre 15 (régulation)',
  C: 'health professional other than a médecin, with a CPS or CPF card, bris de glace',
  D: 'médecin who is not the médecin traitant, normal access',
  E: 'médecin, centre 15 (régulation)',
  F: 'médecin who is not the médecin traitant, bris de glace',
  G: 'médecin du travail',
  H: 'médecin traitant DMP, normal access',
  I: 'médecin traitant DMP, bris de glace',
  J: 'staff with a CPE card (not a health professional), direct authentication',
  K: 'structure certificate (indirect authentication), normal access',
  L: 'structure certificate (indirect authentication), centre 15 (régulation)',
};

export interface AccessProfileSpec {
  id: AccessProfileId;
  /** Column header of the source table. */
  header: string;
  description: string;
}

export const ACCESS_PROFILES: readonly AccessProfileSpec[] = ACCESS_PROFILE_IDS.map((id, i) => {
  const [letter, header] = FUNCTIONAL_MATRIX.profiles[i]!;
  if (letter !== id) throw new Error(`functional matrix: column ${i} is ${letter}, expected ${id}`);
  return { id, header, description: DESCRIPTIONS[id] };
});

export function accessProfileSpec(id: AccessProfileId): AccessProfileSpec {
  return ACCESS_PROFILES[ACCESS_PROFILE_IDS.indexOf(id)]!;
}

export interface ProfileResolution {
  readonly profile: AccessProfileId | null;
  readonly hit: RuleHit;
}

const RESOLVED: Record<AccessProfileId, ProfileResolution> = Object.fromEntries(
  ACCESS_PROFILES.map((p) => [p.id, Object.freeze({ profile: p.id, hit: hit('ACC-PROFILE', 'info', `Profile ${p.id} of the functional matrix: ${p.description} (column "${p.header}").`) })]),
) as Record<AccessProfileId, ProfileResolution>;

const unmapped = (why: string): ProfileResolution => Object.freeze({ profile: null, hit: hit('ACC-PROFILE-UNMAPPED', 'unknown', `No column of the functional matrix applies: ${why}.`) });

export const UNMAPPED = Object.freeze({
  indirectBdg: unmapped('indirect authentication (structure certificate) has columns for normal access (K) and centre 15 (L) only, not bris de glace'),
  air: unmapped('AIR (INDIRECTE_RENFORCEE) has its own matrix PDT-INF-606, which is not public in text form (setting airProfiles)'),
  delegated: unmapped('the DELEGUEE authentication mode has no column in PDT-INF-526'),
  cpeEmergency: unmapped('a CPE card has a single column (J), for normal access; bris de glace and centre 15 are not in it'),
  occupationalEmergency: unmapped('the médecin du travail has a single column (G), for normal access'),
  noCard: unmapped('direct authentication without a card type: give CPS, CPF or CPE'),
  noProfession: unmapped('a CPS/CPF actor without a profession (first VIHF subject:role occurrence)'),
  cpfMedecin: unmapped('a CPF card of a médecin en formation: the columns say "CPS/CPF PS non-médecin" and "Médecin", and the public material does not say which applies to students'),
});

const G15_OID = '1.2.250.1.71.1.2.7';
const G16_OID = '1.2.250.1.71.1.2.8';

/** Short TRE name of the actor's profession code system (G15 by default, G16 for a CPF card). */
export function professionSystemOf(actor: AccessActor): string {
  const s = actor.professionSystem;
  if (s === undefined) return actor.card === 'CPF' ? 'G16' : 'G15';
  if (s === G15_OID) return 'G15';
  if (s === G16_OID) return 'G16';
  return s;
}

export function isOccupationalPhysician(actor: AccessActor, occupationalCodes: ReadonlySet<string>): boolean {
  if (actor.occupationalPhysician !== undefined) return actor.occupationalPhysician;
  return (actor.specialty !== undefined && occupationalCodes.has(actor.specialty)) || (actor.role !== undefined && occupationalCodes.has(actor.role));
}

/** The column for an actor and access mode: allocation-free (the results are shared constants). */
export function resolveProfile(actor: AccessActor, mode: AccessMode, settings: PolicySettings, occupationalCodes: ReadonlySet<string>): ProfileResolution {
  let auth = actor.authMode;
  if (auth === 'INDIRECTE_RENFORCEE') {
    if (settings.airProfiles === 'unknown') return UNMAPPED.air;
    auth = settings.airProfiles === 'indirect' ? 'INDIRECTE' : 'DIRECTE';
  }
  if (auth === 'INDIRECTE') {
    if (mode === 'normal') return RESOLVED.K;
    return mode === 'centre_15' ? RESOLVED.L : UNMAPPED.indirectBdg;
  }
  if (auth !== 'DIRECTE') return UNMAPPED.delegated;

  // AIR read as direct has no card of its own: the professional is identified as with a CPS.
  const card = actor.card ?? (actor.authMode === 'INDIRECTE_RENFORCEE' ? 'CPS' : undefined);
  if (card === undefined) return UNMAPPED.noCard;
  if (card === 'CPE') return mode === 'normal' ? RESOLVED.J : UNMAPPED.cpeEmergency;
  if (actor.profession === undefined) return UNMAPPED.noProfession;

  const system = professionSystemOf(actor);
  const medecin = actor.profession === '10' && (system === 'G15' || system === 'G16');
  if (!medecin) return mode === 'normal' ? RESOLVED.A : mode === 'centre_15' ? RESOLVED.B : RESOLVED.C;
  if (system === 'G16' || card === 'CPF') return UNMAPPED.cpfMedecin;
  if (isOccupationalPhysician(actor, occupationalCodes)) return mode === 'normal' ? RESOLVED.G : UNMAPPED.occupationalEmergency;
  // Column E is "Médecin régulation", whether or not the médecin is the médecin traitant.
  if (mode === 'centre_15') return RESOLVED.E;
  if (actor.medecinTraitant === true) return mode === 'normal' ? RESOLVED.H : RESOLVED.I;
  return mode === 'normal' ? RESOLVED.D : RESOLVED.F;
}

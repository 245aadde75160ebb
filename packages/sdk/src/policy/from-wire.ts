/**
 * From what travels on the wire to the evaluator's inputs: the VIHF context gives the actor, an XDS DocumentEntry
 * gives the document. The simulator decides with these, and a client can pre-check a request with the same
 * mapping, so the two never disagree on who is acting or on what.
 *
 * What the VIHF does not carry is said here, not guessed elsewhere: the card type of a direct-mode actor comes
 * from the certificate (CPS, CPF or CPE); when the caller does not know it, it is inferred from the profession's
 * code system (TRE_G15 → CPS, TRE_G16 → CPF, any non-PS system → CPE), which is how the cards are issued.
 */
import type { VihfContext } from '../vihf/context.js';
import type { DocumentEntry, XdsCode } from '../xds/document-entry.js';
import { visibilityOf } from '../xds/update.js';
import { DMP_ACTIONS, type DmpActionId } from './actions.js';
import type { AccessActor, AccessCardType, AccessDocument, AccessMode } from './types.js';
import { ACCESS_DOCUMENT_STATUSES } from './visibility.js';

const G15_OID = '1.2.250.1.71.1.2.7';
const G16_OID = '1.2.250.1.71.1.2.8';

export interface ActorFromVihfOptions {
  /** The card type when the certificate tells it (direct mode). */
  card?: AccessCardType;
  /** TD0.2 STATUT_MT of this actor on the patient's DMP (a registry fact, not a VIHF attribute). */
  medecinTraitant?: boolean;
}

/** The card a direct-mode actor most likely holds, from the profession's code system. */
export function inferCardType(professionSystem: string): AccessCardType {
  if (professionSystem === G15_OID) return 'CPS';
  if (professionSystem === G16_OID) return 'CPF';
  return 'CPE';
}

/** The evaluator's actor for a decoded VIHF. */
export function accessActorFromVihf(ctx: VihfContext, options: ActorFromVihfOptions = {}): AccessActor {
  const roles = ctx.extraRoles ?? [];
  const actor: AccessActor = {
    authMode: ctx.authenticationMode,
    profession: ctx.profession.code,
    professionSystem: ctx.profession.codeSystem,
    id: ctx.nameId,
    structureId: ctx.structureId,
    ...(ctx.specialty ? { specialty: ctx.specialty.code } : {}),
    ...(roles[0] ? { role: roles[0].code } : {}),
    ...(roles[1] ? { genre: roles[1].code } : {}),
    ...(options.medecinTraitant !== undefined ? { medecinTraitant: options.medecinTraitant } : {}),
  };
  if (ctx.authenticationMode === 'DIRECTE') actor.card = options.card ?? inferCardType(ctx.profession.codeSystem);
  return actor;
}

export function accessModeFromVihf(ctx: VihfContext): AccessMode {
  return ctx.purposeOfUse;
}

/** XCN component 1 (the identifier) of an authorPerson, e.g. `899900063480^LIBRE^MAX^…` → `899900063480`. */
function xcnId(xcn: string | undefined): string | undefined {
  const id = xcn?.split('^')[0]?.trim();
  return id ? id : undefined;
}

/** XON component 10 (the identifier) of an authorInstitution, e.g. `CABINET^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001`. */
function xonId(xon: string): string | undefined {
  const id = xon.split('^')[9]?.trim();
  return id ? id : undefined;
}

/** The evaluator's document for a registry entry (status, type, class, confidentiality, authors). */
export function accessDocumentFromEntry(entry: DocumentEntry, ref?: string): AccessDocument {
  const status = entry.availabilityStatus ? ACCESS_DOCUMENT_STATUSES[entry.availabilityStatus] : undefined;
  const authorIds = entry.authors.map((a) => xcnId(a.authorPerson)).filter((x): x is string => x !== undefined);
  const authorStructureIds = entry.authors.flatMap((a) => a.authorInstitution.map(xonId)).filter((x): x is string => x !== undefined);
  return {
    ...(ref !== undefined ? { ref } : {}),
    ...(entry.typeCode ? { typeCode: entry.typeCode.code } : {}),
    ...(entry.classCode ? { classCode: entry.classCode.code } : {}),
    confidentiality: entry.confidentialityCode.map((c) => c.code),
    status: status ?? 'approved',
    authorIds,
    authorStructureIds,
  };
}

/**
 * The TD3.3 action an ITI-57 UpdateAvailabilityStatus amounts to, from the status asked for (Deleted → delete,
 * Archived → archive, Approved → unarchive); undefined for a status no DMP action sets. Whether the transition from
 * the current status is allowed is the evaluator's to say (rule DOC-STATUS-TRANSITION).
 */
export function statusChangeAction(newStatus: string): DmpActionId | undefined {
  const to = ACCESS_DOCUMENT_STATUSES[newStatus];
  return DMP_ACTIONS.find((a) => 'transition' in a && a.transition?.to === to)?.id;
}

/**
 * The TD3.3 actions an ITI-57 metadata update amounts to, from the visibility codes before and after: MASQUE_PS set
 * (mask) or removed (unmask); INVISIBLE_PATIENT or INVISIBLE_REPRESENTANTS_LEGAUX changed either way: the matrix has
 * one row for them ("rendre visible au patient"), which is read for both directions — the public matrix has no row
 * for hiding a deposited document from the patient. Empty when no visibility code changes.
 */
export function visibilityChangeActions(before: readonly XdsCode[], after: readonly XdsCode[]): DmpActionId[] {
  const a = visibilityOf(before);
  const b = visibilityOf(after);
  const out: DmpActionId[] = [];
  if (!a.maskedToProfessionals && b.maskedToProfessionals) out.push('TD3.3a-MASK');
  if (a.maskedToProfessionals && !b.maskedToProfessionals) out.push('TD3.3a-UNMASK');
  if (a.hiddenFromPatient !== b.hiddenFromPatient || a.hiddenFromLegalRepresentatives !== b.hiddenFromLegalRepresentatives) out.push('TD3.3b-SHOW-PATIENT');
  return out;
}

/**
 * The access-policy evaluator: one pure function from (actor, patient state, action, document, access mode,
 * time) to allow / deny / unknown with the ordered rules that decided it and the obligations that come with it.
 * The simulator enforces exactly this function; the CLI explains it.
 *
 * Order of the rules: who the actor is (profile), what the patient's DMP allows (blocked, absent, closed),
 * the access mode (opposition to bris de glace), the functional matrix cell and its footnotes, the
 * authorization (consultation only), then what concerns the document (document-type matrix, visibility,
 * lifecycle). A deny stops the evaluation; an unknown does not, since a later rule may still deny.
 *
 * Speed: the matrices are compiled once (compilePolicy); an evaluation allocates the hit list, the decision
 * and a small context, and shares every rule hit and obligation object.
 */
import { DMP_ACTIONS, type DmpActionSpec } from './actions.js';
import type { DocumentMatrixData, FunctionalMatrixData, AccessProfileId } from './data-types.js';
import { compileDocumentMatrix, NO_COLUMN, ROLE_BASED_DISABLED, type CompiledDocumentMatrix, type TypeEntry } from './document-matrix.js';
import { applyFootnote, applyStar, AUTHOR_NO, AUTHOR_YES, membership, type FootnoteContext } from './footnotes.js';
import { CompiledFunctionalMatrix, type CompiledRow } from './functional-matrix.js';
import { SHIPPED_DOCUMENT_MATRIX } from './generated/document-matrix.js';
import { FUNCTIONAL_MATRIX } from './generated/functional-matrix.js';
import { ACCESS_OBLIGATIONS } from './obligations.js';
import { ACCESS_PROFILE_IDS, professionSystemOf, resolveProfile, type ProfileResolution } from './profiles.js';
import { hit } from './rules.js';
import { resolveSettings, type PolicySettings } from './settings.js';
import { addDays, toMillis } from './time.js';
import { Trace } from './trace.js';
import type { AccessMode, AccessRequest, AccessActor, AccessDocumentStatus, AccessDecision, AccessDocument, RuleHit } from './types.js';
import { confidentialityFlags, FLAG_INVISIBLE_PATIENT, FLAG_INVISIBLE_RL, FLAG_MASKED, isPatientDocument } from './visibility.js';

/** First instant TD0.0 is no longer available: 1 October 2023 00:00 in Paris (UTC+2). */
const TD00_END = Date.UTC(2023, 8, 30, 22, 0, 0);

const S = Object.freeze({
  actionUnknown: hit('ACC-ACTION-UNKNOWN', 'deny'),
  specialty: hit(
    'ACC-SPECIALTY-REQUIRED',
    'deny',
    'The actor is a médecin or a pharmacien without the second VIHF subject:role occurrence (savoir-faire, or CNOP section): the DMP refuses the request ("Aucune spécialité dans le vihf"). Send the specialty from the CPS.',
  ),
  td00Withdrawn: hit('ACC-FN11-TD00-WITHDRAWN', 'deny', 'TD0.0 was withdrawn after 30/09/2023 (footnote 11): query the INSi service directly.'),
  td00Available: hit('ACC-FN11-TD00-WITHDRAWN', 'info', 'At that date TD0.0 was still available (until 30/09/2023, footnote 11).'),
  blocked: hit('ACC-BLOCKED', 'deny', 'The patient blocked this professional: no access to the DMP, with or without consent (only the TD0.2 test answers).'),
  absent: hit('ACC-DMP-ABSENT', 'deny', 'The patient has no DMP (TD0.2 answers NF): nothing can be read, fed or managed.'),
  closed: hit('ACC-DMP-CLOSED', 'deny', 'The DMP is closed: it can no longer be read or fed, and closing it again fails (DMPClosed).'),
  closedUnspecified: hit('ACC-DMP-CLOSED-UNSPECIFIED', 'unknown', 'The DMP is closed; the public material says a closed DMP refuses feeding and consultation, not what it does for this action.'),
  feedWithoutMes: hit('ACC-FEED-WITHOUT-MES', 'info', 'Mon espace santé is not activated for this patient: feeding is possible all the same.'),
  bdgOpposed: hit('ACC-BDG-OPPOSED', 'deny', 'The patient opposed bris de glace access (OPPOSITION_BRIS_DE_GLACE): consultation in bris de glace is refused.'),
  c15Opposed: hit('ACC-C15-OPPOSED', 'info', 'The patient opposed access by the centre 15 (OPPOSITION_ACCES_URGENCE): the authorization check applies as in normal mode.'),
  bdgNoAuth: hit('ACC-EMERGENCY-NO-AUTHORIZATION', 'allow', 'Bris de glace: the authorization check is skipped (the patient did not oppose it); a justification is due.'),
  c15NoAuth: hit('ACC-EMERGENCY-NO-AUTHORIZATION', 'allow', 'Centre 15: the authorization check is skipped (the patient did not oppose it).'),
  authValid: hit('ACC-AUTHORIZATION-VALID', 'allow', 'The professional holds a valid authorization on this DMP (AUTORISATION VALIDE).'),
  consentNone: hit('ACC-CONSENT-REQUIRED', 'deny', "The professional has no authorization on this DMP: record the patient's consent, declare it with TD0.3 setAuthorization(AJOUT), then consult."),
  consentExpired: hit('ACC-CONSENT-REQUIRED', 'deny', "The professional's authorization on this DMP has expired: collect the patient's consent again, declare it with TD0.3 setAuthorization(AJOUT), then consult."),
  authUnknown: hit(
    'ACC-AUTHORIZATION-UNKNOWN',
    'unknown',
    'The authorization status of this professional is unknown (TD0.2 returned a value dmpkit cannot interpret): map the code with settings.authorizationCodes.',
  ),
  secret: hit('ACC-SECRET-ACCESS', 'info'),
  secretNotMinor: hit('ACC-SECRET-ACCESS', 'info', 'A secret access was asked for a patient who is not marked as a minor (the connexion secrète is meant for minors); the VIHF confidentiality-code is still due.'),
  fn10Mes: hit('ACC-FN10-NOT-MES', 'deny', 'The DMP is attached to Mon espace santé: TD1.3b, TD1.4 and TD1.5 are possible only for a DMP that is not (footnote 10); the patient manages it in Mon espace santé.'),
  fn10Ok: hit('ACC-FN10-NOT-MES', 'info', 'The DMP is not attached to Mon espace santé, as footnote (10) requires.'),
  invisiblePatient: hit('VIS-INVISIBLE-PATIENT', 'info', 'The document is INVISIBLE_PATIENT: professionals see it, the patient does not yet — warn the professional.'),
  invisibleRl: hit('VIS-INVISIBLE-REPRESENTANTS-LEGAUX', 'info', 'The document is INVISIBLE_REPRESENTANTS_LEGAUX: professionals see it; the legal representatives do not.'),
  patientDocument: hit('VIS-PATIENT-DOCUMENT', 'info', 'The document was deposited by the patient: show it as such; its access follows the document-type matrix row of its typeCode.'),
  noCumulFeed: hit(
    'VIS-NO-CUMUL-MASQUE-INVISIBLE',
    'deny',
    'The document carries both MASQUE_PS and INVISIBLE_PATIENT, which the DMP refuses while cumul-invisible_patient-masque_ps is false: keep only one of them.',
  ),
  noCumulMask: hit(
    'VIS-NO-CUMUL-MASQUE-INVISIBLE',
    'deny',
    'The document is INVISIBLE_PATIENT: it cannot also be masked to professionals while cumul-invisible_patient-masque_ps is false (make it visible to the patient first).',
  ),
  mtAll: hit('DOC-MT-ALL', 'allow', 'The médecin traitant DMP reads every document, whatever its type (CSP L1111-16).'),
  mtEquivalentAll: hit('DOC-MT-ALL', 'allow', "The patient gave this professional the médecin traitant's rights (CSP L1111-16): every document type."),
  authorOwn: hit('DOC-AUTHOR-OWN', 'allow', 'The actor is the author of the document: readable whatever its type (setting authorReadsOwnDocuments; to verify in the DMP guide).'),
  emergencyUnknown: hit('DOC-MATRIX-EMERGENCY', 'unknown', 'Bris de glace / centre 15: whether the document-type matrix applies is not public (setting documentMatrixInEmergency=unknown).'),
  emergencyApplied: hit('DOC-MATRIX-EMERGENCY', 'info', 'Bris de glace / centre 15: the document-type matrix is applied as in normal mode (setting documentMatrixInEmergency=apply; the public material is silent).'),
  typeMissing: hit('DOC-TYPECODE-MISSING', 'unknown', 'The document has no typeCode: give it so that the document-type matrix can decide.'),
  roleDisabled: hit(
    'DOC-MATRIX-ROLE-BASED-DISABLED',
    'unknown',
    'The actor is a profession "à rôle": its document-type matrix column is not applied (setting roleBasedProfessions=false; the 2023 rules for these professions were suspended by litigation).',
  ),
  notEvaluated: hit('DOC-MATRIX-NOT-EVALUATED', 'info', 'No document was given: only the functional right was checked, not the document-type matrix nor the document flags.'),
  replaceNoDoc: hit('DOC-REPLACE-TARGET', 'unknown', 'Replacement: give the document being replaced (its status and authors) to check the RPLC target.'),
  replaceSameAuthor: hit('DOC-REPLACE-AUTHOR', 'allow', 'The replaced document was authored by the actor (or the actor\'s structure): the replacement is assumed allowed.'),
  replaceOtherAuthor: hit('DOC-REPLACE-AUTHOR', 'unknown', 'The replaced document was authored by someone else: who may replace it is not documented publicly.'),
  replaceAuthorUnknown: hit('DOC-REPLACE-AUTHOR', 'unknown', 'Who authored the replaced document was not given (actor id / structure and the document authors): who may replace it cannot be checked.'),
});

const STATUS_HIT: Record<Exclude<AccessDocumentStatus, 'approved'>, RuleHit> = {
  archived: hit('VIS-STATUS', 'info', 'The document is archived: consultable by authorized professionals; listed only when the user asks for archived documents.'),
  deprecated: hit('VIS-STATUS', 'info', 'The document is deprecated (replaced by a newer version): consultable; listed only on request — follow the RPLC chain to the current version.'),
  deleted: hit('VIS-STATUS', 'info', 'The document is deleted (unpublished): still consultable by authorized professionals (matrix row "supprimés"); listed only on request.'),
};

const REPLACE_TARGET: Record<AccessDocumentStatus, RuleHit> = {
  approved: hit('DOC-REPLACE-TARGET', 'allow', 'The replaced document is Approved: it can be replaced (it becomes Deprecated).'),
  archived: hit('DOC-REPLACE-TARGET', 'allow', 'The replaced document is Archived: it can be replaced (it becomes Deprecated).'),
  deprecated: hit('DOC-REPLACE-TARGET', 'deny', 'The replaced document is already Deprecated: replace its current version instead.'),
  deleted: hit('DOC-REPLACE-TARGET', 'deny', 'The replaced document is Deleted: a deleted document cannot be replaced; deposit a new document.'),
};

/** Observed ITI-57 availability transitions (dmp-interface.md §6): from → to. */
const OBSERVED_TRANSITIONS: Record<AccessDocumentStatus, readonly AccessDocumentStatus[]> = {
  approved: ['archived', 'deleted'],
  archived: ['approved', 'deleted'],
  deprecated: [],
  deleted: [],
};

const STATUS_URN: Record<AccessDocumentStatus, string> = { approved: 'Approved', archived: 'Archived', deprecated: 'Deprecated', deleted: 'Deleted' };

type TransitionTarget = NonNullable<DmpActionSpec['transition']>['to'];

/** TRANSITION_HITS[from][to] (nested records: no key string to build per decision). */
const TRANSITION_HITS = {} as Record<AccessDocumentStatus, Record<TransitionTarget, RuleHit>>;
for (const from of Object.keys(OBSERVED_TRANSITIONS) as AccessDocumentStatus[]) {
  TRANSITION_HITS[from] = {} as Record<TransitionTarget, RuleHit>;
  for (const to of ['approved', 'archived', 'deleted'] as const) {
    const observed = OBSERVED_TRANSITIONS[from].includes(to);
    const inferred = from === 'archived' && to === 'approved' ? ' (unarchiving is inferred from the archive transition)' : '';
    TRANSITION_HITS[from][to] = observed
      ? hit('DOC-STATUS-TRANSITION', 'allow', `${STATUS_URN[from]} → ${STATUS_URN[to]} is an observed availability transition${inferred}.`)
      : hit('DOC-STATUS-TRANSITION', 'unknown', `${STATUS_URN[from]} → ${STATUS_URN[to]} is not an availability transition the public material shows.`);
  }
}

// The profile ids are the letters A–L in column order, so a profile's column index is its char code minus 'A'
// (cheaper than a keyed object lookup per decision).
ACCESS_PROFILE_IDS.forEach((p, i) => {
  if (p.charCodeAt(0) - 65 !== i) throw new Error(`profile ${p} is not at column ${i}`);
});
const profileIndex = (p: AccessProfileId): number => p.charCodeAt(0) - 65;

/**
 * An action compiled once per Policy: its functional-matrix row looked up and the tests on its spec that every
 * decision would otherwise repeat (footnotes.includes, row Map lookups).
 */
interface ActionPlan {
  readonly spec: DmpActionSpec;
  /** The row of spec.rows[0] (TD3.2 picks its own rows); undefined when the matrix lacks it. */
  readonly firstRow: CompiledRow | undefined;
  /** The unknown hit of an action without a row in the extracted table, else null. */
  readonly missingRow: RuleHit | null;
  readonly footnote10: boolean;
  readonly footnote11: boolean;
}

export interface PolicyOptions {
  settings?: Partial<PolicySettings>;
  /** An imported official table; default: the shipped partial matrix. */
  documentMatrix?: DocumentMatrixData;
  /** Default: the shipped PDT-INF-526 v1.8. */
  functionalMatrix?: FunctionalMatrixData;
}

/** The médecin traitant DMP: STATUT_MT, and a médecin (the flag means nothing for other professions). */
export function isMedecinTraitant(actor: AccessActor): boolean {
  return actor.medecinTraitant === true && actor.profession === '10' && professionSystemOf(actor) === 'G15';
}

export class Policy {
  readonly settings: PolicySettings;
  readonly functional: CompiledFunctionalMatrix;
  readonly documents: CompiledDocumentMatrix;
  private readonly occupational: ReadonlySet<string>;
  private readonly expiredLocal: RuleHit | null;
  private readonly plans: ReadonlyMap<string, ActionPlan>;
  /** The TD3.2 rows, by name (undefined when a custom functional matrix lacks them). */
  private readonly rowUnmasked: CompiledRow | undefined;
  private readonly rowMasked: CompiledRow | undefined;
  private readonly rowSpecial: CompiledRow | undefined;

  constructor(options: PolicyOptions = {}) {
    this.settings = resolveSettings(options.settings);
    this.functional = new CompiledFunctionalMatrix(options.functionalMatrix ?? FUNCTIONAL_MATRIX);
    this.documents = compileDocumentMatrix(options.documentMatrix ?? SHIPPED_DOCUMENT_MATRIX);
    this.occupational = new Set(this.settings.occupationalHealthCodes);
    const days = this.settings.authorizationValidityDays;
    this.expiredLocal =
      days === null ? null : hit('ACC-AUTHORIZATION-EXPIRED-LOCAL', 'info', `The authorization is older than ${days} days (settings.authorizationValidityDays): it is treated as expired.`);
    const f = this.functional;
    this.plans = new Map(
      DMP_ACTIONS.map((spec): [string, ActionPlan] => [
        spec.id,
        Object.freeze({
          spec,
          firstRow: spec.rows.length > 0 ? f.row(spec.rows[0]!) : undefined,
          missingRow: spec.rows.length === 0 ? f.missingRow(spec.id, spec.label) : null,
          footnote10: (spec.footnotes as readonly string[]).includes('10'),
          footnote11: (spec.footnotes as readonly string[]).includes('11'),
        }),
      ]),
    );
    this.rowUnmasked = f.row('TD3.2-unmasked');
    this.rowMasked = f.row('TD3.2-masked');
    this.rowSpecial = f.row('TD3.2-special');
  }

  /** The functional-matrix column of an actor in an access mode (with the rule that says why). */
  profileOf(actor: AccessActor, mode: AccessMode): ProfileResolution {
    return resolveProfile(actor, mode, this.settings, this.occupational);
  }

  /** The decision for one request. Pure: same request, same decision. */
  evaluate(req: AccessRequest): AccessDecision {
    const t = new Trace();
    const plan = this.plans.get(req.action);
    const onUnknown = this.settings.onUnknown;
    if (plan === undefined) {
      t.add(S.actionUnknown);
      return t.finish(null, onUnknown);
    }
    const spec = plan.spec;
    const { actor, patient } = req;
    const doc = req.document;
    const mode: AccessMode = req.mode ?? 'normal';
    const resolved = resolveProfile(actor, mode, this.settings, this.occupational);
    const profile = resolved.profile;
    t.add(resolved.hit);
    if (this.gatesDeny(plan, req, mode, t)) return t.finish(profile, onUnknown);

    // One lookup gives the document type and, later, the document-type matrix cell.
    const entry = doc?.typeCode !== undefined ? this.documents.entry(doc.typeCode) : undefined;
    const type = entry?.type;
    const flags = confidentialityFlags(doc);
    const ctx: FootnoteContext = {
      actor,
      doc,
      mode,
      settings: this.settings,
      maskedVisibleInEmergency: patient.maskedVisibleInEmergency === true,
      patientDocument: doc !== undefined && isPatientDocument(doc, type),
      medecinTraitant: isMedecinTraitant(actor),
      starRow: false,
    };
    if (profile !== null && this.matrixDenies(plan, profile, flags, ctx, t)) return t.finish(profile, onUnknown);
    if (plan.footnote10 && t.add(patient.mesActivated === true ? S.fn10Mes : S.fn10Ok)) return t.finish(profile, onUnknown);
    if (spec.consultation && this.authorizationDenies(req, mode, t)) return t.finish(profile, onUnknown);
    if (this.documentDenies(spec, req, mode, flags, ctx, entry, t)) return t.finish(profile, onUnknown);

    if (spec.kind !== 'global') {
      if (req.secret === true) {
        t.add(patient.minor === true ? S.secret : S.secretNotMinor);
        t.oblige(ACCESS_OBLIGATIONS.HIDE_TRACE);
      }
      if (mode === 'bris_de_glace' && spec.kind !== 'status') t.oblige(ACCESS_OBLIGATIONS.JUSTIFY_BDG);
    }
    if (spec.id === 'TD0.2' || spec.id === 'TD1.3a') t.oblige(ACCESS_OBLIGATIONS.NO_DMP_IDENTITY);
    return t.finish(profile, onUnknown);
  }

  /** VIHF specialty, TD0.0 withdrawal, patient state, opposition to bris de glace. */
  private gatesDeny(plan: ActionPlan, req: AccessRequest, mode: AccessMode, t: Trace): boolean {
    const { actor, patient } = req;
    const spec = plan.spec;
    if ((actor.profession === '10' || actor.profession === '21') && !actor.specialty && professionSystemOf(actor) === 'G15' && t.add(S.specialty)) return true;
    if (plan.footnote11) {
      if (t.add(toMillis(req.time, 'time') >= TD00_END ? S.td00Withdrawn : S.td00Available)) return true;
    }
    const kind = spec.kind;
    if (kind === 'global' || kind === 'status') return false;
    if (patient.blocked === true && t.add(S.blocked)) return true;
    if (patient.dmp === 'absent' && t.add(S.absent)) return true;
    if (patient.dmp === 'closed') {
      if (kind === 'read' || kind === 'feed' || spec.id === 'TD1.4') return t.add(S.closed);
      t.add(S.closedUnspecified);
    }
    return spec.consultation && mode === 'bris_de_glace' && patient.opposedBrisDeGlace === true && t.add(S.bdgOpposed);
  }

  /** The functional matrix rows of the action (TD3.x picks them from the document), cell by cell. */
  private matrixDenies(plan: ActionPlan, profile: AccessProfileId, flags: number, ctx: FootnoteContext, t: Trace): boolean {
    if (plan.missingRow !== null) {
      t.add(plan.missingRow);
      return false;
    }
    const spec = plan.spec;
    const pi = profileIndex(profile);
    if (spec.id === 'TD3.2') {
      // The most specific row first: invisible / archived / deprecated / deleted, then masked or not.
      const special = (flags & (FLAG_INVISIBLE_PATIENT | FLAG_INVISIBLE_RL)) !== 0 || (ctx.doc?.status !== undefined && ctx.doc.status !== 'approved');
      if (special && this.rowDenies(this.rowSpecial!, pi, ctx, t)) return true;
      return this.rowDenies((flags & FLAG_MASKED ? this.rowMasked : this.rowUnmasked)!, pi, ctx, t);
    }
    if (this.rowDenies(plan.firstRow!, pi, ctx, t)) return true;
    // A search returns masked documents only to whom may see them (visibility filter on TD3.1/TD3.2, §12.7).
    return spec.id === 'TD3.1-META' && (flags & FLAG_MASKED) !== 0 && this.rowDenies(this.rowMasked!, pi, ctx, t);
  }

  private rowDenies(row: CompiledRow, profileIndex: number, ctx: FootnoteContext, t: Trace): boolean {
    const cell = row.cells[profileIndex]!;
    if (t.add(cell.hit)) return true;
    ctx.starRow = row.star;
    for (let i = 0; i < cell.footnotes.length; i++) if (applyFootnote(cell.footnotes[i]!, ctx, t)) return true;
    return row.star && applyStar(ctx, t);
  }

  /** Consultation: a valid authorization in normal mode, skipped in bris de glace / centre 15 unless opposed. */
  private authorizationDenies(req: AccessRequest, mode: AccessMode, t: Trace): boolean {
    const patient = req.patient;
    if (mode === 'bris_de_glace') return t.add(S.bdgNoAuth);
    if (mode === 'centre_15') {
      if (patient.opposedCentre15 !== true) return t.add(S.c15NoAuth);
      t.add(S.c15Opposed);
    }
    let status = patient.authorization ?? 'none';
    const days = this.settings.authorizationValidityDays;
    if (status === 'valid' && days !== null && patient.authorizedAt !== undefined) {
      if (toMillis(req.time, 'time') > addDays(toMillis(patient.authorizedAt, 'patient.authorizedAt'), days)) {
        t.add(this.expiredLocal!);
        status = 'expired';
      }
    }
    switch (status) {
      case 'valid':
        return t.add(S.authValid);
      case 'unknown':
        return t.add(S.authUnknown);
      default:
        t.oblige(ACCESS_OBLIGATIONS.RECORD_CONSENT);
        t.oblige(ACCESS_OBLIGATIONS.CALL_TD03);
        return t.add(status === 'expired' ? S.consentExpired : S.consentNone);
    }
  }

  /** Feeding, masking, lifecycle and, for TD3.2, the document-type matrix and the visibility notes. */
  private documentDenies(spec: DmpActionSpec, req: AccessRequest, mode: AccessMode, flags: number, ctx: FootnoteContext, entry: TypeEntry | undefined, t: Trace): boolean {
    const doc = req.document;
    const cumulForbidden = !this.settings.cumulInvisiblePatientMasquePs;
    if (spec.kind === 'feed') {
      if (req.patient.mesActivated !== true) t.add(S.feedWithoutMes);
      t.oblige(ACCESS_OBLIGATIONS.FEED_NON_OPPOSITION);
      if (spec.id === 'TD2.1-REPLACE') return this.replaceDenies(req, t);
      return doc !== undefined && cumulForbidden && (flags & (FLAG_MASKED | FLAG_INVISIBLE_PATIENT)) === (FLAG_MASKED | FLAG_INVISIBLE_PATIENT) && t.add(S.noCumulFeed);
    }
    if (spec.id === 'TD3.3a-MASK' && cumulForbidden && (flags & FLAG_INVISIBLE_PATIENT) !== 0 && t.add(S.noCumulMask)) return true;
    if (spec.transition !== undefined && doc !== undefined) {
      if (t.add(TRANSITION_HITS[doc.status ?? 'approved'][spec.transition.to])) return true;
    }
    if (spec.id !== 'TD3.2') return false;
    if (doc === undefined) {
      t.add(S.notEvaluated);
      return false;
    }
    if (this.documentTypeDenies(req.actor, doc, mode, ctx, entry, t)) return true;
    if (flags & FLAG_INVISIBLE_PATIENT) {
      t.add(S.invisiblePatient);
      t.oblige(ACCESS_OBLIGATIONS.WARN_NOT_VISIBLE_TO_PATIENT);
    }
    if (flags & FLAG_INVISIBLE_RL) t.add(S.invisibleRl);
    if (doc.status !== undefined && doc.status !== 'approved') {
      t.add(STATUS_HIT[doc.status]);
      t.oblige(ACCESS_OBLIGATIONS.LIST_CURRENT_BY_DEFAULT);
    }
    if (ctx.patientDocument) {
      t.add(S.patientDocument);
      t.oblige(ACCESS_OBLIGATIONS.SHOW_AS_PATIENT_DOCUMENT);
    }
    return false;
  }

  /** The document-type matrix for a consultation, after the médecin traitant and author exceptions. */
  private documentTypeDenies(actor: AccessActor, doc: AccessDocument, mode: AccessMode, ctx: FootnoteContext, entry: TypeEntry | undefined, t: Trace): boolean {
    if (ctx.medecinTraitant) return t.add(S.mtAll);
    if (actor.mtEquivalentRights === true) return t.add(S.mtEquivalentAll);
    if (this.settings.authorReadsOwnDocuments && membership(actor.id, doc.authorIds) === AUTHOR_YES) return t.add(S.authorOwn);
    if (mode !== 'normal') {
      if (this.settings.documentMatrixInEmergency === 'unknown') return t.add(S.emergencyUnknown);
      t.add(S.emergencyApplied);
    }
    if (doc.typeCode === undefined) return t.add(S.typeMissing);
    const column = this.documents.columnOf(actor, this.settings.roleBasedProfessions);
    if (column === ROLE_BASED_DISABLED) return t.add(S.roleDisabled);
    if (column === NO_COLUMN) return t.add(this.documents.noColumn(actor));
    return t.add(this.documents.lookupEntry(entry, doc.typeCode, column, this.settings.rowStatements));
  }

  /** RPLC: the target must be current (Approved/Archived); who may replace is public only for one's own documents. */
  private replaceDenies(req: AccessRequest, t: Trace): boolean {
    const doc = req.document;
    if (doc === undefined) return t.add(S.replaceNoDoc);
    if (t.add(REPLACE_TARGET[doc.status ?? 'approved'])) return true;
    const person = membership(req.actor.id, doc.authorIds);
    const structure = membership(req.actor.structureId, doc.authorStructureIds);
    if (person === AUTHOR_YES || structure === AUTHOR_YES) return t.add(S.replaceSameAuthor);
    return t.add(person === AUTHOR_NO || structure === AUTHOR_NO ? S.replaceOtherAuthor : S.replaceAuthorUnknown);
  }

  /** Identity of the data in use, for reports: matrix versions and where they come from. */
  describe(): { functionalMatrix: string; documentMatrix: string; documentMatrixOrigin: 'shipped' | 'imported'; documentMatrixComplete: boolean } {
    const f = this.functional.data;
    const d = this.documents.data;
    return { functionalMatrix: `${f.id} v${f.version} (${f.date})`, documentMatrix: `${d.id} ${d.version}`, documentMatrixOrigin: d.origin, documentMatrixComplete: d.complete };
  }
}

export function compilePolicy(options: PolicyOptions = {}): Policy {
  return new Policy(options);
}

let shared: Policy | undefined;

/** The policy with the shipped data and default settings, compiled on first use. */
export function defaultPolicy(): Policy {
  shared ??= new Policy();
  return shared;
}

/** evaluate() on the default policy (or the one given). */
export function evaluateAccess(req: AccessRequest, policy: Policy = defaultPolicy()): AccessDecision {
  return policy.evaluate(req);
}

/**
 * The actions of the DMP interface the policy decides on (dmp-interface.md §1 and §3), with the rows of the
 * functional matrix that govern each and what kind of access it is. The kind drives the patient-state gates:
 * a closed DMP refuses feeding and reading, only consultation needs an authorization, and so on.
 */

/**
 * - `global`: not about one patient's DMP (authentication, INSi, list, search without INS);
 * - `status`: TD0.2, the existence/authorization test that tells the LPS the DMP's state (also to a blocked PS);
 * - `read`, `feed`, `manage`: patient-scoped access.
 */
export type DmpActionKind = 'global' | 'status' | 'read' | 'feed' | 'manage';

export interface DmpActionSpec {
  readonly id: string;
  readonly label: string;
  readonly kind: DmpActionKind;
  /** Functional-matrix row ids; empty when the extracted table has no row for it. TD3.2 picks its row from the document. */
  readonly rows: readonly string[];
  /** Document consultation: needs a valid authorization in normal mode (dmp-interface.md §4.1, §12.6). */
  readonly consultation: boolean;
  /** Footnotes that apply to the action itself rather than to a cell (10, 11). */
  readonly footnotes: readonly string[];
  /** Availability-status transition of an ITI-57 UpdateAvailabilityStatus (dmp-interface.md §6, §12). */
  readonly transition?: { readonly to: 'archived' | 'approved' | 'deleted' };
}

const a = (
  id: string,
  label: string,
  kind: DmpActionKind,
  rows: readonly string[],
  extra: Partial<Pick<DmpActionSpec, 'consultation' | 'footnotes' | 'transition'>> = {},
): DmpActionSpec => ({ id, label, kind, rows, consultation: extra.consultation ?? false, footnotes: extra.footnotes ?? [], ...(extra.transition ? { transition: extra.transition } : {}) });

export const DMP_ACTIONS = [
  a('TD0.0', "acquisition of the patient's identity (INSi)", 'global', ['TD0.0-0.2'], { footnotes: ['11'] }),
  a('TD0.1', 'authentication on the DMP', 'global', ['TD0.0-0.2']),
  a('TD0.2', 'test of existence of the DMP and of the authorization', 'status', ['TD0.0-0.2']),
  a('TD0.3-AUTHORIZE', 'declare oneself authorized (setAuthorization AJOUT)', 'manage', ['TD0.3-declare']),
  a('TD0.3-REVOKE', "remove one's own authorization (setAuthorization SUPPRESSION)", 'manage', ['TD0.3-revoke']),
  a('TD0.3-REMOVE-MT', 'stop being the médecin traitant DMP', 'manage', ['TD0.3-remove-mt']),
  a('TD0.4', 'list the DMPs one is authorized on', 'global', ['TD0.4']),
  a('TD0.5', 'search a patient without INS (regulation)', 'global', ['TD0.5']),
  a('TD0.9', 'contextual web access for professionals', 'read', ['TD0.9']),
  a('TD1.3a', 'read the administrative data', 'read', ['TD1.3a']),
  a('TD1.3b', 'modify the management data', 'manage', [], { footnotes: ['10'] }),
  a('TD1.4', 'close the DMP', 'manage', [], { footnotes: ['10'] }),
  a('TD1.5', "manage the patient's internet account", 'manage', [], { footnotes: ['10'] }),
  a('TD1.6', 'list the professionals authorized or blocked on the DMP', 'read', ['TD1.6']),
  a('TD2.1', 'feed the DMP (deposit a document)', 'feed', ['TD2.1']),
  a('TD2.1-REPLACE', 'replace a document (deposit with RPLC)', 'feed', ['TD2.1']),
  a('TD2.2', 'feed the DMP with a CPE card', 'feed', ['TD2.2']),
  a('TD3.1-META', 'search documents (metadata)', 'read', ['TD3.1-metadata'], { consultation: true }),
  a('TD3.1-REF', 'search the reference of a document', 'read', ['TD3.1-reference']),
  a('TD3.2', 'consult a document', 'read', ['TD3.2-unmasked', 'TD3.2-masked', 'TD3.2-special'], { consultation: true }),
  a('TD3.3a-MASK', 'mask a document to professionals', 'manage', ['TD3.3a-mask']),
  a('TD3.3a-UNMASK', 'unmask a document', 'manage', ['TD3.3a-unmask']),
  a('TD3.3b-SHOW-PATIENT', 'make a document visible to the patient', 'manage', ['TD3.3b-show']),
  a('TD3.3c-DELETE', 'delete a document', 'manage', ['TD3.3c'], { transition: { to: 'deleted' } }),
  a('TD3.3d-ARCHIVE', 'archive a document', 'manage', ['TD3.3d'], { transition: { to: 'archived' } }),
  a('TD3.3d-UNARCHIVE', 'unarchive a document', 'manage', ['TD3.3d'], { transition: { to: 'approved' } }),
] as const satisfies readonly DmpActionSpec[];

export type DmpActionId = (typeof DMP_ACTIONS)[number]['id'];

export const DMP_ACTION_IDS: readonly DmpActionId[] = DMP_ACTIONS.map((x) => x.id);

const BY_ID: ReadonlyMap<string, DmpActionSpec> = new Map(DMP_ACTIONS.map((x) => [x.id, x]));

export function dmpActionSpec(id: string): DmpActionSpec | undefined {
  return BY_ID.get(id);
}

export function isDmpActionId(id: string): id is DmpActionId {
  return BY_ID.has(id);
}

/** Patient-scoped: reads, feeds or manages one patient's DMP (everything but `global` and the TD0.2 status test). */
export function isPatientScoped(id: DmpActionId): boolean {
  const kind = BY_ID.get(id)!.kind;
  return kind === 'read' || kind === 'feed' || kind === 'manage';
}

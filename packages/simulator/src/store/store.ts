/**
 * Typed access to the simulator's database. Registry objects are kept as the SDK's model (JSON of DocumentEntry,
 * SubmissionSet, Association) with the columns the queries filter on; document bytes live in `contents`.
 * Every write that a response acknowledges runs in one transaction.
 */
import type { Association, DocumentEntry, SubmissionSet } from '@dmpkit/sdk';
import type { Statement } from 'better-sqlite3';
import { clearDb, openDb, type Db, type OpenDbOptions } from './db.js';
import { Checkpointer } from './checkpointer.js';
import { GroupCommit } from './group-commit.js';
import { ebrimFragment } from './ebrim.js';

export type DmpState = 'open' | 'closed' | 'absent';

export interface PatientRecord {
  ins: string;
  insOid: string;
  /** The DMP's internal id (root 1.2.250.1.213.1.4.2 in TD0.2). */
  internalId: string;
  dmp: DmpState;
  mesActivated: boolean;
  family?: string;
  given?: string;
  /** yyyyMMdd */
  birthDate?: string;
  gender?: string;
  minor: boolean;
  opposedBrisDeGlace: boolean;
  opposedCentre15: boolean;
  maskedVisibleInEmergency: boolean;
  closedReason?: string;
  /** A label for people (the test-plan name of the patient, e.g. PATB-QUATRE). */
  label?: string;
}

export interface ProfessionalRecord {
  id: string;
  family?: string;
  given?: string;
  profession?: string;
  specialty?: string;
  card?: 'CPS' | 'CPF' | 'CPE';
  structureId?: string;
}

export type AuthorizationStatus = 'valid' | 'expired' | 'blocked';

export interface AuthorizationRecord {
  ins: string;
  psId: string;
  status: AuthorizationStatus;
  since: number;
  lastAction: number;
  medecinTraitant: boolean;
  lastAccess?: number;
}

export interface StoredEntry {
  entryUUID: string;
  lid: string;
  version: number;
  uniqueId: string;
  ins: string;
  status: string;
  submissionSet: string;
  depositedAt: number;
  isSignature: boolean;
  entry: DocumentEntry;
  contentId: number;
  /** The entry's ExtrinsicObject as encoded when it was stored or last changed (absent for rows stored before). */
  ebrim?: string;
}

export interface StoredContent {
  hash: string;
  size: number;
  mimeType: string;
  bytes: Buffer;
}

export interface TraceRecord {
  id?: number;
  at: number;
  ins?: string;
  actorId?: string;
  actorName?: string;
  actorProfession?: string;
  structureId?: string;
  /** Policy action id (TD3.2, TD2.1...). */
  action: string;
  mode: string;
  secret: boolean;
  decision: string;
  /** uniqueId of the document acted on. */
  document?: string;
  rules: Array<{ id: string; effect: string; text: string }>;
  requestId?: number;
}

export interface NotificationRecord {
  id?: number;
  at: number;
  ins: string;
  kind: 'first-access' | 'new-document' | 'bris-de-glace' | 'centre-15';
  text: string;
  actorId?: string;
  document?: string;
}

export interface RequestRecord {
  id?: number;
  at: number;
  service: string;
  action?: string;
  transaction?: string;
  httpStatus: number;
  outcome: string;
  durationMs: number;
  correlation?: string;
  vihf?: unknown;
  decisions?: unknown;
  requestType?: string;
  request?: Buffer;
  responseType?: string;
  response?: Buffer;
}

export interface NewDocument {
  entry: DocumentEntry;
  lid: string;
  isSignature: boolean;
  content: StoredContent;
}

export interface SubmissionWrite {
  ins: string;
  submissionSet: SubmissionSet;
  documents: NewDocument[];
  associations: Association[];
  /** entryUUIDs made Deprecated by an RPLC in this lot. */
  deprecate: string[];
  at: number;
}

const b = (v: unknown): boolean => v === 1 || v === true;
const i = (v: boolean | undefined): number => (v ? 1 : 0);
const opt = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

type Row = Record<string, unknown>;

function patientOf(r: Row): PatientRecord {
  const p: PatientRecord = {
    ins: r.ins as string,
    insOid: r.ins_oid as string,
    internalId: r.internal_id as string,
    dmp: r.dmp as DmpState,
    mesActivated: b(r.mes_activated),
    minor: b(r.minor),
    opposedBrisDeGlace: b(r.opposed_bdg),
    opposedCentre15: b(r.opposed_c15),
    maskedVisibleInEmergency: b(r.masked_visible_emergency),
  };
  for (const [k, col] of [['family', 'family'], ['given', 'given'], ['birthDate', 'birth_date'], ['gender', 'gender'], ['closedReason', 'closed_reason'], ['label', 'label']] as const) {
    const v = opt(r[col] as string | null);
    if (v !== undefined) p[k] = v;
  }
  return p;
}

function entryOf(r: Row): StoredEntry {
  return {
    entryUUID: r.entry_uuid as string,
    lid: r.lid as string,
    version: r.version as number,
    uniqueId: r.unique_id as string,
    ins: r.ins as string,
    status: r.status as string,
    submissionSet: r.submission_set as string,
    depositedAt: r.deposited_at as number,
    isSignature: b(r.is_signature),
    entry: JSON.parse(r.json as string) as DocumentEntry,
    contentId: r.content_id as number,
    ...(typeof r.ebrim === 'string' ? { ebrim: r.ebrim } : {}),
  };
}

function authorizationOf(r: Row): AuthorizationRecord {
  const a: AuthorizationRecord = {
    ins: r.ins as string,
    psId: r.ps_id as string,
    status: r.status as AuthorizationStatus,
    since: r.since as number,
    lastAction: r.last_action as number,
    medecinTraitant: b(r.medecin_traitant),
  };
  if (r.last_access !== null && r.last_access !== undefined) a.lastAccess = r.last_access as number;
  return a;
}

export class SimulatorStore {
  readonly db: Db;
  /** The open transaction the requests of one event-loop turn write into (see group-commit.ts). */
  readonly group: GroupCommit;
  // Prepared once: compiling a statement costs about as much as running these small ones.
  private readonly statements = new Map<string, Statement>();

  private readonly checkpointer: Checkpointer | undefined;

  constructor(options: OpenDbOptions = {}) {
    this.db = openDb(options);
    const onDisk = options.path !== undefined && options.path !== ':memory:';
    this.group = new GroupCommit(this.db, onDisk ? { walPath: `${options.path}-wal` } : {});
    if (onDisk) this.checkpointer = new Checkpointer(this.db, options.path!);
  }

  private sql(text: string): Statement {
    let s = this.statements.get(text);
    if (!s) this.statements.set(text, (s = this.db.prepare(text)));
    return s;
  }

  close(): void {
    this.group.flush();
    this.checkpointer?.stop();
    this.db.close();
  }

  reset(): void {
    clearDb(this.db);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // --- patients and professionals ---------------------------------------------------------------------

  upsertPatient(p: PatientRecord): void {
    this
      .sql(
        `INSERT INTO patients (ins, ins_oid, internal_id, dmp, mes_activated, family, given, birth_date, gender, minor, opposed_bdg, opposed_c15, masked_visible_emergency, closed_reason, label)
         VALUES (@ins, @insOid, @internalId, @dmp, @mes, @family, @given, @birthDate, @gender, @minor, @bdg, @c15, @mve, @closedReason, @label)
         ON CONFLICT(ins) DO UPDATE SET ins_oid=excluded.ins_oid, internal_id=excluded.internal_id, dmp=excluded.dmp, mes_activated=excluded.mes_activated,
           family=excluded.family, given=excluded.given, birth_date=excluded.birth_date, gender=excluded.gender, minor=excluded.minor,
           opposed_bdg=excluded.opposed_bdg, opposed_c15=excluded.opposed_c15, masked_visible_emergency=excluded.masked_visible_emergency,
           closed_reason=excluded.closed_reason, label=excluded.label`,
      )
      .run({
        ins: p.ins,
        insOid: p.insOid,
        internalId: p.internalId,
        dmp: p.dmp,
        mes: i(p.mesActivated),
        family: p.family ?? null,
        given: p.given ?? null,
        birthDate: p.birthDate ?? null,
        gender: p.gender ?? null,
        minor: i(p.minor),
        bdg: i(p.opposedBrisDeGlace),
        c15: i(p.opposedCentre15),
        mve: i(p.maskedVisibleInEmergency),
        closedReason: p.closedReason ?? null,
        label: p.label ?? null,
      });
  }

  patient(ins: string): PatientRecord | undefined {
    const r = this.sql('SELECT * FROM patients WHERE ins = ?').get(ins) as Row | undefined;
    return r ? patientOf(r) : undefined;
  }

  patients(): PatientRecord[] {
    return (this.sql('SELECT * FROM patients ORDER BY label, ins').all() as Row[]).map(patientOf);
  }

  patientCount(): number {
    return (this.sql('SELECT count(*) n FROM patients').get() as { n: number }).n;
  }

  upsertProfessional(p: ProfessionalRecord): void {
    this
      .sql(
        `INSERT INTO professionals (id, family, given, profession, specialty, card, structure_id) VALUES (@id, @family, @given, @profession, @specialty, @card, @structureId)
         ON CONFLICT(id) DO UPDATE SET family=excluded.family, given=excluded.given, profession=excluded.profession, specialty=excluded.specialty, card=excluded.card, structure_id=excluded.structure_id`,
      )
      .run({ id: p.id, family: p.family ?? null, given: p.given ?? null, profession: p.profession ?? null, specialty: p.specialty ?? null, card: p.card ?? null, structureId: p.structureId ?? null });
  }

  professional(id: string): ProfessionalRecord | undefined {
    const r = this.sql('SELECT * FROM professionals WHERE id = ?').get(id) as Row | undefined;
    if (!r) return undefined;
    const p: ProfessionalRecord = { id };
    if (r.family !== null) p.family = r.family as string;
    if (r.given !== null) p.given = r.given as string;
    if (r.profession !== null) p.profession = r.profession as string;
    if (r.specialty !== null) p.specialty = r.specialty as string;
    if (r.card !== null) p.card = r.card as ProfessionalRecord['card'] & string;
    if (r.structure_id !== null) p.structureId = r.structure_id as string;
    return p;
  }

  // --- authorizations -----------------------------------------------------------------------------------

  authorization(ins: string, psId: string): AuthorizationRecord | undefined {
    const r = this.sql('SELECT * FROM authorizations WHERE ins = ? AND ps_id = ?').get(ins, psId) as Row | undefined;
    return r ? authorizationOf(r) : undefined;
  }

  authorizationsOfPatient(ins: string): AuthorizationRecord[] {
    return (this.sql('SELECT * FROM authorizations WHERE ins = ? ORDER BY since').all(ins) as Row[]).map(authorizationOf);
  }

  authorizationsOfProfessional(psId: string): AuthorizationRecord[] {
    return (this.sql("SELECT * FROM authorizations WHERE ps_id = ? AND status = 'valid' ORDER BY since").all(psId) as Row[]).map(authorizationOf);
  }

  putAuthorization(a: AuthorizationRecord): void {
    this
      .sql(
        `INSERT INTO authorizations (ins, ps_id, status, since, last_action, medecin_traitant, last_access) VALUES (@ins, @psId, @status, @since, @lastAction, @mt, @lastAccess)
         ON CONFLICT(ins, ps_id) DO UPDATE SET status=excluded.status, since=excluded.since, last_action=excluded.last_action, medecin_traitant=excluded.medecin_traitant, last_access=excluded.last_access`,
      )
      .run({ ins: a.ins, psId: a.psId, status: a.status, since: a.since, lastAction: a.lastAction, mt: i(a.medecinTraitant), lastAccess: a.lastAccess ?? null });
  }

  deleteAuthorization(ins: string, psId: string): void {
    this.sql('DELETE FROM authorizations WHERE ins = ? AND ps_id = ?').run(ins, psId);
  }

  /** Clears the médecin traitant flag of everyone else on this DMP (a patient has one MT). */
  clearMedecinTraitant(ins: string, except: string): void {
    this.sql('UPDATE authorizations SET medecin_traitant = 0 WHERE ins = ? AND ps_id <> ?').run(ins, except);
  }

  touchAccess(ins: string, psId: string, at: number): void {
    this.sql('UPDATE authorizations SET last_access = ? WHERE ins = ? AND ps_id = ?').run(at, ins, psId);
  }

  // --- registry and repository ----------------------------------------------------------------------------

  // One statement per registry object kind, shared by the deposit and the two ITI-57 updates.
  private insertSubmissionSet(ins: string, ss: SubmissionSet): void {
    this
      .sql('INSERT INTO submission_sets (entry_uuid, unique_id, ins, submission_time, source_id, json) VALUES (?, ?, ?, ?, ?, ?)')
      .run(ss.entryUUID, ss.uniqueId, ins, ss.submissionTime, ss.sourceId, JSON.stringify(ss));
  }

  private insertEntry(e: { entry: DocumentEntry; lid: string; ins: string; submissionSet: string; at: number; isSignature: boolean; contentId: number }): void {
    this
      .sql(
        `INSERT INTO entries (entry_uuid, lid, version, unique_id, ins, status, submission_set, deposited_at, is_signature, json, content_id, ebrim)
         VALUES (@uuid, @lid, @version, @uniqueId, @ins, @status, @ss, @at, @sig, @json, @content, @ebrim)`,
      )
      .run({
        uuid: e.entry.entryUUID,
        lid: e.lid,
        version: Number(e.entry.version ?? '1'),
        uniqueId: e.entry.uniqueId,
        ins: e.ins,
        status: e.entry.availabilityStatus,
        ss: e.submissionSet,
        at: e.at,
        sig: i(e.isSignature),
        json: JSON.stringify(e.entry),
        content: e.contentId,
        // A signature entry is never in a search's answer (isSignature is filtered out).
        ebrim: e.isSignature ? null : ebrimFragment(e.entry),
      });
  }

  private insertAssociation(ins: string, a: Association): void {
    this.sql('INSERT INTO associations (entry_uuid, type, source, target, ins, json) VALUES (?, ?, ?, ?, ?, ?)').run(a.entryUUID, a.type, a.sourceObject, a.targetObject, ins, JSON.stringify(a));
  }

  /** Stores a whole ITI-41 lot (documents, bytes, submission set, associations, RPLC deprecations) at once. */
  saveSubmission(w: SubmissionWrite): void {
    const insContent = this.sql('INSERT INTO contents (hash, size, mime_type, bytes) VALUES (?, ?, ?, ?)');
    this.transaction(() => {
      const ss = w.submissionSet;
      this.insertSubmissionSet(w.ins, ss);
      for (const d of w.documents) {
        const c = insContent.run(d.content.hash, d.content.size, d.content.mimeType, d.content.bytes);
        this.insertEntry({ entry: d.entry, lid: d.lid, ins: w.ins, submissionSet: ss.entryUUID, at: w.at, isSignature: d.isSignature, contentId: Number(c.lastInsertRowid) });
      }
      for (const a of w.associations) this.insertAssociation(w.ins, a);
      for (const uuid of w.deprecate) this.setEntryStatus(uuid, 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated');
    });
  }

  setEntryStatus(entryUUID: string, status: string): void {
    const r = this.sql('SELECT json, is_signature FROM entries WHERE entry_uuid = ?').get(entryUUID) as { json: string; is_signature: number } | undefined;
    if (!r) return;
    const entry = JSON.parse(r.json) as DocumentEntry;
    entry.availabilityStatus = status;
    // The encoded form changes with the entry: written again in the same statement.
    this.sql('UPDATE entries SET status = ?, json = ?, ebrim = ? WHERE entry_uuid = ?').run(status, JSON.stringify(entry), r.is_signature ? null : ebrimFragment(entry), entryUUID);
  }

  /** A metadata update (ITI-57): the new version of an entry, sharing the lid and the content; the old one is Deprecated. */
  saveEntryVersion(previous: StoredEntry, next: DocumentEntry, submissionSet: SubmissionSet, associations: Association[], at: number): void {
    this.transaction(() => {
      this.insertSubmissionSet(previous.ins, submissionSet);
      this.setEntryStatus(previous.entryUUID, 'urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated');
      this.insertEntry({ entry: next, lid: previous.lid, ins: previous.ins, submissionSet: submissionSet.entryUUID, at, isSignature: previous.isSignature, contentId: previous.contentId });
      for (const a of associations) this.insertAssociation(previous.ins, a);
    });
  }

  /** A status update (ITI-57 UpdateAvailabilityStatus), recorded with its submission set and association. */
  saveStatusUpdate(target: StoredEntry, newStatus: string, submissionSet: SubmissionSet, association: Association): void {
    this.transaction(() => {
      this.insertSubmissionSet(target.ins, submissionSet);
      this.setEntryStatus(target.entryUUID, newStatus);
      this.insertAssociation(target.ins, association);
    });
  }

  entriesOfPatient(ins: string): StoredEntry[] {
    return (this.sql('SELECT * FROM entries WHERE ins = ? ORDER BY deposited_at, rowid').all(ins) as Row[]).map(entryOf);
  }

  /**
   * A search's candidates: the patient's non-signature entries in one of `statuses`, filtered by SQLite on the
   * entries_ins (ins, status) index (EXPLAIN QUERY PLAN: SEARCH entries USING INDEX entries_ins (ins=? AND status=?)),
   * so that the rows of other statuses are not read nor parsed.
   */
  documentsOfPatient(ins: string, statuses: readonly string[]): StoredEntry[] {
    const wanted = [...new Set(statuses)];
    if (!wanted.length) return [];
    // One prepared statement per list length: more than a few statuses (never in practice) read every status.
    if (wanted.length > 4) return this.entriesOfPatient(ins).filter((e) => !e.isSignature && wanted.includes(e.status));
    const marks = wanted.map(() => '?').join(',');
    return (this.sql(`SELECT * FROM entries WHERE ins = ? AND status IN (${marks}) AND is_signature = 0 ORDER BY deposited_at, rowid`).all(ins, ...wanted) as Row[]).map(entryOf);
  }

  entryByUuid(entryUUID: string): StoredEntry | undefined {
    const r = this.sql('SELECT * FROM entries WHERE entry_uuid = ?').get(entryUUID) as Row | undefined;
    return r ? entryOf(r) : undefined;
  }

  /** Every version of the document with this uniqueId, newest first. */
  entriesByUniqueId(uniqueId: string): StoredEntry[] {
    return (this.sql('SELECT * FROM entries WHERE unique_id = ? ORDER BY version DESC').all(uniqueId) as Row[]).map(entryOf);
  }

  /** The current version of a uniqueId (the highest metadata version), if any. */
  currentByUniqueId(uniqueId: string): StoredEntry | undefined {
    return this.entriesByUniqueId(uniqueId)[0];
  }

  /** The newest metadata version of the logical document `lid`. */
  currentByLid(lid: string): StoredEntry | undefined {
    const r = this.sql('SELECT * FROM entries WHERE lid = ? ORDER BY version DESC LIMIT 1').get(lid) as Row | undefined;
    return r ? entryOf(r) : undefined;
  }

  uniqueIdExists(uniqueId: string): boolean {
    return this.sql('SELECT 1 FROM entries WHERE unique_id = ? LIMIT 1').get(uniqueId) !== undefined;
  }

  content(id: number): StoredContent | undefined {
    const r = this.sql('SELECT hash, size, mime_type, bytes FROM contents WHERE id = ?').get(id) as Row | undefined;
    return r ? { hash: r.hash as string, size: r.size as number, mimeType: r.mime_type as string, bytes: r.bytes as Buffer } : undefined;
  }

  submissionSetsOfPatient(ins: string): SubmissionSet[] {
    return (this.sql('SELECT json FROM submission_sets WHERE ins = ? ORDER BY submission_time, rowid').all(ins) as Array<{ json: string }>).map((r) => JSON.parse(r.json) as SubmissionSet);
  }

  submissionSet(entryUUID: string): { ins: string; submissionSet: SubmissionSet } | undefined {
    const r = this.sql('SELECT ins, json FROM submission_sets WHERE entry_uuid = ?').get(entryUUID) as { ins: string; json: string } | undefined;
    return r ? { ins: r.ins, submissionSet: JSON.parse(r.json) as SubmissionSet } : undefined;
  }

  /** Associations whose source or target is one of `uuids`. */
  associationsOf(uuids: readonly string[]): Array<{ ins: string; association: Association }> {
    if (!uuids.length) return [];
    const marks = uuids.map(() => '?').join(',');
    const rows = this.sql(`SELECT ins, json FROM associations WHERE source IN (${marks}) OR target IN (${marks}) ORDER BY rowid`).all(...uuids, ...uuids) as Array<{ ins: string; json: string }>;
    return rows.map((r) => ({ ins: r.ins, association: JSON.parse(r.json) as Association }));
  }

  entryCount(): number {
    return (this.sql('SELECT count(*) n FROM entries').get() as { n: number }).n;
  }

  // --- traces, notifications, request log -------------------------------------------------------------------

  addTrace(t: TraceRecord): number {
    const r = this
      .sql(
        `INSERT INTO traces (at, ins, actor_id, actor_name, actor_profession, structure_id, action, mode, secret, decision, document, rules, request_id)
         VALUES (@at, @ins, @actorId, @actorName, @actorProfession, @structureId, @action, @mode, @secret, @decision, @document, @rules, @requestId)`,
      )
      .run({
        at: t.at,
        ins: t.ins ?? null,
        actorId: t.actorId ?? null,
        actorName: t.actorName ?? null,
        actorProfession: t.actorProfession ?? null,
        structureId: t.structureId ?? null,
        action: t.action,
        mode: t.mode,
        secret: i(t.secret),
        decision: t.decision,
        document: t.document ?? null,
        rules: JSON.stringify(t.rules),
        requestId: t.requestId ?? null,
      });
    return Number(r.lastInsertRowid);
  }

  traces(filter: { ins?: string; limit?: number } = {}): TraceRecord[] {
    const where = filter.ins ? 'WHERE ins = @ins' : '';
    const rows = this.sql(`SELECT * FROM traces ${where} ORDER BY at DESC, id DESC LIMIT @limit`).all({ ins: filter.ins, limit: filter.limit ?? 1000 }) as Row[];
    return rows.map((r) => {
      const t: TraceRecord = { id: r.id as number, at: r.at as number, action: r.action as string, mode: r.mode as string, secret: b(r.secret), decision: r.decision as string, rules: JSON.parse(r.rules as string) };
      if (r.ins !== null) t.ins = r.ins as string;
      if (r.actor_id !== null) t.actorId = r.actor_id as string;
      if (r.actor_name !== null) t.actorName = r.actor_name as string;
      if (r.actor_profession !== null) t.actorProfession = r.actor_profession as string;
      if (r.structure_id !== null) t.structureId = r.structure_id as string;
      if (r.document !== null) t.document = r.document as string;
      if (r.request_id !== null) t.requestId = r.request_id as number;
      return t;
    });
  }

  /** A professional's first access to this DMP, as traces tell it. */
  hasAccessed(ins: string, actorId: string): boolean {
    return this.sql("SELECT 1 FROM traces WHERE ins = ? AND actor_id = ? AND decision = 'allow' LIMIT 1").get(ins, actorId) !== undefined;
  }

  addNotification(n: NotificationRecord): void {
    this.sql('INSERT INTO notifications (at, ins, kind, text, actor_id, document) VALUES (?, ?, ?, ?, ?, ?)').run(n.at, n.ins, n.kind, n.text, n.actorId ?? null, n.document ?? null);
  }

  notifications(filter: { ins?: string; limit?: number } = {}): NotificationRecord[] {
    const where = filter.ins ? 'WHERE ins = @ins' : '';
    const rows = this.sql(`SELECT * FROM notifications ${where} ORDER BY at DESC, id DESC LIMIT @limit`).all({ ins: filter.ins, limit: filter.limit ?? 1000 }) as Row[];
    return rows.map((r) => {
      const n: NotificationRecord = { id: r.id as number, at: r.at as number, ins: r.ins as string, kind: r.kind as NotificationRecord['kind'], text: r.text as string };
      if (r.actor_id !== null) n.actorId = r.actor_id as string;
      if (r.document !== null) n.document = r.document as string;
      return n;
    });
  }

  addRequest(q: RequestRecord): number {
    const r = this
      .sql(
        `INSERT INTO requests (at, service, action, transaction_id, http_status, outcome, duration_ms, correlation, vihf, decisions, request_type, request, response_type, response)
         VALUES (@at, @service, @action, @tx, @status, @outcome, @duration, @correlation, @vihf, @decisions, @reqType, @req, @resType, @res)`,
      )
      .run({
        at: q.at,
        service: q.service,
        action: q.action ?? null,
        tx: q.transaction ?? null,
        status: q.httpStatus,
        outcome: q.outcome,
        duration: q.durationMs,
        correlation: q.correlation ?? null,
        vihf: q.vihf === undefined ? null : JSON.stringify(q.vihf),
        decisions: q.decisions === undefined ? null : JSON.stringify(q.decisions),
        reqType: q.requestType ?? null,
        req: q.request ?? null,
        resType: q.responseType ?? null,
        res: q.response ?? null,
      });
    return Number(r.lastInsertRowid);
  }

  /** The access traces a request recorded, tied to its log entry once written. */
  linkTraces(requestId: number, traceIds: readonly number[]): void {
    this.sql(`UPDATE traces SET request_id = ? WHERE id IN (${traceIds.map(() => '?').join(',')})`).run(requestId, ...traceIds);
  }

  requests(filter: { limit?: number; withBodies?: boolean } = {}): RequestRecord[] {
    const cols = filter.withBodies ? '*' : 'id, at, service, action, transaction_id, http_status, outcome, duration_ms, correlation, vihf, decisions, request_type, response_type';
    const rows = this.sql(`SELECT ${cols} FROM requests ORDER BY id DESC LIMIT ?`).all(filter.limit ?? 200) as Row[];
    return rows.map(requestOf);
  }

  request(id: number): RequestRecord | undefined {
    const r = this.sql('SELECT * FROM requests WHERE id = ?').get(id) as Row | undefined;
    return r ? requestOf(r) : undefined;
  }

  // --- settings ---------------------------------------------------------------------------------------------

  setting(key: string): string | undefined {
    return (this.sql('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined)?.value;
  }

  putSetting(key: string, value: string): void {
    this.sql('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
  }
}

function requestOf(r: Row): RequestRecord {
  const q: RequestRecord = { id: r.id as number, at: r.at as number, service: r.service as string, httpStatus: r.http_status as number, outcome: r.outcome as string, durationMs: r.duration_ms as number };
  if (r.action !== null) q.action = r.action as string;
  if (r.transaction_id !== null) q.transaction = r.transaction_id as string;
  if (r.correlation !== null) q.correlation = r.correlation as string;
  if (r.vihf !== null && r.vihf !== undefined) q.vihf = JSON.parse(r.vihf as string);
  if (r.decisions !== null && r.decisions !== undefined) q.decisions = JSON.parse(r.decisions as string);
  if (r.request_type !== null) q.requestType = r.request_type as string;
  if (r.response_type !== null) q.responseType = r.response_type as string;
  if (r.request !== null && r.request !== undefined) q.request = r.request as Buffer;
  if (r.response !== null && r.response !== undefined) q.response = r.response as Buffer;
  return q;
}

/**
 * The simulator's SQLite database: one file (or `:memory:`), WAL journal, `synchronous=FULL` so that a
 * transaction that returned is on disk before the response that acknowledges it leaves (a kill -9 after an
 * acknowledged ITI-41 loses nothing). Schema changes are numbered migrations kept in `user_version`.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export type Db = Database.Database;

const MIGRATIONS: readonly string[] = [
  // 1: the registry, the repository, the patients' state, traces and logs.
  `
  CREATE TABLE patients (
    ins TEXT PRIMARY KEY,
    ins_oid TEXT NOT NULL,
    internal_id TEXT NOT NULL,
    dmp TEXT NOT NULL CHECK (dmp IN ('open','closed','absent')),
    mes_activated INTEGER NOT NULL DEFAULT 0,
    family TEXT, given TEXT, birth_date TEXT, gender TEXT,
    minor INTEGER NOT NULL DEFAULT 0,
    opposed_bdg INTEGER NOT NULL DEFAULT 0,
    opposed_c15 INTEGER NOT NULL DEFAULT 0,
    masked_visible_emergency INTEGER NOT NULL DEFAULT 0,
    closed_reason TEXT,
    label TEXT
  );
  CREATE TABLE professionals (
    id TEXT PRIMARY KEY,
    family TEXT, given TEXT,
    profession TEXT, specialty TEXT,
    card TEXT,
    structure_id TEXT
  );
  CREATE TABLE authorizations (
    ins TEXT NOT NULL REFERENCES patients(ins) ON DELETE CASCADE,
    ps_id TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('valid','expired','blocked')),
    since INTEGER NOT NULL,
    last_action INTEGER NOT NULL,
    medecin_traitant INTEGER NOT NULL DEFAULT 0,
    last_access INTEGER,
    PRIMARY KEY (ins, ps_id)
  );
  CREATE TABLE submission_sets (
    entry_uuid TEXT PRIMARY KEY,
    unique_id TEXT NOT NULL,
    ins TEXT NOT NULL,
    submission_time TEXT NOT NULL,
    source_id TEXT,
    json TEXT NOT NULL
  );
  CREATE INDEX submission_sets_ins ON submission_sets(ins, submission_time);
  CREATE TABLE entries (
    entry_uuid TEXT PRIMARY KEY,
    lid TEXT NOT NULL,
    version INTEGER NOT NULL,
    unique_id TEXT NOT NULL,
    ins TEXT NOT NULL,
    status TEXT NOT NULL,
    submission_set TEXT NOT NULL,
    deposited_at INTEGER NOT NULL,
    is_signature INTEGER NOT NULL DEFAULT 0,
    json TEXT NOT NULL,
    content_id INTEGER NOT NULL REFERENCES contents(id)
  );
  CREATE INDEX entries_ins ON entries(ins, status);
  CREATE INDEX entries_unique ON entries(unique_id);
  CREATE INDEX entries_lid ON entries(lid, version);
  CREATE TABLE contents (
    id INTEGER PRIMARY KEY,
    hash TEXT NOT NULL,
    size INTEGER NOT NULL,
    mime_type TEXT NOT NULL,
    bytes BLOB NOT NULL
  );
  CREATE TABLE associations (
    entry_uuid TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    source TEXT NOT NULL,
    target TEXT NOT NULL,
    ins TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX associations_source ON associations(source);
  CREATE INDEX associations_target ON associations(target);
  CREATE TABLE traces (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    ins TEXT,
    actor_id TEXT, actor_name TEXT, actor_profession TEXT, structure_id TEXT,
    action TEXT NOT NULL,
    mode TEXT NOT NULL,
    secret INTEGER NOT NULL DEFAULT 0,
    decision TEXT NOT NULL,
    document TEXT,
    rules TEXT NOT NULL,
    request_id INTEGER
  );
  CREATE INDEX traces_ins ON traces(ins, at);
  CREATE TABLE notifications (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    ins TEXT NOT NULL,
    kind TEXT NOT NULL,
    text TEXT NOT NULL,
    actor_id TEXT,
    document TEXT
  );
  CREATE INDEX notifications_ins ON notifications(ins, at);
  CREATE TABLE requests (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    service TEXT NOT NULL,
    action TEXT,
    transaction_id TEXT,
    http_status INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    duration_ms REAL NOT NULL,
    correlation TEXT,
    vihf TEXT,
    decisions TEXT,
    request_type TEXT,
    request BLOB,
    response_type TEXT,
    response BLOB
  );
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  // 2: each entry's ebRIM ExtrinsicObject as a query response writes it (store/ebrim.ts); NULL for older rows.
  `ALTER TABLE entries ADD COLUMN ebrim TEXT;`,
];

export interface OpenDbOptions {
  /** A file path, or `:memory:` (default) for a throw-away simulator. */
  path?: string;
}

export function openDb(options: OpenDbOptions = {}): Db {
  const path = options.path ?? ':memory:';
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  // First: switching to WAL waits for a connection still checkpointing the file (another process closing it).
  db.pragma('busy_timeout = 5000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`the simulator database is at schema version ${current}, newer than this simulator (${MIGRATIONS.length}); use a newer dmpkit or another --data directory`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** Empties every table (driver reset), keeping the schema. */
export function clearDb(db: Db): void {
  db.transaction(() => {
    for (const t of ['traces', 'notifications', 'requests', 'associations', 'entries', 'contents', 'submission_sets', 'authorizations', 'professionals', 'patients', 'settings']) {
      db.exec(`DELETE FROM ${t}`);
    }
  })();
}

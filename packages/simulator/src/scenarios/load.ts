/**
 * Loading a scenario into the store: from a YAML or JSON file (or an object), checked against the schema, applied in
 * one transaction. Documents are CDA files whose metadata the SDK derives from the header (toDocumentEntry); they are
 * preloaded data, so they skip the deposit checks (no lot signature, no policy) but keep the registry's bookkeeping.
 */
import {
  ASSOCIATION_TYPE,
  AVAILABILITY_STATUS,
  DMP_OIDS,
  emptyRegistryObjectList,
  parseXml,
  readCdaHeader,
  toDocumentEntry,
  type DecodedProvideAndRegister,
  type XdsCode,
} from '@dmpkit/sdk';
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import YAML from 'yaml';
import { storeLot } from '../handlers/submit.js';
import type { SimulatorContext } from '../server/context.js';
import { cxOfPatient, hl7Utc } from '../util/cx.js';
import { ScenarioSchema, type Scenario, type ScenarioInput } from './schema.js';

export class ScenarioError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
  }
}

const VISIBILITY_DISPLAY: Record<string, string> = {
  MASQUE_PS: 'Masqué aux professionnels de santé',
  INVISIBLE_PATIENT: 'Non visible par le patient',
  INVISIBLE_REPRESENTANTS_LEGAUX: 'Non visible par les représentants légaux du patient',
};

const STATUS: Record<string, string> = { approved: AVAILABILITY_STATUS.Approved, archived: AVAILABILITY_STATUS.Archived, deleted: AVAILABILITY_STATUS.Deleted };

/** Reads and checks a scenario file; errors name the file and the field. */
export function readScenarioFile(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ScenarioError(file, `cannot read the scenario (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  let raw: unknown;
  try {
    raw = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : YAML.parse(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new ScenarioError(file, `not valid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${(e as Error).message}`);
  }
  return parseScenario(raw, file);
}

export function parseScenario(raw: unknown, file = 'scenario'): Scenario {
  const r = ScenarioSchema.safeParse(raw);
  if (!r.success) throw new ScenarioError(file, r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '));
  return r.data;
}

/** A stable internal DMP id for an INS (the TD0.2 root 1.2.250.1.213.1.4.2 id), so that reloads give the same one. */
function internalIdOf(ins: string): string {
  return BigInt(`0x${createHash('sha256').update(ins).digest('hex').slice(0, 16)}`).toString().padStart(22, '1').slice(0, 22);
}

export interface LoadSummary {
  patients: number;
  professionals: number;
  authorizations: number;
  documents: number;
}

/** Applies a scenario on top of what the store holds (use the driver's reset first for a clean state). */
export function applyScenario(ctx: SimulatorContext, input: Scenario | ScenarioInput, options: { file?: string; baseDir?: string } = {}): LoadSummary {
  const file = options.file ?? 'scenario';
  const scenario = parseScenario(input, file);
  const baseDir = options.baseDir ?? (options.file ? dirname(options.file) : process.cwd());
  const store = ctx.store;
  if (scenario.clock) ctx.clock.set(Date.parse(scenario.clock));
  const now = ctx.clock.now();
  const summary: LoadSummary = { patients: 0, professionals: 0, authorizations: 0, documents: 0 };
  // Read every document first: a bad file stops the load before anything is written.
  const docs = scenario.documents.map((d, i) => {
    const path = resolve(baseDir, d.file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new ScenarioError(file, `documents.${i}.file: cannot read ${d.file} (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    let header;
    try {
      header = readCdaHeader(parseXml(bytes).document);
    } catch (e) {
      throw new ScenarioError(file, `documents.${i}.file: ${d.file} is not a readable CDA document (${(e as Error).message})`);
    }
    const extra: XdsCode[] = d.visibility.map((code) => ({ code, codingScheme: DMP_OIDS.visibilityCodeSystem, displayName: VISIBILITY_DISPLAY[code]! }));
    const { documentEntry } = toDocumentEntry(header, { extraConfidentialityCodes: extra });
    return { spec: d, bytes, entry: documentEntry };
  });
  const known = new Set(scenario.patients.map((p) => p.ins));
  for (const [i, d] of docs.entries()) {
    if (!known.has(d.spec.patient) && !store.patient(d.spec.patient)) throw new ScenarioError(file, `documents.${i}.patient: no patient with this INS in the scenario or the simulator`);
  }
  store.transaction(() => {
    for (const p of scenario.professionals) {
      store.upsertProfessional(p);
      summary.professionals++;
    }
    for (const p of scenario.patients) {
      store.upsertPatient({
        ins: p.ins,
        insOid: p.oid,
        internalId: internalIdOf(p.ins),
        dmp: p.dmp,
        mesActivated: p.mesActivated,
        minor: p.minor,
        opposedBrisDeGlace: p.opposedBrisDeGlace,
        opposedCentre15: p.opposedCentre15,
        maskedVisibleInEmergency: p.maskedVisibleInEmergency,
        ...(p.family ? { family: p.family } : {}),
        ...(p.given ? { given: p.given } : {}),
        ...(p.birthDate ? { birthDate: p.birthDate } : {}),
        ...(p.gender ? { gender: p.gender } : {}),
        ...(p.closedReason ? { closedReason: p.closedReason } : {}),
        ...(p.label ? { label: p.label } : {}),
      });
      summary.patients++;
      for (const a of p.authorizations) {
        const since = a.since ? Date.parse(a.since) : now;
        store.putAuthorization({ ins: p.ins, psId: a.professional, status: a.status, since, lastAction: since, medecinTraitant: a.medecinTraitant });
        summary.authorizations++;
      }
    }
    for (const d of docs) {
      const record = store.patient(d.spec.patient)!;
      const at = d.spec.depositedAt ? Date.parse(d.spec.depositedAt) : now;
      const cx = cxOfPatient(record.ins, record.insOid);
      const objects = emptyRegistryObjectList();
      objects.submissionSets.push({ entryUUID: 'SubmissionSet01', uniqueId: `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`)}`, sourceId: '1.2.250.1.213.4.1.1.1', patientId: cx, submissionTime: hl7Utc(at), authors: d.entry.authors, intendedRecipient: [] });
      objects.documentEntries.push({ ...d.entry, entryUUID: 'Document01', patientId: cx });
      objects.associations.push({ entryUUID: 'Association01', type: ASSOCIATION_TYPE.HasMember, sourceObject: 'SubmissionSet01', targetObject: 'Document01', submissionSetStatus: 'Original' });
      const lot: DecodedProvideAndRegister = { kind: 'ProvideAndRegisterDocumentSetRequest', objects, packages: [], documents: [{ id: 'Document01', entryId: 'Document01', transfer: 'inline', content: d.bytes }] };
      storeLot({ ctx, now: at }, record, lot, new Map());
      const status = STATUS[d.spec.status]!;
      if (status !== AVAILABILITY_STATUS.Approved) {
        const stored = store.currentByUniqueId(d.entry.uniqueId)!;
        store.setEntryStatus(stored.entryUUID, status);
      }
      summary.documents++;
    }
  });
  return summary;
}

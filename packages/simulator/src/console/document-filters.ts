/**
 * The document filters of the web DMP (type, author, profession, period, status, not visible to the patient),
 * read from the GET form's query string and applied to a patient's stored entries.
 */
import { AVAILABILITY_STATUS } from '@dmpkit/sdk';
import type { StoredEntry } from '../store/store.js';

/** TRE_A07 "Non visible par le patient". */
export const INVISIBLE_PATIENT = 'INVISIBLE_PATIENT';

export const STATUS_FILTERS = {
  current: { label: 'à jour', status: AVAILABILITY_STATUS.Approved },
  archived: { label: 'archivés', status: AVAILABILITY_STATUS.Archived },
  deprecated: { label: 'obsolètes', status: AVAILABILITY_STATUS.Deprecated },
  deleted: { label: 'supprimés', status: AVAILABILITY_STATUS.Deleted },
  all: { label: 'tous', status: undefined },
} as const;
export type StatusFilter = keyof typeof STATUS_FILTERS;

export interface DocumentFilters {
  typeCode?: string;
  /** Text searched in authorPerson (XCN: id, family and given names), any case. */
  author?: string;
  /** An author specialty or role code (G15_10/SM26), or its profession part (G15_10). */
  profession?: string;
  /** yyyy-MM-dd, inclusive. */
  from?: string;
  to?: string;
  periodOn: 'creation' | 'service';
  status: StatusFilter;
  invisibleToPatient: boolean;
  /** The XAdES signature entry of each lot: a registry entry, not a document people read. */
  signatures: boolean;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function readFilters(q: URLSearchParams): DocumentFilters {
  const text = (k: string) => q.get(k)?.trim() || undefined;
  const day = (k: string) => {
    const v = text(k);
    return v && DAY.test(v) ? v : undefined;
  };
  const status = text('status') ?? 'current';
  const f: DocumentFilters = {
    periodOn: q.get('periodOn') === 'service' ? 'service' : 'creation',
    status: status in STATUS_FILTERS ? (status as StatusFilter) : 'current',
    invisibleToPatient: q.get('invisiblePatient') === '1',
    signatures: q.get('signatures') === '1',
  };
  for (const [key, value] of [['typeCode', text('typeCode')], ['author', text('author')], ['profession', text('profession')], ['from', day('from')], ['to', day('to')]] as const) {
    if (value !== undefined) f[key] = value;
  }
  return f;
}

/** The codes of authorSpecialty and authorRole values (`code^display^system`). */
export function professionCodes(e: StoredEntry): string[] {
  return e.entry.authors.flatMap((a) => [...a.authorSpecialty, ...a.authorRole]).map((v) => v.split('^')[0] ?? '');
}

function matches(e: StoredEntry, f: DocumentFilters): boolean {
  const d = e.entry;
  if (!f.signatures && e.isSignature) return false;
  const wanted = STATUS_FILTERS[f.status].status;
  if (wanted && e.status !== wanted) return false;
  if (f.typeCode && d.typeCode?.code !== f.typeCode) return false;
  if (f.author) {
    const needle = f.author.toLowerCase();
    if (!d.authors.some((a) => a.authorPerson?.toLowerCase().includes(needle))) return false;
  }
  if (f.profession) {
    const p = f.profession;
    if (!professionCodes(e).some((c) => c === p || c.startsWith(`${p}/`))) return false;
  }
  if (f.from || f.to) {
    // XDS DTMs are UTC digits: their first 8 compare as dates with the form's yyyy-MM-dd.
    const day = (f.periodOn === 'service' ? d.serviceStartTime : d.creationTime)?.slice(0, 8);
    if (!day || day.length < 8) return false;
    if (f.from && day < f.from.replaceAll('-', '')) return false;
    if (f.to && day > f.to.replaceAll('-', '')) return false;
  }
  if (f.invisibleToPatient && !d.confidentialityCode.some((c) => c.code === INVISIBLE_PATIENT)) return false;
  return true;
}

export function filterEntries(entries: readonly StoredEntry[], f: DocumentFilters): StoredEntry[] {
  return entries.filter((e) => matches(e, f));
}

/**
 * Merging an official error list (the DMP's annex A7-1 "Liste des codes d'erreurs", when a user has it) into the
 * catalogue, from JSON or CSV. The layout is documented in docs/errors.md. Rows are checked one by one and every
 * problem names the row (line) and the column.
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../config-error.js';
import { CONFIDENCES, ERROR_KINDS, text, type Confidence, type ErrorKind, type LocalizedText } from '../types.js';
import type { ErrorCatalogue } from './catalogue.js';
import { parseCsv } from './csv.js';
import { defaultErrorCatalogue } from './default.js';
import type { CatalogueEntry, CatalogueSeverity } from './entry.js';

/** The columns a CSV catalogue may have (header names, case-insensitive). Only `code` and one meaning are required. */
export const CATALOGUE_CSV_COLUMNS = [
  'code',
  'kind',
  'severity',
  'meaning_fr',
  'meaning_en',
  'causes_fr',
  'causes_en',
  'fix_fr',
  'fix_en',
  'source',
  'confidence',
  'aliases',
  'text_patterns',
  'transactions',
  'retryable',
] as const;
type Column = (typeof CATALOGUE_CSV_COLUMNS)[number];

/** What each column holds (docs/errors.md is generated from this). */
export const CATALOGUE_CSV_COLUMN_HELP: Record<Column, string> = {
  code: 'required — the code exactly as the DMP sends it (errorCode, SOAP subcode, acknowledgementDetail code, status)',
  kind: 'xds, soap, dmp, hl7v3, transport, vihf or config; default: the built-in entry’s, else dmp',
  severity: 'error, warning or info; default: the built-in entry’s, else error',
  meaning_fr: 'meaning in French (the annex label); meaning_fr or meaning_en is required for a code dmpkit does not know',
  meaning_en: 'meaning in English; a text given in one language only is used for both',
  causes_fr: 'probable causes, separated by |',
  causes_en: 'probable causes in English, in the same order',
  fix_fr: 'what to do',
  fix_en: 'what to do, in English',
  source: 'where the entry comes from (e.g. "DMPi v2.10 annexe A7-1"); default: the file name',
  confidence: 'OFF, EX, 3P, DRAFT, ? or dmpkit; default OFF',
  aliases: 'other spellings of the code, separated by |',
  text_patterns: 'case-insensitive regular expressions recognising the error in a message text, separated by | (so write alternatives as separate patterns)',
  transactions: 'transactions where it occurs (TD2.1, ITI-41…), separated by |',
  retryable: 'true/false (oui/non): trying again later may succeed',
};

/** Separator of several values in one CSV cell (causes, aliases, patterns, transactions). */
export const CSV_LIST_SEPARATOR = ' | ';

/** One entry as a file gives it: anything but the code may be missing and is then taken from the built-in entry. */
export interface PartialCatalogueEntry {
  code: string;
  kind?: ErrorKind;
  severity?: CatalogueSeverity;
  meaning?: Partial<LocalizedText>;
  causes?: Partial<LocalizedText>[];
  fix?: Partial<LocalizedText>;
  source?: string;
  confidence?: Confidence;
  aliases?: string[];
  textPatterns?: string[];
  transactions?: string[];
  retryable?: boolean;
}

const partialText = z.object({ fr: z.string().trim().min(1).optional(), en: z.string().trim().min(1).optional() }).strict();
const regexSource = z.string().refine((p) => {
  try {
    new RegExp(p, 'iu');
    return true;
  } catch {
    return false;
  }
}, 'not a valid regular expression');

const partialEntrySchema = z
  .object({
    code: z.string().trim().min(1, 'code is empty'),
    kind: z.enum(ERROR_KINDS as [ErrorKind, ...ErrorKind[]]).optional(),
    severity: z.enum(['error', 'warning', 'info']).optional(),
    meaning: partialText.optional(),
    causes: z.array(partialText).optional(),
    fix: partialText.optional(),
    source: z.string().trim().min(1).optional(),
    confidence: z.enum(CONFIDENCES as [Confidence, ...Confidence[]]).optional(),
    aliases: z.array(z.string().trim().min(1)).optional(),
    textPatterns: z.array(regexSource).optional(),
    transactions: z.array(z.string().trim().min(1)).optional(),
    retryable: z.boolean().optional(),
  })
  .strict();

export interface LoadCatalogueOptions {
  /** Catalogue to merge into; default: the default catalogue. */
  base?: ErrorCatalogue;
  /** Default: from the file extension (`.json`, `.csv`). */
  format?: 'json' | 'csv';
}

/**
 * Reads a JSON or CSV list of error codes and returns `base` with them merged: a code already known keeps its
 * causes and fix unless the file gives some, and lists the file as its first source.
 */
export async function loadErrorCatalogue(file: string, options: LoadCatalogueOptions = {}): Promise<ErrorCatalogue> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ConfigError({
      code: 'CONFIG-CATALOGUE',
      file,
      message: text(`Lecture du catalogue d’erreurs ${file} impossible`, `Cannot read the error catalogue ${file}`),
      issues: [{ field: 'file', message: (err as NodeJS.ErrnoException).code ?? String(err) }],
      cause: err,
    });
  }
  const format = options.format ?? formatFromName(file);
  return mergeErrorCatalogue(decodeText(bytes), format, basename(file), options.base ?? defaultErrorCatalogue(), file);
}

/** Same as loadErrorCatalogue on text already in memory. */
export function mergeErrorCatalogue(content: string, format: 'json' | 'csv', sourceName: string, base: ErrorCatalogue = defaultErrorCatalogue(), file?: string): ErrorCatalogue {
  const issues: ConfigIssue[] = [];
  const partials = format === 'json' ? readJson(content, issues) : readCsv(content, issues);
  const entries: CatalogueEntry[] = [];
  const seen = new Map<string, string>();
  for (const { where, entry } of partials) {
    const previous = seen.get(entry.code);
    if (previous) {
      issues.push({ field: `${where}.code`, message: `code "${entry.code}" already given at ${previous}` });
      continue;
    }
    seen.set(entry.code, where);
    const complete = completeEntry(entry, base, sourceName, where, issues);
    if (complete) entries.push(complete);
  }
  const fail = (extra: ConfigIssue[] = []) =>
    new ConfigError({
      code: 'CONFIG-CATALOGUE',
      file,
      message: text(`Catalogue d’erreurs ${sourceName} invalide`, `Invalid error catalogue ${sourceName}`),
      issues: [...issues, ...extra],
    });
  if (issues.length) throw fail();
  try {
    return base.merge(entries, 'override');
  } catch (err) {
    // An alias that collides with another code.
    throw fail([{ field: 'aliases', message: (err as Error).message }]);
  }
}

function formatFromName(file: string): 'json' | 'csv' {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new ConfigError({
    code: 'CONFIG-CATALOGUE',
    file,
    message: text(`Format du catalogue ${file} inconnu : extension .json ou .csv attendue`, `Unknown format for catalogue ${file}: expected a .json or .csv extension`),
  });
}

/** UTF-8, else Windows-1252 (what a French spreadsheet exports as "CSV"). */
function decodeText(bytes: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('windows-1252').decode(bytes);
  }
}

function readJson(content: string, issues: ConfigIssue[]): { where: string; entry: PartialCatalogueEntry }[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  } catch (err) {
    issues.push({ field: '(file)', message: `not valid JSON: ${(err as Error).message}` });
    return [];
  }
  const list = Array.isArray(parsed) ? parsed : (parsed as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(list)) {
    issues.push({ field: '(file)', message: 'expected an array of entries or an object { "entries": [...] }' });
    return [];
  }
  const out: { where: string; entry: PartialCatalogueEntry }[] = [];
  list.forEach((item, i) => {
    const where = `entries[${i}]`;
    const r = partialEntrySchema.safeParse(item);
    if (r.success) out.push({ where, entry: r.data as PartialCatalogueEntry });
    else for (const issue of r.error.issues) issues.push({ field: `${where}${issue.path.length ? '.' + issue.path.join('.') : ''}`, message: issue.message });
  });
  return out;
}

function readCsv(content: string, issues: ConfigIssue[]): { where: string; entry: PartialCatalogueEntry }[] {
  let rows: { line: number; fields: string[] }[];
  try {
    rows = parseCsv(content);
  } catch (err) {
    issues.push({ field: '(file)', message: (err as Error).message });
    return [];
  }
  const header = rows.shift();
  if (!header) {
    issues.push({ field: '(file)', message: 'empty file: expected a header line naming the columns' });
    return [];
  }
  const columns = header.fields.map((h) => h.trim().toLowerCase());
  const unknown = columns.filter((c) => !(CATALOGUE_CSV_COLUMNS as readonly string[]).includes(c));
  if (unknown.length) issues.push({ field: 'header', message: `unknown column(s) ${unknown.map((c) => `"${c}"`).join(', ')}; accepted: ${CATALOGUE_CSV_COLUMNS.join(', ')}` });
  if (!columns.includes('code')) issues.push({ field: 'header', message: 'the "code" column is required' });
  if (!columns.includes('meaning_fr') && !columns.includes('meaning_en')) issues.push({ field: 'header', message: 'a "meaning_fr" or "meaning_en" column is required' });
  if (issues.length) return [];
  const out: { where: string; entry: PartialCatalogueEntry }[] = [];
  for (const row of rows) {
    const where = `line ${row.line}`;
    if (row.fields.length > columns.length) {
      issues.push({ field: where, message: `${row.fields.length} fields for ${columns.length} columns (unquoted separator in a cell?)` });
      continue;
    }
    const cell = (c: Column): string | undefined => {
      const i = columns.indexOf(c);
      const v = i < 0 ? undefined : row.fields[i]?.trim();
      return v ? v : undefined;
    };
    const list = (c: Column): string[] | undefined => cell(c)?.split(CSV_LIST_SEPARATOR.trim()).map((s) => s.trim()).filter(Boolean);
    const raw: Record<string, unknown> = { code: cell('code') ?? '' };
    const set = (k: string, v: unknown) => {
      if (v !== undefined) raw[k] = v;
    };
    set('kind', cell('kind'));
    set('severity', cell('severity')?.toLowerCase());
    if (cell('meaning_fr') || cell('meaning_en')) raw.meaning = dropEmpty({ fr: cell('meaning_fr'), en: cell('meaning_en') });
    const causesFr = list('causes_fr') ?? [];
    const causesEn = list('causes_en') ?? [];
    if (causesFr.length || causesEn.length) {
      raw.causes = Array.from({ length: Math.max(causesFr.length, causesEn.length) }, (_, i) => dropEmpty({ fr: causesFr[i], en: causesEn[i] }));
    }
    if (cell('fix_fr') || cell('fix_en')) raw.fix = dropEmpty({ fr: cell('fix_fr'), en: cell('fix_en') });
    set('source', cell('source'));
    set('confidence', cell('confidence')?.toUpperCase() === 'DMPKIT' ? 'dmpkit' : cell('confidence')?.toUpperCase());
    set('aliases', list('aliases'));
    set('textPatterns', list('text_patterns'));
    set('transactions', list('transactions'));
    const retryable = cell('retryable')?.toLowerCase();
    if (retryable !== undefined) {
      if (!['true', 'false', 'oui', 'non', 'yes', 'no', '1', '0'].includes(retryable)) {
        issues.push({ field: `${where}.retryable`, message: 'expected true/false (or oui/non)' });
        continue;
      }
      raw.retryable = ['true', 'oui', 'yes', '1'].includes(retryable);
    }
    const r = partialEntrySchema.safeParse(raw);
    if (r.success) out.push({ where, entry: r.data as PartialCatalogueEntry });
    else for (const issue of r.error.issues) issues.push({ field: `${where}.${csvColumnOf(issue.path)}`, message: issue.message });
  }
  return out;
}

/** Maps a schema path back to the CSV column name for messages. */
function csvColumnOf(path: PropertyKey[]): string {
  const [head, second, third] = path.map(String);
  if (head === 'meaning' || head === 'fix') return `${head}_${second ?? 'fr'}`;
  if (head === 'causes') return `causes_${third ?? 'fr'}`;
  if (head === 'textPatterns') return 'text_patterns';
  return head ?? '(row)';
}

function dropEmpty(t: { fr?: string; en?: string }): { fr?: string; en?: string } {
  const out: { fr?: string; en?: string } = {};
  if (t.fr) out.fr = t.fr;
  if (t.en) out.en = t.en;
  return out;
}

/** Both languages: a text given in one language only is used for both. */
function both(t: Partial<LocalizedText> | undefined): LocalizedText | undefined {
  if (!t || (!t.fr && !t.en)) return undefined;
  return { fr: t.fr ?? t.en!, en: t.en ?? t.fr! };
}

function completeEntry(p: PartialCatalogueEntry, base: ErrorCatalogue, sourceName: string, where: string, issues: ConfigIssue[]): CatalogueEntry | undefined {
  const known = base.get(p.code);
  const meaning = both(p.meaning) ?? known?.meaning;
  if (!meaning) {
    issues.push({ field: `${where}.meaning`, message: `code "${p.code}" is not in the built-in catalogue: give its meaning (meaning_fr or meaning_en)` });
    return undefined;
  }
  const source = p.source ?? sourceName;
  const causes = (p.causes ?? []).map(both).filter((c): c is LocalizedText => c !== undefined);
  const entry: CatalogueEntry = {
    code: p.code,
    kind: p.kind ?? known?.kind ?? 'dmp',
    severity: p.severity ?? known?.severity ?? 'error',
    origin: known?.origin ?? 'wire',
    meaning,
    causes: causes.length ? causes : (known?.causes ?? []),
    fix: both(p.fix) ?? known?.fix ?? text(`Pas de correction documentée dans ${source}.`, `No fix documented in ${source}.`),
    sources: [{ ref: source, confidence: p.confidence ?? 'OFF' }],
  };
  const copy = <K extends 'aliases' | 'textPatterns' | 'transactions' | 'retryable'>(k: K) => {
    const v = p[k] ?? known?.[k];
    if (v !== undefined) entry[k] = v as CatalogueEntry[K];
  };
  copy('aliases');
  copy('textPatterns');
  copy('transactions');
  copy('retryable');
  if (known?.deprecated) entry.deprecated = true;
  return entry;
}

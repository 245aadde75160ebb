/**
 * Loading the official document-type matrix when a user has it (CSV or JSON), with errors that name the line
 * and column (CSV) or the JSON path, so the person transcribing the PDF can fix the file. The layouts are
 * documented in docs/access-policy.md.
 */
import { z } from 'zod';
import { isInValueSet, JDV } from '../terminology/index.js';
import type { CellAccess, MatrixCodeRef, DocumentMatrixData, DocumentTypeData, MatrixCellEntry, MatrixColumnData, MatrixSourceData, RowStatementData } from './data-types.js';
import { compileDocumentMatrix, MatrixDataError } from './document-matrix.js';
import { SHIPPED_DOCUMENT_MATRIX } from './generated/document-matrix.js';

export interface MatrixImportIssue {
  /** 1-based line of the file. */
  line?: number;
  /** 1-based column (CSV field number). */
  column?: number;
  /** CSV header of that column. */
  columnName?: string;
  /** JSON path. */
  path?: string;
  message: string;
}

export function formatMatrixIssue(i: MatrixImportIssue): string {
  const where: string[] = [];
  if (i.line !== undefined) where.push(`line ${i.line}`);
  if (i.column !== undefined) where.push(`column ${i.column}${i.columnName ? ` (${i.columnName})` : ''}`);
  if (i.path !== undefined) where.push(i.path);
  return `${where.length ? `${where.join(', ')}: ` : ''}${i.message}`;
}

/** At most this many problems are reported at once: enough to fix a file, short enough to read. */
const MAX_ISSUES = 25;

export class MatrixImportError extends Error {
  override readonly name = 'MatrixImportError';
  constructor(
    readonly file: string,
    readonly issues: readonly MatrixImportIssue[],
  ) {
    super(`${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'}:\n- ${issues.slice(0, MAX_ISSUES).map(formatMatrixIssue).join('\n- ')}${issues.length > MAX_ISSUES ? `\n- … and ${issues.length - MAX_ISSUES} more` : ''}`);
  }
}

export interface MatrixImportMeta {
  /** The file name, recorded as the source and in messages. */
  file: string;
  sha256: string;
  /** Matrix version; else the file's own (CSV `# version:` line, JSON `version`). */
  version?: string;
  date?: string;
  url?: string;
  /** ISO time of the import, recorded in the stored matrix. */
  importedAt?: string;
}

export interface MatrixImportResult {
  matrix: DocumentMatrixData;
  /** Not blocking: typeCodes outside the value sets, professions dmpkit does not know. */
  warnings: MatrixImportIssue[];
}

// --- cell values and column ids ------------------------------------------------------------------------------

const ACCESS_WORDS: Record<string, CellAccess> = {
  r: 'allowed', o: 'allowed', oui: 'allowed', yes: 'allowed', y: 'allowed', x: 'allowed', '1': 'allowed', allowed: 'allowed', true: 'allowed',
  '-': 'denied', n: 'denied', non: 'denied', no: 'denied', '0': 'denied', denied: 'denied', false: 'denied',
  '': 'unknown', '?': 'unknown', unknown: 'unknown',
};

export const MATRIX_ACCESS_VALUES_HELP = 'R, O, oui, yes, x or 1 for allowed; -, N, non, no or 0 for denied; ? or empty for unknown';

export function parseMatrixAccessValue(raw: string): CellAccess | undefined {
  return ACCESS_WORDS[raw.trim().toLowerCase()];
}

const PROFESSION_SYSTEMS = ['G15', 'G16', 'R94', 'R95', 'R291', 'A00'] as const;
const QUALIFIER_SYSTEMS = ['R01', 'G05', 'R85', 'R22', 'R21'] as const;
const COLUMN_ID = /^(G15|G16|R94|R95|R291|A00)-([^/\s]+)(?:\/(R01|G05|R85|R22|R21)-(\S+))?$/;

export const MATRIX_COLUMN_ID_HELP =
  'a column is <profession system>-<code>, optionally narrowed by /<qualifier system>-<code>: e.g. G15-10, G15-21/G05-A, R291-99/R22-GENR08 (profession systems G15, G16, R94, R95, R291, A00; qualifiers R01, G05, R85, R22, R21)';

const shippedColumns = new Map(SHIPPED_DOCUMENT_MATRIX.columns.map((c) => [c.id, c]));

/** Column data for an id of the grammar, labelled from the shipped columns; undefined when the id does not parse. */
export function matrixColumnFromId(id: string): MatrixColumnData | undefined {
  const m = COLUMN_ID.exec(id);
  if (!m) return undefined;
  const profession: MatrixCodeRef = { system: m[1]!, code: m[2]! };
  const base = shippedColumns.get(`${m[1]}-${m[2]}`);
  const column: MatrixColumnData = { id, label: base ? base.label : id, profession, status: base?.status ?? 'not in JDV_J65' };
  if (m[3]) {
    column.qualifier = { system: m[3], code: m[4]! };
    column.label = `${column.label} / ${m[3]}-${m[4]}`;
    if (m[1] === 'R291') column.roleBased = true;
  }
  return column;
}

function typeData(typeCode: string, extra: { system?: string; display?: string; classCode?: string } = {}): DocumentTypeData {
  const shipped = SHIPPED_DOCUMENT_MATRIX.documentTypes.find((t) => t.typeCode === typeCode);
  const classCode = extra.classCode ?? shipped?.classCode ?? null;
  return {
    typeCode,
    system: extra.system ?? shipped?.system ?? '',
    display: extra.display ?? shipped?.display ?? typeCode,
    classCode,
    inJ66: shipped?.inJ66 ?? false,
    patientDocument: /^(DOCPAT|EXPPAT_)/.test(typeCode) || classCode === '90',
  };
}

function knownType(code: string): boolean {
  return isInValueSet(JDV.J66_TYPE_CODE_DMP, code) || isInValueSet(JDV.J07_TYPE_CODE, code);
}

// --- CSV ---------------------------------------------------------------------------------------------------

interface CsvRow {
  line: number;
  fields: string[];
}

/** RFC 4180 fields (quotes, doubled quotes, CR/LF) with `;` or `,` as separator; lines starting with # are comments. */
export function parseCsv(text: string, file: string): { rows: CsvRow[]; comments: { line: number; text: string }[]; separator: string } {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const firstData = src.split(/\r?\n/).find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  const count = (ch: string) => firstData.split(ch).length - 1;
  const separator = count(';') > count(',') ? ';' : ',';
  const rows: CsvRow[] = [];
  const comments: { line: number; text: string }[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    if (src[i] === '#') {
      const end = src.indexOf('\n', i);
      comments.push({ line: start, text: src.slice(i + 1, end < 0 ? undefined : end).replace(/\r$/, '').trim() });
      i = end < 0 ? src.length : end + 1;
      line++;
      continue;
    }
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    let atStart = true;
    for (;;) {
      if (i >= src.length) {
        if (quoted) throw new MatrixImportError(file, [{ line: start, column: fields.length + 1, message: 'a quoted field is not closed (missing ")' }]);
        break;
      }
      const c = src[i]!;
      if (quoted) {
        if (c === '"') {
          if (src[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          quoted = false;
          i++;
          continue;
        }
        if (c === '\n') line++;
        field += c;
        i++;
        continue;
      }
      if (c === '"' && atStart) {
        quoted = true;
        atStart = false;
        i++;
        continue;
      }
      if (c === separator) {
        fields.push(field);
        field = '';
        atStart = true;
        i++;
        continue;
      }
      if (c === '\r' && src[i + 1] === '\n') {
        i++;
        continue;
      }
      if (c === '\n') {
        i++;
        line++;
        break;
      }
      field += c;
      atStart = false;
      i++;
    }
    fields.push(field);
    if (!(fields.length === 1 && fields[0]!.trim() === '')) rows.push({ line: start, fields });
  }
  return { rows, comments, separator };
}

const META_COLUMNS = new Map([
  ['typecodesystem', 'system'],
  ['system', 'system'],
  ['display', 'display'],
  ['classcode', 'classCode'],
]);

/**
 * The wide layout: one row per typeCode, one column per actor. Optional `# version: …`, `# date: …`,
 * `# title: …`, `# url: …` comment lines before the header.
 */
export function parseDocumentMatrixCsv(text: string, meta: MatrixImportMeta): MatrixImportResult {
  const { rows, comments } = parseCsv(text, meta.file);
  const issues: MatrixImportIssue[] = [];
  const warnings: MatrixImportIssue[] = [];
  const fileMeta: Record<string, string> = {};
  for (const c of comments) {
    const m = /^(version|date|title|url)\s*:\s*(.+)$/i.exec(c.text);
    if (m) fileMeta[m[1]!.toLowerCase()] = m[2]!.trim();
  }
  const header = rows[0];
  if (!header) throw new MatrixImportError(meta.file, [{ message: 'the file has no header line (expected typeCode,<column>,<column>...)' }]);
  const names = header.fields.map((f) => f.trim());
  if (names[0]?.toLowerCase() !== 'typecode') {
    throw new MatrixImportError(meta.file, [{ line: header.line, column: 1, columnName: names[0], message: 'the first column must be "typeCode"' }]);
  }

  const metaAt = new Map<number, string>();
  const columnAt = new Map<number, MatrixColumnData>();
  const seenNames = new Map<string, number>();
  names.forEach((name, idx) => {
    if (idx === 0) return;
    const at = { line: header.line, column: idx + 1, columnName: name };
    if (seenNames.has(name)) issues.push({ ...at, message: `column "${name}" appears twice (also column ${seenNames.get(name)! + 1})` });
    seenNames.set(name, idx);
    const metaKey = META_COLUMNS.get(name.toLowerCase());
    if (metaKey) return void metaAt.set(idx, metaKey);
    const col = matrixColumnFromId(name);
    if (!col) return void issues.push({ ...at, message: `"${name}" is not a column id: ${MATRIX_COLUMN_ID_HELP}` });
    if (col.status === 'not in JDV_J65') warnings.push({ ...at, message: `profession ${col.profession.system}-${col.profession.code} is not in dmpkit's copy of JDV_J65 (check the code)` });
    columnAt.set(idx, col);
  });
  if (columnAt.size === 0 && issues.length === 0) issues.push({ line: header.line, message: 'no actor column: add one column per profession (e.g. G15-10)' });

  const types: DocumentTypeData[] = [];
  const cells: MatrixCellEntry[] = [];
  const typeLines = new Map<string, number>();
  for (const row of rows.slice(1)) {
    if (row.fields.length !== names.length) {
      issues.push({ line: row.line, message: `${row.fields.length} fields, the header has ${names.length} (check the separators and quotes)` });
      continue;
    }
    const typeCode = row.fields[0]!.trim();
    if (typeCode === '') {
      issues.push({ line: row.line, column: 1, columnName: names[0], message: 'empty typeCode' });
      continue;
    }
    if (/\s/.test(typeCode)) issues.push({ line: row.line, column: 1, columnName: names[0], message: `typeCode "${typeCode}" contains spaces` });
    if (typeLines.has(typeCode)) {
      issues.push({ line: row.line, column: 1, columnName: names[0], message: `typeCode ${typeCode} already has a row (line ${typeLines.get(typeCode)})` });
      continue;
    }
    typeLines.set(typeCode, row.line);
    if (!knownType(typeCode)) warnings.push({ line: row.line, column: 1, columnName: names[0], message: `typeCode ${typeCode} is in neither JDV_J66 nor JDV_J07 (kept; check the code)` });
    const extra: { system?: string; display?: string; classCode?: string } = {};
    for (const [idx, key] of metaAt) {
      const v = row.fields[idx]!.trim();
      if (v) extra[key as keyof typeof extra] = v;
    }
    types.push(typeData(typeCode, extra));
    for (const [idx, col] of columnAt) {
      const raw = row.fields[idx]!;
      const access = parseMatrixAccessValue(raw);
      if (access === undefined) {
        issues.push({ line: row.line, column: idx + 1, columnName: names[idx], message: `"${raw.trim()}" is not an access value (${MATRIX_ACCESS_VALUES_HELP})` });
        continue;
      }
      if (access !== 'unknown') cells.push({ typeCode, column: col.id, access, evidence: 'import' });
    }
  }
  const version = meta.version ?? fileMeta.version;
  if (!version) issues.push({ message: 'the matrix has no version: give --matrix-version <v> or add a "# version: <v>" line before the header' });
  if (issues.length) throw new MatrixImportError(meta.file, issues);

  return finish(meta, { version: version!, date: meta.date ?? fileMeta.date, title: fileMeta.title, url: meta.url ?? fileMeta.url }, types, [...columnAt.values()], cells, [], warnings);
}

// --- JSON --------------------------------------------------------------------------------------------------

const AccessSchema = z.string().transform((v, ctx) => {
  const a = parseMatrixAccessValue(v);
  if (a === undefined) {
    ctx.addIssue({ code: 'custom', message: `"${v}" is not an access value (${MATRIX_ACCESS_VALUES_HELP})` });
    return z.NEVER;
  }
  return a;
});

/** `G15-21` or `{ system, code }`. */
const CodeRefSchema = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    const m = /^([A-Z]\d+)-(\S+)$/.exec(v);
    return m ? { system: m[1], code: m[2] } : v;
  },
  z.object({ system: z.string().min(1), code: z.string().min(1), oid: z.string().optional() }, { error: 'expected <system>-<code> (e.g. G15-21) or { "system", "code" }' }),
);

const CellListSchema = z.array(
  z.object({
    typeCode: z.string().min(1),
    column: z.string().min(1).optional(),
    actor: z.string().min(1).optional(),
    access: AccessSchema,
    evidence: z.string().optional(),
    note: z.string().optional(),
  }),
);

const CellMapSchema = z.record(z.string().min(1), z.record(z.string().min(1), AccessSchema, { error: 'expected an object { "<column id>": "<access>" }' }));

const JsonMatrixSchema = z.object({
  id: z.string().min(1).optional(),
  title: z.string().min(1).optional(),
  version: z.string().min(1).optional(),
  date: z.string().min(1).nullable().optional(),
  complete: z.boolean().optional(),
  sources: z.array(z.object({ id: z.string().min(1), url: z.string().optional(), note: z.string().optional(), title: z.string().optional() })).optional(),
  columns: z
    .array(
      z.object({
        id: z.string().min(1),
        label: z.string().optional(),
        profession: CodeRefSchema,
        qualifier: CodeRefSchema.optional(),
        status: z.string().optional(),
        assumed: z.boolean().optional(),
        roleBased: z.boolean().optional(),
      }),
    )
    .optional(),
  documentTypes: z
    .array(
      z.object({
        typeCode: z.string().min(1),
        system: z.string().optional(),
        typeCodeSystem: z.string().optional(),
        display: z.string().optional(),
        classCode: z.string().nullable().optional(),
      }),
    )
    .optional(),
  // Checked apart (list or map), so that errors name the cell rather than "invalid union".
  cells: z.unknown(),
  rowStatements: z
    .array(z.object({ column: z.string().min(1), access: z.enum(['allowed', 'denied']), except: z.array(z.string()), evidence: z.string().min(1), statement: z.string() }))
    .optional(),
});

function codeRef(v: z.output<typeof CodeRefSchema>): MatrixCodeRef {
  return { system: v.system, code: v.code, ...(v.oid ? { oid: v.oid } : {}) };
}

/** "line 3, column 14" of a JSON.parse error, from the position V8 reports. */
function jsonSyntaxIssue(text: string, err: unknown): MatrixImportIssue {
  const message = err instanceof Error ? err.message : String(err);
  const pos = /position (\d+)/.exec(message);
  if (!pos) return { message: `not valid JSON: ${message}` };
  const before = text.slice(0, Number(pos[1]));
  const line = before.split('\n').length;
  return { line, column: before.length - before.lastIndexOf('\n'), message: `not valid JSON: ${message.replace(/\s*\(line \d+ column \d+\)/, '').replace(/ in JSON at position \d+/, '')}` };
}

const pathOf = (path: readonly PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : /^[A-Za-z_]\w*$/.test(String(p)) ? `.${String(p)}` : `[${JSON.stringify(p)}]`)).join('').replace(/^\./, '');

export function parseDocumentMatrixJson(text: string, meta: MatrixImportMeta): MatrixImportResult {
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new MatrixImportError(meta.file, [jsonSyntaxIssue(text, err)]);
  }
  const r = JsonMatrixSchema.safeParse(value);
  const toIssues = (e: z.ZodError, prefix: PropertyKey[] = []) => e.issues.map((i) => ({ path: pathOf([...prefix, ...i.path]) || '(top level)', message: i.message }));
  if (!r.success) throw new MatrixImportError(meta.file, toIssues(r.error));
  const d = r.data;
  const cellsSchema = Array.isArray(d.cells) ? CellListSchema : CellMapSchema;
  const rc = cellsSchema.safeParse(d.cells);
  if (!rc.success) throw new MatrixImportError(meta.file, toIssues(rc.error, ['cells']));
  const parsedCells = rc.data;
  const issues: MatrixImportIssue[] = [];
  const warnings: MatrixImportIssue[] = [];

  const columns = new Map<string, MatrixColumnData>();
  (d.columns ?? []).forEach((c, i) => {
    if (columns.has(c.id)) issues.push({ path: `columns[${i}].id`, message: `column ${c.id} is declared twice` });
    const col: MatrixColumnData = { id: c.id, label: c.label ?? c.id, profession: codeRef(c.profession), status: c.status ?? 'active' };
    if (c.qualifier) col.qualifier = codeRef(c.qualifier);
    if (c.assumed) col.assumed = true;
    if (c.roleBased ?? col.profession.system === 'R291') col.roleBased = true;
    if (!(PROFESSION_SYSTEMS as readonly string[]).includes(col.profession.system)) issues.push({ path: `columns[${i}].profession`, message: `unknown profession system ${col.profession.system} (${MATRIX_COLUMN_ID_HELP})` });
    if (col.qualifier && !(QUALIFIER_SYSTEMS as readonly string[]).includes(col.qualifier.system)) issues.push({ path: `columns[${i}].qualifier`, message: `unknown qualifier system ${col.qualifier.system} (${MATRIX_COLUMN_ID_HELP})` });
    columns.set(c.id, col);
  });
  const column = (id: string, path: string): MatrixColumnData | undefined => {
    let col = columns.get(id);
    if (!col) {
      col = matrixColumnFromId(id);
      if (!col) return void issues.push({ path, message: `"${id}" is neither a declared column nor a column id: ${MATRIX_COLUMN_ID_HELP}` });
      columns.set(id, col);
    }
    return col;
  };

  const types = new Map<string, DocumentTypeData>();
  for (const t of d.documentTypes ?? []) {
    const extra: { system?: string; display?: string; classCode?: string } = {};
    const system = t.system ?? t.typeCodeSystem;
    if (system) extra.system = system;
    if (t.display) extra.display = t.display;
    if (t.classCode) extra.classCode = t.classCode;
    types.set(t.typeCode, typeData(t.typeCode, extra));
  }
  const sources = new Set(['import', ...(d.sources ?? []).map((s) => s.id)]);
  const cells: MatrixCellEntry[] = [];
  const add = (typeCode: string, columnId: string, access: CellAccess, path: string, evidence = 'import', note?: string) => {
    const col = column(columnId, path);
    if (!col) return;
    if (!sources.has(evidence)) issues.push({ path, message: `evidence "${evidence}" is not in sources` });
    if (!types.has(typeCode)) {
      types.set(typeCode, typeData(typeCode));
      if (!knownType(typeCode)) warnings.push({ path, message: `typeCode ${typeCode} is in neither JDV_J66 nor JDV_J07 (kept; check the code)` });
    }
    if (access !== 'unknown' || note) cells.push({ typeCode, column: col.id, access, evidence, ...(note ? { note } : {}) });
  };
  if (Array.isArray(parsedCells)) {
    parsedCells.forEach((c, i) => {
      const id = c.column ?? c.actor;
      if (!id) return void issues.push({ path: `cells[${i}]`, message: 'a cell needs "column" (or "actor")' });
      add(c.typeCode, id, c.access, `cells[${i}]`, c.evidence, c.note);
    });
  } else {
    for (const [typeCode, row] of Object.entries(parsedCells)) for (const [id, access] of Object.entries(row)) add(typeCode, id, access, pathOf(['cells', typeCode, id]));
  }
  const statements: RowStatementData[] = (d.rowStatements ?? []).map((s, i) => {
    column(s.column, `rowStatements[${i}].column`);
    if (!sources.has(s.evidence)) issues.push({ path: `rowStatements[${i}].evidence`, message: `evidence "${s.evidence}" is not in sources` });
    return s;
  });
  const version = meta.version ?? d.version;
  if (!version) issues.push({ path: 'version', message: 'the matrix has no version: give --matrix-version <v> or a "version" field' });
  if (issues.length) throw new MatrixImportError(meta.file, issues);

  const extraSources: MatrixSourceData[] = (d.sources ?? []).map((s) => ({ id: s.id, ...(s.url ? { url: s.url } : {}), ...(s.note ? { note: s.note } : {}), ...(s.title ? { title: s.title } : {}) }));
  return finish(
    meta,
    { version: version!, date: meta.date ?? d.date ?? undefined, title: d.title, url: meta.url, id: d.id, complete: d.complete },
    [...types.values()],
    [...columns.values()],
    cells,
    statements,
    warnings,
    extraSources,
  );
}

// --- common ------------------------------------------------------------------------------------------------

function finish(
  meta: MatrixImportMeta,
  head: { version: string; date?: string | undefined; title?: string | undefined; url?: string | undefined; id?: string | undefined; complete?: boolean | undefined },
  documentTypes: DocumentTypeData[],
  columns: MatrixColumnData[],
  cells: MatrixCellEntry[],
  rowStatements: RowStatementData[],
  warnings: MatrixImportIssue[],
  extraSources: MatrixSourceData[] = [],
): MatrixImportResult {
  const matrix: DocumentMatrixData = {
    id: head.id ?? SHIPPED_DOCUMENT_MATRIX.id,
    title: head.title ?? SHIPPED_DOCUMENT_MATRIX.title,
    version: head.version,
    date: head.date ?? null,
    origin: 'imported',
    // An imported table is the official one unless it says otherwise: its gaps are gaps of the table.
    complete: head.complete ?? true,
    sources: [{ id: 'import', title: meta.file, ...(head.url ? { url: head.url } : {}), note: `imported from ${meta.file} (sha256 ${meta.sha256})` }, ...extraSources.filter((s) => s.id !== 'import')],
    inputs: [{ file: meta.file, sha256: meta.sha256 }],
    notes: [],
    documentTypes: documentTypes.sort((a, b) => (a.typeCode < b.typeCode ? -1 : a.typeCode > b.typeCode ? 1 : 0)),
    columns,
    cells,
    rowStatements,
    ...(meta.importedAt ? { importedAt: meta.importedAt } : {}),
  };
  try {
    compileDocumentMatrix(matrix);
  } catch (err) {
    if (err instanceof MatrixDataError) throw new MatrixImportError(meta.file, [{ message: err.message }]);
    throw err;
  }
  return { matrix, warnings };
}

/** A document matrix saved by `dmp matrix import` (the DocumentMatrixData JSON), validated on the way back in. */
export function parseStoredDocumentMatrix(text: string, file: string): DocumentMatrixData {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new MatrixImportError(file, [jsonSyntaxIssue(text, err)]);
  }
  const stored = value as Partial<DocumentMatrixData> | null;
  if (!stored || typeof stored !== 'object' || stored.origin !== 'imported' || !Array.isArray(stored.cells) || !Array.isArray(stored.columns) || !Array.isArray(stored.documentTypes)) {
    throw new MatrixImportError(file, [{ message: 'not a document matrix saved by dmp matrix import (import the table again)' }]);
  }
  const { matrix } = parseDocumentMatrixJson(text, { file, sha256: stored.inputs?.[0]?.sha256 ?? 'unknown' });
  // Keep what the import recorded about the original file rather than the stored copy.
  return { ...matrix, sources: stored.sources ?? matrix.sources, inputs: stored.inputs ?? matrix.inputs, notes: stored.notes ?? [], ...(stored.importedAt ? { importedAt: stored.importedAt } : {}) };
}

export interface CellDisagreement {
  typeCode: string;
  column: string;
  /** Known value of the reference (e.g. the shipped public cell) and its evidence. */
  expected: CellAccess;
  evidence: string;
  /** Value in the other table (`unknown` when its row and column exist but the cell is empty). */
  actual: CellAccess;
}

export interface MatrixComparison {
  /** Known cells of the reference that the other table gives differently. */
  contradicted: CellDisagreement[];
  /** Known cells of the reference whose row or column the other table does not have. */
  notCovered: number;
}

/** How `other` (an imported table) stands against the known cells of `reference` (the shipped public cells). */
export function compareDocumentMatrices(reference: DocumentMatrixData, other: DocumentMatrixData): MatrixComparison {
  const values = new Map(other.cells.map((c) => [`${c.typeCode}|${c.column}`, c.access]));
  const columns = new Set(other.columns.map((c) => c.id));
  const rows = new Set([...other.documentTypes.map((t) => t.typeCode), ...other.cells.map((c) => c.typeCode)]);
  const contradicted: CellDisagreement[] = [];
  let notCovered = 0;
  for (const c of reference.cells) {
    if (c.access === 'unknown') continue;
    if (!columns.has(c.column) || !rows.has(c.typeCode)) {
      notCovered++;
      continue;
    }
    const actual = values.get(`${c.typeCode}|${c.column}`) ?? 'unknown';
    if (actual !== c.access) contradicted.push({ typeCode: c.typeCode, column: c.column, expected: c.access, evidence: c.evidence, actual });
  }
  return { contradicted, notCovered };
}

/**
 * The document-type matrix (matrice d'habilitations: typeCode × profession → may read), compiled into lookup
 * tables once, so a decision costs one Map lookup (per typeCode) and no allocation. The same compiler serves the shipped
 * partial data and an official table imported by the user.
 */
import type { CellAccess, MatrixCodeRef, DocumentMatrixData, DocumentTypeData, MatrixColumnData, MatrixSourceData } from './data-types.js';
import { professionSystemOf } from './profiles.js';
import { hit } from './rules.js';
import type { AccessActor, RuleHit } from './types.js';

/** Cell codes in the compiled rows. */
const ABSENT = 0;
const ALLOWED = 1;
const DENIED = 2;
const UNKNOWN = 3;
const CODE: Record<CellAccess, number> = { allowed: ALLOWED, denied: DENIED, unknown: UNKNOWN };

/** Column lookup results that are not a column index. */
export const NO_COLUMN = -1;
export const ROLE_BASED_DISABLED = -2;

/** Lazily built hits for unknown cells are cached up to this many entries (callers may send any typeCode). */
const UNKNOWN_CACHE_LIMIT = 20_000;

interface CompiledRow {
  type: DocumentTypeData | undefined;
  access: Uint8Array;
  hits: (RuleHit | undefined)[];
}

/**
 * Everything a decision needs of one typeCode, found with a single Map lookup: its document type, its row of
 * cells and, filled on first use, the hit that decides each column (so a repeated cell costs an array read).
 */
export interface TypeEntry {
  readonly type: DocumentTypeData | undefined;
  readonly row: CompiledRow | undefined;
  /** Index `column * 2 + (useStatements ? 1 : 0)`; allocated on the first lookup. */
  resolved: (RuleHit | undefined)[] | undefined;
  /** Not a typeCode of the table: its hits count towards UNKNOWN_CACHE_LIMIT. */
  readonly foreign: boolean;
}

interface ProfessionEntry {
  base: number;
  /** Columns narrowed by a second code, most specific first. */
  qualified: { system: string; code: string; index: number }[];
}

interface CompiledStatement {
  except: ReadonlySet<string>;
  hit: RuleHit;
}

export class MatrixDataError extends Error {
  override readonly name = 'MatrixDataError';
}

/** Which field of the actor carries a qualifier of this code system. */
function qualifierValue(actor: AccessActor, system: string): string | undefined {
  switch (system) {
    case 'R01':
    case 'G05':
      return actor.specialty;
    case 'R85':
      return actor.role;
    case 'R22':
      return actor.genre;
    case 'R21':
      return actor.role ?? actor.specialty;
    default:
      return undefined;
  }
}

const refText = (c: MatrixCodeRef) => `${c.system}-${c.code}`;

export class CompiledDocumentMatrix {
  readonly data: DocumentMatrixData;
  readonly columns: readonly MatrixColumnData[];
  /** "DMP-MHAB 3.1.0 (25/09/2024) — partial (shipped)": how rule texts name the table. */
  readonly name: string;
  private readonly rows = new Map<string, CompiledRow>();
  private readonly types = new Map<string, DocumentTypeData>();
  private readonly professions = new Map<string, Map<string, ProfessionEntry>>();
  private readonly statements: (CompiledStatement | undefined)[];
  /** One entry per typeCode of the table, plus typeCodes callers sent (bounded: see UNKNOWN_CACHE_LIMIT). */
  private readonly entries = new Map<string, TypeEntry>();
  /** No-column hits per profession system, then profession code. */
  private readonly noColumnHits = new Map<string, Map<string, RuleHit>>();
  /** Hits cached for typeCodes outside the table and for professions without a column. */
  private cachedUnknown = 0;
  private readonly sources: ReadonlyMap<string, MatrixSourceData>;

  constructor(data: DocumentMatrixData) {
    this.data = data;
    this.columns = data.columns;
    this.name = `${data.id} ${data.version} (${data.origin})`;
    this.sources = new Map(data.sources.map((s) => [s.id, s]));
    for (const t of data.documentTypes) this.types.set(t.typeCode, t);

    const columnIndex = new Map<string, number>();
    data.columns.forEach((c, i) => {
      if (columnIndex.has(c.id)) throw new MatrixDataError(`column ${c.id} is declared twice`);
      columnIndex.set(c.id, i);
      let bySystem = this.professions.get(c.profession.system);
      if (!bySystem) this.professions.set(c.profession.system, (bySystem = new Map()));
      let entry = bySystem.get(c.profession.code);
      if (!entry) bySystem.set(c.profession.code, (entry = { base: NO_COLUMN, qualified: [] }));
      if (c.qualifier) entry.qualified.push({ system: c.qualifier.system, code: c.qualifier.code, index: i });
      else if (entry.base !== NO_COLUMN) throw new MatrixDataError(`columns ${data.columns[entry.base]!.id} and ${c.id} are the same profession ${refText(c.profession)}`);
      else entry.base = i;
    });

    for (const cell of data.cells) {
      const col = columnIndex.get(cell.column);
      if (col === undefined) throw new MatrixDataError(`cell ${cell.typeCode} × ${cell.column}: no such column`);
      const row = this.row(cell.typeCode);
      if (row.access[col] !== ABSENT) throw new MatrixDataError(`cell ${cell.typeCode} × ${cell.column} is given twice`);
      row.access[col] = CODE[cell.access];
      row.hits[col] = this.cellHit(cell.typeCode, data.columns[col]!, cell.access, cell.evidence, cell.note);
    }

    this.statements = data.columns.map(() => undefined);
    for (const s of data.rowStatements) {
      const col = columnIndex.get(s.column);
      if (col === undefined) throw new MatrixDataError(`row statement for ${s.column}: no such column`);
      const column = data.columns[col]!;
      const except = s.except.length ? `, except ${s.except.join(', ')}` : '';
      this.statements[col] = {
        except: new Set(s.except),
        hit: hit(
          'DOC-MATRIX-ROW',
          s.access === 'allowed' ? 'allow' : 'deny',
          `Document-type matrix ${this.name}: for ${column.id} (${column.label}) every document type is ${s.access}${except} ("${s.statement}", evidence: ${s.evidence}).`,
          this.evidenceSource(s.evidence),
        ),
      };
    }
    for (const typeCode of new Set([...this.types.keys(), ...this.rows.keys()])) {
      this.entries.set(typeCode, { type: this.types.get(typeCode), row: this.rows.get(typeCode), resolved: undefined, foreign: false });
    }
  }

  private row(typeCode: string): CompiledRow {
    let row = this.rows.get(typeCode);
    if (!row) {
      row = { type: this.types.get(typeCode), access: new Uint8Array(this.columns.length), hits: new Array(this.columns.length) };
      this.rows.set(typeCode, row);
    }
    return row;
  }

  private evidenceSource(id: string): string {
    const s = this.sources.get(id);
    return `evidence ${id}${s?.url ? ` (${s.url})` : ''}`;
  }

  private typeText(typeCode: string): string {
    const t = this.types.get(typeCode);
    return t ? `${typeCode} (${t.display})` : typeCode;
  }

  private cellHit(typeCode: string, column: MatrixColumnData, access: CellAccess, evidence: string, note?: string): RuleHit {
    const effect = access === 'allowed' ? 'allow' : access === 'denied' ? 'deny' : 'unknown';
    const cell = `${this.typeText(typeCode)} × ${column.id} (${column.label})`;
    const said = access === 'unknown' ? 'is marked unknown by its source' : `= ${access}`;
    return hit('DOC-MATRIX-CELL', effect, `Document-type matrix ${this.name}: ${cell} ${said}${note ? ` (${note})` : ''}.`, this.evidenceSource(evidence));
  }

  /** The document type (row) of a typeCode, when the matrix knows it. */
  typeOf(typeCode: string): DocumentTypeData | undefined {
    return this.types.get(typeCode);
  }

  /**
   * The column of an actor: the most specific one (a profession narrowed by savoir-faire, role or genre wins
   * over the bare profession), NO_COLUMN, or ROLE_BASED_DISABLED when it is a profession "à rôle" and
   * `roleBased` is false.
   */
  columnOf(actor: AccessActor, roleBased: boolean): number {
    if (actor.profession === undefined) return NO_COLUMN;
    const entry = this.professions.get(professionSystemOf(actor))?.get(actor.profession);
    if (!entry) return NO_COLUMN;
    let index = entry.base;
    for (const q of entry.qualified) {
      if (qualifierValue(actor, q.system) === q.code) {
        index = q.index;
        break;
      }
    }
    if (index >= 0 && !roleBased && this.columns[index]!.roleBased === true) return ROLE_BASED_DISABLED;
    return index;
  }

  /** The entry of a typeCode (undefined when the table does not know it and no hit was cached for it). */
  entry(typeCode: string): TypeEntry | undefined {
    return this.entries.get(typeCode);
  }

  /** The rule that decides typeCode × column: the cell, else the column's statement, else an unknown naming the cell. */
  lookup(typeCode: string, column: number, useStatements: boolean): RuleHit {
    return this.lookupEntry(this.entries.get(typeCode), typeCode, column, useStatements);
  }

  /** lookup() when the caller already holds `entry(typeCode)`: the result is memoized in the entry. */
  lookupEntry(entry: TypeEntry | undefined, typeCode: string, column: number, useStatements: boolean): RuleHit {
    let e = entry;
    if (e === undefined) {
      if (this.cachedUnknown >= UNKNOWN_CACHE_LIMIT) return this.resolve(undefined, typeCode, column, useStatements);
      e = { type: undefined, row: undefined, resolved: undefined, foreign: true };
      this.entries.set(typeCode, e);
    }
    const resolved = (e.resolved ??= new Array<RuleHit | undefined>(this.columns.length * 2));
    const slot = column * 2 + (useStatements ? 1 : 0);
    let h = resolved[slot];
    if (h === undefined) {
      if (e.foreign) {
        if (this.cachedUnknown >= UNKNOWN_CACHE_LIMIT) return this.resolve(e.row, typeCode, column, useStatements);
        this.cachedUnknown++;
      }
      h = resolved[slot] = this.resolve(e.row, typeCode, column, useStatements);
    }
    return h;
  }

  private resolve(row: CompiledRow | undefined, typeCode: string, column: number, useStatements: boolean): RuleHit {
    if (row !== undefined && row.access[column] !== ABSENT) return row.hits[column]!;
    if (useStatements) {
      const s = this.statements[column];
      if (s !== undefined && !s.except.has(typeCode)) return s.hit;
    }
    return this.unknownCell(typeCode, column);
  }

  private unknownCell(typeCode: string, column: number): RuleHit {
    const col = this.columns[column]!;
    const where = this.types.has(typeCode) ? this.typeText(typeCode) : `${typeCode} (not a row of this table)`;
    const next = this.data.complete
      ? 'the imported table gives no value for it: check the table, or re-import a complete one.'
      : 'public sources do not give it; load the official table with `dmp matrix import`.';
    return hit('DOC-MATRIX-UNKNOWN', 'unknown', `Document-type matrix ${this.name}: cell ${where} × ${col.id} (${col.label}) is unknown — ${next}`);
  }

  /** The unknown hit for an actor with no column (cached per profession). */
  noColumn(actor: AccessActor): RuleHit {
    const system = professionSystemOf(actor);
    const code = actor.profession ?? '?';
    let bySystem = this.noColumnHits.get(system);
    const cached = bySystem?.get(code);
    if (cached) return cached;
    const prof = `${system}-${code}`;
    const h = hit(
      'DOC-MATRIX-NO-COLUMN',
      'unknown',
      `Document-type matrix ${this.name}: the profession ${prof} is not one of its columns, so no document type can be decided for this actor.`,
    );
    if (this.cachedUnknown < UNKNOWN_CACHE_LIMIT) {
      if (bySystem === undefined) this.noColumnHits.set(system, (bySystem = new Map()));
      bySystem.set(code, h);
      this.cachedUnknown++;
    }
    return h;
  }

  /** Counts for reports: rows, columns and cells by access. */
  stats(): { rows: number; columns: number; allowed: number; denied: number; unknown: number; rowStatements: number } {
    let allowed = 0;
    let denied = 0;
    let unknown = 0;
    for (const c of this.data.cells) {
      if (c.access === 'allowed') allowed++;
      else if (c.access === 'denied') denied++;
      else unknown++;
    }
    const rows = new Set([...this.data.documentTypes.map((t) => t.typeCode), ...this.data.cells.map((c) => c.typeCode)]).size;
    return { rows, columns: this.columns.length, allowed, denied, unknown, rowStatements: this.data.rowStatements.length };
  }
}

export function compileDocumentMatrix(data: DocumentMatrixData): CompiledDocumentMatrix {
  return new CompiledDocumentMatrix(data);
}

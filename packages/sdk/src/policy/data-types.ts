/**
 * Shapes of the policy data: the generated modules (scripts/gen-policy-data.mjs) and an imported official
 * document-type matrix share them, so the evaluator compiles both the same way.
 */

export type AccessProfileId = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L';

/** A footnote of the functional matrix: `*` or its number. Each is a condition in footnotes.ts. */
export type FootnoteId = '*' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '10' | '11';

export interface MatrixCellData {
  allowed: boolean;
  /** Conditions attached to the cell ("oui(6)" → ['6']). */
  footnotes: readonly string[];
}

export interface FunctionalRowData {
  /** Stable row id (e.g. `TD3.2-masked`), mapped from the French label by the generator. */
  id: string;
  /** The row label as the source table writes it. */
  label: string;
  /** The label carries `*`: on a patient document only the médecin traitant (or the patient) may act. */
  star: boolean;
  /** One cell per profile, A to L. */
  cells: readonly MatrixCellData[];
}

export interface FunctionalMatrixData {
  id: string;
  title: string;
  version: string;
  publisher: string;
  /** ISO date of the matrix version. */
  date: string;
  /** Repository the PDF was found in (the matrix itself is a GIE SESAM-Vitale PDF). */
  repo: string | null;
  /** Profile id and the column header of the source table. */
  profiles: readonly (readonly [string, string])[];
  rows: readonly FunctionalRowData[];
  /** Footnote id and its text, as transcribed. */
  footnotes: readonly (readonly [string, string])[];
  notes: readonly string[];
  source: { file: string; section: string; sha256: string };
}

export type CellAccess = 'allowed' | 'denied' | 'unknown';

export interface DocumentTypeData {
  typeCode: string;
  /** Code system OID of the typeCode (LOINC or TRE_A05). */
  system: string;
  display: string;
  classCode: string | null;
  /** The type belongs to the DMP's JDV_J66 copy (false: named by a matrix source only). */
  inJ66: boolean;
  /** Documents of this type are deposited by the patient (DOCPAT*, EXPPAT_*, class 90). */
  patientDocument: boolean;
}

export interface MatrixCodeRef {
  /** Short TRE name: G15, G16, R94, R95, R291, A00 for professions; R01, G05, R85, R22 for qualifiers. */
  system: string;
  oid?: string;
  code: string;
}

export interface MatrixColumnData {
  /** `G15-10`, or a qualified actor `R291-99/R22-GENR08`, or a source-given id (`ROLE-COORDINATION`). */
  id: string;
  label: string;
  /** First VIHF subject:role occurrence. */
  profession: MatrixCodeRef;
  /** A second code that narrows the column (savoir-faire, CNOP section, role, genre d'activité). */
  qualifier?: MatrixCodeRef;
  /** TRE_G15 status of the profession (`deprecated` codes 35-39, 93). */
  status: string;
  /** The qualifier is an assumption of the source, not a confirmed code. */
  assumed?: boolean;
  /** A profession "à rôle" (non-PS, TRE_R291): its cells are applied only when the setting allows it. */
  roleBased?: boolean;
}

export interface MatrixCellEntry {
  typeCode: string;
  column: string;
  access: CellAccess;
  /** Id of an entry of `sources`. */
  evidence: string;
  note?: string;
}

/** A statement about a whole column ("médecin: every type except ATTEST-RESID"). */
export interface RowStatementData {
  column: string;
  access: 'allowed' | 'denied';
  except: readonly string[];
  evidence: string;
  statement: string;
}

export interface MatrixSourceData {
  id: string;
  url?: string;
  note?: string;
  title?: string;
}

export interface MatrixInputFile {
  file: string;
  sha256: string;
  version?: string;
}

export interface DocumentMatrixData {
  id: string;
  title: string;
  version: string;
  date: string | null;
  /** `shipped`: the partial public cells built into the SDK; `imported`: a table loaded by the user. */
  origin: 'shipped' | 'imported';
  /** True only for a full official table: then a missing cell is a gap of the table, not of public knowledge. */
  complete: boolean;
  legalBasis?: readonly string[];
  officialLocation?: string;
  sources: readonly MatrixSourceData[];
  license?: string;
  inputs: readonly MatrixInputFile[];
  notes: readonly string[];
  documentTypes: readonly DocumentTypeData[];
  columns: readonly MatrixColumnData[];
  cells: readonly MatrixCellEntry[];
  rowStatements: readonly RowStatementData[];
  /** When the matrix was imported (ISO time); absent for the shipped data. */
  importedAt?: string;
}

export interface OccupationalHealthData {
  /** Savoir-faire / fonction codes whose display names médecine du travail. */
  codes: readonly { code: string; system: string; display: string; inR38: boolean }[];
  inputs: readonly MatrixInputFile[];
}

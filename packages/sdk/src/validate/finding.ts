/** The validation report model: one shape for every layer, so formatters and CI tools see one thing. */

export type Severity = 'error' | 'warning' | 'info';

/** Layers in the order the pipeline runs them. */
export const LAYERS = ['xml', 'cda', 'xsd', 'schematron', 'dmp'] as const;
export type Layer = (typeof LAYERS)[number];

export interface FindingLocation {
  /** The file as the user named it. */
  file: string;
  /** 1-based. */
  line?: number;
  /** 1-based. */
  column?: number;
  /** Unprefixed positional XPath, as SVRL writes it. */
  xpath?: string;
}

export interface Finding {
  /** Stable id: ours (`DMP-INS-001`, `XML-DOCTYPE`...) or derived from the ANS rule (see schematron/rule-id.ts). */
  ruleId: string;
  severity: Severity;
  /** The message as the rule gives it (French for the ANS rules; French for ours). */
  message: string;
  /** English text, for our own rules. */
  messageEn?: string;
  layer: Layer;
  /** For schematron findings: the schematron file, relative to the pack root (`schematrons/profils/IHE.sch`). */
  schematron?: string;
  location: FindingLocation;
}

export interface LayerRun {
  layer: Layer;
  /** For the schematron layer, one run per schematron file. */
  name: string;
  applied: boolean;
  /** Why a layer was not applied (no rule pack, parse failure...). */
  reason?: string;
  errors: number;
  warnings: number;
  durationMs: number;
}

export interface PackInfo {
  /** Absolute path of the TestContenuCDA tree. */
  root: string;
  /** sha256 over the relative paths and contents of the files the compiled pack uses. */
  contentHash: string;
  /** Git commit of the tree when known (from a .git folder, or given by the user). */
  commit?: string;
  /** Known defects of the pack that were worked around, and anything else worth knowing. */
  notes: string[];
  /** Set when the straightforward reference engine judged (the default fast engine is not named). */
  engine?: 'reference';
}

export type Verdict = 'valid' | 'invalid';

export interface DocumentReport {
  file: string;
  verdict: Verdict;
  /** Counted over all findings of the document. */
  errors: number;
  warnings: number;
  findings: Finding[];
  layers: LayerRun[];
  /** What the document says it is, when it could be read. */
  documentType?: { code?: string; codeSystem?: string; displayName?: string };
  /** The volet schematron applied, or why none was. */
  volet?: { schematron?: string; reason: string };
  durationMs: number;
}

export interface ValidationReport {
  tool: { name: 'dmpkit'; version: string };
  /** The ANS rule pack that judged, or null when none was configured. */
  pack: PackInfo | null;
  documents: DocumentReport[];
  summary: { documents: number; valid: number; invalid: number; errors: number; warnings: number };
}

export function countSeverities(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const f of findings) {
    if (f.severity === 'error') errors++;
    else if (f.severity === 'warning') warnings++;
  }
  return { errors, warnings };
}

export function summarize(documents: readonly DocumentReport[]): ValidationReport['summary'] {
  const s = { documents: documents.length, valid: 0, invalid: 0, errors: 0, warnings: 0 };
  for (const d of documents) {
    if (d.verdict === 'valid') s.valid++;
    else s.invalid++;
    s.errors += d.errors;
    s.warnings += d.warnings;
  }
  return s;
}

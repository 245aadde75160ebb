/**
 * JSON report: exactly the ValidationReport model (documented in docs/cli.md), with keys in a fixed order
 * so that two runs over the same files diff cleanly whatever order the pipeline built the objects in.
 */
import type { DocumentReport, Finding, LayerRun, PackInfo, ValidationReport } from '../finding.js';

export function formatJson(report: ValidationReport): string {
  return JSON.stringify(canonicalReport(report), null, 2) + '\n';
}

/** A copy of the report with keys in documented order and undefined members left out. */
export function canonicalReport(report: ValidationReport): ValidationReport {
  return {
    tool: { name: report.tool.name, version: report.tool.version },
    pack: report.pack ? canonicalPack(report.pack) : null,
    summary: {
      documents: report.summary.documents,
      valid: report.summary.valid,
      invalid: report.summary.invalid,
      errors: report.summary.errors,
      warnings: report.summary.warnings,
    },
    documents: report.documents.map(canonicalDocument),
  };
}

function canonicalPack(p: PackInfo): PackInfo {
  return defined({ root: p.root, commit: p.commit, contentHash: p.contentHash, notes: [...p.notes] });
}

function canonicalDocument(d: DocumentReport): DocumentReport {
  return defined({
    file: d.file,
    verdict: d.verdict,
    errors: d.errors,
    warnings: d.warnings,
    documentType: d.documentType
      ? defined({ code: d.documentType.code, codeSystem: d.documentType.codeSystem, displayName: d.documentType.displayName })
      : undefined,
    volet: d.volet ? defined({ schematron: d.volet.schematron, reason: d.volet.reason }) : undefined,
    durationMs: d.durationMs,
    layers: d.layers.map(canonicalLayer),
    findings: d.findings.map(canonicalFinding),
  });
}

function canonicalLayer(l: LayerRun): LayerRun {
  return defined({
    layer: l.layer,
    name: l.name,
    applied: l.applied,
    reason: l.reason,
    errors: l.errors,
    warnings: l.warnings,
    durationMs: l.durationMs,
  });
}

function canonicalFinding(f: Finding): Finding {
  return defined({
    ruleId: f.ruleId,
    severity: f.severity,
    layer: f.layer,
    schematron: f.schematron,
    message: f.message,
    messageEn: f.messageEn,
    location: defined({ file: f.location.file, line: f.location.line, column: f.location.column, xpath: f.location.xpath }),
  });
}

/** Drops undefined members so the output never depends on whether a producer wrote `x: undefined`. */
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * Human-readable report, for a developer at a terminal and for a support agent reading a pasted log.
 * It prints where and why, never the document's content: only rule messages, positions and XPaths.
 */
import type { DocumentReport, Finding, LayerRun, Severity, ValidationReport } from '../finding.js';
import { countsText, groupFindings, packText, plural, positionOf, singleLine } from './common.js';
import { styleFor, type Style } from './style.js';

export interface TextFormatOptions {
  /** ANSI colours; the caller decides (TTY, NO_COLOR, --no-color). */
  color: boolean;
  /** Also print info findings, English texts, layer runs and the document type. */
  verbose?: boolean;
}

export function formatText(report: ValidationReport, options: TextFormatOptions): string {
  const style = styleFor(options.color);
  const verbose = options.verbose ?? false;
  const lines: string[] = [];
  let hiddenInfo = 0;
  for (const doc of report.documents) {
    const shown = verbose ? doc.findings : doc.findings.filter((f) => f.severity !== 'info');
    hiddenInfo += doc.findings.length - shown.length;
    lines.push(...documentLines(doc, shown, style, verbose));
  }
  if (report.documents.length > 0) lines.push('');
  if (hiddenInfo > 0) lines.push(style.dim(`${plural(hiddenInfo, 'info finding')} not shown (--verbose shows them).`));
  // Totals last: the one line a CI log reader looks for.
  lines.push(...formatSummaryLines(report, style, verbose));
  return lines.join('\n') + '\n';
}

/** The closing lines alone (pack and totals), for when the full report went to a file. */
export function formatSummary(report: ValidationReport, options: { color: boolean }): string {
  return formatSummaryLines(report, styleFor(options.color), false).join('\n') + '\n';
}

function formatSummaryLines(report: ValidationReport, style: Style, verbose: boolean): string[] {
  const lines = [report.pack ? packText(report.pack) : style.yellow(packText(null))];
  if (verbose && report.pack) for (const note of report.pack.notes) lines.push(style.dim(`  note: ${singleLine(note)}`));
  const s = report.summary;
  const verdicts = `${plural(s.documents, 'document')}: ${s.valid} valid, ${s.invalid} invalid`;
  const totals = countsText(s.errors, s.warnings);
  lines.push(s.invalid > 0 ? `${style.red(verdicts)}; ${totals}` : `${style.green(verdicts)}; ${totals}`);
  return lines;
}

function documentLines(doc: DocumentReport, findings: readonly Finding[], style: Style, verbose: boolean): string[] {
  const mark = doc.verdict === 'valid' ? style.green('✔') : style.red('✘');
  const verdict = doc.verdict === 'valid' ? style.green('valid') : style.red('invalid');
  const lines = [`${mark} ${style.bold(singleLine(doc.file))}  ${verdict}  ${countsText(doc.errors, doc.warnings)}`];
  if (verbose) lines.push(...detailLines(doc, style));
  for (const group of groupFindings(findings)) {
    lines.push(`  ${style.cyan(singleLine(group.title))}`);
    for (const f of group.findings) {
      lines.push(`    ${singleLine(positionOf(f))}  ${severityText(f.severity, style)}  ${singleLine(f.ruleId)}  ${singleLine(f.message)}`);
      if (verbose && f.messageEn) lines.push(`      ${style.dim(`en: ${singleLine(f.messageEn)}`)}`);
      if (f.location.xpath) lines.push(`      ${style.dim(`at ${singleLine(f.location.xpath)}`)}`);
    }
  }
  return lines;
}

/** Document type, volet and layer runs: what a support agent needs to see which checks actually ran. */
function detailLines(doc: DocumentReport, style: Style): string[] {
  const lines: string[] = [];
  const t = doc.documentType;
  if (t && (t.code || t.displayName)) {
    const code = t.code ? `${t.code}${t.codeSystem ? `@${t.codeSystem}` : ''}` : '';
    lines.push(style.dim(`  type: ${[code, t.displayName].filter(Boolean).join(' ')}`));
  }
  if (doc.volet) lines.push(style.dim(`  volet: ${doc.volet.schematron ?? 'none'} (${doc.volet.reason})`));
  if (doc.layers.length > 0) {
    lines.push(style.dim('  layers:'));
    for (const run of doc.layers) lines.push(style.dim(`    ${singleLine(layerRunText(run))}`));
  }
  lines.push(style.dim(`  time: ${Math.round(doc.durationMs)} ms`));
  return lines;
}

function layerRunText(run: LayerRun): string {
  const name = run.name && run.name !== run.layer ? `${run.layer} ${run.name}` : run.layer;
  if (!run.applied) return `${name}: not applied${run.reason ? ` (${run.reason})` : ''}`;
  return `${name}: ${plural(run.errors, 'error')}, ${plural(run.warnings, 'warning')}, ${Math.round(run.durationMs)} ms`;
}

function severityText(severity: Severity, style: Style): string {
  const padded = severity.padEnd(7);
  if (severity === 'error') return style.red(padded);
  if (severity === 'warning') return style.yellow(padded);
  return style.dim(padded);
}

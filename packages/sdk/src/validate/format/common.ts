/** Helpers shared by the report formatters: one ordering and one wording, so every format agrees. */
import { LAYERS, type Finding, type Severity } from '../finding.js';

const SEVERITY_RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/**
 * Findings in reading order: by layer (pipeline order), schematron file, position, then severity and rule id.
 * Formatters sort rather than trust the pipeline so that parallel runs print identically.
 */
export function orderFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      LAYERS.indexOf(a.layer) - LAYERS.indexOf(b.layer) ||
      compareStrings(a.schematron ?? '', b.schematron ?? '') ||
      (a.location.line ?? 0) - (b.location.line ?? 0) ||
      (a.location.column ?? 0) - (b.location.column ?? 0) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      compareStrings(a.ruleId, b.ruleId),
  );
}

/** Code-unit comparison: locale-independent, so output is the same on every machine. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export interface FindingGroup {
  /** `xsd`, or `schematron schematrons/profils/IHE.sch`. */
  title: string;
  findings: Finding[];
}

/** Groups ordered findings by layer, and by schematron file within the schematron layer. */
export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups: FindingGroup[] = [];
  for (const f of orderFindings(findings)) {
    const title = f.schematron ? `${f.layer} ${f.schematron}` : f.layer;
    const last = groups.at(-1);
    if (last && last.title === title) last.findings.push(f);
    else groups.push({ title, findings: [f] });
  }
  return groups;
}

/** `file:line:col`, with only the parts that are known. */
export function positionOf(f: Finding): string {
  const { file, line, column } = f.location;
  if (line === undefined) return file;
  return column === undefined ? `${file}:${line}` : `${file}:${line}:${column}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export function countsText(errors: number, warnings: number): string {
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

/** Enough of the hashes to tell packs apart in a support conversation. */
export const HASH_PREFIX_LENGTH = 12;

/** The one line naming the pack that judged (path, commit and hash prefixes), or saying none did. */
export function packText(pack: { root: string; contentHash?: string; commit?: string } | null): string {
  if (!pack) {
    return 'ANS rule pack: none, so the XSD and ANS schematron layers were not applied (configure one with `dmp rules use <dir>`).';
  }
  const parts = [];
  if (pack.commit) parts.push(`commit ${pack.commit.slice(0, HASH_PREFIX_LENGTH)}`);
  if (pack.contentHash) parts.push(`hash ${pack.contentHash.slice(0, HASH_PREFIX_LENGTH)}`);
  const ids = parts.length > 0 ? ` (${parts.join(', ')})` : '';
  return `ANS rule pack: ${singleLine(pack.root)}${ids}`;
}

/**
 * One terminal-safe line: messages and file names come from rule packs and file systems, so control characters
 * (escape sequences included) are neutralised rather than sent to the terminal.
 */
export function singleLine(s: string): string {
  return s.replace(/\r\n|[\r\n\t]/g, ' ').replace(/[\u0000-\u001F\u007F-\u009F]/g, '\uFFFD');
}

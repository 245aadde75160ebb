/**
 * SARIF 2.1.0 report, for code-scanning views (GitHub, GitLab, VS Code SARIF viewer): each finding is a result
 * at a file position with its XPath as logical location, each rule described once in the driver.
 */
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, Severity, ValidationReport } from '../finding.js';
import { ruleDefinition } from '../rules/catalogue.js';
import { compareStrings, orderFindings } from './common.js';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const DMPKIT_INFORMATION_URI = 'https://www.npmjs.com/package/@dmpkit/cli';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifFormatOptions {
  /** Artifact URIs are made relative to this directory (default: the process's working directory). */
  cwd?: string;
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: SarifRun[];
}

export interface SarifRun {
  tool: { driver: SarifDriver };
  invocations: { executionSuccessful: boolean; properties: Record<string, unknown> }[];
  artifacts: { location: { uri: string }; properties: Record<string, unknown> }[];
  results: SarifResult[];
}

export interface SarifDriver {
  name: 'dmpkit';
  version: string;
  semanticVersion: string;
  informationUri: string;
  rules: SarifRule[];
}

export interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription?: { text: string };
  defaultConfiguration: { level: SarifLevel };
  help?: { text: string };
  properties: Record<string, unknown>;
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: { text: string };
  locations: {
    physicalLocation: {
      artifactLocation: { uri: string; index: number };
      region?: { startLine: number; startColumn?: number };
    };
    logicalLocations?: { fullyQualifiedName: string; kind: 'element' | 'attribute' }[];
  }[];
  properties: Record<string, unknown>;
}

export function sarifLevel(severity: Severity): SarifLevel {
  return severity === 'info' ? 'note' : severity;
}

export function buildSarif(report: ValidationReport, options: SarifFormatOptions = {}): SarifLog {
  const cwd = options.cwd ?? process.cwd();
  const artifactIndex = new Map<string, number>();
  const artifacts = report.documents.map((doc, i) => {
    artifactIndex.set(doc.file, i);
    return {
      location: { uri: artifactUri(doc.file, cwd) },
      properties: { verdict: doc.verdict, errors: doc.errors, warnings: doc.warnings },
    };
  });
  const findings = report.documents.flatMap((d) => orderFindings(d.findings));
  const rules = describeRules(findings);
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));

  const results = findings.map((f): SarifResult => {
    const region = f.location.line === undefined ? undefined : defined({ startLine: f.location.line, startColumn: f.location.column });
    const xpath = f.location.xpath;
    return {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId) ?? -1,
      level: sarifLevel(f.severity),
      message: { text: f.message },
      locations: [
        defined({
          physicalLocation: defined({
            artifactLocation: { uri: artifactUri(f.location.file, cwd), index: artifactIndex.get(f.location.file) ?? -1 },
            region,
          }),
          logicalLocations: xpath ? [{ fullyQualifiedName: xpath, kind: /\/@[^/]+$/.test(xpath) ? 'attribute' : 'element' } as const] : undefined,
        }),
      ],
      properties: defined({ layer: f.layer, schematron: f.schematron, messageEn: f.messageEn }),
    };
  });

  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dmpkit',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: DMPKIT_INFORMATION_URI,
            rules,
          },
        },
        invocations: [{ executionSuccessful: true, properties: { rulePack: report.pack, summary: report.summary } }],
        artifacts,
        results,
      },
    ],
  };
}

export function formatSarif(report: ValidationReport, options: SarifFormatOptions = {}): string {
  return JSON.stringify(buildSarif(report, options), null, 2) + '\n';
}

/** One descriptor per rule id seen, sorted by id; texts from our rule table, else a pointer to the ANS schematron. */
function describeRules(findings: readonly Finding[]): SarifRule[] {
  const seen = new Map<string, { first: Finding; schematrons: Set<string> }>();
  for (const f of findings) {
    const entry = seen.get(f.ruleId) ?? { first: f, schematrons: new Set<string>() };
    if (f.schematron) entry.schematrons.add(f.schematron);
    seen.set(f.ruleId, entry);
  }
  return [...seen.entries()]
    .sort(([a], [b]) => compareStrings(a, b))
    .map(([id, { first, schematrons }]): SarifRule => {
      const def = ruleDefinition(id);
      if (def) {
        const en = withoutPlaceholders(def.en);
        const fr = withoutPlaceholders(def.fr);
        return {
          id,
          shortDescription: { text: en },
          fullDescription: { text: fr },
          defaultConfiguration: { level: sarifLevel(def.severity) },
          help: { text: `${en}\n${fr}\nSource: ${def.source}` },
          properties: { layer: def.layer, source: def.source },
        };
      }
      // ANS rules: their text is per assertion and may quote the document, so the descriptor only says where the rule lives.
      const files = [...schematrons].sort(compareStrings);
      const from = files.length > 0 ? ` (${files.join(', ')})` : '';
      return {
        id,
        shortDescription: { text: `ANS ${first.layer} rule ${id}${from}` },
        defaultConfiguration: { level: sarifLevel(first.severity) },
        properties: defined({ layer: first.layer, schematrons: files.length > 0 ? files : undefined }),
      };
    });
}

/** Relative to cwd with `/` separators and percent-encoding; a file outside cwd keeps an absolute file: URI. */
export function artifactUri(file: string, cwd: string): string {
  const abs = resolve(cwd, file);
  const rel = relative(cwd, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return pathToFileURL(abs).href;
  return rel.split(sep).map(encodeURIComponent).join('/');
}

function withoutPlaceholders(text: string): string {
  return text.replace(/\{\w+\}/g, '…');
}

function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

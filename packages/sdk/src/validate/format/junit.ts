/**
 * JUnit XML report: one <testsuite>, one <testcase> per document, so CI servers (GitLab, Jenkins, Azure)
 * show each document as a passed or failed test with its errors in the failure text.
 */
import type { DocumentReport, Finding, ValidationReport } from '../finding.js';
import { countsText, orderFindings, positionOf } from './common.js';
import { escapeXmlAttr as attr, escapeXmlText as text } from './xml-escape.js';

export function formatJunit(report: ValidationReport): string {
  const s = report.summary;
  const totalMs = report.documents.reduce((sum, d) => sum + d.durationMs, 0);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="dmpkit validate" tests="${s.documents}" failures="${s.invalid}" errors="0" skipped="0" time="${seconds(totalMs)}">`,
    '  <properties>',
    ...packProperties(report).map(([name, value]) => `    <property name="${attr(name)}" value="${attr(value)}"/>`),
    '  </properties>',
  ];
  for (const doc of report.documents) out.push(...testcase(doc));
  out.push('</testsuite>');
  return out.join('\n') + '\n';
}

function packProperties(report: ValidationReport): [string, string][] {
  const props: [string, string][] = [['dmpkit.version', report.tool.version]];
  const pack = report.pack;
  if (!pack) return [...props, ['rulePack', 'none: XSD and ANS schematron layers not applied']];
  props.push(['rulePack.root', pack.root]);
  if (pack.commit) props.push(['rulePack.commit', pack.commit]);
  props.push(['rulePack.contentHash', pack.contentHash]);
  return props;
}

function testcase(doc: DocumentReport): string[] {
  const open = `  <testcase name="${attr(doc.file)}" classname="dmpkit.validate" file="${attr(doc.file)}" time="${seconds(doc.durationMs)}"`;
  const findings = orderFindings(doc.findings);
  const errors = findings.filter((f) => f.severity === 'error');
  const warnings = findings.filter((f) => f.severity === 'warning');
  if (doc.verdict === 'valid' && warnings.length === 0) return [`${open}/>`];
  const out = [`${open}>`];
  if (doc.verdict === 'invalid') {
    const message = countsText(doc.errors, doc.warnings);
    out.push(`    <failure message="${attr(message)}" type="invalid">${text(findingLines(errors))}</failure>`);
  }
  if (warnings.length > 0) out.push(`    <system-out>${text(findingLines(warnings))}</system-out>`);
  out.push('  </testcase>');
  return out;
}

function findingLines(findings: readonly Finding[]): string {
  return findings
    .map((f) => {
      const where = f.location.xpath ? `\n    at ${f.location.xpath}` : '';
      const layer = f.schematron ? `${f.layer} ${f.schematron}` : f.layer;
      return `[${layer}] ${positionOf(f)}  ${f.severity}  ${f.ruleId}  ${f.message}${where}`;
    })
    .join('\n');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

export { formatText, formatSummary, type TextFormatOptions } from './text.js';
export { packText as formatPackLine } from './common.js';
export { formatJson, canonicalReport } from './json.js';
export { formatJunit } from './junit.js';
export {
  formatSarif,
  buildSarif,
  sarifLevel,
  artifactUri,
  SARIF_SCHEMA,
  DMPKIT_INFORMATION_URI,
  type SarifFormatOptions,
  type SarifLog,
  type SarifRun,
  type SarifDriver,
  type SarifRule,
  type SarifResult,
  type SarifLevel,
} from './sarif.js';
export { REPORT_FORMATS, formatReport, type ReportFormat, type FormatReportOptions } from './report.js';

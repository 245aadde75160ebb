/**
 * Typed errors (one class per layer, built from plain parsed data), the FR/EN error catalogue, and the diagnosis
 * support staff read (`explainError`, `formatDiagnosis`).
 */
export * from './types.js';
export { DmpError, isDmpError, summarizeCause, type DmpErrorJson, type DmpErrorOptions } from './dmp-error.js';
export { sanitizeText, INS_PATTERN, CX_ID_PATTERN, type SanitizeOptions } from './sanitize.js';
export * from './transport-error.js';
export * from './fault-code.js';
export * from './soap-fault-error.js';
export * from './registry-error.js';
export * from './hl7v3-nack-error.js';
export * from './dmp-service-error.js';
export * from './vihf-error.js';
export * from './config-error.js';
export * from './catalogue/index.js';
export * from './explain.js';
export { formatDiagnosis } from './format-diagnosis.js';

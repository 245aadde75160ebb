/** CDA R2 (CI-SIS) header model, reader, time conversion, CDA → XDS metadata and the N1 builder. */
export * from './header.js';
export * from './read-header.js';
export * from './hl7-time.js';
export * from './ids.js';
export * from './n1.js';
export * from './hl7v2.js';
export * from './document-entry.js';
export * from './to-metadata.js';
export * from './build-n1.js';

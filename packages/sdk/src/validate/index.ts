/**
 * The validation entry point alone (`@dmpkit/sdk/validate`): the pipeline, batch validation, reports and the
 * rule pack, without the transport, SOAP, XDS, VIHF and PKI modules the package root also loads (undici,
 * xml-crypto, node-forge, xmlbuilder2: most of the root's import time, none of it used to validate).
 */
export { SDK_VERSION } from '../version.js';
export * from './finding.js';
export * from './format/index.js';
export { validateDocument, validateFile, ValidationContext, buildReport, ownFinding, type ValidateOptions } from './pipeline.js';
export { validateFiles, type ProgressListener } from './batch.js';
export * from '../rules-pack/index.js';

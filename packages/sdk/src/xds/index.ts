/** XDS.b model, ebRIM 3.0 codec, stored queries, ITI-41/57 builders, DMP HL7v3 and service bodies, metadata checks. */
export * from './uuids.js';
export * from './model.js';
export * from './issues.js';
export { escapeAttr, escapeText, stripXmlDeclaration, XmlWriteError } from './xml-write.js';
export * from './stored-query.js';
export * from './ebrim-encode.js';
export * from './ebrim-decode.js';
export * from './decode.js';
export * from './submission.js';
export * from './update.js';
export * from './hl7v3.js';
export * from './dmp-services.js';
export * from './rules.js';
export * from './checks.js';

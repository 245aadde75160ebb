/** SOAP 1.2/1.1 envelopes, WS-Addressing, faults, MTOM/XOP, HTTP captures, and decodeMessage (inspect). */
export * from './namespaces.js';
export * from './content-type.js';
export * from './addressing.js';
export * from './envelope.js';
export * from './fault.js';
export * from './mtom.js';
export * from './http-message.js';
export * from './fhir-summary.js';
export * from './actions.js';
export * from './decode-message.js';

export * from './errors.js';
export * from './dn.js';
export * from './x509.js';
export * from './usage.js';
export * from './chain.js';
export * from './credentials.js';
export * from './test-pki.js';

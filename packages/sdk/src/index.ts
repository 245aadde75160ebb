export { SDK_VERSION } from './version.js';
export * from './xml/index.js';
export * from './validate/finding.js';
export * from './validate/rules/catalogue.js';
export * from './validate/format/index.js';
export * from './cda/index.js';
export * from './terminology/index.js';

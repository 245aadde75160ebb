export * from './constants.js';
export * from './problems.js';
export * from './context.js';
export * from './build.js';
export * from './sign.js';
export * from './read.js';
export * from './verify.js';
export * from './xades.js';

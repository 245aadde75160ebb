export * from './parse.js';
export * from './path.js';
export * from './names.js';
export * from './dom.js';
export * from './fast-parse.js';

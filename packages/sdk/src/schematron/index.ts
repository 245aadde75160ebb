export * from './model.js';
export { compileSchematron, substituteParams, type CompileOptions, type KnownDefects } from './compile.js';
export { SchematronEvaluator, type SchematronHit, type SchematronEvalError, type SchematronResult } from './evaluate.js';
export { PackDocuments } from './documents.js';
export { ruleIdFor, messageTag } from './rule-id.js';

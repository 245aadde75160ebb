export { RulePack, RulePackError, GENERIC_SCHEMATRONS, PACK_XSD, SCHEMATRON_COMPILER_VERSION, contentHash, defaultCacheDir, gitCommit, type OpenPackOptions, type SchematronEngine, SCHEMATRON_ENGINES } from './pack.js';
export { selectVolet, type VoletChoice } from './select.js';
export { compileRulePack, type CompileRulePackResult } from './compile-pack.js';

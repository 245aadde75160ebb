/** Named DMP profiles from profiles.json, the environment and flags; secrets that never print. */
export { Secret, SECRET_MASK, revealSecret } from './secret.js';
export { configDir, profilesFile, resolvePath } from './paths.js';
export {
  AUTH_MODES,
  CODE_SYSTEMS,
  DMP_SERVICES,
  PROFILE_PURPOSES_OF_USE,
  profileInputSchema,
  type AuthMode,
  type CertificateConfig,
  type ProfileCode,
  type DmpProfile,
  type DmpServiceName,
  type ProfileInput,
  type ProfilePurposeOfUse,
} from './schema.js';
export { PROFILE_ENV_VARIABLES, SELECTION_ENV_VARIABLES, type ProfileEnvVariable } from './env.js';
export { SIMULATOR_DEFAULT_PORT, SIMULATOR_PROFILE } from './simulator.js';
export { resolveDmpProfile, type ResolveDmpProfileOptions, type ResolvedDmpProfile } from './resolve.js';
export { describeProfile, formatProfileDescription, type ProfileDescription, type ProfileField } from './describe.js';
export { missingProfileFields, requireProfile, type ProfileNeed } from './require.js';

/** Kept in step with package.json by the release process. */
export const SDK_VERSION = '0.1.0';

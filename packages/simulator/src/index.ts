/**
 * The simulator package is reserved by the product brief; its server, store and console
 * arrive with the simulator issue. Until then it only re-exports the SDK version it builds on.
 */
export { SDK_VERSION } from '@dmpkit/sdk';

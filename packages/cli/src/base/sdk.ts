/**
 * The SDK entry points the commands call, typed here as the SDK documents them.
 * They are looked up at call time so that a command the installed SDK cannot serve fails with a clear
 * message (exit 2) instead of the whole CLI failing to load, and every other command keeps working.
 */
import * as sdk from '@dmpkit/sdk';
import type { Layer, PackInfo, ValidationReport } from '@dmpkit/sdk';
import { CliError } from './errors.js';

/** Options of `validateFiles` (packages/sdk/src/validate/pipeline.ts). */
export interface ValidateOptions {
  /** Rule pack directory (TestContenuCDA tree); without it the XSD and ANS schematron layers are skipped. */
  rules?: string;
  layers?: Layer[];
  maxBytes?: number;
  jobs?: number;
  cacheDir?: string;
}

export type ValidateFiles = (
  files: string[],
  options: ValidateOptions,
  onProgress?: (done: number, total: number, file: string) => void,
) => Promise<ValidationReport>;

export interface CompiledRulePack {
  info: PackInfo;
  schematrons: string[];
  fromCache: boolean;
  issues: string[];
}

/** `compileRulePack` (packages/sdk/src/rules-pack/index.ts). */
export type CompileRulePack = (root: string, opts?: { cacheDir?: string; onProgress?: (msg: string) => void }) => Promise<CompiledRulePack>;

interface SdkEntryPoints {
  validateFiles: ValidateFiles;
  compileRulePack: CompileRulePack;
}

export function sdkEntryPoint<K extends keyof SdkEntryPoints>(name: K): SdkEntryPoints[K] {
  const fn = (sdk as unknown as Record<string, unknown>)[name];
  if (typeof fn !== 'function') {
    throw new CliError(`the installed @dmpkit/sdk ${sdk.SDK_VERSION} does not provide ${name}()`, undefined, 'install matching versions of @dmpkit/cli and @dmpkit/sdk');
  }
  return fn as SdkEntryPoints[K];
}

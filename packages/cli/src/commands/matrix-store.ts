/**
 * Where `dmp matrix import` keeps the official document-type matrix (next to config.json in the user config
 * directory: $DMPKIT_CONFIG_DIR, else $XDG_CONFIG_HOME/dmpkit, else ~/.config/dmpkit), and the policy every
 * access command compiles from it.
 */
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { compilePolicy, MatrixImportError, parseStoredDocumentMatrix, type DocumentMatrixData, type Policy, type PolicySettings } from '@dmpkit/sdk';
import { configFile } from '../base/config.js';
import { CliError, fsReason } from '../base/errors.js';

export function matrixFile(env: NodeJS.ProcessEnv): string {
  return join(dirname(configFile(env)), 'document-matrix.json');
}

/** The imported matrix, or null when none was imported. A damaged file is an error that says how to recover. */
export async function readImportedMatrix(env: NodeJS.ProcessEnv): Promise<DocumentMatrixData | null> {
  const file = matrixFile(env);
  let text: string;
  try {
    text = await readFile(file, 'utf-8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new CliError(`cannot read the imported matrix ${file}: ${fsReason(err)}`);
  }
  try {
    return parseStoredDocumentMatrix(text, file);
  } catch (err) {
    if (err instanceof MatrixImportError) {
      throw new CliError(`the imported matrix ${file} is damaged: ${err.issues.map((i) => i.message).join('; ')}`, undefined, 'run `dmp matrix import <file>` again, or `dmp matrix reset` to go back to the shipped data');
    }
    throw err;
  }
}

/** Written through a temporary file so that an interrupted import never leaves half a matrix. */
export async function saveImportedMatrix(env: NodeJS.ProcessEnv, matrix: DocumentMatrixData): Promise<string> {
  const file = matrixFile(env);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, JSON.stringify(matrix, null, 2) + '\n');
    await rename(tmp, file);
  } catch (err) {
    throw new CliError(`cannot write the imported matrix ${file}: ${fsReason(err)}`);
  }
  return file;
}

/** Removes the imported matrix; false when there was none. */
export async function removeImportedMatrix(env: NodeJS.ProcessEnv): Promise<boolean> {
  const file = matrixFile(env);
  try {
    await rm(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new CliError(`cannot remove the imported matrix ${file}: ${fsReason(err)}`);
  }
}

/** The policy of the access commands: the imported matrix when there is one, the shipped data otherwise. */
export async function loadPolicy(env: NodeJS.ProcessEnv, settings: Partial<PolicySettings>): Promise<Policy> {
  const imported = await readImportedMatrix(env);
  try {
    return compilePolicy({ settings, ...(imported ? { documentMatrix: imported } : {}) });
  } catch (err) {
    throw new CliError(`invalid policy settings: ${err instanceof Error ? err.message : String(err)}`);
  }
}

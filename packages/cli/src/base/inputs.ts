/**
 * Turns the paths, directories and globs given on the command line into the sorted, de-duplicated list of
 * files to validate. Anything named that does not exist, or matches nothing, is a usage error that names it:
 * a CI job that silently validates zero files would pass for the wrong reason.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { glob, isDynamicPattern } from 'tinyglobby';
import { CliError, fsReason } from './errors.js';

/** Files under a directory argument: XML documents, whatever the case of the extension; hidden folders skipped. */
const DIRECTORY_PATTERN = '**/*.xml';

export async function expandInputs(inputs: readonly string[], cwd: string): Promise<string[]> {
  const byAbsolute = new Map<string, string>();
  const add = (display: string) => {
    const abs = resolve(cwd, display);
    if (!byAbsolute.has(abs)) byAbsolute.set(abs, display);
  };
  for (const input of inputs) {
    for (const file of await expandOne(input, cwd)) add(file);
  }
  return [...byAbsolute.values()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function expandOne(input: string, cwd: string): Promise<string[]> {
  const abs = resolve(cwd, input);
  let kind: 'file' | 'dir' | 'missing';
  try {
    const s = await stat(abs);
    kind = s.isDirectory() ? 'dir' : 'file';
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' && (err as NodeJS.ErrnoException).code !== 'ENOTDIR') {
      throw new CliError(`cannot read ${input}: ${fsReason(err)}`);
    }
    kind = 'missing';
  }

  if (kind === 'file') {
    try {
      await access(abs, constants.R_OK);
    } catch (err) {
      throw new CliError(`cannot read ${input}: ${fsReason(err)}`);
    }
    return [normalize(input)];
  }

  if (kind === 'dir') {
    const found = await glob(DIRECTORY_PATTERN, { cwd: abs, onlyFiles: true, caseSensitiveMatch: false, expandDirectories: false });
    if (found.length === 0) throw new CliError(`no .xml file under the directory ${input}`);
    return found.map((rel) => join(input, rel));
  }

  if (isDynamicPattern(input)) {
    const found = await glob(input, { cwd, onlyFiles: true, expandDirectories: false, absolute: isAbsolute(input) });
    if (found.length === 0) throw new CliError(`no file matches the pattern ${input}`);
    return found.map((f) => normalize(f));
  }

  throw new CliError(`${input}: no such file or directory`);
}

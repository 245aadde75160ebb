/**
 * Where the profiles file lives, the same folder the CLI keeps its config in:
 * $DMPKIT_CONFIG_DIR, else $XDG_CONFIG_HOME/dmpkit, else ~/.config/dmpkit — file `profiles.json`.
 */
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DMPKIT_CONFIG_DIR) return env.DMPKIT_CONFIG_DIR;
  if (env.XDG_CONFIG_HOME) return join(env.XDG_CONFIG_HOME, 'dmpkit');
  return join(homedir(), '.config', 'dmpkit');
}

export function profilesFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(configDir(env), 'profiles.json');
}

/** `~/x` → home; relative paths against `base` (the profiles file's folder, or the working directory). */
export function resolvePath(path: string, base: string): string {
  if (path === '~') return homedir();
  if (path.startsWith('~/')) return join(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(base, path);
}

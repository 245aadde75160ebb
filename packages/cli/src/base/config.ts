/**
 * The user's dmpkit settings (today: the rule pack chosen with `dmp rules use`) and where things live on disk.
 * Config:  $DMPKIT_CONFIG_DIR, else $XDG_CONFIG_HOME/dmpkit, else ~/.config/dmpkit   (config.json)
 * Cache:   $DMPKIT_CACHE_DIR,  else $XDG_CACHE_HOME/dmpkit,  else ~/.cache/dmpkit     (compiled rule packs)
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { CliError, fsReason } from './errors.js';

export interface SavedRulePack {
  /** Absolute path of the TestContenuCDA tree. */
  root: string;
  contentHash?: string;
  commit?: string;
}

export interface UserConfig {
  rules?: SavedRulePack;
}

function xdgDir(env: NodeJS.ProcessEnv, override: string, xdg: string, fallback: string): string {
  if (env[override]) return env[override];
  if (env[xdg]) return join(env[xdg], 'dmpkit');
  return join(homedir(), fallback, 'dmpkit');
}

export function configFile(env: NodeJS.ProcessEnv): string {
  return join(xdgDir(env, 'DMPKIT_CONFIG_DIR', 'XDG_CONFIG_HOME', '.config'), 'config.json');
}

export function cacheDir(env: NodeJS.ProcessEnv): string {
  return xdgDir(env, 'DMPKIT_CACHE_DIR', 'XDG_CACHE_HOME', '.cache');
}

export async function readConfig(env: NodeJS.ProcessEnv): Promise<UserConfig> {
  const file = configFile(env);
  return toConfig(await readRawConfig(file), file);
}

async function readRawConfig(file: string): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await readFile(file, 'utf-8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new CliError(`cannot read the config file ${file}: ${fsReason(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CliError(`the config file ${file} is not valid JSON`, undefined, 'fix it, or delete it and run `dmp rules use <dir>` again');
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError(`the config file ${file} must hold a JSON object`);
  return parsed as Record<string, unknown>;
}

/** Keeps only what we understand; a wrong shape is an error rather than a silently ignored setting. */
function toConfig(value: Record<string, unknown>, file: string): UserConfig {
  const rules = value.rules;
  if (rules === undefined) return {};
  const r = rules as Partial<SavedRulePack> | null;
  if (!r || typeof r !== 'object' || typeof r.root !== 'string') {
    throw new CliError(`the config file ${file} has an invalid "rules" entry (expected { "root": "<dir>" })`);
  }
  const saved: SavedRulePack = { root: r.root };
  if (typeof r.contentHash === 'string') saved.contentHash = r.contentHash;
  if (typeof r.commit === 'string') saved.commit = r.commit;
  return { rules: saved };
}

/**
 * Saves `patch` over the current config, keeping keys this version does not know (a newer dmp may have
 * written them), through a temporary file so an interrupted write never leaves half a config.
 */
export async function updateConfig(env: NodeJS.ProcessEnv, patch: UserConfig): Promise<string> {
  const file = configFile(env);
  const current = await readRawConfig(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(tmp, JSON.stringify({ ...current, ...patch }, null, 2) + '\n');
    await rename(tmp, file);
  } catch (err) {
    throw new CliError(`cannot write the config file ${file}: ${fsReason(err)}`);
  }
  return file;
}

export type RulePackSource = 'flag' | 'env' | 'config';

export interface ResolvedRulePack {
  dir: string;
  source: RulePackSource;
  /** The pack's commit when known: --rules-commit, DMPKIT_RULES_COMMIT, or saved by `dmp rules use --commit`. */
  commit?: string;
}

/** --rules, else DMPKIT_RULES, else the pack saved by `dmp rules use`; null when none is configured. */
export async function resolveRulePack(flag: string | undefined, env: NodeJS.ProcessEnv, commitFlag?: string): Promise<ResolvedRulePack | null> {
  const commit = commitFlag ?? env.DMPKIT_RULES_COMMIT;
  const withCommit = (r: ResolvedRulePack, saved?: string): ResolvedRulePack => {
    const c = commit ?? saved;
    return c ? { ...r, commit: c } : r;
  };
  if (flag) return withCommit({ dir: flag, source: 'flag' });
  if (env.DMPKIT_RULES) return withCommit({ dir: env.DMPKIT_RULES, source: 'env' });
  const saved = (await readConfig(env)).rules;
  return saved ? withCommit({ dir: saved.root, source: 'config' }, saved.commit) : null;
}

export function describeSource(source: RulePackSource): string {
  return { flag: '--rules', env: 'DMPKIT_RULES', config: 'dmp rules use' }[source];
}

/** The environment variables that set profile fields (one table: resolution, messages and docs use it). */
import { delimiter } from 'node:path';
import type { ConfigIssue } from '../errors/config-error.js';

export type EnvValueType = 'string' | 'int' | 'boolean' | 'secret' | 'list';

export interface ProfileEnvVariable {
  name: string;
  /** Dotted profile field. */
  path: string;
  type: EnvValueType;
  description: string;
}

export const PROFILE_ENV_VARIABLES: readonly ProfileEnvVariable[] = [
  { name: 'DMPKIT_ENDPOINT', path: 'endpoint', type: 'string', description: 'base URL of the DMP services' },
  { name: 'DMPKIT_P12', path: 'auth.p12', type: 'string', description: 'authentication certificate, PKCS#12 file' },
  { name: 'DMPKIT_P12_PASSWORD', path: 'auth.p12Password', type: 'secret', description: 'password of DMPKIT_P12' },
  { name: 'DMPKIT_CERT', path: 'auth.cert', type: 'string', description: 'authentication certificate, PEM file' },
  { name: 'DMPKIT_KEY', path: 'auth.key', type: 'string', description: 'authentication private key, PEM file' },
  { name: 'DMPKIT_KEY_PASSWORD', path: 'auth.keyPassword', type: 'secret', description: 'password of DMPKIT_KEY, if encrypted' },
  { name: 'DMPKIT_SIGN_P12', path: 'signature.p12', type: 'string', description: 'signature certificate, PKCS#12 file' },
  { name: 'DMPKIT_SIGN_P12_PASSWORD', path: 'signature.p12Password', type: 'secret', description: 'password of DMPKIT_SIGN_P12' },
  { name: 'DMPKIT_SIGN_CERT', path: 'signature.cert', type: 'string', description: 'signature certificate, PEM file' },
  { name: 'DMPKIT_SIGN_KEY', path: 'signature.key', type: 'string', description: 'signature private key, PEM file' },
  { name: 'DMPKIT_SIGN_KEY_PASSWORD', path: 'signature.keyPassword', type: 'secret', description: 'password of DMPKIT_SIGN_KEY' },
  { name: 'DMPKIT_CA', path: 'ca', type: 'list', description: `CA bundle file(s), separated by "${delimiter}"` },
  { name: 'DMPKIT_STRUCTURE_ID', path: 'structure.id', type: 'string', description: 'Identifiant_Structure (Struct_IdNat)' },
  { name: 'DMPKIT_STRUCTURE_NAME', path: 'structure.name', type: 'string', description: 'structure name' },
  { name: 'DMPKIT_SECTEUR_ACTIVITE', path: 'structure.secteurActivite', type: 'string', description: 'Secteur_Activite code (SA07 or SA07^1.2.250.1.71.4.2.4)' },
  { name: 'DMPKIT_LPS_NAME', path: 'lps.name', type: 'string', description: 'LPS_Nom' },
  { name: 'DMPKIT_LPS_VERSION', path: 'lps.version', type: 'string', description: 'LPS_Version' },
  { name: 'DMPKIT_LPS_HOMOLOGATION', path: 'lps.homologation', type: 'string', description: 'LPS_ID_HOMOLOGATION_DMP' },
  { name: 'DMPKIT_LPS_ID', path: 'lps.id', type: 'string', description: 'LPS_ID (software instance)' },
  { name: 'DMPKIT_PS_ID', path: 'professional.id', type: 'string', description: 'acting professional id (VIHF NameID)' },
  { name: 'DMPKIT_PS_NAME', path: 'professional.name', type: 'string', description: 'acting professional name (VIHF subject-id)' },
  { name: 'DMPKIT_PS_PROFESSION', path: 'professional.profession', type: 'string', description: 'profession code (10, or code^OID)' },
  { name: 'DMPKIT_PS_SPECIALTY', path: 'professional.specialty', type: 'string', description: 'specialty code (SM26, or code^OID)' },
  { name: 'DMPKIT_AUTH_MODE', path: 'professional.authMode', type: 'string', description: 'Authentification_Mode: DIRECTE, INDIRECTE, INDIRECTE_RENFORCEE, DELEGUEE' },
  { name: 'DMPKIT_PURPOSE_OF_USE', path: 'purposeOfUse', type: 'string', description: 'normal, bris_de_glace or centre_15' },
  { name: 'DMPKIT_CONNECT_TIMEOUT_MS', path: 'timeouts.connectMs', type: 'int', description: 'connection timeout (ms)' },
  { name: 'DMPKIT_HEADERS_TIMEOUT_MS', path: 'timeouts.headersMs', type: 'int', description: 'response headers timeout (ms)' },
  { name: 'DMPKIT_BODY_TIMEOUT_MS', path: 'timeouts.bodyMs', type: 'int', description: 'response body idle timeout (ms)' },
  { name: 'DMPKIT_RETRY_ATTEMPTS', path: 'retry.attempts', type: 'int', description: 'attempts for reads (1 = no retry)' },
  { name: 'DMPKIT_RECORD_DIR', path: 'recording.dir', type: 'string', description: 'record exchanges in this directory' },
  { name: 'DMPKIT_RECORD_REDACT', path: 'recording.redact', type: 'boolean', description: 'false to record health data unredacted' },
];

/** Variables that choose rather than set a field. */
export const SELECTION_ENV_VARIABLES = [
  { name: 'DMPKIT_PROFILE', description: 'profile to use' },
  { name: 'DMPKIT_CONFIG_DIR', description: 'folder of profiles.json (default $XDG_CONFIG_HOME/dmpkit or ~/.config/dmpkit)' },
  { name: 'DMPKIT_SIMULATOR_PORT', description: 'port of the built-in simulator profile' },
] as const;

export function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const k of keys.slice(0, -1)) {
    node[k] ??= {};
    node = node[k] as Record<string, unknown>;
  }
  node[keys.at(-1)!] = value;
}

/** The profile fields the environment sets, which variable set each, and type errors (naming the variable). */
export function readEnvLayer(env: NodeJS.ProcessEnv): { input: Record<string, unknown>; origins: Map<string, string>; issues: ConfigIssue[] } {
  const input: Record<string, unknown> = {};
  const origins = new Map<string, string>();
  const issues: ConfigIssue[] = [];
  for (const v of PROFILE_ENV_VARIABLES) {
    const raw = env[v.name];
    if (raw === undefined || raw === '') continue;
    let value: unknown = raw;
    if (v.type === 'int') {
      if (!/^\s*\d+\s*$/.test(raw)) {
        issues.push({ field: v.path, source: `env ${v.name}`, message: 'must be a whole number' });
        continue;
      }
      value = Number(raw);
    } else if (v.type === 'boolean') {
      const b = raw.trim().toLowerCase();
      if (!['true', 'false', '1', '0', 'yes', 'no'].includes(b)) {
        issues.push({ field: v.path, source: `env ${v.name}`, message: 'must be true or false' });
        continue;
      }
      value = ['true', '1', 'yes'].includes(b);
    } else if (v.type === 'list') {
      value = raw.split(delimiter).map((s) => s.trim()).filter(Boolean);
    }
    setPath(input, v.path, value);
    origins.set(v.path, v.name);
  }
  return { input, origins, issues };
}

/**
 * Resolves the profile to use from four layers, each overriding the previous one field by field:
 * built-in `simulator` profile (only for that name) < profiles.json < environment variables < flags (overrides).
 * Every layer is validated on its own, so a bad value is reported with the field and the layer it came from;
 * then the merged profile is checked as a whole (required fields, consistency) naming the source of each field.
 * Secret values are never quoted in messages.
 */
import { access, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors/config-error.js';
import { text } from '../errors/types.js';
import { JDV, isInValueSet } from '../terminology/index.js';
import { DEFAULT_MAX_RESPONSE_BYTES, DEFAULT_TIMEOUTS } from '../transport/soap-transport.js';
import { DEFAULT_RETRY_POLICY } from '../transport/retry.js';
import { readEnvLayer } from './env.js';
import { profilesFile, resolvePath } from './paths.js';
import {
  CODE_SYSTEMS,
  DMP_SERVICES,
  profileInputSchema,
  profilesFileSchema,
  type CertificateConfig,
  type ProfileCode,
  type DmpProfile,
  type DmpServiceName,
  type ProfileInput,
  type SecretInput,
} from './schema.js';
import { Secret } from './secret.js';
import { SIMULATOR_PROFILE, simulatorPort, simulatorProfileInput } from './simulator.js';

export interface ResolveDmpProfileOptions {
  /** The profile name given on the command line (wins over DMPKIT_PROFILE and defaultProfile). */
  profile?: string;
  /** Field values given on the command line. */
  overrides?: ProfileInput;
  /** Default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default $DMPKIT_CONFIG_DIR/profiles.json, else the XDG config dir. */
  file?: string;
  /** Base of relative paths given by the environment or flags. Default process.cwd(). */
  cwd?: string;
}

export interface ResolvedDmpProfile {
  profile: DmpProfile;
  /** Where each field's value came from, by dotted path. */
  sources: Record<string, string>;
  /** The profiles file, when one was read. */
  configFile?: string;
  warnings: string[];
}

const OBJECT_FIELDS = new Set(['services', 'auth', 'signature', 'structure', 'lps', 'professional', 'timeouts', 'retry', 'tls', 'recording']);
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface Layer {
  kind: 'builtin' | 'file' | 'env' | 'flags';
  label: (path: string) => string;
  input: unknown;
  base: string;
}

interface Merged {
  values: Record<string, Record<string, unknown> | unknown>;
  sources: Map<string, string>;
  bases: Map<string, string>;
  kinds: Map<string, Layer['kind']>;
}

async function readProfilesFile(file: string, explicit: boolean): Promise<{ defaultProfile?: string; profiles: Record<string, unknown> } | undefined> {
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !explicit) return undefined;
    throw new ConfigError({ code: 'CONFIG-FILE', file, message: text(`Fichier de profils ${file} illisible (${code})`, `Cannot read the profiles file ${file} (${code})`), cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (err) {
    throw new ConfigError({ code: 'CONFIG-FILE', file, message: text(`Le fichier de profils ${file} n’est pas du JSON valide`, `The profiles file ${file} is not valid JSON`), issues: [{ field: '(file)', source: file, message: (err as Error).message }] });
  }
  const parsed = profilesFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new ConfigError({
      code: 'CONFIG-FILE',
      file,
      message: text(`Structure du fichier de profils ${file} invalide`, `Invalid structure of the profiles file ${file}`),
      issues: parsed.error.issues.map((i) => ({ field: i.path.join('.') || '(file)', source: file, message: i.message })),
    });
  }
  return parsed.data;
}

function validateLayer(layer: Layer, issues: ConfigIssue[]): ProfileInput | undefined {
  const r = profileInputSchema.safeParse(layer.input);
  if (r.success) return r.data as ProfileInput;
  for (const i of r.error.issues) {
    const path = i.path.join('.');
    // Unknown keys are reported on the object holding them, with their names.
    const keys = i.code === 'unrecognized_keys' ? (i as { keys?: string[] }).keys : undefined;
    const field = keys?.length ? (path ? `${path}.${keys.join(', ')}` : keys.join(', ')) : path || '(profile)';
    issues.push({ field, source: layer.label(path), message: keys ? 'unknown field' : i.message });
  }
  return undefined;
}

function mergeLayer(merged: Merged, input: ProfileInput, layer: Layer): void {
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!OBJECT_FIELDS.has(key)) {
      merged.values[key] = value;
      merged.sources.set(key, layer.label(key));
      merged.bases.set(key, layer.base);
      merged.kinds.set(key, layer.kind);
      continue;
    }
    const target = (merged.values[key] ??= {}) as Record<string, unknown>;
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (key === 'auth' || key === 'signature') {
      // A layer that names a PKCS#12 file replaces PEM files from below, and the reverse.
      const drop = entries.some(([k]) => k === 'p12') ? ['cert', 'key', 'keyPassword'] : entries.some(([k]) => k === 'cert' || k === 'key') ? ['p12', 'p12Password'] : [];
      for (const k of drop) {
        delete target[k];
        merged.sources.delete(`${key}.${k}`);
      }
    }
    for (const [k, v] of entries) {
      const path = `${key}.${k}`;
      target[k] = v;
      merged.sources.set(path, layer.label(path));
      merged.bases.set(path, layer.base);
      merged.kinds.set(path, layer.kind);
    }
  }
}

/** Loads, merges and checks the profile; throws ConfigError naming every bad field and its source. */
export async function resolveDmpProfile(options: ResolveDmpProfileOptions = {}): Promise<ResolvedDmpProfile> {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const file = options.file ?? profilesFile(env);
  const data = await readProfilesFile(file, options.file !== undefined);
  const envLayer = readEnvLayer(env);
  const fileProfiles = Object.keys(data?.profiles ?? {});
  const adHoc = envLayer.input.endpoint !== undefined || options.overrides?.endpoint !== undefined;
  const chosen = options.profile ?? env.DMPKIT_PROFILE ?? data?.defaultProfile ?? (fileProfiles.length === 1 ? fileProfiles[0] : undefined);
  const name = chosen ?? (adHoc ? 'default' : undefined);
  const available = [...new Set([...fileProfiles, SIMULATOR_PROFILE])];
  if (!name) {
    throw new ConfigError({
      code: 'CONFIG-NO-PROFILE',
      file: data ? file : undefined,
      message: text(
        `Aucun profil choisi : utiliser DMPKIT_PROFILE, l’option de profil ou defaultProfile dans ${file} (profils : ${available.join(', ')})`,
        `No profile chosen: use DMPKIT_PROFILE, the profile option or defaultProfile in ${file} (profiles: ${available.join(', ')})`,
      ),
    });
  }
  const issues: ConfigIssue[] = [...envLayer.issues];
  const layers: Layer[] = [];
  if (name === SIMULATOR_PROFILE) {
    const { port, issue } = simulatorPort(env);
    if (issue) issues.push(issue);
    layers.push({ kind: 'builtin', label: () => 'built-in simulator profile', input: simulatorProfileInput(port), base: cwd });
  }
  const fromFile = data?.profiles[name];
  if (fromFile !== undefined) layers.push({ kind: 'file', label: () => `${file} (profiles.${name})`, input: fromFile, base: dirname(file) });
  else if (name !== SIMULATOR_PROFILE && chosen !== undefined) {
    throw new ConfigError({
      code: 'CONFIG-PROFILE-UNKNOWN',
      file: data ? file : undefined,
      message: text(`Profil « ${name} » inconnu (profils : ${available.join(', ')})`, `Unknown profile "${name}" (profiles: ${available.join(', ')})`),
    });
  }
  layers.push({ kind: 'env', label: (path) => `env ${envVariableFor(envLayer.origins, path) ?? 'DMPKIT_*'}`, input: envLayer.input, base: cwd });
  if (options.overrides) layers.push({ kind: 'flags', label: () => 'flags', input: options.overrides, base: cwd });

  const merged: Merged = { values: {}, sources: new Map(), bases: new Map(), kinds: new Map() };
  for (const layer of layers) {
    const input = validateLayer(layer, issues);
    if (input) mergeLayer(merged, input, layer);
  }
  if (issues.length) throw invalid(name, issues);

  const warnings: string[] = [];
  const secretIssues: ConfigIssue[] = [];
  const profile = await normalize(name, merged, env, { issues, secretIssues, warnings });
  if (secretIssues.length && !issues.length) {
    throw new ConfigError({ code: 'CONFIG-SECRET', message: text(`Profil « ${name} » : secret introuvable`, `Profile "${name}": secret not found`), issues: secretIssues });
  }
  if (issues.length || secretIssues.length || !profile) throw invalid(name, [...issues, ...secretIssues]);
  const result: ResolvedDmpProfile = { profile, sources: Object.fromEntries(merged.sources), warnings };
  if (data) result.configFile = file;
  return result;
}

function envVariableFor(origins: Map<string, string>, path: string): string | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const v = origins.get(p);
    if (v) return v;
  }
  // A field under an object the environment set only partly: name the variables of that object.
  const prefix = path.split('.')[0];
  return [...origins].filter(([p]) => p.split('.')[0] === prefix).map(([, v]) => v)[0];
}

function invalid(name: string, issues: ConfigIssue[]): ConfigError {
  return new ConfigError({ code: 'CONFIG-INVALID', message: text(`Profil « ${name} » invalide`, `Invalid profile "${name}"`), issues });
}

interface Report {
  issues: ConfigIssue[];
  secretIssues: ConfigIssue[];
  warnings: string[];
}

type Issue = (field: string, message: string) => void;

interface Context {
  merged: Merged;
  env: NodeJS.ProcessEnv;
  issue: Issue;
  secretIssue: Issue;
  warnings: string[];
  base: (path: string) => string;
}

async function normalize(name: string, merged: Merged, env: NodeJS.ProcessEnv, report: Report): Promise<DmpProfile | undefined> {
  const v = merged.values as ProfileInput;
  const { warnings } = report;
  // The source of a field; for a missing field, the layer that set its neighbours (the object it belongs to).
  const src = (path: string): string | undefined => {
    const under = (prefix: string) => merged.sources.get(prefix) ?? [...merged.sources].find(([k]) => k.startsWith(`${prefix}.`))?.[1];
    const exact = under(path);
    if (exact) return exact;
    for (let p = path; p.includes('.'); ) {
      p = p.slice(0, p.lastIndexOf('.'));
      const s = under(p);
      if (s) return s;
    }
    return undefined;
  };
  const issue: Issue = (field, message) => report.issues.push({ field, source: src(field), message });
  const secretIssue: Issue = (field, message) => report.secretIssues.push({ field, source: src(field), message });
  const base = (path: string) => merged.bases.get(path) ?? process.cwd();
  const ctx: Context = { merged, env, issue, secretIssue, warnings, base };

  const endpoint = checkUrl(v.endpoint, 'endpoint', issue);
  const services = {} as Record<DmpServiceName, string>;
  for (const s of DMP_SERVICES) {
    const given = v.services?.[s];
    if (given && /^[a-z]+:\/\//i.test(given)) services[s] = checkUrl(given, `services.${s}`, issue) ?? given;
    else services[s] = `${endpoint ?? ''}/${(given ?? s).replace(/^\/+/, '')}`;
  }

  const auth = await certificate(v.auth, 'auth', ctx);
  const signature = await certificate(v.signature, 'signature', ctx);
  const ca = v.ca === undefined ? [] : (Array.isArray(v.ca) ? v.ca : [v.ca]).map((p) => resolvePath(p, base('ca')));
  for (const p of ca) await mustExist(p, 'ca', issue);

  let structure: DmpProfile['structure'];
  if (v.structure) {
    if (!v.structure.id) issue('structure.id', 'required (Identifiant_Structure, the structure’s Struct_IdNat)');
    else {
      structure = { id: v.structure.id };
      if (v.structure.name) structure.name = v.structure.name;
      if (v.structure.secteurActivite !== undefined) {
        structure.secteurActivite = coded(v.structure.secteurActivite, CODE_SYSTEMS.secteurActivite);
        const s = structure.secteurActivite;
        if (s.codeSystem === CODE_SYSTEMS.secteurActivite && !isInValueSet(JDV.J61_FACILITY_TYPE_DMP, s.code, s.codeSystem)) {
          warnings.push(`structure.secteurActivite: ${s.code} is not in dmpkit's copy of JDV_J61 (the DMP may refuse it)`);
        }
      }
    }
  }

  let lps: DmpProfile['lps'];
  if (v.lps) {
    for (const f of ['name', 'version', 'homologation'] as const) if (!v.lps[f]) issue(`lps.${f}`, 'required when lps is set (LPS_Nom, LPS_Version, LPS_ID_HOMOLOGATION_DMP)');
    if (v.lps.name && v.lps.version && v.lps.homologation) {
      lps = { name: v.lps.name, version: v.lps.version, homologation: v.lps.homologation };
      if (v.lps.id) lps.id = v.lps.id;
    }
  }

  let professional: DmpProfile['professional'];
  const p = v.professional;
  if (p) {
    if (!p.id) issue('professional.id', 'required (the VIHF NameID: PS_IdNat, or the id of the person responsible for an automated process)');
    if (p.profession === undefined) issue('professional.profession', 'required (TRE_G15 profession code, e.g. 10 for a physician)');
    if (!p.authMode) issue('professional.authMode', 'required (DIRECTE, INDIRECTE, INDIRECTE_RENFORCEE or DELEGUEE)');
    if (p.id && p.profession !== undefined && p.authMode) {
      const profession = coded(p.profession, CODE_SYSTEMS.profession);
      const needsSpecialty = profession.codeSystem === CODE_SYSTEMS.profession && (profession.code === '10' || profession.code === '21');
      if (needsSpecialty && p.specialty === undefined) {
        issue('professional.specialty', `required for profession ${profession.code} (physicians and pharmacists): the DMP refuses a VIHF without it ("Aucune spécialité dans le vihf")`);
      } else {
        professional = { id: p.id, profession, authMode: p.authMode as NonNullable<DmpProfile['professional']>['authMode'] };
        if (p.name) professional.name = p.name;
        if (p.specialty !== undefined) {
          professional.specialty = coded(p.specialty, profession.code === '21' && profession.codeSystem === CODE_SYSTEMS.profession ? CODE_SYSTEMS.specialtyG05 : CODE_SYSTEMS.specialtyR01);
        }
      }
    }
  }

  const timeouts = { ...DEFAULT_TIMEOUTS, ...v.timeouts };
  const retry = {
    attempts: v.retry?.attempts ?? DEFAULT_RETRY_POLICY.attempts,
    baseDelayMs: v.retry?.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
    maxDelayMs: v.retry?.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
  };
  if (retry.baseDelayMs > retry.maxDelayMs) issue('retry.baseDelayMs', 'must not exceed retry.maxDelayMs');
  const tls: DmpProfile['tls'] = { minVersion: v.tls?.minVersion ?? 'TLSv1.2' };
  if (v.tls?.maxVersion) {
    tls.maxVersion = v.tls.maxVersion;
    if (tls.minVersion === 'TLSv1.3' && tls.maxVersion === 'TLSv1.2') issue('tls.maxVersion', 'must not be lower than tls.minVersion');
  }
  if (v.tls?.ciphers) tls.ciphers = v.tls.ciphers;

  let recording: DmpProfile['recording'];
  if (v.recording) {
    if (!v.recording.dir) issue('recording.dir', 'required to record exchanges');
    else {
      recording = { dir: resolvePath(v.recording.dir, base('recording.dir')), redact: v.recording.redact ?? true };
      if (!recording.redact) warnings.push('recording.redact is false: recordings will contain health data (INS, names, documents)');
    }
  }

  if (!endpoint) return undefined;
  const profile: DmpProfile = {
    name,
    endpoint,
    services,
    ca,
    purposeOfUse: v.purposeOfUse ?? 'normal',
    timeouts,
    retry,
    maxResponseBytes: v.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    tls,
  };
  if (auth) profile.auth = auth;
  if (signature) profile.signature = signature;
  if (structure) profile.structure = structure;
  if (lps) profile.lps = lps;
  if (professional) profile.professional = professional;
  if (recording) profile.recording = recording;
  return profile;
}

function checkUrl(value: string | undefined, field: string, issue: Issue): string | undefined {
  if (value === undefined) {
    issue(field, 'required: the base URL of the DMP services, e.g. https://<host>/si-dmp-server/v2/services');
    return undefined;
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    issue(field, 'not a valid URL');
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') issue(field, `must be https:// (got ${url.protocol})`);
  else if (url.protocol === 'http:' && !LOOPBACK.has(url.hostname)) issue(field, 'http:// is only allowed for a local simulator (127.0.0.1, ::1, localhost): use https://');
  else if (url.username || url.password) issue(field, 'must not contain credentials');
  else if (url.search || url.hash) issue(field, 'must not contain a query string or fragment');
  else return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return undefined;
}

function coded(value: string | { code: string; codeSystem?: string; displayName?: string }, defaultSystem: string): ProfileCode {
  if (typeof value === 'string') {
    const [code, system] = value.split('^');
    return { code: code!, codeSystem: system ?? defaultSystem };
  }
  const out: ProfileCode = { code: value.code, codeSystem: value.codeSystem ?? defaultSystem };
  if (value.displayName) out.displayName = value.displayName;
  return out;
}

async function mustExist(path: string, field: string, issue: Issue): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    issue(field, `file not found: ${path}`);
    return false;
  }
}

async function certificate(input: ProfileInput['auth'], field: 'auth' | 'signature', ctx: Context): Promise<CertificateConfig | undefined> {
  if (!input) return undefined;
  const { issue, base } = ctx;
  const hasPem = input.cert !== undefined || input.key !== undefined;
  const envHint = field === 'auth' ? 'DMPKIT_P12_PASSWORD' : 'DMPKIT_SIGN_P12_PASSWORD';
  if (input.p12 !== undefined && hasPem) {
    issue(field, 'give either a PKCS#12 file (p12) or PEM files (cert + key), not both');
    return undefined;
  }
  if (input.p12 !== undefined) {
    if (input.p12Password === undefined) {
      issue(`${field}.p12Password`, `required with ${field}.p12 (in the file as { "env": "VAR" } or { "file": "path" }, or with ${envHint})`);
      return undefined;
    }
    const path = resolvePath(input.p12, base(`${field}.p12`));
    const password = await secret(input.p12Password, `${field}.p12Password`, ctx);
    const exists = await mustExist(path, `${field}.p12`, issue);
    return exists && password ? { kind: 'pkcs12', path, password } : undefined;
  }
  if (hasPem) {
    if (input.cert === undefined || input.key === undefined) {
      issue(input.cert === undefined ? `${field}.cert` : `${field}.key`, 'PEM certificate and key go together: give both cert and key');
      return undefined;
    }
    const certPath = resolvePath(input.cert, base(`${field}.cert`));
    const keyPath = resolvePath(input.key, base(`${field}.key`));
    const ok = (await mustExist(certPath, `${field}.cert`, issue)) && (await mustExist(keyPath, `${field}.key`, issue));
    const out: CertificateConfig = { kind: 'pem', certPath, keyPath };
    if (input.keyPassword !== undefined) {
      const pw = await secret(input.keyPassword, `${field}.keyPassword`, ctx);
      if (!pw) return undefined;
      out.keyPassword = pw;
    }
    return ok ? out : undefined;
  }
  if (input.p12Password !== undefined || input.keyPassword !== undefined) {
    issue(field, `a password is set but no certificate file (${field}.p12, or ${field}.cert + ${field}.key)`);
  }
  return undefined;
}

async function secret(input: SecretInput, field: string, ctx: Context): Promise<Secret | undefined> {
  if (typeof input === 'string') {
    if (ctx.merged.kinds.get(field) === 'file') ctx.warnings.push(`${field} is written in plain text in the profiles file: prefer { "env": "VAR" } or { "file": "path" }`);
    return new Secret(input);
  }
  if ('env' in input) {
    const value = ctx.env[input.env];
    if (value === undefined || value === '') {
      ctx.secretIssue(field, `environment variable ${input.env} is not set`);
      return undefined;
    }
    return new Secret(value);
  }
  const path = resolvePath(input.file, ctx.base(field));
  try {
    return new Secret((await readFile(path, 'utf8')).replace(/\r?\n$/, ''));
  } catch (err) {
    ctx.secretIssue(field, `cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    return undefined;
  }
}

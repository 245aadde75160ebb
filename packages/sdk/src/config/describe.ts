/**
 * A printable view of a resolved profile: every field with its value and where it came from. Secrets show as
 * `***` (set) — never their value; certificate and key files show as paths.
 */
import { SECRET_MASK } from './secret.js';
import type { CertificateConfig, ProfileCode, DmpProfile } from './schema.js';
import type { ResolvedDmpProfile } from './resolve.js';

export interface ProfileField {
  field: string;
  value: string;
  /** Layer the value came from; `default` for dmpkit's defaults. */
  source: string;
}

export interface ProfileDescription {
  name: string;
  configFile?: string;
  fields: ProfileField[];
  warnings: string[];
}

const codedText = (c: ProfileCode): string => `${c.code}^${c.codeSystem}${c.displayName ? ` (${c.displayName})` : ''}`;

function certificateFields(prefix: string, c: CertificateConfig): [string, string][] {
  if (c.kind === 'pkcs12') return [[`${prefix}.p12`, c.path], [`${prefix}.p12Password`, SECRET_MASK]];
  const out: [string, string][] = [[`${prefix}.cert`, c.certPath], [`${prefix}.key`, c.keyPath]];
  if (c.keyPassword) out.push([`${prefix}.keyPassword`, SECRET_MASK]);
  return out;
}

function flatten(p: DmpProfile): [string, string][] {
  const out: [string, string][] = [['endpoint', p.endpoint]];
  for (const [k, url] of Object.entries(p.services)) out.push([`services.${k}`, url]);
  if (p.auth) out.push(...certificateFields('auth', p.auth));
  if (p.signature) out.push(...certificateFields('signature', p.signature));
  if (p.ca.length) out.push(['ca', p.ca.join(', ')]);
  if (p.structure) {
    out.push(['structure.id', p.structure.id]);
    if (p.structure.name) out.push(['structure.name', p.structure.name]);
    if (p.structure.secteurActivite) out.push(['structure.secteurActivite', codedText(p.structure.secteurActivite)]);
  }
  if (p.lps) {
    out.push(['lps.name', p.lps.name], ['lps.version', p.lps.version], ['lps.homologation', p.lps.homologation]);
    if (p.lps.id) out.push(['lps.id', p.lps.id]);
  }
  if (p.professional) {
    const ps = p.professional;
    out.push(['professional.id', ps.id]);
    if (ps.name) out.push(['professional.name', ps.name]);
    out.push(['professional.profession', codedText(ps.profession)]);
    if (ps.specialty) out.push(['professional.specialty', codedText(ps.specialty)]);
    out.push(['professional.authMode', ps.authMode]);
  }
  out.push(['purposeOfUse', p.purposeOfUse]);
  for (const [k, v] of Object.entries(p.timeouts)) out.push([`timeouts.${k}`, String(v)]);
  for (const [k, v] of Object.entries(p.retry)) out.push([`retry.${k}`, String(v)]);
  out.push(['maxResponseBytes', String(p.maxResponseBytes)]);
  for (const [k, v] of Object.entries(p.tls)) if (v !== undefined) out.push([`tls.${k}`, String(v)]);
  if (p.recording) out.push(['recording.dir', p.recording.dir], ['recording.redact', String(p.recording.redact)]);
  return out;
}

export function describeProfile(resolved: ResolvedDmpProfile): ProfileDescription {
  const sourceOf = (field: string): string => {
    const exact = resolved.sources[field];
    if (exact) return exact;
    // Derived fields (services.* from endpoint) take the source of what they derive from.
    if (field.startsWith('services.')) return resolved.sources.endpoint ?? 'default';
    return 'default';
  };
  const d: ProfileDescription = {
    name: resolved.profile.name,
    fields: flatten(resolved.profile).map(([field, value]) => ({ field, value, source: sourceOf(field) })),
    warnings: [...resolved.warnings],
  };
  if (resolved.configFile) d.configFile = resolved.configFile;
  return d;
}

export function formatProfileDescription(d: ProfileDescription): string {
  const width = Math.max(...d.fields.map((f) => f.field.length));
  const lines = [`profile ${d.name}${d.configFile ? ` (${d.configFile})` : ''}`];
  for (const f of d.fields) lines.push(`  ${f.field.padEnd(width)}  ${f.value}  [${f.source}]`);
  for (const w of d.warnings) lines.push(`warning: ${w}`);
  return lines.join('\n') + '\n';
}

/**
 * A DmpClient configured from a resolved profile (src/config): services, VIHF of the acting professional and
 * structure, signature credentials read from disk, and the transport (mTLS, timeouts, retries, recording).
 */
import { readFile } from 'node:fs/promises';
import type { CertificateConfig, DmpProfile, ProfileCode } from '../config/schema.js';
import { requireProfile } from '../config/require.js';
import { revealSecret } from '../config/secret.js';
import { ConfigError } from '../errors/config-error.js';
import { text } from '../errors/types.js';
import { loadSigningCredentials, type SigningCredentials } from '../pki/credentials.js';
import { createTransportFromProfile } from '../transport/from-profile.js';
import type { TransportOptions } from '../transport/soap-transport.js';
import type { CodedValue } from '../vihf/context.js';
import { DmpClient, type DmpClientConfig } from './client.js';

async function readCert(path: string, field: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (err) {
    throw new ConfigError({
      code: 'CONFIG-CERTIFICATE',
      message: text(`Lecture de ${field} impossible (${path})`, `Cannot read ${field} (${path})`),
      issues: [{ field, message: (err as NodeJS.ErrnoException).code ?? String(err) }],
      cause: err,
    });
  }
}

/** The signature credentials of a profile (VIHF and lot signature). */
export async function loadProfileSigning(config: CertificateConfig): Promise<SigningCredentials> {
  if (config.kind === 'pkcs12') return loadSigningCredentials({ pkcs12: await readCert(config.path, 'signature.p12'), password: revealSecret(config.password) ?? '' });
  const keyPassphrase = revealSecret(config.keyPassword);
  return loadSigningCredentials({
    certPem: await readCert(config.certPath, 'signature.cert'),
    keyPem: await readCert(config.keyPath, 'signature.key'),
    ...(keyPassphrase ? { keyPassphrase } : {}),
  });
}

const coded = (c: ProfileCode): CodedValue => ({ code: c.code, codeSystem: c.codeSystem, ...(c.displayName ? { displayName: c.displayName } : {}) });

/** The client's VIHF from the profile's professional, structure and LPS (the profile was checked complete). */
export function vihfOfProfile(profile: DmpProfile): DmpClientConfig['vihf'] {
  const ps = profile.professional!;
  const st = profile.structure!;
  return {
    authenticationMode: ps.authMode,
    structureId: st.id,
    secteurActivite: `${st.secteurActivite!.code}^${st.secteurActivite!.codeSystem}`,
    ...(ps.name ? { subjectId: ps.name } : {}),
    nameId: ps.id,
    profession: coded(ps.profession),
    ...(ps.specialty ? { specialty: coded(ps.specialty) } : {}),
    purposeOfUse: profile.purposeOfUse,
    lps: { name: profile.lps!.name, version: profile.lps!.version, homologation: profile.lps!.homologation, ...(profile.lps!.id ? { id: profile.lps!.id } : {}) },
  };
}

export interface ClientFromProfileOptions {
  /** OID of the sending software (writes: SubmissionSet sourceId and uniqueIds). */
  sourceId?: string;
  transport?: Partial<TransportOptions>;
  middleware?: DmpClientConfig['middleware'];
}

export async function createDmpClientFromProfile(profile: DmpProfile, options: ClientFromProfileOptions = {}): Promise<DmpClient> {
  requireProfile(profile, ['auth', 'signature', 'vihf']);
  const signing = await loadProfileSigning(profile.signature!);
  const transport = await createTransportFromProfile(profile, options.transport);
  return new DmpClient({
    baseUrl: profile.endpoint,
    services: profile.services,
    vihf: vihfOfProfile(profile),
    signing,
    transport,
    // The LPS instance id is an OID in the DMP examples (1.2.250.1.999…): the natural root of its uniqueIds.
    ...(options.sourceId ? { sourceId: options.sourceId } : profile.lps?.id && /^[0-2](\.(0|[1-9]\d*))+$/.test(profile.lps.id) ? { sourceId: profile.lps.id } : {}),
    ...(options.middleware ? { middleware: options.middleware } : {}),
  });
}

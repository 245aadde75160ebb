/** A transport configured from a resolved profile: certificates read from disk, timeouts, retries, recording. */
import { readFile } from 'node:fs/promises';
import type { CertificateConfig, DmpProfile } from '../config/schema.js';
import { ConfigError } from '../errors/config-error.js';
import { text } from '../errors/types.js';
import { SoapTransport, type TransportOptions } from './soap-transport.js';
import { loadClientCredentials, type ClientCredentials } from './tls.js';

async function read(path: string, field: string): Promise<Buffer> {
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

/** Reads and decrypts a certificate of the profile (auth or signature). */
export async function loadProfileCertificate(config: CertificateConfig, field: 'auth' | 'signature'): Promise<ClientCredentials> {
  if (config.kind === 'pkcs12') return loadClientCredentials({ pkcs12: await read(config.path, `${field}.p12`), password: config.password }, field);
  const source = { certPem: await read(config.certPath, `${field}.cert`), keyPem: await read(config.keyPath, `${field}.key`) };
  return loadClientCredentials(config.keyPassword ? { ...source, keyPassword: config.keyPassword } : source, field);
}

/** The transport for a profile; `extra` adds or overrides options (a recorder callback, test hooks). */
export async function createTransportFromProfile(profile: DmpProfile, extra: Partial<TransportOptions> = {}): Promise<SoapTransport> {
  const client = profile.auth ? await loadProfileCertificate(profile.auth, 'auth') : undefined;
  const ca = profile.ca.length ? await Promise.all(profile.ca.map(async (p) => (await read(p, 'ca')).toString('utf8'))) : undefined;
  const options: TransportOptions = {
    tls: {
      ...(client ? { client } : {}),
      ...(ca ? { ca } : {}),
      minVersion: profile.tls.minVersion,
      ...(profile.tls.maxVersion ? { maxVersion: profile.tls.maxVersion } : {}),
      ...(profile.tls.ciphers ? { ciphers: profile.tls.ciphers } : {}),
    },
    timeouts: profile.timeouts,
    retry: profile.retry,
    maxResponseBytes: profile.maxResponseBytes,
    userAgent: profile.lps ? `${profile.lps.name}/${profile.lps.version} dmpkit` : 'dmpkit',
    ...extra,
  };
  if (profile.recording || extra.record) options.record = { ...(profile.recording ?? {}), ...extra.record };
  return new SoapTransport(options);
}

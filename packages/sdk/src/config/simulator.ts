/**
 * The built-in `simulator` profile: the local DMP simulator on 127.0.0.1 over plain HTTP, acting as a fictitious
 * structure and professional (the identities of the official DMP example messages, which are test identities).
 * Direct mode (a CPS card): the DMP's rights matrix gives indirect mode (structure certificate) no right to search or
 * read documents, so a profile meant to exercise the whole DMP must act as the card holder. No signature here:
 * `dmp simulator init` writes a test PKI and a `simulator` profile in profiles.json, merged over this one.
 */
import { SDK_VERSION } from '../version.js';
import type { ConfigIssue } from '../errors/config-error.js';
import type { ProfileInput } from './schema.js';

export const SIMULATOR_PROFILE = 'simulator';
export const SIMULATOR_DEFAULT_PORT = 8787;

export function simulatorPort(env: NodeJS.ProcessEnv): { port: number; issue?: ConfigIssue } {
  const raw = env.DMPKIT_SIMULATOR_PORT;
  if (raw === undefined || raw === '') return { port: SIMULATOR_DEFAULT_PORT };
  const port = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || port < 1 || port > 65535) {
    return { port: SIMULATOR_DEFAULT_PORT, issue: { field: 'endpoint', source: 'env DMPKIT_SIMULATOR_PORT', message: 'must be a port number (1-65535)' } };
  }
  return { port };
}

export function simulatorProfileInput(port: number): ProfileInput {
  return {
    endpoint: `http://127.0.0.1:${port}/si-dmp-server/v2/services`,
    structure: { id: '499900063480001', name: 'CABINET DR LIBRE', secteurActivite: 'SA07' },
    lps: { name: 'dmpkit', version: SDK_VERSION, homologation: 'SIMULATEUR' },
    professional: { id: '899900063480', name: 'MAX LIBRE', profession: '10', specialty: 'SM26', authMode: 'DIRECTE' },
    purposeOfUse: 'normal',
    timeouts: { connectMs: 2_000, headersMs: 30_000, bodyMs: 30_000 },
  };
}

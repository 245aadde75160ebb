/**
 * What every part of the simulator shares: the store, the clock, the SDK policy the simulator enforces, the
 * VIHF verification settings, the fault plan and the scenario directory. One per running simulator.
 */
import { compilePolicy, type DocumentMatrixData, type Policy, type PolicySettings } from '@dmpkit/sdk';
import type { SimulatorClock } from '../clock.js';
import type { DecodePool } from './decode-pool.js';
import type { FaultPlan } from './faults.js';
import type { SimulatorStore } from '../store/store.js';

export type VihfMode = 'strict' | 'lenient';

export interface SimulatorSettings {
  /** strict (default): the VIHF signature and certificate are verified; lenient: attributes only (early integration). */
  vihfMode: VihfMode;
  /** Trust anchors of VIHF signing certificates (PEM); empty: the chain is not checked, the signature still is. */
  trustedCertificates: string[];
  /** Largest request body accepted, in bytes (default 64 MiB; the DMP takes 5 MB documents). */
  maxBodyBytes: number;
  /**
   * TD0.2 AUTORISATION codes written for each authorization state. Only VALIDE is public (dmp-interface.md §4.1);
   * the others are the plausible names of §4.1 and can be changed to match a platform's.
   */
  authorizationCodes: { valid: string; expired: string; blocked: string; none: string };
  /** Keep the raw request and response bodies in the request log (default true; they hold health data). */
  logBodies: boolean;
  /** Settings of the SDK policy (what `unknown` becomes, AIR profiles...). */
  policy: Partial<PolicySettings>;
  /** An imported official document-type matrix (dmp matrix import); default: the SDK's shipped partial one. */
  documentMatrix?: DocumentMatrixData;
}

export const DEFAULT_SIMULATOR_SETTINGS: SimulatorSettings = {
  vihfMode: 'strict',
  trustedCertificates: [],
  maxBodyBytes: 64 * 1024 * 1024,
  authorizationCodes: { valid: 'VALIDE', expired: 'EXPIREE', blocked: 'INTERDITE', none: 'NON_AUTORISE' },
  logBodies: true,
  policy: {},
};

export interface SimulatorContext {
  store: SimulatorStore;
  clock: SimulatorClock;
  settings: SimulatorSettings;
  policy: Policy;
  faults: FaultPlan;
  /** The base URL the simulator answers on (for wsa:To and console links). */
  baseUrl: string;
  /** Requests being served (the simulator waits for them when it stops). */
  inflight: Set<Promise<void>>;
  /** Where requests are decoded and their VIHF verified (decode threads, or in-process). */
  decoder: DecodePool;
}

/**
 * The TD0.2 codes the simulator writes, from the SDK policy's reading table when a user gave one (settings.policy
 * .authorizationCodes, code → status): one table for the writer and the reader, so a client configured with a
 * platform's codes reads back what the simulator wrote. Statuses the table does not name keep their default code.
 */
export function authorizationCodesOf(policy: Partial<PolicySettings>, base: SimulatorSettings['authorizationCodes']): SimulatorSettings['authorizationCodes'] {
  const out = { ...base };
  for (const [code, status] of Object.entries(policy.authorizationCodes ?? {})) out[status] = code;
  return out;
}

export function policyOf(settings: SimulatorSettings): Policy {
  return compilePolicy({ settings: settings.policy, ...(settings.documentMatrix ? { documentMatrix: settings.documentMatrix } : {}) });
}

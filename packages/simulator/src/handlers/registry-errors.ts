/**
 * RegistryResponse answers. A refusal carries one RegistryError per problem, with the XDS code (or the simulator's
 * DMPAccessDenied for a policy refusal, whose real DMP code is not public) and a codeContext a support person can
 * act on: the rule id, then what to do.
 */
import { encodeRegistryResponse, ERROR_SEVERITY, RESPONSE_STATUS, type RegistryErrorEntry } from '@dmpkit/sdk';
import type { SoapAnswer } from '../server/soap-call.js';

/** The simulator's code for a refusal by the access policy (documented in docs/simulator.md and the catalogue). */
export const ACCESS_DENIED = 'DMPAccessDenied';

export class RegistryRefusal extends Error {
  constructor(readonly errors: RegistryErrorEntry[]) {
    super(errors.map((e) => `${e.errorCode}: ${e.codeContext}`).join('; '));
  }
}

export function registryError(errorCode: string, codeContext: string, location?: string): RegistryErrorEntry {
  return { errorCode, severity: ERROR_SEVERITY.Error, codeContext, ...(location ? { location } : {}) };
}

export function refuse(errorCode: string, codeContext: string, location?: string): never {
  throw new RegistryRefusal([registryError(errorCode, codeContext, location)]);
}

export function registrySuccess(): SoapAnswer {
  return { outcome: 'Success', body: encodeRegistryResponse({ status: RESPONSE_STATUS.Success, errors: [] }) };
}

export function registryFailure(errors: RegistryErrorEntry[]): SoapAnswer {
  return { outcome: `Failure ${[...new Set(errors.map((e) => e.errorCode))].join(',')}`, body: encodeRegistryResponse({ status: RESPONSE_STATUS.Failure, errors }) };
}

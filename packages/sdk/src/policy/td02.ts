/**
 * From what TD0.2 returns to the patient state the policy reads. Only AUTORISATION=VALIDE is documented;
 * how "blocked" and "expired" are written is not public (dmp-interface.md §4.1, §11), so every other code goes
 * through settings.authorizationCodes and an unmapped one stays `unknown` rather than being guessed.
 */
import type { PolicySettings } from './settings.js';
import type { AccessAuthorizationStatus } from './types.js';

export interface AuthorizationReading {
  authorization: AccessAuthorizationStatus;
  blocked: boolean;
  /** The code was not in settings.authorizationCodes. */
  unmapped: boolean;
}

/** `code`: the AUTORISATION value of the TD0.2 attentionLine; undefined when the response carries none. */
export function authorizationFromTd02(code: string | undefined, settings: Pick<PolicySettings, 'authorizationCodes'>): AuthorizationReading {
  if (code === undefined || code === '') return { authorization: 'none', blocked: false, unmapped: false };
  const mapped = settings.authorizationCodes[code];
  if (mapped === undefined) return { authorization: 'unknown', blocked: false, unmapped: true };
  if (mapped === 'blocked') return { authorization: 'none', blocked: true, unmapped: false };
  return { authorization: mapped, blocked: false, unmapped: false };
}

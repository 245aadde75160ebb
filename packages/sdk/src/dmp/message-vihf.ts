/**
 * The VIHF of a saved message, for `dmp inspect` and `dmp explain`: decodeMessage hands over the assertion element,
 * this decodes its attributes with the VIHF module (lenient: a saved message's signature is not re-verified here,
 * re-serialising a subtree would not reproduce the signed bytes anyway).
 */
import * as slimdom from 'slimdom';
import type { VihfContext } from '../vihf/context.js';
import type { VihfProblem } from '../vihf/problems.js';
import { verifyVihf } from '../vihf/verify.js';

export interface MessageVihf {
  context?: VihfContext;
  /** Spelling of the authentication-mode attribute in the token. */
  authModeAttributeName?: string;
  problems: VihfProblem[];
}

/** A `decodeAssertion` hook for decodeMessage. */
export function decodeMessageVihf(assertion: slimdom.Element): MessageVihf {
  const xml = slimdom.serializeToWellFormedString(assertion);
  const v = verifyVihf(xml, { mode: 'lenient' });
  return { ...(v.context ? { context: v.context } : {}), ...(v.authModeAttributeName ? { authModeAttributeName: v.authModeAttributeName } : {}), problems: v.problems };
}

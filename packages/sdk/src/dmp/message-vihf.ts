/**
 * The VIHF of a saved message, for `dmp inspect` and `dmp explain`: decodeMessage hands over the assertion element,
 * this decodes its attributes with the VIHF module (lenient: a saved message's signature is not re-verified here).
 * The assertion is given as its own source text, the inherited namespace declarations added to its start tag
 * (XmlElement.standaloneXml), so what the VIHF module reads is what was sent, not a re-serialisation.
 */
import type { VihfContext } from '../vihf/context.js';
import type { VihfProblem } from '../vihf/problems.js';
import { verifyVihf } from '../vihf/verify.js';
import type { XmlElement } from '../xml/fast-parse.js';

export interface MessageVihf {
  context?: VihfContext;
  /** Spelling of the authentication-mode attribute in the token. */
  authModeAttributeName?: string;
  problems: VihfProblem[];
}

/** A `decodeAssertion` hook for decodeMessage. */
export function decodeMessageVihf(assertion: XmlElement): MessageVihf {
  const xml = assertion.standaloneXml();
  const v = verifyVihf(xml, { mode: 'lenient' });
  return { ...(v.context ? { context: v.context } : {}), ...(v.authModeAttributeName ? { authModeAttributeName: v.authModeAttributeName } : {}), problems: v.problems };
}

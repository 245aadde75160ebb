/**
 * Is this a signature certificate? The DMP refuses a VIHF signed with an authentication key
 * ("Le certificat ayant signé le VIHF est invalide : Not a valid signature certificate",
 * dmp-interface.md §1.1). The DMP's exact test is not public; this is ours, stated so it can be argued:
 *
 * 1. when the certificate has a key usage extension, it must allow digitalSignature or nonRepudiation
 *    (IGC-Santé signature certificates: nonRepudiation for CPS, digitalSignature + nonRepudiation for
 *    the structure's ORG SIGN "cachet");
 * 2. when it has an extended key usage extension, it must not be limited to TLS authentication
 *    (clientAuth/serverAuth only): that is an AUTH_CLI / CPS authentication certificate, whose key
 *    usage also carries digitalSignature for the TLS handshake.
 */
import { EXTENDED_KEY_USAGE, type CertificateInfo } from './x509.js';

const TLS_ONLY: ReadonlySet<string> = new Set([EXTENDED_KEY_USAGE.clientAuth, EXTENDED_KEY_USAGE.serverAuth]);

/** Why the certificate cannot sign a VIHF or a lot, or undefined when it can. */
export function signatureCertificateProblem(cert: CertificateInfo): string | undefined {
  const ku = cert.keyUsage;
  if (ku && !ku.has('digitalSignature') && !ku.has('nonRepudiation')) {
    return `its key usage (${[...ku].join(', ') || 'none'}) allows neither digitalSignature nor nonRepudiation`;
  }
  const eku = cert.extKeyUsage;
  if (eku && eku.length > 0 && eku.every((oid) => TLS_ONLY.has(oid))) {
    return 'it is an authentication certificate (extended key usage limited to TLS client/server authentication)';
  }
  return undefined;
}

/**
 * Certificate path check against trust anchors given by the caller (the simulator's test CA, or the
 * IGC-Santé CAs in production). No revocation checking: CRL/OCSP fetching is out of scope here.
 */
import type { CertificateInfo } from './x509.js';

export type CertificateTrustResult =
  | { ok: true; path: CertificateInfo[] }
  | { ok: false; reason: string };

function issues(issuer: CertificateInfo, cert: CertificateInfo): boolean {
  try {
    return cert.x509.checkIssued(issuer.x509) && cert.x509.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function validAt(cert: CertificateInfo, at: Date): boolean {
  return cert.notBefore.getTime() <= at.getTime() && at.getTime() <= cert.notAfter.getTime();
}

/**
 * Walks from `leaf` up to one of `trusted` through `intermediates`: every signature must verify, every
 * issuer must be a CA valid at `at`. A leaf that is itself one of the trusted certificates is accepted.
 */
export function checkCertificateTrust(
  leaf: CertificateInfo,
  trusted: readonly CertificateInfo[],
  intermediates: readonly CertificateInfo[] = [],
  at: Date = new Date(),
): CertificateTrustResult {
  if (trusted.some((t) => t.der.equals(leaf.der))) return { ok: true, path: [leaf] };
  const path: CertificateInfo[] = [leaf];
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    const anchor = trusted.find((t) => issues(t, current));
    if (anchor) {
      if (!anchor.isCa) return { ok: false, reason: `the trusted issuer ${anchor.subjectDn} is not a CA certificate` };
      if (!validAt(anchor, at)) return { ok: false, reason: `the trusted CA ${anchor.subjectDn} is not valid at ${at.toISOString()}` };
      return { ok: true, path: [...path, anchor] };
    }
    const next = intermediates.find((c) => c !== current && c.isCa && issues(c, current));
    if (!next) return { ok: false, reason: `no trusted CA issued ${current.subjectDn} (issuer ${current.issuerDn})` };
    if (!validAt(next, at)) return { ok: false, reason: `the intermediate CA ${next.subjectDn} is not valid at ${at.toISOString()}` };
    path.push(next);
    current = next;
  }
  return { ok: false, reason: 'the certificate path is too long' };
}

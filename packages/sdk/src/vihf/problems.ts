/**
 * Stable problem codes of VIHF and lot-signature checks. A simulator maps them to SOAP faults; a client
 * shows them before sending. `DMPInvalidCertificate` is the DMP's own fault code for a VIHF signed with
 * a certificate that is not a signature certificate (dmp-interface.md §1.1, §8).
 */

export const VIHF_PROBLEM_CODES = {
  'VIHF-XML-INVALID': 'the input is not well-formed XML, or has a DOCTYPE',
  'VIHF-ENCODING': 'the bytes are not valid UTF-8; invalid bytes were read as ISO-8859-1',
  'VIHF-ASSERTION-MISSING': 'no SAML 2.0 Assertion where a VIHF is expected',
  'VIHF-ASSERTION-MULTIPLE': 'more than one Assertion in the WS-Security header',
  'VIHF-ASSERTION-INVALID': 'the Assertion lacks ID, IssueInstant, Version 2.0, Issuer or Subject/NameID',
  'VIHF-SIGNATURE-MISSING': 'the Assertion is not signed',
  'VIHF-SIGNATURE-MISPLACED': 'the Signature is not the child of the Assertion right after Issuer',
  'VIHF-SIGNATURE-WRAPPING': 'the signature does not cover the assertion that is read (signature wrapping)',
  'VIHF-SIGNATURE-REFERENCE': 'the Reference is not a single same-document reference with the expected transforms',
  'VIHF-SIGNATURE-ALGORITHM': 'canonicalization, signature or digest algorithm not accepted',
  'VIHF-SIGNATURE-DIGEST-MISMATCH': 'the signed content was altered after signing (digest mismatch)',
  'VIHF-SIGNATURE-INVALID': 'the signature value does not match the signed information',
  'VIHF-CERTIFICATE-MISSING': 'no X509Certificate in KeyInfo',
  'VIHF-CERTIFICATE-UNREADABLE': 'the KeyInfo certificate cannot be decoded',
  DMPInvalidCertificate: 'Le certificat ayant signé le VIHF est invalide : Not a valid signature certificate',
  'VIHF-CERTIFICATE-EXPIRED': 'the signing certificate has expired',
  'VIHF-CERTIFICATE-NOT-YET-VALID': 'the signing certificate is not valid yet',
  'VIHF-CERTIFICATE-UNTRUSTED': 'the signing certificate was not issued by a trusted CA',
  'VIHF-ISSUER-MISMATCH': 'Issuer is not the DN of the signing certificate',
  'VIHF-NOT-YET-VALID': 'Conditions/@NotBefore is in the future',
  'VIHF-EXPIRED': 'Conditions/@NotOnOrAfter has passed',
  'VIHF-ATTRIBUTE-MISSING': 'a required attribute is absent',
  'VIHF-ATTRIBUTE-DUPLICATE': 'a single-valued attribute appears more than once',
  'VIHF-ATTRIBUTE-INVALID': 'an attribute value is malformed',
  'VIHF-VERSION': 'VIHF_Version is not an accepted version',
  'VIHF-AUTH-MODE': 'Authentification_Mode is not an accepted mode',
  'VIHF-SECTEUR-ACTIVITE': 'Secteur_Activite is not `code^OID`',
  'VIHF-ROLE-MISSING': 'no profession role (first urn:oasis:names:tc:xacml:2.0:subject:role value)',
  'VIHF-ROLE-SPECIALTY-MISSING': 'Aucune spécialité dans le vihf. Spécialité obligatoire pour les Médecins et Pharmaciens',
  'VIHF-PURPOSE-UNKNOWN': 'purposeofuse is not normal, bris_de_glace or centre_15 (TRE_R248)',
  'VIHF-RESSOURCE-URN': 'Ressource_URN is not urn:dmp',
  'VIHF-RESOURCE-ID': 'resource-id is not a patient INS as CX `<INS>^^^&<INS OID>&ISO^NH`',
  'VIHF-CONFIDENTIALITY-CODE': 'confidentiality-code is not INVISIBLE_REPRESENTANTS_LEGAUX (JDV_J64)',
} as const;

export type VihfProblemCode = keyof typeof VIHF_PROBLEM_CODES;

export interface VihfProblem {
  code: VihfProblemCode;
  severity: 'error' | 'warning';
  message: string;
  /** Attribute Name concerned, when there is one. */
  attribute?: string;
}

export function vihfProblem(code: VihfProblemCode, detail?: string, attribute?: string, severity: 'error' | 'warning' = 'error'): VihfProblem {
  const base = VIHF_PROBLEM_CODES[code];
  return {
    code,
    severity,
    message: detail ? `${base}: ${detail}` : base,
    ...(attribute ? { attribute } : {}),
  };
}

/** Thrown by the build/sign functions and by {@link assertVihfValid}; `code` is the first error's code. */
export class VihfProblemError extends Error {
  override readonly name = 'VihfProblemError';
  constructor(
    readonly code: VihfProblemCode | 'VIHF-CONTEXT-INVALID',
    message: string,
    readonly problems: readonly VihfProblem[] = [],
  ) {
    super(message);
  }
}

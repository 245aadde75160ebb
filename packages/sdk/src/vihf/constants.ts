/** Names, namespaces and code systems of the VIHF (dmp-interface.md §2) and its signatures. */

export const VIHF_NS = {
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xs: 'http://www.w3.org/2001/XMLSchema',
  hl7: 'urn:hl7-org:v3',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  xades111: 'http://uri.etsi.org/01903/v1.1.1#',
} as const;

/** `Attribute/@Name` values, in the order of the official samples. */
export const VIHF_ATTRIBUTE = {
  identifiantStructure: 'Identifiant_Structure',
  secteurActivite: 'Secteur_Activite',
  subjectId: 'urn:oasis:names:tc:xspa:1.0:subject:subject-id',
  role: 'urn:oasis:names:tc:xacml:2.0:subject:role',
  vihfVersion: 'VIHF_Version',
  /** Spelling of the HL7V2 IG, the C# kit and DRIMbox; the official examples spell `Authentification_mode`. */
  authenticationMode: 'Authentification_Mode',
  resourceId: 'urn:oasis:names:tc:xacml:2.0:resource:resource-id',
  ressourceUrn: 'Ressource_URN',
  purposeOfUse: 'urn:oasis:names:tc:xspa:1.0:subject:purposeofuse',
  confidentialityCode: 'urn:oasis:names:tc:xspa:1.0:resource:patient:hl7:confidentiality-code',
  lpsId: 'LPS_ID',
  lpsNom: 'LPS_Nom',
  lpsVersion: 'LPS_Version',
  lpsHomologation: 'LPS_ID_HOMOLOGATION_DMP',
} as const;

/** The two spellings met for the authentication mode attribute (samples vs IG/kit/DRIMbox). */
export const AUTH_MODE_ATTRIBUTE_NAMES = ['Authentification_Mode', 'Authentification_mode'] as const;
export type AuthModeAttributeName = (typeof AUTH_MODE_ATTRIBUTE_NAMES)[number];

export const ISSUER_FORMAT_X509 = 'urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName';

export const CODE_SYSTEM = {
  /** TRE_G15 ProfessionSante. */
  professionSante: '1.2.250.1.71.1.2.7',
  /** TRE_G16 ProfessionFormation (CPF students). */
  professionFormation: '1.2.250.1.71.1.2.8',
  /** TRE_A00 ProducteurDocNonPS (AUTOMATE, DISPOSITIF, …). */
  producteurNonPs: '1.2.250.1.213.1.1.4.6',
  /** TRE_R01 EnsembleSavoirFaire (médecin specialty, e.g. SM26). */
  savoirFaire: '1.2.250.1.71.4.2.5',
  /** TRE_G05 SousSectionTableauCNOP (pharmacien). */
  sousSectionCnop: '1.2.250.1.71.4.2.6',
  /** TRE_R02 SecteurActivite (Secteur_Activite `SAxx^…`). */
  secteurActivite: '1.2.250.1.71.4.2.4',
  /** TRE_R248 ModeAcces (purposeofuse). */
  modeAcces: '1.2.250.1.213.1.1.4.248',
  /** TRE_A07 StatutVisibiliteDocument (confidentiality-code). */
  statutVisibilite: '1.2.250.1.213.1.1.4.13',
} as const;

/** TRE_G15 professions whose VIHF must carry a specialty as second role (§2.2). */
export const PROFESSIONS_REQUIRING_SPECIALTY: Readonly<Record<string, string>> = {
  '10': 'médecin',
  '21': 'pharmacien',
};

export const AUTHN_CONTEXT_CLASS = {
  smartcardPki: 'urn:oasis:names:tc:SAML:2.0:ac:classes:SmartcardPKI',
  password: 'urn:oasis:names:tc:SAML:2.0:ac:classes:Password',
  tlsClient: 'urn:oasis:names:tc:SAML:2.0:ac:classes:TLSClient',
  mobileTwoFactorUnregistered: 'urn:oasis:names:tc:SAML:2.0:ac:classes:MobileTwoFactorUnregistered',
  unspecified: 'urn:oasis:names:tc:SAML:2.0:ac:classes:unspecified',
} as const;

export const DSIG = {
  envelopedSignature: 'http://www.w3.org/2000/09/xmldsig#enveloped-signature',
  excC14n: 'http://www.w3.org/2001/10/xml-exc-c14n#',
  c14n: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315',
  c14nWithComments: 'http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments',
  manifestType: 'http://www.w3.org/2000/09/xmldsig#Manifest',
} as const;

export type HashName = 'sha1' | 'sha256';

export const SIGNATURE_METHOD: Readonly<Record<HashName, string>> = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#rsa-sha1',
  sha256: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
};

export const DIGEST_METHOD: Readonly<Record<HashName, string>> = {
  sha1: 'http://www.w3.org/2000/09/xmldsig#sha1',
  sha256: 'http://www.w3.org/2001/04/xmlenc#sha256',
};

/** The exc-c14n InclusiveNamespaces PrefixList of the C# kit and the HL7V2 example. */
export const DEFAULT_INCLUSIVE_PREFIXES: readonly string[] = ['ds', 'saml', '#default', 'xsi'];

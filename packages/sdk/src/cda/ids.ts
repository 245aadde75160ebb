/** Identifier authorities (OIDs) of the French CDA/XDS profiles (dmp-interface.md §2.3, §5.1, §10.1). */

/** INS authorities: NIR, NIA, test NIR, demo NIR. */
export const INS_OIDS = {
  NIR: '1.2.250.1.213.1.4.8',
  NIA: '1.2.250.1.213.1.4.9',
  NIR_TEST: '1.2.250.1.213.1.4.10',
  NIR_DEMO: '1.2.250.1.213.1.4.11',
} as const;

export type InsOid = (typeof INS_OIDS)[keyof typeof INS_OIDS];

const INS_SET: ReadonlySet<string> = new Set(Object.values(INS_OIDS));

export function isInsRoot(root: string | undefined): root is InsOid {
  return root !== undefined && INS_SET.has(root);
}

export const OIDS = {
  /** Identifiant national de PS (RPPS/ADELI based, "PS_IdNat"): XCN13 IDNPS. */
  PS_IDNAT: '1.2.250.1.71.4.2.1',
  /** Identifiant national de structure ("Struct_IdNat"): XON7 IDNST. */
  STRUCT_IDNAT: '1.2.250.1.71.4.2.2',
  /** The DMP as custodian of patient / SNR documents. */
  DMP_CUSTODIAN: '1.2.250.1.213.4.1',
  /** HL7 France, CI-SIS and IHE XDS-SD template ids of an N1 document. */
  TEMPLATE_HL7_FRANCE: '2.16.840.1.113883.2.8.2.1',
  TEMPLATE_CISIS: '1.2.250.1.213.1.1.1.1',
  TEMPLATE_XDS_SD: '1.3.6.1.4.1.19376.1.2.20',
  /** CDA R2 typeId. */
  CDA_TYPE_ID: '2.16.840.1.113883.1.3',
  HL7_CONFIDENTIALITY: '2.16.840.1.113883.5.25',
  HL7_ADMINISTRATIVE_GENDER: '2.16.840.1.113883.5.1',
} as const;

/** A plain OID as the DMP wants for uniqueId (no leading zeros in arcs). */
export const OID_PATTERN = /^[0-2](\.(0|[1-9]\d*))+$/;

export function isOid(value: string | undefined): boolean {
  return value !== undefined && OID_PATTERN.test(value);
}

/** HL7 CX identifiers of patients, as XDS writes them (`<id>^^^&<OID>&ISO^NH`, optional CX.7 date). */

export function cxOfPatient(ins: string, oid: string): string {
  return `${ins}^^^&${oid}&ISO^NH`;
}

/** `{ id, oid }` of a CX, or undefined when it is not one; components after CX.5 (the date) are ignored. */
export function parseCx(cx: string | undefined): { id: string; oid: string; typeCode?: string } | undefined {
  if (!cx) return undefined;
  const parts = cx.trim().replace(/^'|'$/g, '').split('^');
  const id = parts[0];
  const authority = parts[3]?.split('&');
  const oid = authority?.[1];
  if (!id || !oid) return undefined;
  return { id, oid, ...(parts[4] ? { typeCode: parts[4] } : {}) };
}

/** Two CX name the same patient: same id and authority (the CX.7 date and the type code do not matter). */
export function samePatientCx(a: string | undefined, b: string | undefined): boolean {
  const x = parseCx(a);
  const y = parseCx(b);
  return x !== undefined && y !== undefined && x.id === y.id && x.oid === y.oid;
}

/** HL7 TS (yyyyMMddHHmmss) of an epoch time, in UTC as XDS wants. */
export function hl7Utc(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

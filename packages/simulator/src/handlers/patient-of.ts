/**
 * The patient a request is about: the VIHF resource-id (INS + authority OID). Body identifiers (HL7v3 patient id,
 * XDS patientId) must name the same patient; the handlers compare them with `samePatient`.
 */
import { cxOfPatient } from '../util/cx.js';
import type { SoapCall } from '../server/soap-call.js';
import type { PatientRecord } from '../store/store.js';

export interface RequestPatient {
  ins: string;
  oid: string;
  /** The CX the XDS metadata must carry: `ins^^^&oid&ISO^NH`. */
  cx: string;
  /** The store's record; undefined when the simulator has no such patient (no DMP). */
  record?: PatientRecord;
}

export function requestPatient(call: SoapCall): RequestPatient | undefined {
  const p = call.vihf.patient;
  if (!p) return undefined;
  const record = call.ctx.store.patient(p.ins);
  // A DMP under another INS authority (NIR vs NIR-test) is another patient.
  const known = record && record.insOid === p.oid ? record : undefined;
  return { ins: p.ins, oid: p.oid, cx: cxOfPatient(p.ins, p.oid), ...(known ? { record: known } : {}) };
}

/** Input pieces shared by the commands: the patient (INS) and DMP date-times. */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { vihfPatientSchema, patientToCx, type VihfPatient } from '../vihf/context.js';
import { DmpClientError } from './client.js';

/** The patient a command is about: INS and its authority OID (test NIR `1.2.250.1.213.1.4.10` on test platforms). */
export const patientInputSchema = vihfPatientSchema;
export type PatientInput = VihfPatient;

/** `yyyyMMddHHmmss` in UTC, as XDS and the DMP services want it. */
export function dmpTime(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(0, 14);
}

/** The XDS patientId (CX) of a patient. */
export function patientId(p: PatientInput): string {
  return patientToCx(p);
}

export function uuidUrn(): string {
  return `urn:uuid:${randomUUID()}`;
}

/** Validates a command input; zod issues become a DmpClientError naming every path (values are not echoed). */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, command: string): z.output<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`);
  throw new DmpClientError('CLIENT-INPUT', `${command}: invalid input — ${issues.join('; ')}`, issues);
}

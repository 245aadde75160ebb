/** TD0.4 — the DMPs the acting professional is authorised on, since a date (PatientSpecific patientList). */
import { z } from 'zod';
import type { DecodedMessage } from '../soap/decode-message.js';
import { buildPatientList, type PatientListEntry } from '../xds/dmp-services.js';
import type { DmpClient } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { dmpTime, parseInput } from './inputs.js';
import { serviceAnswer, type ServiceAnswer } from './td03-authorization.js';

export const PatientListInputSchema = z.object({
  since: z.date(),
  dateType: z.enum(['LASTAUTORIZATION', 'LASTDOC']).default('LASTDOC'),
  psOwnerId: z.string().min(1).optional(),
});
export type PatientListInput = z.input<typeof PatientListInputSchema>;

export interface PatientListOutput extends ServiceAnswer {
  patients: PatientListEntry[];
}

export class ListAuthorizedPatientsCommand extends DmpCommand<PatientListInput, PatientListOutput> {
  readonly transaction = 'TD0.4' as const;
  serialize(_client: DmpClient): SerializedCommand {
    const i = parseInput(PatientListInputSchema, this.input, 'ListAuthorizedPatientsCommand');
    // Not about one patient: the VIHF carries no resource-id.
    return { body: buildPatientList({ startDate: dmpTime(i.since), dateType: i.dateType, ...(i.psOwnerId ? { psOwnerId: i.psOwnerId } : {}) }) };
  }
  deserialize(decoded: DecodedMessage): PatientListOutput {
    const answer = serviceAnswer(decoded, 'patientListResponse');
    return { ...answer, patients: (decoded.dmp as { patients: PatientListEntry[] }).patients };
  }
}

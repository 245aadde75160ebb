/** TD1.6 — professionals authorised on (or blocked from) a patient's DMP (habilitations listAuthorizationByPatient). */
import { z } from 'zod';
import type { DecodedMessage } from '../soap/decode-message.js';
import { buildListAuthorizationByPatient, type AuthorizationByPatient } from '../xds/dmp-services.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { parseInput, patientInputSchema } from './inputs.js';
import { serviceAnswer, type ServiceAnswer } from './td03-authorization.js';

export const ListAuthorizationsInputSchema = z.object({ patient: patientInputSchema, mode: z.enum(['ACTIVE', 'INTERDITE', 'TOUTE']).default('TOUTE') });
export type ListAuthorizationsInput = z.input<typeof ListAuthorizationsInputSchema>;

export interface ListAuthorizationsOutput extends ServiceAnswer {
  authorizations: AuthorizationByPatient[];
}

export class ListAuthorizationsCommand extends DmpCommand<ListAuthorizationsInput, ListAuthorizationsOutput> {
  readonly transaction = 'TD1.6' as const;
  serialize(): SerializedCommand {
    const { patient, mode } = parseInput(ListAuthorizationsInputSchema, this.input, 'ListAuthorizationsCommand');
    return { body: buildListAuthorizationByPatient({ mode }), patient };
  }
  deserialize(decoded: DecodedMessage): ListAuthorizationsOutput {
    const answer = serviceAnswer(decoded, 'listAuthorizationByPatientResponse');
    return { ...answer, authorizations: (decoded.dmp as { authorizations: AuthorizationByPatient[] }).authorizations };
  }
}

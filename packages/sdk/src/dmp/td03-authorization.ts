/** TD0.3 — declare oneself authorised on a DMP (or médecin traitant), or remove it (habilitations setAuthorization). */
import { z } from 'zod';
import type { DecodedMessage } from '../soap/decode-message.js';
import { buildSetAuthorization, SetAuthorizationSchema } from '../xds/dmp-services.js';
import { expectPayload } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { parseInput, patientInputSchema } from './inputs.js';

export const SetAuthorizationInputSchema = SetAuthorizationSchema.extend({ patient: patientInputSchema });
export type SetAuthorizationInput = z.input<typeof SetAuthorizationInputSchema>;

export interface ServiceAnswer {
  status: string;
  /** The DMP's context text (e.g. "Autorisation déjà présente aucune action effectuée"). */
  context?: string;
}

export function serviceAnswer(decoded: DecodedMessage, name: string): ServiceAnswer {
  expectPayload(decoded, name);
  const d = decoded.dmp as { response: { status?: string; context?: string } };
  return { status: d.response.status ?? '', ...(d.response.context ? { context: d.response.context } : {}) };
}

export class SetAuthorizationCommand extends DmpCommand<SetAuthorizationInput, ServiceAnswer> {
  readonly transaction = 'TD0.3' as const;
  override readonly mode = 'write' as const;
  serialize(): SerializedCommand {
    const { patient, ...rest } = parseInput(SetAuthorizationInputSchema, this.input, 'SetAuthorizationCommand');
    return { body: buildSetAuthorization(rest), patient };
  }
  deserialize(decoded: DecodedMessage): ServiceAnswer {
    return serviceAnswer(decoded, 'setAuthorizationResponse');
  }
}

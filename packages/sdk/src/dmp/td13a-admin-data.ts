/** TD1.3a — the DMP's administrative data (oppositions, MES attachment…), HL7v3 PRPA_IN201307UV02 with CNSLT_DATA. */
import type { DecodedMessage } from '../soap/decode-message.js';
import type { DmpClient } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { parseInput } from './inputs.js';
import { patientQueryBody, readPatientQuery, StatusInputSchema, type DmpStatus, type StatusInput } from './td02-status.js';

export interface AdminData extends DmpStatus {
  /** OPPOSITION_BRIS_DE_GLACE. */
  opposedToBreakGlass?: boolean;
  /** OPPOSITION_ACCES_URGENCE (centre 15). */
  opposedToEmergencyAccess?: boolean;
}

export class GetAdminDataCommand extends DmpCommand<StatusInput, AdminData> {
  readonly transaction = 'TD1.3a' as const;
  serialize(client: DmpClient): SerializedCommand {
    const { patient } = parseInput(StatusInputSchema, this.input, 'GetAdminDataCommand');
    return patientQueryBody(client, patient, 'CNSLT_DATA');
  }
  deserialize(decoded: DecodedMessage): AdminData {
    const s = readPatientQuery(decoded);
    const flag = (code: string) => {
      const v = s.observations.find((o) => o.code === code)?.value;
      return typeof v === 'boolean' ? v : undefined;
    };
    const out: AdminData = { ...s };
    const bdg = flag('OPPOSITION_BRIS_DE_GLACE');
    const c15 = flag('OPPOSITION_ACCES_URGENCE');
    if (bdg !== undefined) out.opposedToBreakGlass = bdg;
    if (c15 !== undefined) out.opposedToEmergencyAccess = c15;
    return out;
  }
}

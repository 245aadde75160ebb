/** TD0.2 — does the patient have a DMP, is it open, and is the acting professional authorised (HL7v3 PRPA_IN201307UV02). */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { DecodedMessage } from '../soap/decode-message.js';
import { buildPatientQueryRequest, type AdministrativeObservation, type DecodedPatientQueryResponse } from '../xds/hl7v3.js';
import type { DmpClient } from './client.js';
import { expectPayload } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { dmpTime, parseInput, patientInputSchema, type PatientInput } from './inputs.js';

export const StatusInputSchema = z.object({ patient: patientInputSchema });
export type StatusInput = z.input<typeof StatusInputSchema>;

export interface DmpStatus {
  /** queryResponseCode OK (true) / NF (false). */
  dmpExists: boolean;
  /** active (open) / terminated (closed), when the DMP exists. */
  dmpStatus?: string;
  /** AUTORISATION of the acting professional (e.g. VALIDE); absent when none. */
  authorization?: string;
  /** STATUT_MT: the professional is the patient's médecin traitant DMP. */
  medecinTraitant?: boolean;
  /** COMPTE_INTERNET_OUVERT, RATTACHEMENT_ENS, OPPOSITION_* flags (codes and values only). */
  observations: AdministrativeObservation[];
}

export function patientQueryBody(client: DmpClient, patient: PatientInput, reason: 'TEST_EXST' | 'CNSLT_DATA'): SerializedCommand {
  const device = client.deviceId;
  const body = buildPatientQueryRequest({
    id: { root: device, extension: randomUUID() },
    creationTime: dmpTime(client.now()),
    reason,
    patient: { root: patient.oid, extension: patient.ins },
    sender: { id: device, softwareName: client.config.vihf.lps.name },
    queryId: { root: device, extension: randomUUID() },
  });
  return { body, patient };
}

export function readPatientQuery(decoded: DecodedMessage): DmpStatus {
  expectPayload(decoded, 'PRPA_IN201308UV02');
  const r = decoded.hl7v3 as DecodedPatientQueryResponse;
  const out: DmpStatus = { dmpExists: r.dmpExists ?? r.queryResponseCode === 'OK', observations: r.administrativeObservations };
  if (r.patientStatus) out.dmpStatus = r.patientStatus;
  if (r.authorization) out.authorization = r.authorization;
  if (r.medecinTraitant !== undefined) out.medecinTraitant = r.medecinTraitant;
  return out;
}

export class GetDmpStatusCommand extends DmpCommand<StatusInput, DmpStatus> {
  readonly transaction = 'TD0.2' as const;
  serialize(client: DmpClient): SerializedCommand {
    const { patient } = parseInput(StatusInputSchema, this.input, 'GetDmpStatusCommand');
    return patientQueryBody(client, patient, 'TEST_EXST');
  }
  deserialize(decoded: DecodedMessage): DmpStatus {
    return readPatientQuery(decoded);
  }
}

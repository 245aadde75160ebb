/**
 * TD0.5 — search a patient in the DMP by identity traits, without INS (regulation mode only, dmp-interface.md §1):
 * IHE PDQv3 PRPA_IN201305UV02 → PRPA_IN201306UV02. The VIHF carries no patient. The answer holds identities: it is
 * returned to the caller, never logged.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Hl7v3NackError } from '../errors/hl7v3-nack-error.js';
import type { DecodedMessage } from '../soap/decode-message.js';
import { escapeAttr, escapeText } from '../xds/xml-write.js';
import { DMP_OIDS } from '../xds/uuids.js';
import { parseXml } from '../xml/parse.js';
import { expectPayload, type DmpClient } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { dmpTime, parseInput } from './inputs.js';
import { UnexpectedResponseError } from './response-errors.js';

const HL7 = 'urn:hl7-org:v3';

export const PatientSearchInputSchema = z
  .object({
    family: z.string().trim().min(1).optional(),
    given: z.string().trim().min(1).optional(),
    /** HL7 administrative gender: F, M, U. */
    gender: z.enum(['F', 'M', 'U']).optional(),
    /** `yyyyMMdd`. */
    birthDate: z.string().regex(/^\d{8}$/, 'expected yyyyMMdd').optional(),
  })
  .refine((i) => i.family || i.given || i.birthDate, { message: 'give at least a name or a birth date' });
export type PatientSearchInput = z.input<typeof PatientSearchInputSchema>;

export interface FoundPatient {
  ids: Array<{ root: string; extension?: string }>;
  status?: string;
  family: string[];
  given: string[];
  gender?: string;
  birthTime?: string;
}

export interface PatientSearchOutput {
  /** OK (found), NF (none), … */
  queryResponseCode?: string;
  patients: FoundPatient[];
}

function param(name: string, value: string, semantics: string): string {
  return `<${name}>${value}<semanticsText>${semantics}</semanticsText></${name}>`;
}

export class SearchPatientCommand extends DmpCommand<PatientSearchInput, PatientSearchOutput> {
  readonly transaction = 'TD0.5' as const;
  serialize(client: DmpClient): SerializedCommand {
    const i = parseInput(PatientSearchInputSchema, this.input, 'SearchPatientCommand');
    const device = client.deviceId;
    const params = [
      i.gender ? param('livingSubjectAdministrativeGender', `<value code="${i.gender}"/>`, 'LivingSubject.administrativeGender') : '',
      i.birthDate ? param('livingSubjectBirthTime', `<value value="${i.birthDate}"/>`, 'LivingSubject.birthTime') : '',
      i.family || i.given
        ? param('livingSubjectName', `<value>${i.family ? `<family>${escapeText(i.family)}</family>` : ''}${i.given ? `<given>${escapeText(i.given)}</given>` : ''}</value>`, 'LivingSubject.name')
        : '',
    ].join('');
    const body =
      `<PRPA_IN201305UV02 xmlns="${HL7}" ITSVersion="XML_1.0"><id root="${escapeAttr(device)}" extension="${randomUUID()}"/>` +
      `<creationTime value="${dmpTime(client.now())}"/><interactionId root="2.16.840.1.113883.1.6" extension="PRPA_IN201305UV02"/>` +
      `<processingCode code="P"/><processingModeCode code="T"/><acceptAckCode code="AL"/>` +
      `<receiver typeCode="RCV"><device classCode="DEV" determinerCode="INSTANCE"><id root="${DMP_OIDS.device}"/></device></receiver>` +
      `<sender typeCode="SND"><device classCode="DEV" determinerCode="INSTANCE"><id root="${escapeAttr(device)}"/><softwareName>${escapeText(client.config.vihf.lps.name)}</softwareName></device></sender>` +
      `<controlActProcess classCode="CACT" moodCode="EVN"><code code="PRPA_TE201305UV02" codeSystem="2.16.840.1.113883.1.6"/>` +
      `<queryByParameter><queryId root="${escapeAttr(device)}" extension="${randomUUID()}"/><statusCode code="new"/>` +
      `<responseModalityCode code="R"/><responsePriorityCode code="I"/><parameterList>${params}</parameterList></queryByParameter>` +
      `</controlActProcess></PRPA_IN201305UV02>`;
    return { body };
  }

  deserialize(decoded: DecodedMessage, raw: { body: Buffer; contentType: string }): PatientSearchOutput {
    expectPayload(decoded, 'PRPA_IN201306UV02');
    const doc = parseXml(raw.body).document;
    type E = { localName: string; namespaceURI: string | null; childNodes: ArrayLike<E>; nodeType: number; getAttribute(n: string): string | null; textContent: string | null };
    const kids = (e: E | undefined, name: string): E[] => (e ? Array.from(e.childNodes).filter((c) => c.nodeType === 1 && c.localName === name && c.namespaceURI === HL7) : []);
    const find = (e: E, name: string): E | undefined => {
      for (const c of Array.from(e.childNodes)) {
        if (c.nodeType !== 1) continue;
        if (c.localName === name) return c;
        const f = find(c, name);
        if (f) return f;
      }
      return undefined;
    };
    const root = find(doc as unknown as E, 'PRPA_IN201306UV02');
    if (!root) throw new UnexpectedResponseError({ expected: 'PRPA_IN201306UV02' });
    const ack = kids(root, 'acknowledgement')[0];
    const type = ack?.getAttribute('typeCode')?.trim().toUpperCase();
    if (type && type !== 'AA' && type !== 'CA') {
      const details = kids(ack, 'acknowledgementDetail').map((d) => {
        const code = kids(d, 'code')[0]?.getAttribute('code') ?? undefined;
        const text = kids(d, 'text')[0]?.textContent?.trim();
        return { ...(code ? { code } : {}), ...(text ? { text } : {}) };
      });
      throw new Hl7v3NackError({ typeCode: type, details, interaction: 'PRPA_IN201306UV02' });
    }
    const cap = kids(root, 'controlActProcess')[0];
    const queryResponseCode = kids(kids(cap, 'queryAck')[0], 'queryResponseCode')[0]?.getAttribute('code') ?? undefined;
    const patients = kids(cap, 'subject').flatMap((s) => {
      const patient = kids(kids(kids(s, 'registrationEvent')[0], 'subject1')[0], 'patient')[0];
      if (!patient) return [];
      const person = kids(patient, 'patientPerson')[0];
      const names = kids(person, 'name');
      const p: FoundPatient = {
        ids: kids(patient, 'id').map((i) => ({ root: i.getAttribute('root') ?? '', ...(i.getAttribute('extension') ? { extension: i.getAttribute('extension')! } : {}) })),
        family: names.flatMap((n) => kids(n, 'family').map((f) => (f.textContent ?? '').trim())),
        given: names.flatMap((n) => kids(n, 'given').map((g) => (g.textContent ?? '').trim())),
      };
      const status = kids(patient, 'statusCode')[0]?.getAttribute('code');
      const gender = kids(person, 'administrativeGenderCode')[0]?.getAttribute('code');
      const birth = kids(person, 'birthTime')[0]?.getAttribute('value');
      if (status) p.status = status;
      if (gender) p.gender = gender;
      if (birth) p.birthTime = birth;
      return [p];
    });
    return { ...(queryResponseCode ? { queryResponseCode } : {}), patients };
  }
}

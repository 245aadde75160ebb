/**
 * The `patients` service: TD0.2 (existence and authorization test) / TD1.3a (administrative data), both
 * PRPA_IN201307UV02 told apart by reasonCode, and TD0.4 (the DMPs the professional is authorized on).
 */
import { buildPatientListResponse, buildPatientQueryResponse, HL7V3_OIDS, type AdministrativeObservation, type PatientListEntry } from '@dmpkit/sdk';
import { randomUUID } from 'node:crypto';
import { decide, refusalText } from '../policy/gate.js';
import { SimulatorFault, type SoapAnswer, type SoapCall } from '../server/soap-call.js';
import { hl7Utc } from '../util/cx.js';
import { requestPatient } from './patient-of.js';

const INTERNAL_ID_ROOT = '1.2.250.1.213.1.4.2';
/** Root of the ids of the DMP's HL7v3 answers (dmp-interface.md §12, useful constants). */
const RESPONSE_ID_ROOT = '1.2.250.1.213.4.1.1.1.1';

export function handlePatientQuery(call: SoapCall): SoapAnswer {
  const q = call.decoded.hl7v3;
  if (!q || q.kind !== 'PRPA_IN201307UV02') throw new SimulatorFault('Sender', 'InvalidMessage', 'Le corps de la requête n’est pas un PRPA_IN201307UV02');
  const req = q as Extract<typeof q, { kind: 'PRPA_IN201307UV02' }>;
  const reason = req.reasonCode === 'CNSLT_DATA' ? 'CNSLT_DATA' : 'TEST_EXST';
  const action = reason === 'CNSLT_DATA' ? 'TD1.3a' : 'TD0.2';
  const patient = requestPatient(call);
  const base = {
    id: { root: RESPONSE_ID_ROOT, extension: randomUUID() },
    creationTime: hl7Utc(call.now),
    targetMessageId: req.id ?? { root: '0' },
    reason,
    queryId: req.queryId ?? { root: '0' },
  } as const;
  const body = req.patientIdentifier;
  if (!patient || !body?.extension || body.extension !== patient.ins || body.root !== patient.oid) {
    return {
      outcome: 'AE',
      body: buildPatientQueryResponse({
        ...base,
        acknowledgement: { typeCode: 'AE', details: [{ code: 'XDSPatientIdDoesNotMatch', text: 'Le patient de la requête diffère du resource-id du VIHF' }] },
        queryResponseCode: 'AE',
      }),
    };
  }
  const record = patient.record;
  const decision = decide(call, action, record);
  if (!record || record.dmp === 'absent') return { outcome: 'NF', body: buildPatientQueryResponse({ ...base, queryResponseCode: 'NF' }) };
  if (decision.decision !== 'allow') {
    return { outcome: 'AE', body: buildPatientQueryResponse({ ...base, acknowledgement: { typeCode: 'AE', details: [{ code: 'DMPAccessDenied', text: refusalText(decision) }] }, queryResponseCode: 'AE' }) };
  }
  const auth = call.ctx.store.authorization(record.ins, call.vihf.nameId);
  const codes = call.ctx.settings.authorizationCodes;
  const authorization = !auth ? codes.none : auth.status === 'valid' ? codes.valid : auth.status === 'expired' ? codes.expired : codes.blocked;
  const observations: AdministrativeObservation[] = [
    { code: 'RATTACHEMENT_ENS', codeSystem: HL7V3_OIDS.administrativeObservation, value: record.mesActivated },
  ];
  if (reason === 'CNSLT_DATA') {
    observations.push(
      { code: 'OPPOSITION_BRIS_DE_GLACE', codeSystem: HL7V3_OIDS.administrativeObservation, value: record.opposedBrisDeGlace },
      { code: 'OPPOSITION_ACCES_URGENCE', codeSystem: HL7V3_OIDS.administrativeObservation, value: record.opposedCentre15 },
    );
  }
  return {
    outcome: 'OK',
    body: buildPatientQueryResponse({
      ...base,
      queryResponseCode: 'OK',
      patient: {
        ids: [
          { root: INTERNAL_ID_ROOT, extension: record.internalId },
          { root: record.insOid, extension: record.ins },
        ],
        status: record.dmp === 'closed' ? 'terminated' : 'active',
        observations,
      },
      authorization,
      medecinTraitant: auth?.medecinTraitant === true && auth.status !== 'blocked',
    }),
  };
}

/** yyyyMMddHHmmss (TD0.4 dates), local to nothing: the DMP examples carry no zone. */
function dmpDate(ms: number): string {
  return hl7Utc(ms);
}

function parseDmpDate(s: string | undefined): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})(\d{2})?(\d{2})?(\d{2})?$/.exec(s ?? '');
  if (!m) return undefined;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
}

export function handlePatientList(call: SoapCall): SoapAnswer {
  const d = call.decoded.dmp;
  if (!d || d.kind !== 'patientList') throw new SimulatorFault('Sender', 'InvalidMessage', 'Le corps de la requête n’est pas un patientList');
  const decision = decide(call, 'TD0.4', undefined, undefined, { trace: false });
  if (decision.decision !== 'allow') return { outcome: 'refused', body: buildPatientListResponse({ status: 'DMPAccessDenied', context: refusalText(decision) }, []) };
  const from = parseDmpDate(d.request.startDate);
  if (d.request.startDate !== undefined && from === undefined) {
    return { outcome: 'refused', body: buildPatientListResponse({ status: 'DMPInvalidParameter', context: `startDate "${d.request.startDate}" n'est pas au format yyyyMMddHHmmss` }, []) };
  }
  const store = call.ctx.store;
  const items: PatientListEntry[] = [];
  for (const a of store.authorizationsOfProfessional(call.vihf.nameId)) {
    const p = store.patient(a.ins);
    if (!p || p.dmp !== 'open') continue;
    const entries = store.entriesOfPatient(p.ins).filter((e) => !e.isSignature);
    const lastAdd = entries.length ? Math.max(...entries.map((e) => e.depositedAt)) : undefined;
    const pivot = d.request.dateType === 'LASTDOC' ? lastAdd : a.since;
    if (from !== undefined && (pivot === undefined || pivot < from)) continue;
    items.push({
      patientIdentifiers: [{ nationalId: p.ins, nationalIdType: 'NIR' }],
      ...(p.family ? { lastName: p.family } : {}),
      ...(p.given ? { firstName: p.given } : {}),
      ...(p.birthDate ? { dateOfBirth: p.birthDate } : {}),
      mt: a.medecinTraitant,
      message: false,
      ...(a.lastAccess !== undefined ? { lastAccessDate: dmpDate(a.lastAccess) } : {}),
      lastUpdateDate: dmpDate(a.lastAction),
      ...(lastAdd !== undefined ? { lastAddDate: dmpDate(lastAdd) } : {}),
    });
  }
  return { outcome: 'DMPOk', body: buildPatientListResponse({ status: 'DMPOk' }, items) };
}

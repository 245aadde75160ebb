/** TD0.2/TD1.3a HL7v3 and TD0.3/TD0.4/TD1.6 DMP service bodies: build, read back, decode the official answers. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeMessage } from '../../src/soap/decode-message.js';
import {
  buildListAuthorizationByPatient,
  buildListAuthorizationByPatientResponse,
  buildPatientList,
  buildPatientListResponse,
  buildSetAuthorization,
  buildSetAuthorizationResponse,
  decodeDmpServiceElement,
  type DecodedDmpService,
} from '../../src/xds/dmp-services.js';
import { buildPatientQueryRequest, buildPatientQueryResponse, decodePatientQueryRequest, decodePatientQueryResponse } from '../../src/xds/hl7v3.js';
import { IssueLog } from '../../src/xds/issues.js';
import { readXml } from '../../src/xml/fast-parse.js';
import { requireXdsCorpus, XDS_CORPUS } from '../support/corpus.js';

const root = (xml: string) => readXml(xml).root;
const INS = { root: '1.2.250.1.213.1.4.10', extension: '1234567890123' };

describe('HL7v3 PRPA_IN201307UV02 / PRPA_IN201308UV02', () => {
  it('the TD0.2 request reads back', () => {
    const xml = buildPatientQueryRequest({
      id: { root: '1.2.250.1.999.1', extension: 'msg-1' },
      creationTime: '20240101120000',
      patient: INS,
      sender: { id: '1.2.250.1.999', softwareName: 'LPS TEST' },
      queryId: { root: '1.2.250.1.999.2', extension: 'q-1' },
    });
    const log = new IssueLog();
    expect(decodePatientQueryRequest(root(xml), log)).toEqual({
      kind: 'PRPA_IN201307UV02',
      interactionId: 'PRPA_IN201307UV02',
      id: { root: '1.2.250.1.999.1', extension: 'msg-1' },
      creationTime: '20240101120000',
      reasonCode: 'TEST_EXST',
      patientIdentifier: INS,
      queryId: { root: '1.2.250.1.999.2', extension: 'q-1' },
      sender: { id: '1.2.250.1.999', softwareName: 'LPS TEST' },
    });
    expect(log.issues).toEqual([]);
  });

  it('TD1.3a uses CNSLT_DATA; a bad request is refused', () => {
    const xml = buildPatientQueryRequest({ id: { root: '1.2' }, creationTime: '20240101', reason: 'CNSLT_DATA', patient: INS, sender: { id: '1.2', softwareName: 'x' }, queryId: { root: '1.3' } });
    expect(xml).toContain('code="CNSLT_DATA"');
    expect(() => buildPatientQueryRequest({ id: { root: '1.2' }, creationTime: '20240101', patient: { root: '1.2' } as never, sender: { id: '1.2', softwareName: 'x' }, queryId: { root: '1.3' } })).toThrow();
  });

  it('answers: DMP open with authorization and médecin traitant; no DMP (NF); closed DMP; negative acknowledgement', () => {
    const base = { id: { root: '1.2.250.1.213.4.1.1.1.1' }, creationTime: '20240101120000', targetMessageId: { root: '1.2', extension: 'msg-1' }, reason: 'TEST_EXST' as const, queryId: { root: '1.3', extension: 'q-1' } };
    const open = decodePatientQueryResponse(
      root(buildPatientQueryResponse({ ...base, queryResponseCode: 'OK', patient: { ids: [INS], status: 'active', observations: [{ code: 'RATTACHEMENT_ENS', codeSystem: '1.2.250.1.213.4.1.2.3', value: true }] }, authorization: 'VALIDE', medecinTraitant: false })),
      new IssueLog(),
    );
    expect(open).toMatchObject({ dmpExists: true, patientStatus: 'active', authorization: 'VALIDE', medecinTraitant: false, acknowledgement: { typeCode: 'AA', targetMessageId: { root: '1.2', extension: 'msg-1' } }, patientIds: [INS] });
    expect(open.administrativeObservations).toEqual([{ code: 'RATTACHEMENT_ENS', codeSystem: '1.2.250.1.213.4.1.2.3', value: true }]);

    const none = decodePatientQueryResponse(root(buildPatientQueryResponse({ ...base, queryResponseCode: 'NF' })), new IssueLog());
    expect(none.dmpExists).toBe(false);
    expect(none.patientIds).toEqual([]);

    const closed = decodePatientQueryResponse(root(buildPatientQueryResponse({ ...base, queryResponseCode: 'OK', patient: { ids: [INS], status: 'terminated' } })), new IssueLog());
    expect(closed.patientStatus).toBe('terminated');

    const log = new IssueLog();
    const refused = decodePatientQueryResponse(root(buildPatientQueryResponse({ ...base, queryResponseCode: 'AE', acknowledgement: { typeCode: 'AE', details: [{ code: 'DMPClosed', text: 'Dossier fermé' }] } })), log);
    expect(refused.acknowledgement.details).toEqual([{ code: 'DMPClosed', text: 'Dossier fermé', typeCode: 'E' }]);
    expect(log.issues.map((i) => i.code)).toEqual(['HL7V3_NEGATIVE_ACK']);
  });

  it.skipIf(!requireXdsCorpus('HL7v3 corpus answer'))('the official TD0.2 answer: DMP exists, authorization VALIDE, médecin traitant, observations', () => {
    const m = decodeMessage(readFileSync(join(XDS_CORPUS, 'dmp-td0.2-test-existence-response.xml')));
    expect(m.hl7v3).toMatchObject({
      kind: 'PRPA_IN201308UV02',
      dmpExists: true,
      patientStatus: 'active',
      authorization: 'VALIDE',
      medecinTraitant: true,
      acknowledgement: { typeCode: 'AA', targetMessageId: { extension: '1633a409-3d61-4869-aed8-74d92ae20272' } },
      administrativeObservations: [
        { code: 'COMPTE_INTERNET_OUVERT', codeSystem: '1.2.250.1.213.4.1.2.9', value: true },
        { code: 'RATTACHEMENT_ENS', codeSystem: '1.2.250.1.213.4.1.2.3', value: false },
      ],
    });
    expect(m.payload.transaction).toBe('TD0.2');
  });
});

describe('DMP service bodies (TD0.3, TD0.4, TD1.6)', () => {
  const decode = (xml: string, log = new IssueLog()): DecodedDmpService => decodeDmpServiceElement(root(xml), log)!;

  it('requests read back', () => {
    expect(decode(buildSetAuthorization({ action: 'AJOUT', role: 'MEDECIN_TRAITANT' }))).toEqual({ kind: 'setAuthorization', request: { action: 'AJOUT', role: 'MEDECIN_TRAITANT' } });
    expect(decode(buildSetAuthorization({ action: 'SUPPRESSION' }))).toEqual({ kind: 'setAuthorization', request: { action: 'SUPPRESSION' } });
    expect(decode(buildPatientList({ startDate: '20240101000000', dateType: 'LASTDOC' }))).toEqual({ kind: 'patientList', request: { startDate: '20240101000000', dateType: 'LASTDOC' } });
    expect(decode(buildListAuthorizationByPatient({ mode: 'TOUTE' }))).toEqual({ kind: 'listAuthorizationByPatient', request: { mode: 'TOUTE' } });
    expect(() => buildPatientList({ startDate: '2024-01-01', dateType: 'LASTDOC' })).toThrow();
    expect(() => buildSetAuthorization({ action: 'MODIFICATION' as 'AJOUT' })).toThrow();
  });

  it('answers read back; DMPOk is compared ignoring case; another status is reported', () => {
    expect(decode(buildSetAuthorizationResponse({ status: 'DMPOK', context: 'Autorisation déjà présente' }))).toEqual({
      kind: 'setAuthorizationResponse',
      response: { status: 'DMPOK', context: 'Autorisation déjà présente', ok: true },
    });
    const patients = [{ patientIdentifiers: [{ nationalId: '1234567890123', nationalIdType: '1.2.250.1.213.1.4.10' }], lastName: 'TEST', firstName: 'PATIENT', dateOfBirth: '19700101', mt: true, message: false, lastAddDate: '20240101120000' }];
    expect(decode(buildPatientListResponse({ status: 'DMPOk' }, patients))).toEqual({ kind: 'patientListResponse', response: { status: 'DMPOk', ok: true }, patients });
    const items = [{ nationalId: '800000000001', nationalIdType: '1.2.250.1.71.4.2.1', firstName: 'A', lastName: 'B', codeSpeciality: ['G15_10/SM26'], libSpeciality: ['Médecine générale'], startOfAuthorization: '20240101', mode: 'ACTIVE', specificRight: ['MEDECIN_TRAITANT'] }];
    expect(decode(buildListAuthorizationByPatientResponse({ status: 'DMPOk' }, items))).toEqual({ kind: 'listAuthorizationByPatientResponse', response: { status: 'DMPOk', ok: true }, authorizations: items });
    const log = new IssueLog();
    expect(decode(buildSetAuthorizationResponse({ status: 'DMPKo', context: 'refus' }), log)).toMatchObject({ response: { ok: false } });
    expect(log.issues.map((i) => i.code)).toEqual(['DMP_STATUS_NOT_OK']);
  });

  it('decodeMessage classifies them by body and names the transaction', () => {
    const env = (body: string) => `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>${body}</soap:Body></soap:Envelope>`;
    expect(decodeMessage(env(buildSetAuthorization({ action: 'AJOUT' }))).payload).toMatchObject({ family: 'dmp', name: 'setAuthorization', transaction: 'TD0.3' });
    expect(decodeMessage(env(buildPatientList({ startDate: '20240101000000', dateType: 'LASTAUTORIZATION' }))).payload.transaction).toBe('TD0.4');
    expect(decodeMessage(env(buildListAuthorizationByPatient({ mode: 'ACTIVE' }))).payload.transaction).toBe('TD1.6');
  });
});

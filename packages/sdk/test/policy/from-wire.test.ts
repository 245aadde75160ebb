/** From the wire to the evaluator: VIHF → actor, DocumentEntry → document, ITI-57 changes → TD3.3 actions. */
import { describe, expect, it } from 'vitest';
import { accessActorFromVihf, accessDocumentFromEntry, parseVihfContext, statusChangeAction, visibilityChangeActions, type DocumentEntry, type XdsCode } from '../../src/index.js';

const base = {
  structureId: '499900063480001',
  secteurActivite: 'SA07^1.2.250.1.71.4.2.4',
  subjectId: 'TEST',
  nameId: '899900063480',
  profession: { code: '10', codeSystem: '1.2.250.1.71.1.2.7' },
  specialty: { code: 'SM26', codeSystem: '1.2.250.1.71.4.2.5' },
  lps: { name: 'x', version: '1', homologation: 'h' },
} as const;

describe('accessActorFromVihf', () => {
  it('direct mode: the card is the certificate’s when known, else inferred from the profession system', () => {
    const ctx = parseVihfContext({ ...base, authenticationMode: 'DIRECTE' });
    expect(accessActorFromVihf(ctx)).toMatchObject({ authMode: 'DIRECTE', card: 'CPS', profession: '10', specialty: 'SM26', id: '899900063480', structureId: '499900063480001' });
    expect(accessActorFromVihf(ctx, { card: 'CPF' }).card).toBe('CPF');
    const staff = parseVihfContext({ ...base, authenticationMode: 'DIRECTE', profession: { code: 'SECRETARIAT_MEDICAL', codeSystem: '1.2.250.1.213.1.1.4.6' }, specialty: undefined });
    expect(accessActorFromVihf(staff).card).toBe('CPE');
  });

  it('indirect mode has no card; the médecin traitant flag comes from the registry, not the VIHF', () => {
    const ctx = parseVihfContext({ ...base, authenticationMode: 'INDIRECTE' });
    const actor = accessActorFromVihf(ctx, { medecinTraitant: true });
    expect(actor.card).toBeUndefined();
    expect(actor.medecinTraitant).toBe(true);
  });
});

describe('accessDocumentFromEntry', () => {
  it('reads status, codes, confidentiality and the authors’ ids from XCN.1 and XON.10', () => {
    const entry = {
      uniqueId: '1.2.3',
      mimeType: 'text/xml',
      availabilityStatus: 'urn:asip:ci-sis:2010:StatusType:Archived',
      typeCode: { code: '11488-4', codingScheme: '2.16.840.1.113883.6.1' },
      classCode: { code: '10', codingScheme: '1.2.250.1.213.1.1.4.1' },
      confidentialityCode: [{ code: 'N', codingScheme: '2.16.840.1.113883.5.25' }, { code: 'MASQUE_PS', codingScheme: '1.2.250.1.213.1.1.4.13' }],
      authors: [{ authorPerson: '899900063480^LIBRE^MAX^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS', authorInstitution: ['CABINET^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^499900063480001'], authorRole: [], authorSpecialty: [] }],
      sourcePatientInfo: [],
      eventCodeList: [],
      referenceIdList: [],
    } satisfies DocumentEntry;
    expect(accessDocumentFromEntry(entry, 'doc')).toEqual({
      ref: 'doc',
      typeCode: '11488-4',
      classCode: '10',
      confidentiality: ['N', 'MASQUE_PS'],
      status: 'archived',
      authorIds: ['899900063480'],
      authorStructureIds: ['499900063480001'],
    });
  });
});

describe('ITI-57 changes as TD3.3 actions', () => {
  it('a status asked for names its action; a status no action sets names none', () => {
    expect(statusChangeAction('urn:asip:ci-sis:2010:StatusType:Deleted')).toBe('TD3.3c-DELETE');
    expect(statusChangeAction('urn:asip:ci-sis:2010:StatusType:Archived')).toBe('TD3.3d-ARCHIVE');
    expect(statusChangeAction('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')).toBe('TD3.3d-UNARCHIVE');
    expect(statusChangeAction('urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated')).toBeUndefined();
    expect(statusChangeAction('nonsense')).toBeUndefined();
  });

  it('visibility codes that change name the mask, unmask and patient-visibility rows', () => {
    const N: XdsCode = { code: 'N', codingScheme: '2.16.840.1.113883.5.25' };
    const flag = (code: string): XdsCode => ({ code, codingScheme: '1.2.250.1.213.1.1.4.13' });
    expect(visibilityChangeActions([N], [N, flag('MASQUE_PS')])).toEqual(['TD3.3a-MASK']);
    expect(visibilityChangeActions([N, flag('MASQUE_PS')], [N])).toEqual(['TD3.3a-UNMASK']);
    expect(visibilityChangeActions([N, flag('INVISIBLE_PATIENT')], [N])).toEqual(['TD3.3b-SHOW-PATIENT']);
    expect(visibilityChangeActions([N], [N, flag('INVISIBLE_REPRESENTANTS_LEGAUX'), flag('MASQUE_PS')])).toEqual(['TD3.3a-MASK', 'TD3.3b-SHOW-PATIENT']);
    expect(visibilityChangeActions([N], [N])).toEqual([]);
  });
});

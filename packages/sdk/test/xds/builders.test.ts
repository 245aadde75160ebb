/** ITI-41 lot assembly and ITI-57 bodies (TD2.1, TD3.3a–d). */
import { describe, expect, it } from 'vitest';
import { decodeXds } from '../../src/xds/decode.js';
import type { DecodedSubmitObjectsRequest } from '../../src/xds/ebrim-decode.js';
import { encodeSubmitObjectsRequest } from '../../src/xds/ebrim-encode.js';
import { buildSubmission, sha1Hex } from '../../src/xds/submission.js';
import { applyVisibility, buildAvailabilityStatusUpdate, buildMetadataUpdate, statusChange, visibilityOf } from '../../src/xds/update.js';
import { ASSOCIATION_TYPE, AVAILABILITY_STATUS, DMP_OIDS } from '../../src/xds/uuids.js';
import { documentEntry, signatureEntry, submissionSet } from './fixtures.js';

const CDA = Buffer.from('<ClinicalDocument/>');

describe('ITI-41 lot (buildSubmission)', () => {
  it('ids, hash, size and associations: HasMember per entry, RPLC for a replacement, signs for the signature', () => {
    const lot = buildSubmission({
      submissionSet,
      documents: [{ entry: documentEntry, content: CDA, replaces: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427' }],
      signature: { entry: signatureEntry, content: Buffer.from('sig') },
    });
    expect(lot.objects.submissionSets[0]!.entryUUID).toBe('SubmissionSet01');
    expect(lot.objects.documentEntries.map((e) => [e.entryUUID, e.hash, e.size])).toEqual([
      ['Document01', sha1Hex(CDA), CDA.length],
      ['Signature01', sha1Hex(Buffer.from('sig')), 3],
    ]);
    expect(lot.objects.associations.map((a) => [a.type, a.sourceObject, a.targetObject, a.submissionSetStatus])).toEqual([
      [ASSOCIATION_TYPE.HasMember, 'SubmissionSet01', 'Document01', 'Original'],
      [ASSOCIATION_TYPE.RPLC, 'Document01', 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', undefined],
      [ASSOCIATION_TYPE.HasMember, 'SubmissionSet01', 'Signature01', 'Original'],
      [ASSOCIATION_TYPE.signs, 'Signature01', 'SubmissionSet01', 'Original'],
    ]);
    expect(lot.documents.map((d) => d.id)).toEqual(['Document01', 'Signature01']);
    expect(lot.documents[0]!.content).toBe(CDA);
  });
});

describe('ITI-57 bodies', () => {
  it('delete: UpdateAvailabilityStatus from the current status to Deleted; archive and unarchive', () => {
    expect(statusChange('delete', AVAILABILITY_STATUS.Archived)).toEqual({ originalStatus: AVAILABILITY_STATUS.Archived, newStatus: AVAILABILITY_STATUS.Deleted });
    expect(statusChange('archive', AVAILABILITY_STATUS.Approved)).toEqual({ originalStatus: AVAILABILITY_STATUS.Approved, newStatus: AVAILABILITY_STATUS.Archived });
    expect(statusChange('unarchive', AVAILABILITY_STATUS.Archived)).toEqual({ originalStatus: AVAILABILITY_STATUS.Archived, newStatus: AVAILABILITY_STATUS.Approved });
    const objects = buildAvailabilityStatusUpdate({ submissionSet, targetEntryUUID: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', ...statusChange('delete', AVAILABILITY_STATUS.Approved) });
    const back = (decodeXds(encodeSubmitObjectsRequest(objects)).message as DecodedSubmitObjectsRequest).objects;
    expect(back.associations).toEqual(objects.associations);
    expect(back.associations[0]).toMatchObject({ type: ASSOCIATION_TYPE.UpdateAvailabilityStatus, originalStatus: AVAILABILITY_STATUS.Approved, newStatus: AVAILABILITY_STATUS.Deleted });
  });

  it('mask for professionals: a new version with the same lid, the new codes, and HasMember + PreviousVersion', () => {
    const current = { ...documentEntry, entryUUID: 'urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427', logicalId: 'urn:uuid:2b4e28ba-2fa1-11d2-883f-0016d3cca427', version: '2' };
    const masked = { ...current, confidentialityCode: applyVisibility(current.confidentialityCode, { maskedToProfessionals: true }) };
    const objects = buildMetadataUpdate({ submissionSet, entry: masked, previousVersion: current.version });
    const e = objects.documentEntries[0]!;
    expect(e.entryUUID).toBe('Document01');
    expect(e.logicalId).toBe(current.logicalId);
    expect(e.version).toBeUndefined();
    expect(visibilityOf(e.confidentialityCode)).toEqual({ maskedToProfessionals: true, hiddenFromPatient: false, hiddenFromLegalRepresentatives: false });
    expect(objects.associations[0]).toMatchObject({ type: ASSOCIATION_TYPE.HasMember, sourceObject: 'SubmissionSet01', targetObject: 'Document01', submissionSetStatus: 'Original', previousVersion: '2' });
    const back = (decodeXds(encodeSubmitObjectsRequest(objects)).message as DecodedSubmitObjectsRequest).objects;
    expect(back.documentEntries[0]!.logicalId).toBe(current.logicalId);
  });

  it('visibility flags are added and removed, N is kept', () => {
    const start = [{ code: 'N', codingScheme: '2.16.840.1.113883.5.25', displayName: 'Normal' }];
    const hidden = applyVisibility(start, { hiddenFromPatient: true, hiddenFromLegalRepresentatives: true });
    expect(hidden.map((c) => c.code)).toEqual(['N', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX']);
    expect(hidden.every((c) => c.code === 'N' || c.codingScheme === DMP_OIDS.visibilityCodeSystem)).toBe(true);
    expect(applyVisibility(hidden, { hiddenFromPatient: false }).map((c) => c.code)).toEqual(['N', 'INVISIBLE_REPRESENTANTS_LEGAUX']);
    expect(applyVisibility(hidden, {})).toEqual(hidden);
  });
});

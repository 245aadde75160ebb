/**
 * TD3.1 — ITI-18 Registry Stored Query: FindDocuments (every filter), FindDocumentsByReferenceId, GetDocuments (by
 * uniqueId or entryUUID), GetDocumentsAndAssociations, FindSubmissionSets, GetAssociations; LeafClass or ObjectRef.
 * Every document goes through the SDK's policy: what it denies is absent from the answer (the visibility filter of
 * dmp-interface.md §12.7), and a search refused as a whole is answered with the refusal.
 */
import {
  AVAILABILITY_STATUS,
  encodeAdhocQueryResponse,
  emptyRegistryObjectList,
  RESPONSE_STATUS,
  type Association,
  type DocumentEntry,
  type StoredQuery,
  type SubmissionSet,
  type XdsCode,
} from '@dmpkit/sdk';
import { decide, decideEachQuietly, refusalText } from '../policy/gate.js';
import { SimulatorFault, type SoapAnswer, type SoapCall } from '../server/soap-call.js';
import type { PatientRecord, StoredEntry } from '../store/store.js';
import { samePatientCx } from '../util/cx.js';
import { ebrimFragment } from '../store/ebrim.js';
import { requestPatient } from './patient-of.js';
import { ACCESS_DENIED, registryError, registryFailure } from './registry-errors.js';

type FindDocuments = Extract<StoredQuery, { query: 'FindDocuments' | 'FindDocumentsByReferenceId' }>;

const codeMatches = (wanted: readonly XdsCode[] | undefined, actual: readonly XdsCode[]): boolean =>
  !wanted?.length || wanted.some((w) => actual.some((a) => a.code === w.code && (!w.codingScheme || w.codingScheme === a.codingScheme)));

/** XDS date-times compare as strings once cut to the same precision. */
function inRange(value: string | undefined, from: string | undefined, to: string | undefined): boolean {
  if (from === undefined && to === undefined) return true;
  if (value === undefined) return false;
  if (from !== undefined && value.slice(0, from.length) < from) return false;
  // ITI-18: the upper bound is exclusive.
  if (to !== undefined && value.slice(0, to.length) >= to) return false;
  return true;
}

/** ITI-18 authorPerson: `%` any run, `_` one character. */
function likePattern(p: string): RegExp {
  const esc = p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.');
  return new RegExp(`^${esc}$`);
}

function matchesFilters(e: DocumentEntry, q: FindDocuments): boolean {
  if (!q.status.includes(e.availabilityStatus ?? '')) return false;
  const one = (c: XdsCode | undefined) => (c ? [c] : []);
  if (!codeMatches(q.classCode, one(e.classCode))) return false;
  if (!codeMatches(q.typeCode, one(e.typeCode))) return false;
  if (!codeMatches(q.practiceSettingCode, one(e.practiceSettingCode))) return false;
  if (!codeMatches(q.healthcareFacilityTypeCode, one(e.healthcareFacilityTypeCode))) return false;
  if (!codeMatches(q.formatCode, one(e.formatCode))) return false;
  if (!codeMatches(q.eventCode, e.eventCodeList)) return false;
  if (!codeMatches(q.confidentialityCode, e.confidentialityCode)) return false;
  if (!inRange(e.creationTime, q.creationTimeFrom, q.creationTimeTo)) return false;
  if (!inRange(e.serviceStartTime, q.serviceStartTimeFrom, q.serviceStartTimeTo)) return false;
  if (!inRange(e.serviceStopTime, q.serviceStopTimeFrom, q.serviceStopTimeTo)) return false;
  if (q.authorPerson?.length) {
    const patterns = q.authorPerson.map(likePattern);
    if (!e.authors.some((a) => a.authorPerson !== undefined && patterns.some((p) => p.test(a.authorPerson!)))) return false;
  }
  if (q.objectType?.length && !q.objectType.includes(e.objectType ?? '')) return false;
  if (q.query === 'FindDocumentsByReferenceId' && !q.referenceIds.some((r) => e.referenceIdList.some((x) => x === r || x.startsWith(`${r}^`) || x.split('^')[0] === r.split('^')[0]))) return false;
  return true;
}

/**
 * The DMP shows masked and invisible documents to a search only when asked for by confidentialityCode (dmp-interface.md
 * §7): without that filter, entries flagged MASQUE_PS are only returned to whom the policy lets see them anyway.
 */
function visibleTo(call: SoapCall, patient: PatientRecord, entries: StoredEntry[]): StoredEntry[] {
  const decisions = decideEachQuietly(call, 'TD3.1-META', patient, entries);
  return entries.filter((_, i) => decisions[i]!.decision === 'allow');
}

interface Answer {
  documents: StoredEntry[];
  submissionSets: SubmissionSet[];
  associations: Association[];
}

function answer(call: SoapCall, returnType: 'LeafClass' | 'ObjectRef', a: Answer): SoapAnswer {
  const objects = emptyRegistryObjectList();
  if (returnType === 'ObjectRef') {
    objects.objectRefs = [...a.documents.map((d) => ({ id: d.entryUUID })), ...a.submissionSets.map((s) => ({ id: s.entryUUID })), ...a.associations.map((x) => ({ id: x.entryUUID }))];
  } else {
    objects.submissionSets = a.submissionSets;
    objects.associations = a.associations;
  }
  const total = a.documents.length + a.submissionSets.length + a.associations.length;
  // LeafClass documents in the encoded form stored with each entry (the SDK encoder writes them in their place).
  const encodedDocumentEntries = returnType === 'LeafClass' ? a.documents.map((d) => d.ebrim ?? ebrimFragment(d.entry)) : [];
  return { outcome: `Success (${total})`, body: encodeAdhocQueryResponse({ status: RESPONSE_STATUS.Success, errors: [], startIndex: 0, totalResultCount: total, objects }, { encodedDocumentEntries }) };
}

export function handleQuery(call: SoapCall): SoapAnswer {
  const x = call.decoded.xds;
  if (!x || x.kind !== 'AdhocQueryRequest') throw new SimulatorFault('Sender', 'InvalidMessage', 'Le corps de la requête n’est pas un AdhocQueryRequest');
  if (!x.queryName) return registryFailure([registryError('XDSUnknownStoredQuery', `Requête stockée inconnue : ${x.queryId}`)]);
  const q = x.query;
  if (!q || q.query === 'Other') {
    const problems = call.decoded.issues.filter((i) => i.code === 'XDS_QUERY_PARAMETER').map((i) => i.message);
    return registryFailure([registryError('XDSStoredQueryParamNumber', `Paramètres de ${x.queryName} illisibles ou manquants${problems.length ? ` : ${problems.join(' ; ')}` : ''}`)]);
  }
  const patient = requestPatient(call);
  const record = patient?.record;
  if (!patient || !record || record.dmp === 'absent') return registryFailure([registryError('XDSUnknownPatientId', 'Aucun DMP pour ce patient (test d’existence TD0.2 : NF)')]);
  // The matrix distinguishes reading metadata from finding a document's reference (ObjectRef, e.g. before deleting).
  const action = q.returnType === 'ObjectRef' ? 'TD3.1-REF' : 'TD3.1-META';
  const decision = decide(call, action, record);
  if (decision.decision !== 'allow') return registryFailure([registryError(ACCESS_DENIED, refusalText(decision))]);
  const store = call.ctx.store;
  const ofPatient = (e: StoredEntry) => e.ins === record.ins && !e.isSignature;

  switch (q.query) {
    case 'FindDocuments':
    case 'FindDocumentsByReferenceId': {
      if (!samePatientCx(q.patientId, patient.cx)) return registryFailure([registryError('XDSPatientIdDoesNotMatch', '$XDSDocumentEntryPatientId diffère du resource-id du VIHF')]);
      const found = store.documentsOfPatient(record.ins, q.status).filter((e) => matchesFilters(e.entry, q));
      const shown = action === 'TD3.1-REF' ? found : visibleTo(call, record, found);
      return answer(call, q.returnType, { documents: shown, submissionSets: [], associations: [] });
    }
    case 'GetDocuments':
    case 'GetDocumentsAndAssociations': {
      const found = q.uniqueIds?.length ? q.uniqueIds.flatMap((u) => store.entriesByUniqueId(u)) : (q.entryUUIDs ?? []).map((u) => store.entryByUuid(u.toLowerCase())).filter((e): e is StoredEntry => e !== undefined);
      const mine = found.filter(ofPatient);
      const shown = action === 'TD3.1-REF' ? mine : visibleTo(call, record, mine);
      const associations = q.query === 'GetDocumentsAndAssociations' ? store.associationsOf(shown.map((d) => d.entryUUID)).map((a) => a.association) : [];
      return answer(call, q.returnType, { documents: shown, submissionSets: [], associations });
    }
    case 'FindSubmissionSets': {
      if (!samePatientCx(q.patientId, patient.cx)) return registryFailure([registryError('XDSPatientIdDoesNotMatch', '$XDSSubmissionSetPatientId diffère du resource-id du VIHF')]);
      const sets = store.submissionSetsOfPatient(record.ins).filter((s) => {
        if (!q.status.includes(s.availabilityStatus ?? AVAILABILITY_STATUS.Approved)) return false;
        if (q.sourceId?.length && !q.sourceId.includes(s.sourceId)) return false;
        if (!inRange(s.submissionTime, q.submissionTimeFrom, q.submissionTimeTo)) return false;
        if (q.authorPerson && !s.authors.some((a) => a.authorPerson !== undefined && likePattern(q.authorPerson!).test(a.authorPerson))) return false;
        return codeMatches(q.contentTypeCode, s.contentTypeCode ? [s.contentTypeCode] : []);
      });
      return answer(call, q.returnType, { documents: [], submissionSets: sets, associations: [] });
    }
    case 'GetAssociations': {
      const uuids = q.uuids.map((u) => u.toLowerCase());
      const found = store.associationsOf(uuids).filter((a) => a.ins === record.ins && (uuids.includes(a.association.sourceObject) || uuids.includes(a.association.targetObject)));
      // Associations pointing at documents the actor may not see are hidden with them.
      const hidden = new Set<string>();
      for (const a of found) {
        for (const end of [a.association.sourceObject, a.association.targetObject]) {
          const e = store.entryByUuid(end);
          if (e && !e.isSignature && !visibleTo(call, record, [e]).length) hidden.add(a.association.entryUUID);
        }
      }
      return answer(call, q.returnType, { documents: [], submissionSets: [], associations: found.map((a) => a.association).filter((a) => !hidden.has(a.entryUUID)) });
    }
  }
}

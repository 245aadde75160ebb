/**
 * What a patient does in Mon espace santé, as the test driver plays it: activate or close the service, oppose (or
 * stop opposing) emergency accesses, block or unblock a professional, hide a document from professionals, let
 * masked documents be read in emergencies. Each action changes the store only.
 */
import { AVAILABILITY_STATUS, applyVisibility } from '@dmpkit/sdk';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { SimulatorContext } from '../server/context.js';
import { HttpError } from '../server/json.js';

export const PatientActionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('activate-mes') }),
  z.object({ action: z.literal('deactivate-mes') }),
  z.object({ action: z.literal('close-dmp'), reason: z.string().optional() }),
  z.object({ action: z.literal('reopen-dmp') }),
  z.object({ action: z.literal('oppose'), to: z.enum(['bris_de_glace', 'centre_15']) }),
  z.object({ action: z.literal('withdraw-opposition'), to: z.enum(['bris_de_glace', 'centre_15']) }),
  z.object({ action: z.literal('block'), professional: z.string().min(1) }),
  z.object({ action: z.literal('unblock'), professional: z.string().min(1) }),
  z.object({ action: z.literal('hide-document'), uniqueId: z.string().min(1) }),
  z.object({ action: z.literal('show-document'), uniqueId: z.string().min(1) }),
  z.object({ action: z.literal('masked-visible-in-emergency'), allowed: z.boolean() }),
]);
export type PatientAction = z.infer<typeof PatientActionSchema>;

export function applyPatientAction(ctx: SimulatorContext, ins: string, a: PatientAction): { ok: true; patient: unknown } {
  const store = ctx.store;
  const p = store.patient(ins);
  if (!p) throw new HttpError(404, 'PATIENT_UNKNOWN', 'no patient with this INS in the simulator');
  const now = ctx.clock.now();
  switch (a.action) {
    case 'activate-mes':
      p.mesActivated = true;
      break;
    case 'deactivate-mes':
      p.mesActivated = false;
      break;
    case 'close-dmp':
      p.dmp = 'closed';
      if (a.reason) p.closedReason = a.reason;
      break;
    case 'reopen-dmp':
      p.dmp = 'open';
      delete p.closedReason;
      break;
    case 'oppose':
    case 'withdraw-opposition':
      if (a.to === 'bris_de_glace') p.opposedBrisDeGlace = a.action === 'oppose';
      else p.opposedCentre15 = a.action === 'oppose';
      break;
    case 'masked-visible-in-emergency':
      p.maskedVisibleInEmergency = a.allowed;
      break;
    case 'block': {
      const cur = store.authorization(ins, a.professional);
      store.putAuthorization({ ins, psId: a.professional, status: 'blocked', since: cur?.since ?? now, lastAction: now, medecinTraitant: false });
      break;
    }
    case 'unblock': {
      const cur = store.authorization(ins, a.professional);
      if (cur?.status === 'blocked') store.deleteAuthorization(ins, a.professional);
      break;
    }
    case 'hide-document':
    case 'show-document': {
      // The patient masks a document to professionals from the portal: a new metadata version, as TD3.3a would make.
      const cur = store.currentByUniqueId(a.uniqueId);
      if (!cur || cur.ins !== ins || cur.isSignature) throw new HttpError(404, 'DOCUMENT_UNKNOWN', `no document ${a.uniqueId} in this patient's DMP`);
      const entryUUID = `urn:uuid:${randomUUID()}`;
      const ssUuid = `urn:uuid:${randomUUID()}`;
      const next = { ...cur.entry, entryUUID, version: String(cur.version + 1), confidentialityCode: applyVisibility(cur.entry.confidentialityCode, { maskedToProfessionals: a.action === 'hide-document' }), availabilityStatus: cur.status };
      const ss = { entryUUID: ssUuid, uniqueId: `2.25.${BigInt(`0x${randomUUID().replace(/-/g, '')}`)}`, sourceId: '1.2.250.1.213.4.1.1.1', patientId: cur.entry.patientId ?? '', submissionTime: new Date(now).toISOString().replace(/[-:T]/g, '').slice(0, 14), authors: [], intendedRecipient: [], availabilityStatus: AVAILABILITY_STATUS.Approved };
      store.saveEntryVersion(cur, next, ss, [{ entryUUID: `urn:uuid:${randomUUID()}`, type: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember', sourceObject: ssUuid, targetObject: entryUUID, submissionSetStatus: 'Original', previousVersion: String(cur.version) }], now);
      return { ok: true, patient: store.patient(ins) };
    }
  }
  store.upsertPatient(p);
  return { ok: true, patient: store.patient(ins) };
}

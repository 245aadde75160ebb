/**
 * The `habilitations` service: TD0.3 setAuthorization (declare oneself authorized, remove it, become or stop being
 * the médecin traitant) and TD1.6 listAuthorizationByPatient (ACTIVE, INTERDITE or TOUTE).
 */
import { buildListAuthorizationByPatientResponse, buildSetAuthorizationResponse, type AuthorizationByPatient, type DmpActionId } from '@dmpkit/sdk';
import { decide, refusalText } from '../policy/gate.js';
import { SimulatorFault, type SoapAnswer, type SoapCall } from '../server/soap-call.js';
import { hl7Utc } from '../util/cx.js';
import { requestPatient } from './patient-of.js';

const PS_ID_TYPE = '1.2.250.1.71.4.2.1';

export function handleSetAuthorization(call: SoapCall): SoapAnswer {
  const d = call.decoded.dmp;
  if (!d || d.kind !== 'setAuthorization') throw new SimulatorFault('Sender', 'InvalidMessage', 'Le corps de la requête n’est pas un setAuthorization');
  const { action, role } = d.request;
  const patient = requestPatient(call);
  const record = patient?.record;
  const store = call.ctx.store;
  const psId = call.vihf.nameId;
  const current = record ? store.authorization(record.ins, psId) : undefined;
  const policyAction: DmpActionId = action === 'AJOUT' ? 'TD0.3-AUTHORIZE' : role === 'MEDECIN_TRAITANT' ? 'TD0.3-REMOVE-MT' : 'TD0.3-REVOKE';
  const decision = decide(call, policyAction, record);
  if (!record || record.dmp === 'absent') return { outcome: 'refused', body: buildSetAuthorizationResponse({ status: 'DMPNotFound', context: 'Aucun DMP pour ce patient' }) };
  if (decision.decision !== 'allow') return { outcome: 'refused', body: buildSetAuthorizationResponse({ status: 'DMPAccessDenied', context: refusalText(decision) }) };
  const now = call.now;
  if (action === 'AJOUT') {
    const wantsMt = role === 'MEDECIN_TRAITANT';
    if (current?.status === 'valid' && (!wantsMt || current.medecinTraitant)) {
      return { outcome: 'DMPOk', body: buildSetAuthorizationResponse({ status: 'DMPOk', context: 'Autorisation déjà présente aucune action effectuée' }) };
    }
    store.transaction(() => {
      store.putAuthorization({
        ins: record.ins,
        psId,
        status: 'valid',
        since: current?.status === 'valid' ? current.since : now,
        lastAction: now,
        medecinTraitant: wantsMt || (current?.status === 'valid' && current.medecinTraitant),
        ...(current?.lastAccess !== undefined ? { lastAccess: current.lastAccess } : {}),
      });
      if (wantsMt) store.clearMedecinTraitant(record.ins, psId);
    });
    return { outcome: 'DMPOk', body: buildSetAuthorizationResponse({ status: 'DMPOk' }) };
  }
  if (!current || current.status !== 'valid') {
    return { outcome: 'DMPOk', body: buildSetAuthorizationResponse({ status: 'DMPOk', context: 'Aucune autorisation présente aucune action effectuée' }) };
  }
  if (role === 'MEDECIN_TRAITANT') store.putAuthorization({ ...current, medecinTraitant: false, lastAction: now });
  else store.deleteAuthorization(record.ins, psId);
  return { outcome: 'DMPOk', body: buildSetAuthorizationResponse({ status: 'DMPOk' }) };
}

export function handleListAuthorizations(call: SoapCall): SoapAnswer {
  const d = call.decoded.dmp;
  if (!d || d.kind !== 'listAuthorizationByPatient') throw new SimulatorFault('Sender', 'InvalidMessage', 'Le corps de la requête n’est pas un listAuthorizationByPatient');
  const patient = requestPatient(call);
  const record = patient?.record;
  const decision = decide(call, 'TD1.6', record);
  if (!record || record.dmp === 'absent') return { outcome: 'refused', body: buildListAuthorizationByPatientResponse({ status: 'DMPNotFound', context: 'Aucun DMP pour ce patient' }, []) };
  if (decision.decision !== 'allow') return { outcome: 'refused', body: buildListAuthorizationByPatientResponse({ status: 'DMPAccessDenied', context: refusalText(decision) }, []) };
  const mode = d.request.mode ?? 'TOUTE';
  const store = call.ctx.store;
  const items: AuthorizationByPatient[] = [];
  for (const a of store.authorizationsOfPatient(record.ins)) {
    // An expired authorization is no longer listed as active (its expiry rule is not public, dmp-interface.md §4.2).
    const listed = a.status === 'blocked' ? 'INTERDITE' : a.status === 'valid' ? 'ACTIVE' : undefined;
    if (!listed || (mode !== 'TOUTE' && mode !== listed)) continue;
    const ps = store.professional(a.psId);
    items.push({
      nationalId: a.psId,
      nationalIdType: PS_ID_TYPE,
      ...(ps?.given ? { firstName: ps.given } : {}),
      ...(ps?.family ? { lastName: ps.family } : {}),
      codeSpeciality: ps?.profession ? [`G15_${ps.profession}${ps.specialty ? `/${ps.specialty}` : ''}`] : [],
      libSpeciality: [],
      startOfAuthorization: hl7Utc(a.since),
      lastActionDate: hl7Utc(a.lastAction),
      mode: listed,
      specificRight: a.medecinTraitant && listed === 'ACTIVE' ? ['MEDECIN_TRAITANT'] : [],
    });
  }
  return { outcome: 'DMPOk', body: buildListAuthorizationByPatientResponse({ status: 'DMPOk' }, items) };
}

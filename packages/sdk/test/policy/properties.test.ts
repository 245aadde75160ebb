/**
 * Properties of the evaluator over random requests and settings (fast-check):
 * - a blocked professional is never allowed anything patient-scoped;
 * - a deny never turns into an allow by adding a flag that only restricts;
 * - the author can always delete their own document (open DMP, not blocked, current document);
 * - every decision carries at least one rule, from the catalogue.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkConsent,
  compilePolicy,
  DMP_ACTION_IDS,
  explainSituation,
  isPatientScoped,
  policyRuleSpec,
  type AccessActor,
  type AccessDocument,
  type AccessPatientState,
  type AccessRequest,
  type Policy,
  type PolicySettings,
} from '../../src/index.js';
import { NOW, PROFILE_SETUP } from './helpers.js';

const RUNS = 400;

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
/** Optional keys left out rather than set to undefined (the inputs as JSON would carry them). */
const defined = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const actorArb: fc.Arbitrary<AccessActor> = fc
  .record({
    authMode: fc.constantFrom('DIRECTE', 'DIRECTE', 'INDIRECTE', 'INDIRECTE_RENFORCEE', 'DELEGUEE'),
    card: opt(fc.constantFrom('CPS', 'CPF', 'CPE')),
    profession: opt(fc.constantFrom('10', '21', '40', '50', '60', '69', '70', '96', 'SECRETARIAT_MEDICAL', '99', 'XX')),
    professionSystem: opt(fc.constantFrom('G15', 'G16', 'A00', 'R291', '1.2.250.1.71.1.2.7')),
    specialty: opt(fc.constantFrom('SM26', 'SM25', 'A', 'H', 'CAPA11')),
    genre: opt(fc.constantFrom('GENR08', 'GENR01')),
    medecinTraitant: opt(fc.boolean()),
    mtEquivalentRights: opt(fc.boolean()),
    occupationalPhysician: opt(fc.boolean()),
    id: opt(fc.constantFrom('me', 'other')),
    structureId: opt(fc.constantFrom('st-me', 'st-other')),
  })
  .map((a) => defined(a) as AccessActor);

const patientArb: fc.Arbitrary<AccessPatientState> = fc
  .record({
    dmp: fc.constantFrom('open', 'open', 'open', 'closed', 'absent'),
    mesActivated: opt(fc.boolean()),
    authorization: opt(fc.constantFrom('valid', 'valid', 'expired', 'none', 'unknown')),
    authorizedAt: opt(fc.constantFrom('2020-01-01T00:00:00Z', '2025-02-01T00:00:00Z')),
    blocked: opt(fc.boolean()),
    opposedBrisDeGlace: opt(fc.boolean()),
    opposedCentre15: opt(fc.boolean()),
    maskedVisibleInEmergency: opt(fc.boolean()),
    minor: opt(fc.boolean()),
  })
  .map((p) => defined(p) as AccessPatientState);

const TYPES = ['11488-4', '78601-2', '83981-1', '34842-5', 'ATTEST-RESID', '11502-2', 'EXPPAT_1', 'DOCPAT03', 'NOT-A-TYPE'];

const documentArb: fc.Arbitrary<AccessDocument> = fc
  .record({
    typeCode: opt(fc.constantFrom(...TYPES)),
    classCode: opt(fc.constantFrom('10', '90')),
    confidentiality: opt(fc.subarray(['N', 'MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'])),
    status: opt(fc.constantFrom('approved', 'archived', 'deprecated', 'deleted')),
    authorIds: opt(fc.subarray(['me', 'other'])),
    authorStructureIds: opt(fc.subarray(['st-me', 'st-other'])),
    patientDeposited: opt(fc.boolean()),
  })
  .map((d) => defined(d) as AccessDocument);

const settingsArb: fc.Arbitrary<Partial<PolicySettings>> = fc.record({
  onUnknown: fc.constantFrom('deny', 'allow', 'unknown'),
  footnote1: fc.constantFrom('deny', 'allow', 'unknown'),
  airProfiles: fc.constantFrom('unknown', 'indirect', 'direct'),
  documentMatrixInEmergency: fc.constantFrom('apply', 'unknown'),
  authorReadsOwnDocuments: fc.boolean(),
  rowStatements: fc.boolean(),
  roleBasedProfessions: fc.boolean(),
  cumulInvisiblePatientMasquePs: fc.boolean(),
  authorizationValidityDays: fc.constantFrom(null, 30, 3650),
});

const policies = new Map<string, Policy>();
function policyFor(settings: Partial<PolicySettings>): Policy {
  const key = JSON.stringify(settings);
  let p = policies.get(key);
  if (!p) policies.set(key, (p = compilePolicy({ settings })));
  return p;
}

const requestArb: fc.Arbitrary<AccessRequest> = fc
  .record({
    action: fc.constantFrom(...DMP_ACTION_IDS),
    actor: actorArb,
    patient: patientArb,
    mode: fc.constantFrom('normal', 'normal', 'bris_de_glace', 'centre_15'),
    secret: opt(fc.boolean()),
    document: opt(documentArb),
    time: fc.constantFrom(NOW, Date.parse('2023-06-01T00:00:00Z')),
  })
  .map((r) => defined(r) as AccessRequest);

/** Changes that can only take rights away. */
const RESTRICTIONS: { name: string; apply: (r: AccessRequest) => AccessRequest }[] = [
  { name: 'the patient blocks the actor', apply: (r) => ({ ...r, patient: { ...r.patient, blocked: true } }) },
  { name: 'the patient opposes bris de glace', apply: (r) => ({ ...r, patient: { ...r.patient, opposedBrisDeGlace: true } }) },
  { name: 'the patient opposes the centre 15', apply: (r) => ({ ...r, patient: { ...r.patient, opposedCentre15: true } }) },
  { name: 'the patient withdraws masked documents from emergencies', apply: (r) => ({ ...r, patient: { ...r.patient, maskedVisibleInEmergency: false } }) },
  { name: 'the DMP is attached to Mon espace santé', apply: (r) => ({ ...r, patient: { ...r.patient, mesActivated: true } }) },
  { name: 'the authorization expires', apply: (r) => ({ ...r, patient: { ...r.patient, authorization: r.patient.authorization === 'valid' || r.patient.authorization === undefined ? 'expired' : r.patient.authorization } }) },
  { name: 'the DMP is closed', apply: (r) => ({ ...r, patient: { ...r.patient, dmp: r.patient.dmp === 'open' ? 'closed' : r.patient.dmp } }) },
  { name: 'the actor loses the médecin traitant status', apply: (r) => ({ ...r, actor: { ...r.actor, medecinTraitant: false } }) },
  { name: "the actor loses the médecin traitant's rights", apply: (r) => ({ ...r, actor: { ...r.actor, mtEquivalentRights: false } }) },
  ...['MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX'].map((flag) => ({
    name: `the document gets ${flag}`,
    apply: (r: AccessRequest): AccessRequest => (r.document ? { ...r, document: { ...r.document, confidentiality: [...(r.document.confidentiality ?? []), flag] } } : r),
  })),
];

describe('properties of the access policy', () => {
  it('a blocked professional is never allowed anything patient-scoped', () => {
    fc.assert(
      fc.property(requestArb, settingsArb, (req, settings) => {
        const d = policyFor(settings).evaluate({ ...req, patient: { ...req.patient, blocked: true } });
        if (isPatientScoped(req.action)) expect(d.decision, JSON.stringify(d.rules)).toBe('deny');
      }),
      { numRuns: RUNS },
    );
  });

  for (const restriction of RESTRICTIONS) {
    it(`a deny never becomes an allow when ${restriction.name}`, () => {
      fc.assert(
        fc.property(requestArb, settingsArb, (req, settings) => {
          const policy = policyFor(settings);
          const before = policy.evaluate(req);
          fc.pre(before.decision === 'deny');
          const after = policy.evaluate(restriction.apply(req));
          expect(after.decision, `${before.reason}\n→ ${after.reason}`).not.toBe('allow');
        }),
        { numRuns: RUNS },
      );
    });
  }

  it('the author can always delete their own document', () => {
    const profileArb = fc.constantFrom(...(Object.keys(PROFILE_SETUP) as (keyof typeof PROFILE_SETUP)[]));
    fc.assert(
      fc.property(profileArb, patientArb, settingsArb, fc.subarray(['N', 'MASQUE_PS', 'INVISIBLE_PATIENT', 'INVISIBLE_REPRESENTANTS_LEGAUX']), fc.constantFrom('approved', 'archived'), fc.boolean(), (p, patient, settings, confidentiality, status, secret) => {
        const { actor, mode } = PROFILE_SETUP[p];
        const document: AccessDocument = { typeCode: '11488-4', confidentiality, status, authorIds: [actor.id!], authorStructureIds: [actor.structureId!] };
        const d = policyFor(settings).evaluate({ action: 'TD3.3c-DELETE', actor, mode, secret, patient: { ...patient, dmp: 'open', blocked: false }, document, time: NOW });
        expect(d.decision, `${p}: ${d.reason}`).toBe('allow');
      }),
      { numRuns: RUNS },
    );
  });

  it('every decision carries at least one rule, each from the catalogue, with a source, and a reason', () => {
    fc.assert(
      fc.property(requestArb, settingsArb, (req, settings) => {
        const d = policyFor(settings).evaluate(req);
        expect(d.rules.length).toBeGreaterThan(0);
        expect(['allow', 'deny', 'unknown']).toContain(d.decision);
        expect(d.reason.length).toBeGreaterThan(0);
        for (const r of d.rules) {
          expect(policyRuleSpec(r.id), r.id).toBeDefined();
          expect(r.source.length).toBeGreaterThan(0);
        }
        if (d.raw !== 'unknown') expect(d.decision).toBe(d.raw);
      }),
      { numRuns: RUNS },
    );
  });

  it('so does every consent advice and every document of an explained situation', () => {
    fc.assert(
      fc.property(actorArb, patientArb, settingsArb, fc.constantFrom('consult', 'feed'), fc.array(documentArb, { maxLength: 4 }), (actor, patient, settings, purpose, documents) => {
        const policy = policyFor(settings);
        const advice = checkConsent(policy, { actor, patient, time: NOW, purpose: purpose as 'consult' | 'feed', informed: true, consent: 'patient' });
        expect(advice.rules.length).toBeGreaterThan(0);
        for (const r of advice.rules) expect(policyRuleSpec(r.id), r.id).toBeDefined();
        const ex = explainSituation(policy, { actor, patient, time: NOW, documents });
        expect(ex.documents).toHaveLength(documents.length);
        for (const v of ex.documents) expect(v.decision.rules.length).toBeGreaterThan(0);
      }),
      { numRuns: 200 },
    );
  });

  it('is pure: the same request twice gives the same decision', () => {
    fc.assert(
      fc.property(requestArb, settingsArb, (req, settings) => {
        const policy = policyFor(settings);
        expect(policy.evaluate(req)).toEqual(policy.evaluate(structuredClone(req)));
      }),
      { numRuns: 200 },
    );
  });
});

import { describe, expect, it } from 'vitest';
import {
  VihfProblemError,
  buildVihfAssertion,
  cxToPatient,
  parseVihfContext,
  patientToCx,
  vihfContextSchema,
} from '../../src/vihf/index.js';
import { medecinContext } from './helpers.js';

const ISSUER = 'CN=dmpkit.test,OU=499900063480001,O=CABINET DR LIBRE TEST,ST=Sarthe (72),C=FR';

function issuesOf(input: Parameters<typeof parseVihfContext>[0]): string {
  try {
    parseVihfContext(input);
    return '';
  } catch (e) {
    expect(e).toBeInstanceOf(VihfProblemError);
    expect((e as VihfProblemError).code).toBe('VIHF-CONTEXT-INVALID');
    return (e as Error).message;
  }
}

describe('VIHF context', () => {
  it('applies the defaults of the official examples', () => {
    const ctx = parseVihfContext(medecinContext({ purposeOfUse: undefined }));
    expect(ctx.version).toBe('3.0');
    expect(ctx.ressourceUrn).toBe('urn:dmp');
    expect(ctx.purposeOfUse).toBe('normal');
  });

  it('refuses a médecin without specialty, at parse and at build time, saying why', () => {
    const { specialty: _omit, ...noSpecialty } = medecinContext();
    const msg = issuesOf(noSpecialty);
    expect(msg).toMatch(/specialty: a médecin \(profession 10\) must carry a specialty/);
    expect(msg).toContain('Aucune spécialité dans le vihf');
    expect(() => buildVihfAssertion(noSpecialty, { issuer: ISSUER })).toThrow(/médecin \(profession 10\) must carry a specialty/);
  });

  it('refuses a pharmacien without specialty and accepts an infirmier without one', () => {
    const { specialty: _omit, ...base } = medecinContext();
    expect(issuesOf({ ...base, profession: { code: '21', codeSystem: '1.2.250.1.71.1.2.7' } })).toMatch(/pharmacien \(profession 21\).*TRE_G05/);
    expect(issuesOf({ ...base, profession: { code: '60', codeSystem: '1.2.250.1.71.1.2.7', displayName: 'Infirmier' } })).toBe('');
    // Code 10 in another code system (a student profession) is not the TRE_G15 médecin.
    expect(issuesOf({ ...base, profession: { code: '10', codeSystem: '1.2.250.1.71.1.2.8' } })).toBe('');
  });

  it('requires subject-id outside DIRECTE mode only', () => {
    const { subjectId: _omit, ...noName } = medecinContext();
    expect(issuesOf(noName)).toMatch(/subjectId: .*required in INDIRECTE mode/);
    expect(issuesOf({ ...noName, authenticationMode: 'DIRECTE' })).toBe('');
  });

  it('accepts VIHF 3.0 and 4.0 and every TRE_R218 mode, nothing else', () => {
    expect(issuesOf(medecinContext({ version: '4.0' }))).toBe('');
    expect(issuesOf(medecinContext({ version: '5.0' as never }))).toMatch(/^invalid VIHF context: version/);
    for (const m of ['DIRECTE', 'INDIRECTE', 'INDIRECTE_RENFORCEE', 'DELEGUEE'] as const) expect(issuesOf(medecinContext({ authenticationMode: m }))).toBe('');
    expect(issuesOf(medecinContext({ authenticationMode: 'AIR' as never }))).toMatch(/authenticationMode/);
  });

  it('checks the patient INS (format, key, authority) and Secteur_Activite', () => {
    expect(issuesOf(medecinContext({ patient: { ins: '207058575627098', oid: '1.2.250.1.213.1.4.10' } }))).toMatch(/patient.ins: the INS key/);
    expect(issuesOf(medecinContext({ patient: { ins: '2070585756270', oid: '1.2.250.1.213.1.4.10' } }))).toMatch(/patient.ins/);
    expect(issuesOf(medecinContext({ patient: { ins: '207058575627097', oid: '1.2.250.1.213.1.4.2' as never } }))).toMatch(/patient.oid/);
    expect(issuesOf(medecinContext({ secteurActivite: 'SA07' }))).toMatch(/secteurActivite: expected code\^OID/);
    expect(issuesOf(medecinContext({ notBefore: '2026-01-15T10:00:00Z', notOnOrAfter: '2026-01-15T09:00:00Z' }))).toMatch(/notOnOrAfter/);
    expect(issuesOf(medecinContext({ issueInstant: '15/01/2026' }))).toMatch(/issueInstant/);
  });

  it('keeps instants as written and writes Dates in UTC with milliseconds', () => {
    expect(parseVihfContext(medecinContext({ issueInstant: '2019-06-26T10:08:55+02:00' })).issueInstant).toBe('2019-06-26T10:08:55+02:00');
    expect(parseVihfContext(medecinContext({ issueInstant: new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6)) })).issueInstant).toBe('2026-01-02T03:04:05.006Z');
  });

  it('converts the patient to and from the resource-id CX', () => {
    const cx = patientToCx({ ins: '207058575627097', oid: '1.2.250.1.213.1.4.10' });
    expect(cx).toBe('207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH');
    expect(cxToPatient(cx)).toEqual({ ins: '207058575627097', oid: '1.2.250.1.213.1.4.10' });
    expect(cxToPatient('207058575627097^^^&1.2.250.1.213.1.4.10&ISO^NH^^20100907')).toBeUndefined();
  });

  it('is a zod schema whose output type is the decoded context', () => {
    const r = vihfContextSchema.safeParse(medecinContext());
    expect(r.success).toBe(true);
  });
});

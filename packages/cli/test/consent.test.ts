/** `dmp consent check`: what to collect, record and call before feeding or consulting; goldens and exit codes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, normalize, requireBuiltCli, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeAll(() => {
  requireBuiltCli();
  sb = sandbox();
});
afterAll(() => sb.cleanup());

const AT = ['--at', '2025-03-01T10:00:00Z'];

describe('dmp consent check', () => {
  it('outside the care team without consent: must not proceed (exit 1), says what to collect', () => {
    const r = sb.run(['consent', 'check', '--purpose', 'consult', '--profession', '60', ...AT]);
    expect(r.code, r.stderr).toBe(1);
    expectGolden('consent-check-missing.txt', normalize(r.stdout, sb.dir));
  });

  it('care team, informed: may proceed (exit 0), what to record, the TD0.3 call and the purposeofuse', () => {
    const r = sb.run(['consent', 'check', '--purpose', 'consult', '--profession', '60', '--care-team', '--informed', ...AT]);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('consent-check-care-team.txt', normalize(r.stdout, sb.dir));
  });

  it('bris de glace with a justification, as JSON', () => {
    const r = sb.run(['--json', 'consent', 'check', '--purpose', 'consult', '--profession', '10', '--specialty', 'SM26', '--mode', 'bris_de_glace', '--justification', ...AT]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ purpose: 'consult', decision: 'allow', td03: null, purposeOfUse: 'bris_de_glace', vihfConfidentialityCode: null });
    expect(out.record.map((x: { id: string }) => x.id)).toEqual(['REC-BDG-JUSTIFICATION', 'REC-ACCESS']);
    expect(out.rules.map((x: { id: string }) => x.id)).toEqual(['CONSENT-BDG-JUSTIFICATION']);
  });

  it("a minor's secret access is undecided with --on-unknown unknown (exit 3), denied by default (exit 1)", () => {
    const args = ['consent', 'check', '--purpose', 'consult', '--profession', '60', '--minor', '--secret', '--consent', 'legal-representative', ...AT];
    const undecided = sb.run([...args, '--on-unknown', 'unknown']);
    expect(undecided.code).toBe(3);
    expect(undecided.stdout).toContain('CONSENT-MINOR-SECRET');
    expect(sb.run(args).code).toBe(1);
  });

  it('feeding: from --input, no TD0.3', () => {
    const file = sb.write('feed.json', JSON.stringify({ purpose: 'feed', actor: { authMode: 'DIRECTE', card: 'CPE' }, patient: { dmp: 'open' }, informed: true, time: '2025-03-01T10:00:00Z' }));
    const r = sb.run(['--json', 'consent', 'check', '--input', file]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ decision: 'allow', td03: null, purposeOfUse: 'normal' });
  });

  it('usage errors exit 2', () => {
    expect(sb.run(['consent', 'check', '--profession', '60']).stderr).toMatch(/no purpose: give --purpose consult or --purpose feed/);
    expect(sb.run(['consent', 'check', '--purpose', 'read']).code).toBe(2);
    const r = sb.run(['consent', 'check', '--input', sb.write('bad.json', JSON.stringify({ purpose: 'consult', actor: { authMode: 'DIRECTE' }, patient: { dmp: 'open' }, consent: 'doctor' }))]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/consent: Invalid option/);
  });
});

/** `dmp access check` and `dmp access explain`, driven as a subprocess: goldens, JSON, exit codes, input errors. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectGolden, normalize, requireBuiltCli, sandbox, type Sandbox } from './helpers.js';

let sb: Sandbox;
beforeAll(() => {
  requireBuiltCli();
  sb = sandbox();
});
afterAll(() => sb.cleanup());

const AT = ['--at', '2025-03-01T10:00:00Z'];
const NURSE = ['--profession', '60', '--authorization', 'valid'];

describe('dmp access check', () => {
  it('allows, exit 0, with the rules in order', () => {
    const r = sb.run(['access', 'check', '--action', 'TD3.2', ...NURSE, '--type-code', '78601-2', ...AT]);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('access-check-allow.txt', normalize(r.stdout, sb.dir));
  });

  it('denies, exit 1, and --verbose prints each rule\'s source', () => {
    const r = sb.run(['access', 'check', '-a', 'TD3.2', '--profession', '70', '--authorization', 'valid', '--type-code', '11502-2', '--confidentiality', 'N,MASQUE_PS', '--author', 'other', '-v', ...AT]);
    expect(r.code, r.stderr).toBe(1);
    expectGolden('access-check-deny-verbose.txt', normalize(r.stdout, sb.dir));
  });

  it('an unknown cell is denied by default (exit 1) naming the cell, and undecided with --on-unknown unknown (exit 3)', () => {
    const args = ['access', 'check', '-a', 'TD3.2', '--profession', '70', '--authorization', 'valid', '--type-code', '11502-2', ...AT];
    const denied = sb.run(args);
    expect(denied.code).toBe(1);
    expect(denied.stdout).toContain('undecided by the rules; denied by the policy setting onUnknown=deny');
    expect(denied.stdout).toContain("cell 11502-2 (CR d'examens biologiques) × G15-70 (Masseur-Kinésithérapeute) is unknown");
    const undecided = sb.run([...args, '--on-unknown', 'unknown']);
    expect(undecided.code).toBe(3);
    expectGolden('access-check-undecided.txt', normalize(undecided.stdout, sb.dir));
  });

  it('--json: the decision, the rules with their sources, the obligations and the policy in use; never the identifiers', () => {
    const r = sb.run(['--json', 'access', 'check', '-a', 'TD3.2', ...NURSE.slice(0, 2), '--actor-id', 'PSID-SECRET-42', '--structure-id', 'STRUCT-SECRET-7', '--type-code', '78601-2', ...AT]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ action: 'TD3.2', decision: 'deny', raw: 'deny', profile: 'A' });
    expect(out.rules.map((x: { id: string }) => x.id)).toEqual(['ACC-PROFILE', 'ACC-MATRIX-FUNC', 'ACC-CONSENT-REQUIRED']);
    expect(out.rules.every((x: { source: string }) => x.source.length > 0)).toBe(true);
    expect(out.obligations.map((o: { id: string }) => o.id)).toEqual(['OBL-RECORD-CONSENT', 'OBL-CALL-TD03-AJOUT']);
    expect(out.policy).toMatchObject({ functionalMatrix: 'PDT-INF-526 v1.8 (2024-09-25)', documentMatrixOrigin: 'shipped', settings: { onUnknown: 'deny' } });
    expect(r.stdout).not.toMatch(/SECRET/);
  });

  it('reads the whole request from --input, as the flags would give it', () => {
    const file = sb.write(
      'req.json',
      JSON.stringify({
        action: 'TD3.3c-DELETE',
        actor: { authMode: 'INDIRECTE', structureId: 'st-1' },
        patient: { dmp: 'open' },
        document: { typeCode: '11488-4', authorIds: ['ps-9'], authorStructureIds: ['st-1'], status: 'urn:asip:ci-sis:2010:StatusType:Archived' },
        time: '2025-03-01T10:00:00Z',
        settings: { onUnknown: 'unknown' },
      }),
    );
    const r = sb.run(['--json', 'access', 'check', '--input', file]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.profile).toBe('K');
    expect(out.rules.map((x: { id: string }) => x.id)).toEqual(['ACC-PROFILE', 'ACC-MATRIX-FUNC', 'ACC-FN9-STRUCTURE-DOCUMENTS', 'DOC-STATUS-TRANSITION']);
    expect(out.policy.settings.onUnknown).toBe('unknown');
  });

  it('an invalid --input lists every problem with its field, exit 2', () => {
    const file = sb.write('bad.json', JSON.stringify({ action: 'TD3.2', actor: { authMode: 'DIRECTE', card: 'CPX', profesion: '10' }, patient: { dmp: 'gone' }, document: { status: 'lost' } }));
    const r = sb.run(['access', 'check', '--input', file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expectGolden('access-check-input-error.txt', normalize(r.stderr, sb.dir));
  });

  it('usage errors exit 2: no action, --input with flags, bad time, bad confidentiality, broken JSON, bad settings', () => {
    const expectUsage = (args: string[], message: RegExp) => {
      const r = sb.run(args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    };
    expectUsage(['access', 'check', '--profession', '60'], /no action: give --action <id>/);
    const file = sb.write('ok.json', JSON.stringify({ action: 'TD0.2', actor: { authMode: 'INDIRECTE' }, patient: { dmp: 'open' } }));
    expectUsage(['access', 'check', '--input', file, '--profession', '60', '--blocked'], /--input conflicts with --profession, --blocked/);
    expectUsage(['access', 'check', '-a', 'TD0.2', '--at', 'yesterday'], /expected an ISO 8601 date/);
    expectUsage(['access', 'check', '-a', 'TD3.2', '--confidentiality', 'N,SECRET'], /unknown code SECRET/);
    expectUsage(['access', 'check', '-a', 'TD9.9'], /argument 'TD9.9' is invalid/);
    expectUsage(['access', 'check', '--input', sb.write('broken.json', '{\n  "action": "TD0.2",\n}')], /broken\.json is not valid JSON at line 3, column 1/);
    expectUsage(['access', 'check', '-a', 'TD0.2', '--settings', sb.write('s.json', '{"onUnknwon":"allow"}')], /s\.json: invalid policy settings:\n\s+\(top level\): Unrecognized key: "onUnknwon"/);
  });
});

describe('dmp access explain', () => {
  const documents = [
    { ref: 'consultation', typeCode: '11488-4' },
    { ref: 'entretien', typeCode: '78601-2' },
    { ref: 'mine-masked', typeCode: '78601-2', confidentiality: ['N', 'MASQUE_PS'], authorIds: ['me'] },
    { ref: 'other-masked', typeCode: '78601-2', confidentiality: ['N', 'MASQUE_PS'], authorIds: ['other'] },
    { ref: 'archived', typeCode: '56445-0', status: 'archived' },
    { typeCode: 'EXPPAT_1' },
  ];

  it('says which documents the actor sees and why not the others (exit 0)', () => {
    const file = sb.write('docs.json', JSON.stringify(documents));
    const r = sb.run(['access', 'explain', ...NURSE, '--actor-id', 'me', '--documents', file, ...AT]);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('access-explain.txt', normalize(r.stdout, sb.dir));
    expect(r.stdout).not.toContain(' me ');
  });

  it('--json: a summary, the search right and one decision per document', () => {
    const file = sb.write('situation.json', JSON.stringify({ actor: { authMode: 'DIRECTE', card: 'CPS', profession: '10', specialty: 'SM26', medecinTraitant: true }, patient: { dmp: 'open', authorization: 'valid' }, documents, time: '2025-03-01T10:00:00Z' }));
    const r = sb.run(['--json', 'access', 'explain', '--input', file]);
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.summary).toEqual({ total: 6, visible: 6, hidden: 0, undecided: 0 });
    expect(out.search.decision).toBe('allow');
    expect(out.documents.map((d: { ref: string }) => d.ref)).toEqual(['consultation', 'entretien', 'mine-masked', 'other-masked', 'archived', '#6']);
  });

  it('a documents file that is not an array, or holds a bad document, is a usage error', () => {
    expect(sb.run(['access', 'explain', '--documents', sb.write('obj.json', '{}')]).stderr).toMatch(/must hold a JSON array of documents/);
    const r = sb.run(['access', 'explain', '--documents', sb.write('baddoc.json', '[{"typeCode":"11488-4","confidentiality":["SECRET"]}]')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/documents\.0\.confidentiality\.0: Invalid option/);
    expect(sb.run(['access', 'explain']).stderr).toMatch(/no documents: give --documents/);
  });
});

describe('dmp access --help', () => {
  it('lists the subcommands', () => {
    const r = sb.run(['access', '--help']);
    expect(r.code).toBe(0);
    expectGolden('access-help.txt', r.stdout);
  });
});

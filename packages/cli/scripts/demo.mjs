#!/usr/bin/env node
// The README's main job: check the sample documents with `dmp validate`, then start the embedded DMP simulator
// (default scenario) and run a whole DMP flow against it with the SDK's client, as a vendor's software would:
// status, authorization, submission, search, retrieval, a refusal by the document-type matrix, masking, and the
// access history. Each step says what it does and what happened; the demo exits 0 only if every step behaved
// as the DMP rules say. No INS, name or document content is printed.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createTestPki,
  DmpClient,
  FindDocumentsCommand,
  GetDmpStatusCommand,
  RegistryError,
  RetrieveDocumentsCommand,
  SetAuthorizationCommand,
  SubmitDocumentsCommand,
  UpdateDocumentCommand,
} from '@dmpkit/sdk';
import { startSimulator } from '@dmpkit/simulator';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const bin = join(repo, 'packages', 'cli', 'bin', 'dmp.js');
const FIXTURES = join(repo, 'fixtures', 'cda', 'valid');
/** The patient of every fixture document (a key-valid fake INS on the test NIR authority). */
const PATIENT = { ins: '100000000000047', oid: '1.2.250.1.213.1.4.10' };
const SOURCE_ID = '1.2.250.1.999.1.1.7898';

const failures = [];
let stepNo = 0;
function title(text) {
  console.log(`\n${++stepNo}. ${text}`);
}
function say(text) {
  console.log(`   ${text}`);
}
/** Records a check: a line with ✔ or ✘, and the failure kept for the final verdict. */
function check(ok, text) {
  console.log(`   ${ok ? '✔' : '✘'} ${text}`);
  if (!ok) failures.push(`step ${stepNo}: ${text}`);
  return ok;
}
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
const VISIBLE = 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved';

/** The registry error codes of a refused call, or null if it was accepted. */
async function refusal(promise) {
  try {
    await promise;
    return null;
  } catch (e) {
    if (e instanceof RegistryError) return e.errors.map((x) => x.errorCode);
    throw e;
  }
}

// ── Part 1: validation of the sample documents, as before ──────────────────────────────────────────────────────
function validateFixtures() {
  title('dmp validate fixtures/cda/valid fixtures/cda/invalid: the sample documents checked offline');
  const env = { ...process.env };
  if (process.stdout.isTTY && !env.NO_COLOR) env.FORCE_COLOR = '1';
  const run = spawnSync(process.execPath, [bin, 'validate', 'fixtures/cda/valid', 'fixtures/cda/invalid'], { cwd: repo, env, encoding: 'utf-8' });
  if (run.error) return check(false, `could not run ${bin}: ${run.error.message}`);
  process.stdout.write(run.stdout.replace(/^(?=.)/gm, '   '));
  process.stdout.write(run.stderr.replace(/^(?=.)/gm, '   '));
  const plain = run.stdout.replace(/\u001b\[[0-9;]*m/g, '');
  const verdicts = [...plain.matchAll(/^([✔✘]) (.+?)  (valid|invalid)  /gmu)].map((m) => ({ file: m[2], verdict: m[3] }));
  const wrong = verdicts.filter((v) => v.verdict !== (v.file.startsWith('fixtures/cda/valid/') ? 'valid' : 'invalid'));
  check(run.status === 1, `dmp exited ${run.status} (1 expected: fixtures/cda/invalid holds documents built to fail, and a CI job would fail on them)`);
  check(verdicts.length > 0 && wrong.length === 0, wrong.length ? `verdicts that disagree with their folder: ${wrong.map((v) => v.file).join(', ')}` : `every one of the ${verdicts.length} documents got the verdict its folder announces`);
}

// ── Part 2: a DMP flow against the simulator ──────────────────────────────────────────────────────────────────
/** The document-type matrix denies a masseur-kinésithérapeute this type (CR de consultation pharmaceutique). */
const PHARMA_TYPE = { code: '93024-8', displayName: 'CR de consultation pharmaceutique' };

async function dmpFlow() {
  title('Start the embedded DMP simulator with the default scenario (official test patients and the fixtures patient)');
  // A throw-away PKI: the simulator trusts its CA, so VIHF signatures and certificate chains are both verified.
  const pki = createTestPki();
  const sim = await startSimulator({ scenario: 'default', settings: { vihfMode: 'strict', trustedCertificates: [pki.ca.certPem] } });
  say(`listening on ${sim.url} (web console ${sim.url}/), ${plural(sim.context.store.patientCount(), 'patient')} loaded, VIHF checked strictly against the test CA`);
  const vihf = {
    authenticationMode: 'DIRECTE',
    structureId: '499900063480001',
    secteurActivite: 'SA07^1.2.250.1.71.4.2.4',
    subjectId: 'MAX LIBRE',
    nameId: '899900063480',
    profession: { code: '10', codeSystem: '1.2.250.1.71.1.2.7', displayName: 'Médecin' },
    specialty: { code: 'SM26', codeSystem: '1.2.250.1.71.4.2.5', displayName: 'Qualifié en Médecine Générale (SM)' },
    purposeOfUse: 'normal',
    lps: { id: `${SOURCE_ID}.9`, name: 'dmpkit-demo', version: '0.1.0', homologation: 'SIMULATEUR' },
  };
  const kineVihf = { ...vihf, subjectId: 'PAUL KINE', nameId: '899900063497', profession: { code: '70', codeSystem: '1.2.250.1.71.1.2.7', displayName: 'Masseur-Kinésithérapeute' }, specialty: undefined };
  const clientOf = (v) => new DmpClient({ baseUrl: sim.baseUrl, vihf: v, signing: pki.cps.credentials(), sourceId: SOURCE_ID, transportOptions: { retry: { attempts: 1 } } });
  const doctor = clientOf(vihf);
  const kine = clientOf(kineVihf);
  const who = { [vihf.nameId]: 'the physician', [kineVihf.nameId]: 'the physiotherapist' };
  say('actors: a physician (profession 10, general medicine) and a physiotherapist (profession 70), both with a CPS card, direct mode');

  try {
    title('TD0.2: does the fixtures patient have a DMP, and may the physician access it?');
    const status = await doctor.send(new GetDmpStatusCommand({ patient: PATIENT }));
    check(status.dmpExists && status.dmpStatus === 'active', `DMP ${status.dmpExists ? status.dmpStatus : 'absent'} (active expected)`);
    check(status.authorization === 'VALIDE', `the physician's authorization: ${status.authorization ?? 'none'} (VALIDE expected: the scenario authorizes the physician)`);

    title('TD0.3: the physiotherapist, not yet authorized, declares the patient\'s authorization');
    const before = await kine.send(new GetDmpStatusCommand({ patient: PATIENT }));
    check(before.authorization !== 'VALIDE', `before: ${before.authorization ?? 'no authorization'}`);
    await kine.send(new SetAuthorizationCommand({ patient: PATIENT, action: 'AJOUT' }));
    const after = await kine.send(new GetDmpStatusCommand({ patient: PATIENT }));
    check(after.authorization === 'VALIDE', `after: ${after.authorization ?? 'none'} (VALIDE expected)`);

    title('TD2.1: the physician submits the fixture documents in one signed lot');
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort();
    const documents = files.map((f) => ({ file: f, content: readFileSync(join(FIXTURES, f)) }));
    // A pharmaceutical consultation report made from the N1 fixture: same document, its own type and uniqueId.
    const pharmaId = `${SOURCE_ID}.1.${Date.now()}`;
    const pharma = readFileSync(join(FIXTURES, 'n1-pdf.xml'), 'utf8')
      .replaceAll('1.2.250.1.999.1.1.1.1"', `${pharmaId}"`)
      .replace(/<code code="11488-4" displayName="[^"]*"/, `<code code="${PHARMA_TYPE.code}" displayName="${PHARMA_TYPE.displayName}"`);
    documents.push({ file: 'pharmaceutical consultation report (from n1-pdf.xml)', content: Buffer.from(pharma) });
    // structured-header.xml uses a synthetic template: no formatCode can be derived from it (the template → formatCode
    // table ASS_A11 is not public), so the sender names one — "document not referenced by IHE or CI-SIS" (JDV_J60).
    const OTHER_FORMAT = { code: 'urn:asipSante:modelesHorsProfils:2011', codingScheme: '1.2.250.1.213.1.1.4.2.282', displayName: 'Document non référencé IHE ou CI-SIS' };
    const sendable = documents.map((d) => (d.file === 'structured-header.xml' ? { ...d, formatCode: OTHER_FORMAT } : d));
    const sent = await doctor.send(new SubmitDocumentsCommand({ documents: sendable }));
    check(sent.status === 'Success' && sent.documents.length === sendable.length, `${sent.status}: ${plural(sent.documents.length, 'document')} registered (${files.join(', ')} and a ${PHARMA_TYPE.code} report made from n1-pdf.xml)`);
    const byFile = new Map(sent.documents.map((d, i) => [sendable[i].file, d.uniqueId]));

    title('TD3.1: the physician searches the patient\'s documents');
    const found = await doctor.send(new FindDocumentsCommand({ patient: PATIENT }));
    const mine = found.documentEntries.filter((e) => sent.documents.some((d) => d.uniqueId === e.uniqueId));
    check(mine.length === sendable.length, `${plural(found.documentEntries.length, 'document')} found, ${mine.length} of them the ones just submitted`);
    say(`types: ${mine.map((e) => e.typeCode?.code).join(', ')}; status ${mine.every((e) => e.availabilityStatus === VISIBLE) ? 'Approved' : 'mixed'}`);

    title('TD3.2: the physician retrieves the N1 document');
    const n1 = byFile.get('n1-pdf.xml');
    const got = await doctor.send(new RetrieveDocumentsCommand({ patient: PATIENT, uniqueIds: [n1] }));
    const original = documents.find((d) => d.file === 'n1-pdf.xml').content;
    const bytes = got.documents[0] ? Buffer.from(got.documents[0].content) : Buffer.alloc(0);
    const sha = (b) => createHash('sha256').update(b).digest('hex').slice(0, 12);
    check(bytes.equals(original), `${bytes.byteLength} bytes received, SHA-256 ${sha(bytes)}…, ${bytes.equals(original) ? 'identical to' : 'different from'} the file submitted`);

    title(`Refusal: the physiotherapist asks for the ${PHARMA_TYPE.code} report (CR de consultation pharmaceutique)`);
    const codes = await refusal(kine.send(new RetrieveDocumentsCommand({ patient: PATIENT, uniqueIds: [pharmaId] })));
    check(codes?.length === 1 && codes[0] === 'DMPAccessDenied', codes ? `refused with ${codes.join(', ')}, as the document-type matrix excludes profession 70 from this type` : 'it was delivered: the matrix should have refused it');

    title('TD3.3: the physician masks the N1 document from other professionals (MASQUE_PS)');
    const target = n1;
    const seenBefore = (await kine.send(new FindDocumentsCommand({ patient: PATIENT }))).documentEntries.some((e) => e.uniqueId === target);
    check(seenBefore, `before: the physiotherapist's search ${seenBefore ? 'lists' : 'does not list'} it`);
    await doctor.send(new UpdateDocumentCommand({ patient: PATIENT, action: 'mask', document: target }));
    const seenAfter = (await kine.send(new FindDocumentsCommand({ patient: PATIENT }))).documentEntries.some((e) => e.uniqueId === target);
    check(!seenAfter, `after: the physiotherapist's search ${seenAfter ? 'still lists' : 'no longer lists'} it`);
    const masked = (await doctor.send(new FindDocumentsCommand({ patient: PATIENT }))).documentEntries.find((e) => e.uniqueId === target);
    // VIS-MASQUE-PS-AUTHOR: a masked document stays visible to its author (and the médecin traitant) only; the fixture's
    // author is another physician, so the one who masked it loses sight of it too.
    check(masked === undefined, `the physician who masked it, not its author nor the médecin traitant, ${masked ? 'still finds it' : 'no longer finds it either (VIS-MASQUE-PS-AUTHOR)'}`);

    title('Access history of the fixtures patient (the simulator\'s access traces, /_driver/traces)');
    const traces = await (await fetch(`${sim.url}/_driver/traces?ins=${PATIENT.ins}`)).json();
    const sorted = [...traces].sort((a, b) => String(a.at ?? '').localeCompare(String(b.at ?? '')));
    for (const t of sorted) {
      const rules = t.decision === 'allow' ? '' : `  (${t.rules.filter((r) => r.effect === 'deny' || r.effect === 'unknown').map((r) => r.id).join(', ') || t.rules.map((r) => r.id).join(', ')})`;
      say(`${t.action.padEnd(16)} ${String(who[t.actorId] ?? 'another actor').padEnd(20)} ${t.decision}${rules}`);
    }
    const denied = traces.find((t) => t.action === 'TD3.2' && t.decision === 'deny' && t.actorId === kineVihf.nameId);
    check(denied !== undefined && denied.rules.some((r) => r.id === 'DOC-MATRIX-CELL'), `${plural(traces.length, 'access')} traced; the physiotherapist's refused retrieval is there, decided by DOC-MATRIX-CELL`);
    check(traces.some((t) => t.action === 'TD2.1' && t.decision === 'allow'), 'the submission is traced as allowed');
  } finally {
    await doctor.close?.();
    await kine.close?.();
    await sim.close();
    console.log('');
    say('simulator stopped');
  }
}

validateFixtures();
try {
  await dmpFlow();
} catch (e) {
  // Rule ids and messages of the SDK checks help; they never quote document content.
  const details = Array.isArray(e?.findings) ? ` (${e.findings.filter((f) => f.severity === "error").map((f) => `${f.ruleId ?? f.code}: ${f.message}`).join("; ")})` : "";
  check(false, `unexpected error: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}${details}`);
}

console.log('');
if (failures.length > 0) {
  console.error(`demo failed: ${plural(failures.length, 'check')} did not behave as expected:\n${failures.map((f) => `  - ${f}`).join('\n')}`);
  process.exit(1);
}
console.log(`demo ok: the sample documents were judged as expected, and every step of the DMP flow behaved as the DMP rules say (${stepNo} steps).`);

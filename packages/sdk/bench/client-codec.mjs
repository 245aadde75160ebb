/**
 * Client codec bench (run on the built dist: `pnpm bench:client` at the root).
 *
 * 1. Build, sign and serialise an ITI-41 lot with a 5 MB PDF, as DmpClient does for TD2.1 minus the network:
 *    SubmitDocumentsCommand.prepare (the CDA N1 carrying the PDF read for its metadata, hash + size on the
 *    bytes, the XAdES lot signature and its DocumentEntry, the metadata checks), then client.build (ebRIM
 *    ProvideAndRegister body with xop:Includes, the VIHF built and signed RSA-SHA256 with a test PKI, SOAP 1.2
 *    envelope, MTOM package), streamed to a sink. Targets: < 100 ms, < 3× the document size in extra memory
 *    (heap + array buffers, peak over the run). The former figure (bare PDF, no VIHF, no lot signature) is
 *    kept as a secondary line.
 * 2. Decode a FindDocuments LeafClass response of 1,000 entries (SOAP envelope, DMP-like entries with
 *    urn:uuid ids). Target: < 150 ms. The safe parse alone (fast reader) is shown too.
 *
 * Figures are medians over several runs after a warm-up; the first (cold) run is shown too.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
  buildMtom,
  buildSoapRequest,
  buildSoapResponse,
  buildSubmission,
  createTestPki,
  decodeMessage,
  decodeXds,
  DmpClient,
  DMP_TRANSACTIONS,
  encodeAdhocQueryResponse,
  encodeProvideAndRegisterRequest,
  mtomStream,
  readXml,
  resolveDmpProfile,
  RESPONSE_STATUS,
  SubmitDocumentsCommand,
  vihfOfProfile,
  AVAILABILITY_STATUS,
  DOCUMENT_ENTRY,
  DMP_OIDS,
} from '../dist/index.js';

v8.setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc');

const MB = 1024 * 1024;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mem = () => {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
};

const PATIENT = '1234567890123^^^&1.2.250.1.213.1.4.10&ISO^NH';
const author = {
  authorPerson: '800000000001^DOC^TEST^^^^^^&1.2.250.1.71.4.2.1&ISO^D^^^IDNPS',
  authorInstitution: ['CABINET TEST^^^^^&1.2.250.1.71.4.2.2&ISO^IDNST^^^400000000000001'],
  authorRole: [],
  authorSpecialty: ['G15_10/SM26^Médecin - Qualifié en Médecine Générale (SM)^1.2.250.1.213.1.1.4.5'],
};
function entry(i) {
  return {
    uniqueId: `1.2.250.1.999.1.1.2.${i}`,
    mimeType: 'text/xml',
    title: `Compte rendu de consultation ${i}`,
    comments: 'commentaire',
    creationTime: '20240101110000',
    languageCode: 'fr-FR',
    patientId: PATIENT,
    sourcePatientId: '0001^^^&1.2.250.1.999.1.1.3&ISO^PI',
    sourcePatientInfo: ['PID-5|TEST^PATIENT^^^^^L', 'PID-7|19700101', 'PID-8|F'],
    authors: [author],
    legalAuthenticator: author.authorPerson,
    serviceStartTime: '20240101100000',
    serviceStopTime: '20240101103000',
    classCode: { code: '10', codingScheme: '1.2.250.1.213.1.1.4.1', displayName: 'Compte rendu' },
    typeCode: { code: '11488-4', codingScheme: '2.16.840.1.113883.6.1', displayName: 'CR ou fiche de consultation ou de visite' },
    formatCode: { code: 'urn:ihe:iti:xds-sd:pdf:2008', codingScheme: '1.3.6.1.4.1.19376.1.2.3', displayName: 'Document à corps non structuré en PDF' },
    healthcareFacilityTypeCode: { code: 'SA01', codingScheme: '1.2.250.1.71.4.2.4', displayName: 'Etablissement public de santé' },
    practiceSettingCode: { code: 'ETABLISSEMENT', codingScheme: '1.2.250.1.213.1.1.4.9', displayName: 'Etablissement de santé' },
    confidentialityCode: [{ code: 'N', codingScheme: '2.16.840.1.113883.5.25', displayName: 'Normal' }],
    eventCodeList: [{ code: 'H33', codingScheme: '2.16.840.1.113883.6.3', displayName: 'Décollement et déchirement de la rétine' }],
    referenceIdList: [],
  };
}
const submissionSet = {
  uniqueId: '1.2.250.1.999.1.1.1.1',
  sourceId: '1.2.250.1.999.1.1',
  patientId: PATIENT,
  submissionTime: '20240101120000',
  title: 'Lot',
  authors: [author],
  contentTypeCode: { code: '04', codingScheme: '1.2.250.1.213.2.2', displayName: 'Hospitalisation de jour' },
};

// --- 1. ITI-41 lot with a 5 MB PDF ------------------------------------------------------------------------

const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(5 * MB - 9)]);

/** Discards what it is given, sampling memory as the body streams (the socket's place). */
function sink(onChunk) {
  return new Writable({
    write(chunk, _enc, cb) {
      onChunk(chunk.length);
      cb();
    },
  });
}

/** Runs one build in the memory and time frame of the targets. */
async function measured(build) {
  gc();
  const base = mem();
  let peak = 0;
  const sample = () => (peak = Math.max(peak, mem() - base));
  const t0 = performance.now();
  const { stream, contentLength } = await build(sample);
  sample();
  let written = 0;
  await pipeline(stream, sink((n) => {
    written += n;
    sample();
  }));
  const ms = performance.now() - t0;
  sample();
  if (contentLength !== undefined && written !== contentLength) throw new Error(`wrote ${written} bytes, Content-Length says ${contentLength}`);
  return { ms, peak, bytes: written };
}

/** The TD2.1 client path: a CDA N1 carrying the PDF (base64, 76-character lines), lot signature, signed VIHF. */
const pki = createTestPki();
// The built-in simulator profile's VIHF identity (a clean environment: no profile file, no DMPKIT_ variable read).
const { profile } = await resolveDmpProfile({ profile: 'simulator', env: { HOME: join(tmpdir(), 'dmpkit-bench-no-home') } });
const client = new DmpClient({
  baseUrl: 'https://dmp.test/services',
  vihf: vihfOfProfile(profile),
  signing: pki.orgSign.credentials(),
  sourceId: '1.2.250.1.999.1.1.7898',
});
const cdaTemplate = readFileSync(new URL('../../../fixtures/cda/valid/n1-pdf.xml', import.meta.url), 'utf8');
const cda = Buffer.from(cdaTemplate.replace(/(representation="B64">)[^<]*/, (_, open) => open + pdf.toString('base64').replace(/.{76}/g, '$&\n')), 'utf8');

function td21Once() {
  return measured(async (sample) => {
    const command = new SubmitDocumentsCommand({ documents: [{ content: cda, file: 'bench-n1.xml' }] });
    await command.prepare(client);
    sample();
    const request = await client.build(command);
    if (!request.envelope.includes('<ds:SignatureValue>') || command.plan.lot.documents.length !== 2) throw new Error('the lot is not signed, or has no signature document');
    return { stream: Readable.from(request.body), contentLength: request.body.reduce((n, c) => n + c.length, 0) };
  });
}

function iti41Once() {
  return measured(async () => {
    const lot = buildSubmission({ submissionSet, documents: [{ entry: entry(1), content: pdf }] });
    const body = encodeProvideAndRegisterRequest({ objects: lot.objects, documents: lot.documents.map((d) => ({ id: d.id, transfer: { kind: 'xop', contentId: `${d.id}@dmpkit` } })) });
    const { xml } = buildSoapRequest({ action: DMP_TRANSACTIONS['TD2.1'].request, to: 'https://dmp.test/repository', body });
    const msg = buildMtom({ root: xml, action: DMP_TRANSACTIONS['TD2.1'].request, attachments: lot.documents.map((d) => ({ contentId: `${d.id}@dmpkit`, contentType: 'application/pdf', data: d.content })) });
    return { stream: mtomStream(msg), contentLength: msg.contentLength };
  });
}

// --- 2. FindDocuments response of 1,000 entries ---------------------------------------------------------------

function findDocumentsResponse(n) {
  const documentEntries = [];
  for (let i = 0; i < n; i++) {
    const id = `urn:uuid:${randomUUID()}`;
    documentEntries.push({
      ...entry(i),
      entryUUID: id,
      logicalId: id,
      version: '1',
      availabilityStatus: AVAILABILITY_STATUS.Approved,
      objectType: DOCUMENT_ENTRY.stableObjectType,
      isOpaque: 'false',
      hash: randomBytes(20).toString('hex'),
      size: 2768 + i,
      repositoryUniqueId: DMP_OIDS.repositoryUniqueId,
    });
  }
  const body = encodeAdhocQueryResponse({
    status: RESPONSE_STATUS.Success,
    errors: [],
    startIndex: 0,
    totalResultCount: n,
    objects: { submissionSets: [], folders: [], documentEntries, associations: [], objectRefs: [], classifications: [] },
  });
  return Buffer.from(buildSoapResponse({ action: DMP_TRANSACTIONS['TD3.1'].response, relatesTo: `urn:uuid:${randomUUID()}`, body }).xml);
}

function timeIt(fn, runs) {
  const times = [];
  let cold;
  for (let i = 0; i < runs; i++) {
    gc();
    const t = performance.now();
    fn();
    const ms = performance.now() - t;
    if (i === 0) cold = ms;
    times.push(ms);
  }
  return { cold, median: median(times.slice(1)) };
}

const fmt = (n) => n.toFixed(1);
const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');

async function lotFigures(once) {
  const runs = [];
  for (let i = 0; i < 12; i++) runs.push(await once());
  const warm = runs.slice(2);
  return { cold: runs[0].ms, median: median(warm.map((r) => r.ms)), peak: Math.max(...warm.map((r) => r.peak)), bytes: runs[0].bytes };
}

const signed = await lotFigures(td21Once);
console.log(`ITI-41 lot, 5 MB PDF, build + sign + serialise (TD2.1 client path: CDA N1 read, XAdES lot signature entry, signed VIHF): cold ${fmt(signed.cold)} ms, median ${fmt(signed.median)} ms — ${verdict(signed.median < 100)} (< 100 ms)`);
console.log(`  peak extra memory ${fmt(signed.peak / MB)} MB = ${(signed.peak / pdf.length).toFixed(2)}× the PDF — ${verdict(signed.peak < 3 * pdf.length)} (< 3×); CDA ${fmt(cda.length / MB)} MB, message ${fmt(signed.bytes / MB)} MB`);
const bare = await lotFigures(iti41Once);
console.log(`  without signatures (bare PDF, no VIHF, no lot signature): median ${fmt(bare.median)} ms, peak extra memory ${(bare.peak / pdf.length).toFixed(2)}× the document`);

const response = findDocumentsResponse(1000);
const parsed = decodeMessage(response);
if (parsed.xds?.kind !== 'AdhocQueryResponse' || parsed.xds.objects.documentEntries.length !== 1000) throw new Error('the response did not decode to 1,000 entries');
const full = timeIt(() => decodeMessage(response), 12);
const bodyOnly = timeIt(() => decodeXds(response), 12);
const parseOnly = timeIt(() => readXml(response, { maxBytes: 64 * MB }), 12);
console.log(`FindDocuments LeafClass response, 1,000 entries (${fmt(response.length / MB)} MB): decodeMessage cold ${fmt(full.cold)} ms, median ${fmt(full.median)} ms — ${verdict(full.median < 150)} (< 150 ms)`);
console.log(`  decodeXds (safe parse + ebRIM decode only): median ${fmt(bodyOnly.median)} ms; safe parse alone (fast reader): median ${fmt(parseOnly.median)} ms`);

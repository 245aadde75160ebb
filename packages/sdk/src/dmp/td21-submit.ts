/**
 * TD2.1 — submit one or several CDA documents in one lot (ITI-41, MTOM), new or replacing a previous version (RPLC).
 *
 * The lot is planned from the files themselves: metadata derived from each CDA header (toDocumentEntry), hash and
 * size computed on the exact bytes, the lot's XAdES signature entry added (dmp-interface.md §5.5), every registry
 * object checked with checkSubmissionMetadata before anything is sent — errors refuse the lot unless forced. A
 * replacement first finds the entryUUID of the current version by its uniqueId (GetDocuments).
 *
 * A submission is never sent twice blindly: after a transport failure that may have happened once the lot was sent,
 * the documents are looked up by uniqueId; found, the submission is reported as done; not found, it is retried (by
 * the transport, when retries are configured) or the failure is reported.
 */
import { z } from 'zod';
import { readCdaHeaderBytes } from '../cda/read-header-bytes.js';
import { toDocumentEntry } from '../cda/to-metadata.js';
import { TransportError } from '../errors/transport-error.js';
import type { DecodedMessage } from '../soap/decode-message.js';
import type { MtomAttachment } from '../soap/mtom.js';
import type { BeforeRetryHook } from '../transport/soap-transport.js';
import type { Finding } from '../validate/finding.js';
import { cxToPatient } from '../vihf/context.js';
import { buildLotSignature, signatureDocumentEntryMetadata } from '../vihf/xades.js';
import { checkSubmissionMetadata } from '../xds/checks.js';
import type { DecodedRegistryResponse } from '../xds/ebrim-decode.js';
import { encodeProvideAndRegisterRequest } from '../xds/ebrim-encode.js';
import type { DocumentEntry, RegistryErrorEntry, XdsCode } from '../xds/model.js';
import { buildSubmission, withSha1Memo, type BuiltSubmission } from '../xds/submission.js';
import { DmpClientError, expectPayload, type DmpClient } from './client.js';
import { DmpCommand, type SerializedCommand } from './command.js';
import { findCurrentEntry } from './find-entry.js';
import { parseInput, patientId, patientInputSchema, type PatientInput } from './inputs.js';
import { buildSubmissionSetInput, newUniqueId } from './submission-set.js';
import { GetDocumentsCommand } from './td31-find.js';

const bytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'expected the document bytes' });
const code = z.object({ code: z.string().min(1), codingScheme: z.string().min(1), displayName: z.string().optional() });

export const SubmitInputSchema = z.object({
  documents: z
    .array(
      z.object({
        /** The CDA file, exactly as it will be deposited. */
        content: bytes,
        /** Names the document in findings. */
        file: z.string().min(1).optional(),
        /** uniqueId of the document this one replaces (default: the CDA's relatedDocument RPLC parent). */
        replaces: z.string().min(1).optional(),
        /** TRE_A07 visibility codes added to the CDA confidentialityCode. */
        extraConfidentialityCodes: z.array(code).optional(),
        /**
         * formatCode of a structured (N3) document: its template → formatCode table (ASS_A11) is not in the public
         * data, so the caller names it (e.g. `urn:asip:ci-sis:vsm:2012`); N1 documents get theirs from the body.
         */
        formatCode: code.optional(),
      }),
    )
    .min(1),
  /** Default: the patient of the documents (they must all name the same one). */
  patient: patientInputSchema.optional(),
  /** SubmissionSet contentTypeCode (J59); default: the client's, else the first document's healthcareFacilityTypeCode. */
  contentTypeCode: code.optional(),
  title: z.string().optional(),
  comments: z.string().optional(),
  /** Send even when the metadata checks report errors. */
  force: z.boolean().default(false),
});
export type SubmitInput = z.input<typeof SubmitInputSchema>;

export interface SubmissionPlan {
  patient: PatientInput;
  submissionSetUniqueId: string;
  lot: BuiltSubmission;
  /** The XAdES lot signature (XML text). */
  signature: string;
  /** CDA → metadata issues and metadata check findings, errors first. */
  findings: Finding[];
  replaced: Array<{ uniqueId: string; entryUUID: string }>;
}

export interface SubmitOutput {
  status: 'Success' | 'PartialSuccess';
  submissionSetUniqueId: string;
  documents: Array<{ uniqueId: string; title?: string; replaces?: string }>;
  findings: Finding[];
  registryErrors: RegistryErrorEntry[];
  /** The lot was found in the registry after a transport failure (the response itself was lost). */
  confirmedAfterTransportFailure?: boolean;
}

/** The lot refused before sending: the findings say why. */
export class SubmissionRefusedError extends DmpClientError {
  constructor(readonly findings: Finding[]) {
    const n = findings.filter((f) => f.severity === 'error').length;
    super('SUBMIT-METADATA-ERRORS', `the lot was not sent: ${n} metadata error${n > 1 ? 's' : ''} (use force to send anyway)`, findings);
  }
}

function cdaFinding(file: string, i: { code: string; severity: Finding['severity']; message: string; location?: { line?: number; column?: number; xpath: string } }): Finding {
  return { ruleId: i.code, severity: i.severity, message: i.message, layer: 'cda', location: { file, ...(i.location ?? {}) } };
}

const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 } as const;

/** Everything a submission will send, without sending it (`dmp submit --dry-run` prints it). */
export async function planSubmission(client: DmpClient, raw: SubmitInput, options: { lookUpReplaced?: boolean } = {}): Promise<SubmissionPlan> {
  const input = parseInput(SubmitInputSchema, raw, 'SubmitDocumentsCommand');
  const findings: Finding[] = [];
  const derived: Array<{ entry: DocumentEntry; content: Uint8Array; replaces?: string; file: string }> = [];
  input.documents.forEach((d, i) => {
    const file = d.file ?? `document ${i + 1}`;
    // Same safety as parseXml; an N1 body's megabytes of base64 are checked on the bytes, not decoded (read-header-bytes.ts).
    const result = toDocumentEntry(readCdaHeaderBytes(d.content), {
      ...(d.extraConfidentialityCodes ? { extraConfidentialityCodes: d.extraConfidentialityCodes } : {}),
      ...(d.formatCode ? { formatCode: d.formatCode } : {}),
    });
    findings.push(...result.issues.map((iss) => cdaFinding(file, iss)));
    const parentRplc = result.parentDocument?.relation === 'RPLC' ? result.parentDocument.uniqueId : undefined;
    const replaces = d.replaces ?? parentRplc;
    derived.push({ entry: result.documentEntry, content: d.content, file, ...(replaces ? { replaces } : {}) });
  });
  const patient = input.patient ?? patientOfEntries(derived.map((d) => d.entry));
  const replaced: SubmissionPlan['replaced'] = [];
  for (const d of derived) {
    if (!d.replaces) continue;
    // The RPLC association targets the entryUUID of the version in the registry, not the uniqueId.
    const entryUUID = options.lookUpReplaced === false ? `urn:uuid:(entryUUID of ${d.replaces})` : (await findCurrentEntry(client, patient, d.replaces)).entryUUID!;
    replaced.push({ uniqueId: d.replaces, entryUUID });
    d.replaces = entryUUID;
  }
  const contentTypeCode: XdsCode | undefined = input.contentTypeCode ?? client.config.contentTypeCode ?? derived[0]!.entry.healthcareFacilityTypeCode;
  if (!contentTypeCode) throw new DmpClientError('CLIENT-INPUT', 'no contentTypeCode for the submission set (give one, or configure the client default)');
  const submissionSet = buildSubmissionSetInput(client, patient, contentTypeCode, { ...(input.title ? { title: input.title } : {}), ...(input.comments ? { comments: input.comments } : {}) });
  const signature = buildLotSignature({
    submissionSetUniqueId: submissionSet.uniqueId,
    documents: derived.map((d) => ({ uniqueId: d.entry.uniqueId, content: d.content })),
    credentials: client.config.signing,
    signingTime: client.now(),
  });
  const first = derived[0]!.entry;
  // The signature entry shares author, patient, facility and practice setting with the lot (§5.5).
  const { hash: _h, size: _s, ...sigMeta } = signatureDocumentEntryMetadata();
  const signatureEntry: DocumentEntry = {
    ...sigMeta,
    uniqueId: newUniqueId(client),
    patientId: patientId(patient),
    ...(first.sourcePatientId ? { sourcePatientId: first.sourcePatientId } : {}),
    sourcePatientInfo: [],
    authors: first.authors,
    creationTime: submissionSet.submissionTime,
    ...(first.healthcareFacilityTypeCode ? { healthcareFacilityTypeCode: first.healthcareFacilityTypeCode } : {}),
    ...(first.practiceSettingCode ? { practiceSettingCode: first.practiceSettingCode } : {}),
    ...(first.serviceStartTime ? { serviceStartTime: first.serviceStartTime } : {}),
    ...(first.serviceStopTime ? { serviceStopTime: first.serviceStopTime } : {}),
    ...(first.legalAuthenticator ? { legalAuthenticator: first.legalAuthenticator } : {}),
    referenceIdList: [],
  };
  // The checks verify each hash against its bytes: computed once for both (no await in between).
  const { lot, checks } = withSha1Memo(() => {
    const built = buildSubmission({
      submissionSet,
      documents: derived.map((d) => ({ entry: d.entry, content: d.content, ...(d.replaces ? { replaces: d.replaces } : {}) })),
      signature: { entry: signatureEntry, content: Buffer.from(signature, 'utf8') },
    });
    return { lot: built, checks: checkSubmissionMetadata(built.objects, { vihfPatientId: patientId(patient), documents: built.documents, file: 'lot' }) };
  });
  findings.push(...checks);
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return { patient, submissionSetUniqueId: submissionSet.uniqueId, lot, signature, findings, replaced };
}

function patientOfEntries(entries: DocumentEntry[]): PatientInput {
  const ids = [...new Set(entries.map((e) => e.patientId ?? ''))];
  if (ids.length !== 1 || !ids[0]) throw new DmpClientError('CLIENT-INPUT', 'the documents do not all name one patient with an INS: give the patient explicitly');
  const p = cxToPatient(ids[0]);
  if (!p) throw new DmpClientError('CLIENT-INPUT', 'the documents\' patient is not an INS (CX with an INS authority OID)');
  return p as PatientInput;
}

/** Content-ID of a document's MIME part. */
const contentIdOf = (id: string, lot: string) => `${id}.${lot}@dmpkit`;

/** The ITI-41 body and its MTOM attachments for a plan (the documents' own buffers, not copies). */
export function serializePlan(plan: SubmissionPlan): SerializedCommand {
  const lotId = plan.submissionSetUniqueId.replace(/\D/g, '').slice(-12);
  const body = encodeProvideAndRegisterRequest({ objects: plan.lot.objects, documents: plan.lot.documents.map((d) => ({ id: d.id, transfer: { kind: 'xop', contentId: contentIdOf(d.id, lotId) } })) });
  const attachments: MtomAttachment[] = plan.lot.documents.map((d) => ({ contentId: contentIdOf(d.id, lotId), contentType: 'text/xml', data: d.content }));
  return { body, attachments, patient: plan.patient };
}

/** Transport failures that happen before a byte reaches the server: the lot surely did not land. */
const NOT_SENT = new Set(['connection-refused', 'dns', 'connect-timeout', 'tls', 'certificate', 'client-certificate']);

export class SubmitDocumentsCommand extends DmpCommand<SubmitInput, SubmitOutput> {
  readonly transaction = 'TD2.1' as const;
  override readonly mode = 'write' as const;
  #plan?: SubmissionPlan;
  #landed = false;

  get plan(): SubmissionPlan | undefined {
    return this.#plan;
  }

  override async prepare(client: DmpClient): Promise<void> {
    const plan = await planSubmission(client, this.input);
    const force = this.input.force === true;
    if (!force && plan.findings.some((f) => f.severity === 'error')) throw new SubmissionRefusedError(plan.findings);
    this.#plan = plan;
  }

  serialize(): SerializedCommand {
    if (!this.#plan) throw new DmpClientError('CLIENT-STATE', 'SubmitDocumentsCommand: prepare() must run first (client.send does it)');
    return serializePlan(this.#plan);
  }

  /** Whether the lot is in the registry: an ITI-41 lot is registered all or nothing, so one uniqueId found is enough. */
  async landed(client: DmpClient): Promise<boolean> {
    const plan = this.#plan!;
    const uniqueIds = plan.lot.objects.documentEntries.map((e) => e.uniqueId);
    const found = await client.send(new GetDocumentsCommand({ patient: plan.patient, uniqueIds, returnType: 'ObjectRef' }));
    return found.objectRefs.length + found.documentEntries.length > 0;
  }

  override beforeRetry(client: DmpClient): BeforeRetryHook {
    return async () => {
      this.#landed = await this.landed(client);
      return this.#landed ? 'stop' : 'retry';
    };
  }

  /** After a transport failure: the lot landed (the response was lost) → the output; otherwise undefined. */
  override async recover(client: DmpClient, error: TransportError): Promise<SubmitOutput | undefined> {
    if (!this.#plan) return undefined;
    if (!this.#landed) {
      if (NOT_SENT.has(error.transportKind) || error.retry?.stoppedBy === 'before-retry-failed') return undefined;
      this.#landed = await this.landed(client);
    }
    return this.#landed ? { ...this.#output('Success', []), confirmedAfterTransportFailure: true } : undefined;
  }

  #output(status: SubmitOutput['status'], registryErrors: RegistryErrorEntry[]): SubmitOutput {
    const plan = this.#plan!;
    const signs = new Set(plan.lot.objects.associations.filter((a) => a.type.endsWith(':signs')).map((a) => a.sourceObject));
    const rplc = new Map(plan.lot.objects.associations.filter((a) => a.type.endsWith(':RPLC')).map((a) => [a.sourceObject, a.targetObject]));
    const byEntryUUID = new Map(plan.replaced.map((r) => [r.entryUUID, r.uniqueId]));
    return {
      status,
      submissionSetUniqueId: plan.submissionSetUniqueId,
      documents: plan.lot.objects.documentEntries
        .filter((e) => !signs.has(e.entryUUID!))
        .map((e) => {
          const target = rplc.get(e.entryUUID!);
          return { uniqueId: e.uniqueId, ...(e.title ? { title: e.title } : {}), ...(target ? { replaces: byEntryUUID.get(target) ?? target } : {}) };
        }),
      findings: plan.findings,
      registryErrors,
    };
  }

  deserialize(decoded: DecodedMessage): SubmitOutput {
    expectPayload(decoded, 'RegistryResponse');
    const r = decoded.xds as DecodedRegistryResponse;
    return this.#output(r.outcome === 'PartialSuccess' ? 'PartialSuccess' : 'Success', r.errors);
  }
}

/**
 * Assembling the registry objects of a DMP ITI-41 lot (TD2.1): the SubmissionSet, one DocumentEntry per
 * document with its hash and size computed on the exact bytes, HasMember associations, RPLC for a
 * replacement, and — when given — the lot's XAdES signature entry with its `signs` association
 * (dmp-interface.md §5.3, §5.5, §6). The signature itself is produced elsewhere (VIHF/XAdES module).
 */
import { createHash } from 'node:crypto';
import type { Association, DocumentContent, DocumentEntry, RegistryObjectList, SubmissionSet } from './model.js';
import { emptyRegistryObjectList } from './model.js';
import { ASSOCIATION_TYPE, SUBMISSION_SET_STATUS } from './uuids.js';

export interface SubmissionDocumentInput {
  /** The entry (e.g. from toDocumentEntry); entryUUID defaults to `Document01`, `Document02`… */
  entry: DocumentEntry;
  /** The exact bytes deposited (the CDA file). */
  content: Uint8Array;
  /** entryUUID of the entry this document replaces (RPLC), as found by a query on its uniqueId. */
  replaces?: string;
}

export type SubmissionSetInput = Omit<SubmissionSet, 'entryUUID' | 'intendedRecipient'> & { entryUUID?: string; intendedRecipient?: string[] };

export interface BuildSubmissionInput {
  submissionSet: SubmissionSetInput;
  documents: readonly SubmissionDocumentInput[];
  /** The lot's signature entry and its XAdES bytes (entryUUID defaults to `Signature01`). */
  signature?: { entry: DocumentEntry; content: Uint8Array };
}

export interface BuiltSubmission {
  objects: RegistryObjectList;
  /** Document contents keyed by entry id, in the order the ITI-41 Document elements are written. */
  documents: DocumentContent[];
}

/** Digests already computed in the current {@link withSha1Memo} call, by buffer. */
let memo: WeakMap<Uint8Array, string> | undefined;

/** SHA-1 (lower-case hex) of the exact bytes, as the XDS hash slot wants it. */
export function sha1Hex(content: Uint8Array): string {
  const known = memo?.get(content);
  if (known !== undefined) return known;
  const hex = createHash('sha1').update(content).digest('hex');
  memo?.set(content, hex);
  return hex;
}

/**
 * Runs `fn` with each buffer's SHA-1 computed once: a lot's build then its checks hash the same megabytes.
 * Only for synchronous code that does not change the bytes it hashes (nothing else runs in between).
 */
export function withSha1Memo<T>(fn: () => T): T {
  const outer = memo;
  memo ??= new WeakMap();
  try {
    return fn();
  } finally {
    memo = outer;
  }
}

/**
 * The registry objects and document list of an ITI-41 lot. Ids not given are symbolic (`SubmissionSet01`,
 * `Document01`, `Signature01`, `Association01`…) as in the DMP's own examples; hash and size are computed.
 */
export function buildSubmission(input: BuildSubmissionInput): BuiltSubmission {
  const objects = emptyRegistryObjectList();
  const ssId = input.submissionSet.entryUUID ?? 'SubmissionSet01';
  objects.submissionSets.push({ ...input.submissionSet, entryUUID: ssId, intendedRecipient: input.submissionSet.intendedRecipient ?? [] });
  const documents: DocumentContent[] = [];
  let assoc = 0;
  const nextAssoc = () => `Association${String(++assoc).padStart(2, '0')}`;
  const hasMember = (target: string): Association => ({
    entryUUID: nextAssoc(),
    type: ASSOCIATION_TYPE.HasMember,
    sourceObject: ssId,
    targetObject: target,
    submissionSetStatus: SUBMISSION_SET_STATUS.Original,
  });
  input.documents.forEach((d, i) => {
    const id = d.entry.entryUUID ?? `Document${String(i + 1).padStart(2, '0')}`;
    objects.documentEntries.push({ ...d.entry, entryUUID: id, hash: sha1Hex(d.content), size: d.content.byteLength });
    documents.push({ id, content: d.content });
    objects.associations.push(hasMember(id));
    if (d.replaces) objects.associations.push({ entryUUID: nextAssoc(), type: ASSOCIATION_TYPE.RPLC, sourceObject: id, targetObject: d.replaces });
  });
  if (input.signature) {
    const id = input.signature.entry.entryUUID ?? 'Signature01';
    const c = input.signature.content;
    objects.documentEntries.push({ ...input.signature.entry, entryUUID: id, hash: sha1Hex(c), size: c.byteLength });
    documents.push({ id, content: c });
    objects.associations.push(hasMember(id));
    objects.associations.push({ entryUUID: nextAssoc(), type: ASSOCIATION_TYPE.signs, sourceObject: id, targetObject: ssId, submissionSetStatus: SUBMISSION_SET_STATUS.Original });
  }
  return { objects, documents };
}

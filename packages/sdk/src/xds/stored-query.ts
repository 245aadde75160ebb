/**
 * ITI-18 Registry Stored Queries: typed parameters for the queries the DMP uses (FindDocuments with every
 * filter, GetDocuments, FindSubmissionSets, GetAssociations, GetDocumentsAndAssociations,
 * FindDocumentsByReferenceId) and any other stored query by id, plus the slot value syntax both ways
 * (ITI TF-2a §3.18.4.1.2.3.5: quoted strings with '' escapes, parenthesised lists, unquoted numbers).
 *
 * Values read back are parsed, never interpolated anywhere: a value that does not follow the syntax
 * (e.g. an injection attempt with a stray quote) is reported and kept opaque.
 */
import { z } from 'zod';
import { XdsCodeSchema, type Slot, type XdsCode } from './model.js';
import { AVAILABILITY_STATUS, STORED_QUERY, storedQueryName, type StoredQueryName } from './uuids.js';

const codes = z.array(XdsCodeSchema).optional();
const time = z.string().regex(/^\d{4,14}$/, 'expected an XDS date-time yyyy[MM[dd[HH[mm[ss]]]]]').optional();
/** Status URNs, or their short names (`Approved`, `Archived`…). */
const statuses = z.array(z.string().min(1)).min(1);

const ReturnTypeSchema = z.enum(['LeafClass', 'ObjectRef']);
export type QueryReturnType = z.infer<typeof ReturnTypeSchema>;

const common = {
  returnType: ReturnTypeSchema.default('LeafClass'),
  homeCommunityId: z.string().optional(),
};

const documentFilters = {
  patientId: z.string().min(1),
  status: statuses,
  classCode: codes,
  typeCode: codes,
  practiceSettingCode: codes,
  healthcareFacilityTypeCode: codes,
  eventCode: codes,
  confidentialityCode: codes,
  formatCode: codes,
  creationTimeFrom: time,
  creationTimeTo: time,
  serviceStartTimeFrom: time,
  serviceStartTimeTo: time,
  serviceStopTimeFrom: time,
  serviceStopTimeTo: time,
  /** XCN patterns (`%` wildcards allowed by ITI-18). */
  authorPerson: z.array(z.string().min(1)).optional(),
  /** DocumentEntry objectType UUIDs (stable / on-demand). */
  objectType: z.array(z.string().min(1)).optional(),
};

export const FindDocumentsQuerySchema = z.object({ query: z.literal('FindDocuments'), ...common, ...documentFilters });
export const FindDocumentsByReferenceIdQuerySchema = z.object({
  query: z.literal('FindDocumentsByReferenceId'),
  ...common,
  ...documentFilters,
  referenceIds: z.array(z.string().min(1)).min(1),
});

const byDocumentIds = {
  uniqueIds: z.array(z.string().min(1)).optional(),
  entryUUIDs: z.array(z.string().min(1)).optional(),
};
const oneIdKind = (q: { uniqueIds?: string[] | undefined; entryUUIDs?: string[] | undefined }) =>
  (q.uniqueIds?.length ?? 0) > 0 !== (q.entryUUIDs?.length ?? 0) > 0;
const oneIdKindMessage = { message: 'give either uniqueIds or entryUUIDs (one kind, at least one id)' };

export const GetDocumentsQuerySchema = z.object({ query: z.literal('GetDocuments'), ...common, ...byDocumentIds }).refine(oneIdKind, oneIdKindMessage);
export const GetDocumentsAndAssociationsQuerySchema = z
  .object({ query: z.literal('GetDocumentsAndAssociations'), ...common, ...byDocumentIds })
  .refine(oneIdKind, oneIdKindMessage);

export const FindSubmissionSetsQuerySchema = z.object({
  query: z.literal('FindSubmissionSets'),
  ...common,
  patientId: z.string().min(1),
  status: statuses,
  sourceId: z.array(z.string().min(1)).optional(),
  submissionTimeFrom: time,
  submissionTimeTo: time,
  authorPerson: z.string().min(1).optional(),
  contentTypeCode: codes,
});

export const GetAssociationsQuerySchema = z.object({ query: z.literal('GetAssociations'), ...common, uuids: z.array(z.string().min(1)).min(1) });

/** Any other stored query, parameters already in slot syntax. */
export const OtherStoredQuerySchema = z.object({
  query: z.literal('Other'),
  ...common,
  /** Query id (urn:uuid). */
  id: z.string().min(1),
  parameters: z.array(z.object({ name: z.string().min(1), values: z.array(z.string()) })),
});

export const StoredQuerySchema = z.union([
  FindDocumentsQuerySchema,
  FindDocumentsByReferenceIdQuerySchema,
  GetDocumentsQuerySchema,
  GetDocumentsAndAssociationsQuerySchema,
  FindSubmissionSetsQuerySchema,
  GetAssociationsQuerySchema,
  OtherStoredQuerySchema,
]);
export type StoredQuery = z.output<typeof StoredQuerySchema>;
export type StoredQueryInput = z.input<typeof StoredQuerySchema>;
export type FindDocumentsQuery = z.output<typeof FindDocumentsQuerySchema>;
export type FindSubmissionSetsQuery = z.output<typeof FindSubmissionSetsQuerySchema>;

// --- value syntax ---------------------------------------------------------------------------------

/** `'value'` with embedded quotes doubled. */
export function quoteQueryValue(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `('a','b')`. */
export function queryList(values: readonly string[]): string {
  return `(${values.map(quoteQueryValue).join(',')})`;
}

/** A code in query syntax: `code^^codingScheme`. */
export function queryCode(c: XdsCode): string {
  return `${c.code}^^${c.codingScheme}`;
}

export type ParsedQueryValue = { ok: true; values: string[] } | { ok: false; reason: string };

/**
 * Parses one Value of a stored query slot: `'x'`, `('x','y')`, an unquoted token (`20221016161616`), or a
 * parenthesised list of unquoted tokens. Anything else is refused with a reason.
 */
export function parseQueryValue(raw: string): ParsedQueryValue {
  const s = raw.trim();
  let i = 0;
  const values: string[] = [];
  const item = (): string | { error: string } => {
    while (s[i] === ' ') i++;
    if (s[i] === "'") {
      let out = '';
      i++;
      for (;;) {
        if (i >= s.length) return { error: 'unterminated quoted value' };
        const c = s[i]!;
        if (c === "'") {
          if (s[i + 1] === "'") {
            out += "'";
            i += 2;
            continue;
          }
          i++;
          return out;
        }
        out += c;
        i++;
      }
    }
    const start = i;
    while (i < s.length && s[i] !== ',' && s[i] !== ')' && s[i] !== "'") i++;
    const token = s.slice(start, i).trim();
    if (!token) return { error: 'empty value' };
    if (s[i] === "'") return { error: 'quote inside an unquoted value' };
    return token;
  };
  if (s.startsWith('(')) {
    i = 1;
    for (;;) {
      const v = item();
      if (typeof v !== 'string') return { ok: false, reason: v.error };
      values.push(v);
      while (s[i] === ' ') i++;
      if (s[i] === ',') {
        i++;
        continue;
      }
      if (s[i] === ')') {
        i++;
        break;
      }
      return { ok: false, reason: 'expected "," or ")" in a list' };
    }
  } else {
    const v = item();
    if (typeof v !== 'string') return { ok: false, reason: v.error };
    values.push(v);
  }
  if (s.slice(i).trim() !== '') return { ok: false, reason: 'unexpected text after the value' };
  return { ok: true, values };
}

/** `code^^scheme` (or `code^display^scheme`) back to a code. */
export function parseQueryCode(value: string): XdsCode | undefined {
  const parts = value.split('^');
  if (parts.length !== 3 || !parts[0]) return undefined;
  const code: XdsCode = { code: parts[0], codingScheme: parts[2] ?? '' };
  if (parts[1]) code.displayName = parts[1];
  return code;
}

// --- query → slots ------------------------------------------------------------------------------------

const statusUrn = (s: string): string => (s in AVAILABILITY_STATUS ? AVAILABILITY_STATUS[s as keyof typeof AVAILABILITY_STATUS] : s);

/** Parameter names per query field (ITI TF-2a §3.18.4.1.2.3.7). */
const DE = '$XDSDocumentEntry';
const DOCUMENT_PARAMS = {
  patientId: `${DE}PatientId`,
  status: `${DE}Status`,
  classCode: `${DE}ClassCode`,
  typeCode: `${DE}TypeCode`,
  practiceSettingCode: `${DE}PracticeSettingCode`,
  healthcareFacilityTypeCode: `${DE}HealthcareFacilityTypeCode`,
  eventCode: `${DE}EventCodeList`,
  confidentialityCode: `${DE}ConfidentialityCode`,
  formatCode: `${DE}FormatCode`,
  creationTimeFrom: `${DE}CreationTimeFrom`,
  creationTimeTo: `${DE}CreationTimeTo`,
  serviceStartTimeFrom: `${DE}ServiceStartTimeFrom`,
  serviceStartTimeTo: `${DE}ServiceStartTimeTo`,
  serviceStopTimeFrom: `${DE}ServiceStopTimeFrom`,
  serviceStopTimeTo: `${DE}ServiceStopTimeTo`,
  authorPerson: `${DE}AuthorPerson`,
  objectType: `${DE}Type`,
  referenceIds: `${DE}ReferenceIdList`,
  uniqueIds: `${DE}UniqueId`,
  entryUUIDs: `${DE}EntryUUID`,
} as const;
const SS = '$XDSSubmissionSet';
const SUBMISSION_SET_PARAMS = {
  patientId: `${SS}PatientId`,
  status: `${SS}Status`,
  sourceId: `${SS}SourceId`,
  submissionTimeFrom: `${SS}SubmissionTimeFrom`,
  submissionTimeTo: `${SS}SubmissionTimeTo`,
  authorPerson: `${SS}AuthorPerson`,
  contentTypeCode: `${SS}ContentType`,
} as const;
export const QUERY_PARAMETER = { documentEntry: DOCUMENT_PARAMS, submissionSet: SUBMISSION_SET_PARAMS, uuid: '$uuid', homeCommunityId: '$homeCommunityId' } as const;

const CODE_FIELDS = ['classCode', 'typeCode', 'practiceSettingCode', 'healthcareFacilityTypeCode', 'eventCode', 'confidentialityCode', 'formatCode'] as const;
const TIME_FIELDS = ['creationTimeFrom', 'creationTimeTo', 'serviceStartTimeFrom', 'serviceStartTimeTo', 'serviceStopTimeFrom', 'serviceStopTimeTo'] as const;

/** The query id and its slots. Input is validated first (throws a ZodError on a malformed query). */
export function storedQuerySlots(input: StoredQueryInput): { id: string; returnType: QueryReturnType; homeCommunityId?: string; slots: Slot[] } {
  const q = StoredQuerySchema.parse(input);
  const slots: Slot[] = [];
  const put = (name: string, value: string | undefined) => {
    if (value !== undefined) slots.push({ name, values: [value] });
  };
  let id: string;
  switch (q.query) {
    case 'FindDocuments':
    case 'FindDocumentsByReferenceId': {
      id = STORED_QUERY[q.query];
      put(DOCUMENT_PARAMS.patientId, quoteQueryValue(q.patientId));
      for (const f of CODE_FIELDS) if (q[f]?.length) put(DOCUMENT_PARAMS[f], queryList(q[f]!.map(queryCode)));
      for (const f of TIME_FIELDS) put(DOCUMENT_PARAMS[f], q[f]);
      if (q.authorPerson?.length) for (const a of q.authorPerson) put(DOCUMENT_PARAMS.authorPerson, quoteQueryValue(a));
      put(DOCUMENT_PARAMS.status, queryList(q.status.map(statusUrn)));
      if (q.objectType?.length) put(DOCUMENT_PARAMS.objectType, queryList(q.objectType));
      if (q.query === 'FindDocumentsByReferenceId') put(DOCUMENT_PARAMS.referenceIds, queryList(q.referenceIds));
      break;
    }
    case 'GetDocuments':
    case 'GetDocumentsAndAssociations':
      id = STORED_QUERY[q.query];
      if (q.uniqueIds?.length) put(DOCUMENT_PARAMS.uniqueIds, queryList(q.uniqueIds));
      else put(DOCUMENT_PARAMS.entryUUIDs, queryList(q.entryUUIDs!));
      break;
    case 'FindSubmissionSets':
      id = STORED_QUERY.FindSubmissionSets;
      put(SUBMISSION_SET_PARAMS.patientId, quoteQueryValue(q.patientId));
      if (q.sourceId?.length) put(SUBMISSION_SET_PARAMS.sourceId, queryList(q.sourceId));
      put(SUBMISSION_SET_PARAMS.submissionTimeFrom, q.submissionTimeFrom);
      put(SUBMISSION_SET_PARAMS.submissionTimeTo, q.submissionTimeTo);
      if (q.authorPerson) put(SUBMISSION_SET_PARAMS.authorPerson, quoteQueryValue(q.authorPerson));
      if (q.contentTypeCode?.length) put(SUBMISSION_SET_PARAMS.contentTypeCode, queryList(q.contentTypeCode.map(queryCode)));
      put(SUBMISSION_SET_PARAMS.status, queryList(q.status.map(statusUrn)));
      break;
    case 'GetAssociations':
      id = STORED_QUERY.GetAssociations;
      put('$uuid', queryList(q.uuids));
      break;
    case 'Other':
      id = q.id;
      slots.push(...q.parameters.map((p) => ({ name: p.name, values: [...p.values] })));
      break;
  }
  if (q.homeCommunityId && q.query !== 'Other') put('$homeCommunityId', quoteQueryValue(q.homeCommunityId));
  return { id, returnType: q.returnType, ...(q.homeCommunityId ? { homeCommunityId: q.homeCommunityId } : {}), slots };
}

// --- slots → query ---------------------------------------------------------------------------------------

export interface QueryParameterProblem {
  parameter: string;
  reason: string;
}

export interface ReadStoredQueryResult {
  /** The typed query, when the id is one of the typed ones and every parameter was readable. */
  query?: StoredQuery;
  name?: StoredQueryName;
  /** Parameters that could not be read (syntax, unknown name for the query): kept opaque. */
  problems: QueryParameterProblem[];
}

/** Reads the slots of an AdhocQuery back into a typed query. */
export function readStoredQuery(id: string, slots: readonly Slot[], returnType: QueryReturnType = 'LeafClass'): ReadStoredQueryResult {
  const name = storedQueryName(id);
  const problems: QueryParameterProblem[] = [];
  const params = new Map<string, string[][]>();
  for (const slot of slots) {
    for (const raw of slot.values) {
      const parsed = parseQueryValue(raw);
      if (!parsed.ok) {
        problems.push({ parameter: slot.name, reason: parsed.reason });
        continue;
      }
      const list = params.get(slot.name) ?? [];
      list.push(parsed.values);
      params.set(slot.name, list);
    }
  }
  const used = new Set<string>();
  const one = (p: string): string | undefined => {
    used.add(p);
    return params.get(p)?.[0]?.[0];
  };
  const all = (p: string): string[] | undefined => {
    used.add(p);
    const v = params.get(p);
    return v ? v.flat() : undefined;
  };
  const codeList = (p: string): XdsCode[] | undefined => {
    const v = all(p);
    if (!v) return undefined;
    const out: XdsCode[] = [];
    for (const s of v) {
      const c = parseQueryCode(s);
      if (c) out.push(c);
      else problems.push({ parameter: p, reason: `"${s}" is not a code^^scheme value` });
    }
    return out;
  };
  const homeCommunityId = one('$homeCommunityId');
  const base = { returnType, ...(homeCommunityId ? { homeCommunityId } : {}) };
  let candidate: Record<string, unknown> | undefined;
  switch (name) {
    case 'FindDocuments':
    case 'FindDocumentsByReferenceId': {
      candidate = { query: name, ...base, patientId: one(DOCUMENT_PARAMS.patientId), status: all(DOCUMENT_PARAMS.status) };
      for (const f of CODE_FIELDS) {
        const v = codeList(DOCUMENT_PARAMS[f]);
        if (v) candidate[f] = v;
      }
      for (const f of TIME_FIELDS) {
        const v = one(DOCUMENT_PARAMS[f]);
        if (v !== undefined) candidate[f] = v;
      }
      const authors = all(DOCUMENT_PARAMS.authorPerson);
      if (authors) candidate.authorPerson = authors;
      const types = all(DOCUMENT_PARAMS.objectType);
      if (types) candidate.objectType = types;
      if (name === 'FindDocumentsByReferenceId') candidate.referenceIds = all(DOCUMENT_PARAMS.referenceIds);
      break;
    }
    case 'GetDocuments':
    case 'GetDocumentsAndAssociations': {
      candidate = { query: name, ...base };
      const u = all(DOCUMENT_PARAMS.uniqueIds);
      const e = all(DOCUMENT_PARAMS.entryUUIDs);
      if (u) candidate.uniqueIds = u;
      if (e) candidate.entryUUIDs = e;
      break;
    }
    case 'FindSubmissionSets': {
      candidate = { query: name, ...base, patientId: one(SUBMISSION_SET_PARAMS.patientId), status: all(SUBMISSION_SET_PARAMS.status) };
      const src = all(SUBMISSION_SET_PARAMS.sourceId);
      if (src) candidate.sourceId = src;
      for (const f of ['submissionTimeFrom', 'submissionTimeTo'] as const) {
        const v = one(SUBMISSION_SET_PARAMS[f]);
        if (v !== undefined) candidate[f] = v;
      }
      const author = one(SUBMISSION_SET_PARAMS.authorPerson);
      if (author) candidate.authorPerson = author;
      const ct = codeList(SUBMISSION_SET_PARAMS.contentTypeCode);
      if (ct) candidate.contentTypeCode = ct;
      break;
    }
    case 'GetAssociations':
      candidate = { query: name, ...base, uuids: all('$uuid') };
      break;
    default:
      break;
  }
  if (!candidate) {
    const query: StoredQuery = {
      query: 'Other',
      ...base,
      id,
      parameters: slots.map((s) => ({ name: s.name, values: [...s.values] })),
    };
    return { query, ...(name ? { name } : {}), problems };
  }
  for (const p of params.keys()) if (!used.has(p)) problems.push({ parameter: p, reason: `not a parameter of ${name}` });
  if (problems.length) return { ...(name ? { name } : {}), problems };
  const parsed = StoredQuerySchema.safeParse(candidate);
  if (!parsed.success) {
    for (const i of parsed.error.issues) problems.push({ parameter: i.path.join('.') || '(query)', reason: i.message });
    return { ...(name ? { name } : {}), problems };
  }
  return { query: parsed.data, ...(name ? { name } : {}), problems };
}

/**
 * A summary of a FHIR JSON body (PDSm / MHD for the DMP, dmp-interface.md §9): resource type, Bundle type
 * and entries (resource, request method and URL, response status), DocumentReference essentials, and
 * OperationOutcome issues. Read only, nothing validated: the DMP's FHIR API is a draft.
 */
import { IssueLog } from '../xds/issues.js';

export interface Coding {
  system?: string;
  code?: string;
  display?: string;
}

export interface CodeableConcept {
  coding?: Coding[];
  text?: string;
}

export interface DocumentReferenceSummary {
  id?: string;
  status?: string;
  masterIdentifier?: { system?: string; value?: string };
  type?: CodeableConcept;
  category?: CodeableConcept[];
  securityLabel?: CodeableConcept[];
  /** subject.reference. */
  subject?: string;
  relatesTo?: Array<{ code?: string; target?: string }>;
  content: Array<{ contentType?: string; url?: string; format?: Coding; title?: string; size?: number }>;
  profile?: string[];
}

export interface FhirSummary {
  resourceType: string;
  id?: string;
  /** Bundle.type. */
  bundleType?: string;
  total?: number;
  entries: Array<{ resourceType?: string; id?: string; fullUrl?: string; method?: string; url?: string; status?: string }>;
  documentReferences: DocumentReferenceSummary[];
  outcome?: Array<{ severity?: string; code?: string; diagnostics?: string }>;
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function pick<T extends object>(source: Json | undefined, keys: readonly string[]): T | undefined {
  if (!source) return undefined;
  const out: Json = {};
  for (const k of keys) if (source[k] !== undefined) out[k] = source[k];
  return out as T;
}

function concept(v: unknown): CodeableConcept | undefined {
  const o = obj(v);
  if (!o) return undefined;
  const c: CodeableConcept = {};
  if (Array.isArray(o.coding)) c.coding = o.coding.map((x) => pick<Coding>(obj(x), ['system', 'code', 'display']) ?? {});
  if (typeof o.text === 'string') c.text = o.text;
  return c;
}

function documentReference(r: Json): DocumentReferenceSummary {
  const d: DocumentReferenceSummary = { content: [] };
  if (str(r.id)) d.id = str(r.id)!;
  if (str(r.status)) d.status = str(r.status)!;
  const mi = pick<{ system?: string; value?: string }>(obj(r.masterIdentifier), ['system', 'value']);
  if (mi) d.masterIdentifier = mi;
  const type = concept(r.type);
  if (type) d.type = type;
  if (Array.isArray(r.category)) d.category = r.category.map((c) => concept(c) ?? {});
  if (Array.isArray(r.securityLabel)) d.securityLabel = r.securityLabel.map((c) => concept(c) ?? {});
  const subject = str(obj(r.subject)?.reference);
  if (subject) d.subject = subject;
  if (Array.isArray(r.relatesTo)) d.relatesTo = r.relatesTo.map((x) => ({ ...pick<{ code?: string }>(obj(x), ['code']), ...(str(obj(obj(x)?.target)?.reference) ? { target: str(obj(obj(x)?.target)?.reference)! } : {}) }));
  for (const c of arr(r.content)) {
    const att = obj(obj(c)?.attachment);
    const item: DocumentReferenceSummary['content'][number] = {};
    for (const k of ['contentType', 'url', 'title'] as const) if (str(att?.[k])) item[k] = str(att?.[k])!;
    if (typeof att?.size === 'number') item.size = att.size;
    const format = pick<Coding>(obj(obj(c)?.format), ['system', 'code', 'display']);
    if (format) item.format = format;
    d.content.push(item);
  }
  const profile = arr(obj(r.meta)?.profile).filter((p): p is string => typeof p === 'string');
  if (profile.length) d.profile = profile;
  return d;
}

/** Summarises a parsed FHIR resource; undefined when the JSON is not a FHIR resource. */
export function summarizeFhir(json: unknown, log: IssueLog): FhirSummary | undefined {
  const root = obj(json);
  const resourceType = str(root?.resourceType);
  if (!root || !resourceType) {
    log.error('FHIR_NOT_A_RESOURCE', 'the JSON has no resourceType: not a FHIR resource');
    return undefined;
  }
  const s: FhirSummary = { resourceType, entries: [], documentReferences: [] };
  if (str(root.id)) s.id = str(root.id)!;
  const visit = (r: Json) => {
    if (r.resourceType === 'DocumentReference') s.documentReferences.push(documentReference(r));
    if (r.resourceType === 'OperationOutcome') s.outcome = arr(r.issue).map((i) => pick<{ severity?: string; code?: string; diagnostics?: string }>(obj(i), ['severity', 'code', 'diagnostics']) ?? {});
  };
  if (resourceType === 'Bundle') {
    if (str(root.type)) s.bundleType = str(root.type)!;
    if (typeof root.total === 'number') s.total = root.total;
    for (const e of arr(root.entry)) {
      const entry = obj(e) ?? {};
      const resource = obj(entry.resource);
      const request = obj(entry.request);
      const response = obj(entry.response);
      const item: FhirSummary['entries'][number] = {};
      if (str(resource?.resourceType)) item.resourceType = str(resource?.resourceType)!;
      if (str(resource?.id)) item.id = str(resource?.id)!;
      if (str(entry.fullUrl)) item.fullUrl = str(entry.fullUrl)!;
      if (str(request?.method)) item.method = str(request?.method)!;
      if (str(request?.url)) item.url = str(request?.url)!;
      if (str(response?.status)) item.status = str(response?.status)!;
      s.entries.push(item);
      if (resource) visit(resource);
    }
  } else visit(root);
  return s;
}

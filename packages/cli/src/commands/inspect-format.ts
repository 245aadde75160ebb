/** The text report of `dmp inspect`: one section per layer of the message, in the order it travels. */
type V = Record<string, unknown>;

const isObj = (v: unknown): v is V => !!v && typeof v === 'object' && !Array.isArray(v);

function isCode(v: unknown): v is { code: string; codingScheme: string; displayName?: string } {
  return isObj(v) && typeof v.code === 'string' && typeof v.codingScheme === 'string' && Object.keys(v).every((k) => ['code', 'codingScheme', 'displayName'].includes(k));
}

function scalar(v: unknown): string | undefined {
  if (v === null) return 'null';
  if (typeof v === 'string') return v === '' ? '""' : v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (isCode(v)) return `${v.code}${v.displayName ? ` (${v.displayName})` : ''} [${v.codingScheme}]`;
  if (isObj(v) && Object.keys(v).length === 1 && typeof v.bytes === 'number') return `${v.bytes} bytes`;
  return undefined;
}

/** Indented `key: value` lines; arrays of scalars on one line, arrays of objects as `- ` items. */
export function tree(value: unknown, indent = '  ', skip: ReadonlySet<string> = new Set()): string[] {
  const lines: string[] = [];
  if (!isObj(value)) return lines;
  for (const [k, v] of Object.entries(value)) {
    if (skip.has(k) || v === undefined) continue;
    const s = scalar(v);
    if (s !== undefined) {
      lines.push(`${indent}${k}: ${s}`);
    } else if (Array.isArray(v)) {
      if (v.length === 0) continue;
      const all = v.map(scalar);
      if (all.every((x) => x !== undefined)) lines.push(`${indent}${k}: ${all.join(', ')}`);
      else {
        lines.push(`${indent}${k}:`);
        for (const item of v) {
          const sub = tree(item, `${indent}    `);
          const s2 = scalar(item);
          if (s2 !== undefined) lines.push(`${indent}  - ${s2}`);
          else if (sub.length) lines.push(`${indent}  - ${sub[0]!.trimStart()}`, ...sub.slice(1));
        }
      }
    } else if (isObj(v)) {
      const sub = tree(v, `${indent}  `);
      if (sub.length) lines.push(`${indent}${k}:`, ...sub);
    }
  }
  return lines;
}

const OBJECT_KINDS: Array<[string, string]> = [
  ['submissionSets', 'SubmissionSet'],
  ['folders', 'Folder'],
  ['documentEntries', 'DocumentEntry'],
  ['associations', 'Association'],
  ['objectRefs', 'ObjectRef'],
  ['classifications', 'Classification'],
  ['otherPackages', 'RegistryPackage'],
];

function registryObjects(objects: V): string[] {
  const lines: string[] = [];
  for (const [key, label] of OBJECT_KINDS) {
    const list = objects[key];
    if (!Array.isArray(list)) continue;
    for (const o of list as V[]) {
      const id = (o.entryUUID ?? o.id ?? '') as string;
      lines.push(`  ${label} ${id}`.trimEnd(), ...tree(o, '    ', new Set(['entryUUID', 'id'])));
    }
  }
  return lines;
}

/** The text report; `view` is the redacted decoded message, `file` the name given by the user. */
export function formatInspect(file: string, view: V): string {
  const out: string[] = [];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push(title, ...lines);
  };
  out.push(`${file}: ${view.format} message, ${view.byteLength} bytes, line endings ${view.lineEndings}`);
  const http = view.http as V | undefined;
  if (http) section('HTTP', [`  ${http.startLine}`, ...((http.headers as Array<{ name: string; value: string }>) ?? []).map((h) => `  ${h.name}: ${h.value}`)]);
  const mime = view.mime as V | undefined;
  if (mime) {
    const parts = (mime.parts as V[]).map((p, i) => `  part ${i + 1}${p.isRoot ? ' (root)' : ''}: ${p.contentId ?? '(no Content-ID)'} ${p.contentType ?? '(no Content-Type)'}, ${p.length} bytes${p.decodedLength !== p.length ? ` (${p.decodedLength} decoded)` : ''}`);
    section(`MIME multipart (boundary from ${mime.boundarySource}, ${(mime.parts as V[]).length} parts${mime.closed ? '' : ', NOT closed'})`, parts);
  }
  const xop = view.xop as V[] | undefined;
  if (xop?.length) section('XOP', xop.map((x) => `  ${x.href} → ${x.partIndex !== undefined ? `part ${Number(x.partIndex) + 1} <${x.contentId}> (${x.length ?? '?'} bytes)${x.urlDecoded ? ', URL-decoded' : ''}${x.caseInsensitive ? ', case ignored' : ''}` : 'UNRESOLVED'}`));
  const soap = view.soap as V | undefined;
  if (soap) {
    const a = soap.addressing as V;
    const lines = [`  version: ${soap.version}`, ...tree(a, '  ', new Set(['mustUnderstand']))];
    if (Array.isArray(a.mustUnderstand) && a.mustUnderstand.length) lines.push(`  mustUnderstand: ${(a.mustUnderstand as string[]).join(', ')}`);
    section('SOAP', lines);
    const sec = soap.security as V | undefined;
    if (sec) section('Security (VIHF)', securityLines(sec.assertion as V | undefined));
  }
  if (view.security) section('SAML assertion', securityLines(view.security as V));
  const p = view.payload as V;
  out.push(`Payload: ${p.family}${p.name ? ` ${p.name}` : ''}${p.transaction ? ` (${p.transaction})` : ''}`);
  const x = view.xds as V | undefined;
  if (x) {
    const response = (x.kind === 'RetrieveDocumentSetResponse' ? x.response : x) as V;
    if (response.status !== undefined) out.push(`  status: ${response.status}${response.outcome ? ` (${response.outcome})` : ''}`);
    const errors = response.errors as V[] | undefined;
    if (errors?.length) section('  Registry errors', errors.map((e) => `    ${e.errorCode} ${String(e.severity).split(':').pop()}${e.codeContext ? ` — ${e.codeContext}` : ''}${e.location ? ` @ ${e.location}` : ''}`));
    const rest = tree(x, '  ', new Set(['kind', 'objects', 'packages', 'status', 'errors', 'outcome', 'response', 'documents']));
    out.push(...rest);
    if (isObj(x.objects)) section('Registry objects', registryObjects(x.objects));
    if (Array.isArray(x.documents) && x.documents.length) section('Documents', (x.documents as V[]).flatMap((d) => [`  ${d.id ?? d.documentUniqueId}`, ...tree(d, '    ', new Set(['id']))]));
  }
  if (view.hl7v3) section('HL7v3', tree(view.hl7v3));
  if (view.dmp) section('DMP service', tree(view.dmp));
  if (view.fault) section('SOAP Fault', tree(view.fault));
  if (view.fhir) section('FHIR', tree(view.fhir));
  const issues = view.issues as V[];
  section(
    'Issues',
    issues.map((i) => `  ${i.severity} ${i.code}: ${i.message}${i.line ? ` (line ${i.line}${i.column ? `:${i.column}` : ''})` : ''}${i.xpath ? ` at ${i.xpath}` : ''}`),
  );
  if (!issues.length) out.push('Issues: none');
  return out.join('\n') + '\n';
}

function securityLines(a: V | undefined): string[] {
  if (!a) return ['  wsse:Security without a SAML assertion'];
  const lines = tree(a, '  ', new Set(['vihf']));
  const vihf = a.vihf as V | undefined;
  if (vihf?.context) lines.push('  attributes:', ...tree(vihf.context, '    '));
  const problems = (vihf?.problems as V[] | undefined) ?? [];
  if (problems.length) lines.push('  VIHF problems:', ...problems.map((q) => `    ${q.severity} ${q.code}${q.attribute ? ` (${q.attribute})` : ''}${q.detail ? `: ${q.detail}` : ''}`));
  return lines;
}

/**
 * `dmp explain --request/--cda`: points at the element of the request (or of the CDA the metadata came from) that the
 * error is about, with its line:column in the file. The error's codes say which attribute is concerned (patientId
 * for XDSUnknownPatientId, the signing certificate for DMPInvalidCertificate…); its codeContext and location give
 * values (uniqueIds, entryUUIDs, OIDs) searched for in the XML. Candidates are reported, never guessed beyond that.
 */
import { IssueLog, parseMultipart, parseXml, positionOf, splitHttpMessage, xpathOf, type DmpError, type Diagnosis } from '@dmpkit/sdk';

export interface Located {
  line: number;
  column: number;
  xpath: string;
  /** Element name as written, and why it was chosen. */
  element: string;
  reason: string;
}

interface XmlOfFile {
  document: ReturnType<typeof parseXml>['document'];
  /** Lines before the XML in the file (HTTP head, MIME headers). */
  lineOffset: number;
}

/** The XML of a saved request: the file itself, the body after an HTTP head, or the root part of an MTOM package. */
export function xmlOfFile(bytes: Buffer): XmlOfFile {
  const log = new IssueLog();
  const { head, body } = splitHttpMessage(bytes, log);
  let start = body.byteOffset - bytes.byteOffset;
  let xml: Uint8Array = body;
  const contentType = head?.headers.find((h) => h.name.toLowerCase() === 'content-type')?.value;
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first === 0x2d || contentType?.toLowerCase().startsWith('multipart/')) {
    const mp = parseMultipart(body, contentType ? { contentType } : {}, log);
    const root = mp?.parts[mp.rootIndex];
    if (root) {
      start += root.offset;
      xml = root.body;
    }
  }
  let lineOffset = 0;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < start; i = bytes.indexOf(0x0a, i + 1)) lineOffset++;
  return { document: parseXml(xml).document, lineOffset };
}

type El = {
  localName: string;
  nodeName: string;
  nodeType: number;
  childNodes: ArrayLike<El>;
  attributes: ArrayLike<{ localName: string; value: string }>;
  textContent: string | null;
  parentNode: El | null;
  getAttribute(name: string): string | null;
};

function* elements(node: El): Generator<El> {
  for (const c of Array.from(node.childNodes)) {
    if (c.nodeType === 1) {
      yield c;
      yield* elements(c);
    }
  }
}

const OID = /\b[0-2](?:\.(?:0|[1-9]\d*)){3,}\b/g;
const UUID = /urn:uuid:[0-9a-fA-F-]{36}/g;

/** Values quoted by the error (codeContext, location, fault reasons): ids worth looking for. */
function valuesOf(texts: string[]): string[] {
  const out = new Set<string>();
  for (const t of texts) {
    for (const m of t.match(UUID) ?? []) out.add(m);
    for (const m of t.match(OID) ?? []) out.add(m);
    for (const m of t.matchAll(/=\s*([^\s,;]+)/g)) out.add(m[1]!);
  }
  return [...out];
}

/** XDS attributes each error code is about. */
const CODE_ATTRIBUTES: Record<string, string[]> = {
  XDSUnknownPatientId: ['patientId'],
  XDSPatientIdDoesNotMatch: ['patientId'],
  XDSDocumentUniqueIdError: ['uniqueId'],
  XDSDuplicateUniqueIdInRegistry: ['uniqueId'],
  XDSNonIdenticalHash: ['hash'],
  XDSNonIdenticalSize: ['size'],
  XDSRepositoryMetadataError: ['hash', 'size'],
  XDSUnknownRepositoryId: ['repositoryUniqueId'],
  DMPInvalidCertificate: ['vihf-certificate'],
  DMPClosed: ['patientId'],
  DMPFound: ['patientId'],
};

const ATTRIBUTE_NAMES = ['patientId', 'uniqueId', 'classCode', 'typeCode', 'formatCode', 'confidentialityCode', 'healthcareFacilityTypeCode', 'practiceSettingCode', 'eventCodeList', 'creationTime', 'serviceStartTime', 'serviceStopTime', 'languageCode', 'legalAuthenticator', 'authorPerson', 'sourcePatientId', 'hash', 'size', 'title', 'contentTypeCode'];

/** ebRIM scheme UUIDs of the attributes held by ExternalIdentifier/Classification (ITI TF-3 §4.2.5). */
const SCHEMES: Record<string, string[]> = {
  patientId: ['urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427', 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446'],
  uniqueId: ['urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab', 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8'],
  classCode: ['urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a'],
  typeCode: ['urn:uuid:f0306f51-975f-434e-a61c-c59651d33983'],
  formatCode: ['urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d'],
  confidentialityCode: ['urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f'],
  healthcareFacilityTypeCode: ['urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1'],
  practiceSettingCode: ['urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead'],
  eventCodeList: ['urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4'],
  contentTypeCode: ['urn:uuid:aa543740-bdda-424e-8c96-df4873be8500'],
  authorPerson: ['urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d', 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d'],
};

/** Where each metadata attribute comes from in the CDA header (the toDocumentEntry mapping). */
const CDA_PATHS: Record<string, string[]> = {
  patientId: ['recordTarget', 'patientRole', 'id'],
  sourcePatientId: ['recordTarget', 'patientRole', 'id'],
  uniqueId: ['id'],
  classCode: ['code'],
  typeCode: ['code'],
  confidentialityCode: ['confidentialityCode'],
  creationTime: ['effectiveTime'],
  languageCode: ['languageCode'],
  title: ['title'],
  authorPerson: ['author'],
  legalAuthenticator: ['legalAuthenticator'],
  serviceStartTime: ['documentationOf', 'serviceEvent', 'effectiveTime'],
  serviceStopTime: ['documentationOf', 'serviceEvent', 'effectiveTime'],
  eventCodeList: ['documentationOf', 'serviceEvent', 'code'],
  healthcareFacilityTypeCode: ['componentOf', 'encompassingEncounter', 'location', 'healthCareFacility', 'code'],
  practiceSettingCode: ['documentationOf', 'serviceEvent', 'performer', 'assignedEntity', 'representedOrganization', 'standardIndustryClassCode'],
};

function codesOf(error: DmpError, diagnosis: Diagnosis): string[] {
  const codes = new Set<string>([error.code.split(':').pop()!]);
  for (const i of diagnosis.items) codes.add(i.code.split(':').pop()!);
  return [...codes];
}

function textsOf(diagnosis: Diagnosis): string[] {
  return diagnosis.items.flatMap((i) => i.occurrences.flatMap((o) => [o.context ?? '', o.location ?? '']));
}

function attributesOf(error: DmpError, diagnosis: Diagnosis): string[] {
  const out = new Set<string>();
  for (const c of codesOf(error, diagnosis)) for (const a of CODE_ATTRIBUTES[c] ?? []) out.add(a);
  const texts = textsOf(diagnosis).join(' ').toLowerCase();
  for (const a of ATTRIBUTE_NAMES) if (texts.includes(a.toLowerCase())) out.add(a);
  // DMP errors recognised from their text (VIHF specialty, structure): the VIHF attributes they are about.
  for (const i of diagnosis.items) {
    if (/sp[ée]cialit/i.test(i.meaning.fr)) out.add('vihf-role');
    if (/structure/i.test(i.meaning.fr) && i.role === 'text') out.add('vihf-structure');
  }
  return [...out];
}

function at(el: El, lineOffset: number, reason: string): Located | undefined {
  const pos = positionOf(el as never);
  if (!pos) return undefined;
  return { line: pos.line + lineOffset, column: pos.column, xpath: xpathOf(el as never), element: el.nodeName, reason };
}

function inRequest(xml: XmlOfFile, attributes: string[], values: string[]): Located[] {
  const found: Located[] = [];
  const all = [...elements(xml.document as unknown as El)];
  for (const a of attributes) {
    if (a === 'vihf-certificate') {
      for (const el of all) if (el.localName === 'X509Certificate' && ancestor(el, 'Assertion')) push(found, at(el, xml.lineOffset, 'the certificate that signed the VIHF'));
      continue;
    }
    if (a === 'vihf-role' || a === 'vihf-structure') {
      const name = a === 'vihf-role' ? 'urn:oasis:names:tc:xacml:2.0:subject:role' : 'Identifiant_Structure';
      for (const el of all) if (el.localName === 'Attribute' && el.getAttribute('Name') === name) push(found, at(el, xml.lineOffset, `the VIHF attribute ${name}`));
      continue;
    }
    const schemes = SCHEMES[a] ?? [];
    for (const el of all) {
      const scheme = el.getAttribute('identificationScheme') ?? el.getAttribute('classificationScheme');
      if (scheme && schemes.includes(scheme)) push(found, at(el, xml.lineOffset, `${a} of ${el.getAttribute(el.localName === 'Classification' ? 'classifiedObject' : 'registryObject') ?? 'a registry object'}`));
      if (el.localName === 'Slot' && (el.getAttribute('name') === a || el.getAttribute('name')?.toLowerCase().endsWith(`entry${a.toLowerCase()}`))) push(found, at(el, xml.lineOffset, `slot ${el.getAttribute('name')}`));
      if (a === 'uniqueId' && el.localName === 'DocumentUniqueId') push(found, at(el, xml.lineOffset, 'the document uniqueId asked for'));
      if (a === 'patientId' && el.localName === 'livingSubjectId') push(found, at(el, xml.lineOffset, 'the patient of the HL7v3 query'));
    }
  }
  // Values quoted by the error: the element holding exactly that value.
  for (const v of values) {
    for (const el of all) {
      const own = Array.from(el.childNodes).every((c) => c.nodeType !== 1) ? (el.textContent ?? '').trim() : undefined;
      const attr = Array.from(el.attributes).find((x) => x.value.trim() === v);
      if (own === v || attr) push(found, at(el, xml.lineOffset, `holds ${v}${attr ? ` (@${attr.localName})` : ''}`));
    }
  }
  return found;
}

function inCda(xml: XmlOfFile, attributes: string[]): Located[] {
  const found: Located[] = [];
  const root = [...elements(xml.document as unknown as El)].find((e) => e.localName === 'ClinicalDocument');
  if (!root) return found;
  for (const a of attributes) {
    const path = CDA_PATHS[a];
    if (!path) continue;
    let level: El[] = [root];
    for (const name of path) level = level.flatMap((e) => Array.from(e.childNodes).filter((c) => c.nodeType === 1 && c.localName === name));
    for (const el of level) push(found, at(el, xml.lineOffset, `the CDA source of ${a}`));
  }
  return found;
}

function ancestor(el: El, localName: string): boolean {
  for (let p = el.parentNode; p; p = p.parentNode) if (p.localName === localName) return true;
  return false;
}

function push(list: Located[], l: Located | undefined): void {
  if (l && !list.some((x) => x.line === l.line && x.column === l.column)) list.push(l);
}

/** The offending elements of a request or CDA file, in document order. */
export function locateOffending(error: DmpError, diagnosis: Diagnosis, file: Buffer, kind: 'request' | 'cda'): Located[] {
  const xml = xmlOfFile(file);
  const attributes = attributesOf(error, diagnosis);
  const found = kind === 'cda' ? inCda(xml, attributes) : inRequest(xml, attributes, valuesOf(textsOf(diagnosis)));
  return found.sort((a, b) => a.line - b.line || a.column - b.column);
}

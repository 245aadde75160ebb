/**
 * Reads the CDA header from a parsed DOM into the {@link CdaHeader} model.
 *
 * Tolerant by design: a missing or malformed element becomes `undefined` (or an empty list), never an
 * exception, so that validation rules can report every problem of a document in one pass. Each object
 * of the result remembers the element it came from: {@link sourceElementOf} / {@link sourceLocationOf}.
 */
import type * as slimdom from 'slimdom';
import { attr, childElements, childPath, findClinicalDocument, firstChild } from '../xml/dom.js';
import { NS } from '../xml/names.js';
import { positionOf } from '../xml/parse.js';
import { xpathOf } from '../xml/path.js';
import type {
  Address,
  AssignedEntity,
  Authenticator,
  Author,
  Body,
  CdaHeader,
  Coded,
  Envelope,
  EncompassingEncounter,
  II,
  IVLTS,
  Organization,
  Person,
  PersonName,
  RecordTarget,
  ServiceEvent,
  Telecom,
  TS,
} from './header.js';

const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** Thrown when the document holds no HL7 v3 ClinicalDocument at all (nothing to read). */
export class CdaNotFoundError extends Error {
  override readonly name = 'CdaNotFoundError';
  constructor(readonly rootName: string, readonly rootNamespace: string | null) {
    super(
      `no CDA ClinicalDocument found: the root element is <${rootName}> in namespace ${rootNamespace ? `"${rootNamespace}"` : '(none)'}, ` +
        `expected <ClinicalDocument> in "${NS.hl7}" (bare, in an xsl:stylesheet, or in a ds:Signature)`,
    );
  }
}

const origins = new WeakMap<object, slimdom.Element>();

function track<T extends object>(value: T, el: slimdom.Element): T {
  origins.set(value, el);
  return value;
}

/** The DOM element a part of a {@link CdaHeader} was read from (lost if the object is copied). */
export function sourceElementOf(part: object): slimdom.Element | undefined {
  return origins.get(part);
}

export interface SourceLocation {
  line?: number;
  column?: number;
  xpath: string;
}

/** Line/column (when the DOM came from parseXml) and XPath of a header part. */
export function sourceLocationOf(part: object): SourceLocation | undefined {
  const el = origins.get(part);
  if (!el) return undefined;
  const pos = positionOf(el);
  return { ...(pos ?? {}), xpath: xpathOf(el) };
}

/** Finds the ClinicalDocument and says how it is wrapped. */
export function locateClinicalDocument(doc: slimdom.Document): { element: slimdom.Element; envelope: Envelope } | undefined {
  const root = doc.documentElement;
  if (!root) return undefined;
  const found = findClinicalDocument(doc);
  if (found) return { element: found, envelope: found === root ? 'none' : 'xsl-stylesheet' };
  if (root.namespaceURI !== XMLDSIG_NS) return undefined;
  // Enveloping signature: the document sits in ds:Object (possibly wrapped).
  const walk = (el: slimdom.Element): slimdom.Element | undefined => {
    for (let c = el.firstElementChild; c; c = c.nextElementSibling) {
      if (c.localName === 'ClinicalDocument' && c.namespaceURI === NS.hl7) return c;
      const inner = walk(c);
      if (inner) return inner;
    }
    return undefined;
  };
  const el = walk(root);
  return el ? { element: el, envelope: 'xmldsig' } : undefined;
}

/** Reads the header of a CDA document. Throws {@link CdaNotFoundError} only when there is no ClinicalDocument. */
export function readCdaHeader(doc: slimdom.Document): CdaHeader {
  const located = locateClinicalDocument(doc);
  if (!located) {
    const root = doc.documentElement;
    throw new CdaNotFoundError(root?.nodeName ?? '(none)', root?.namespaceURI ?? null);
  }
  const cd = located.element;
  const one = (name: string): slimdom.Element | undefined => firstChild(cd, name);
  const all = (name: string): slimdom.Element[] => childElements(cd, name);

  const header: CdaHeader = {
    envelope: located.envelope,
    realmCode: opt(one('realmCode'), readCoded),
    typeId: opt(one('typeId'), readII),
    templateIds: all('templateId').map(readII),
    id: opt(one('id'), readII),
    code: opt(one('code'), readCoded),
    title: opt(one('title'), (el) => normalize(el.textContent)),
    effectiveTime: opt(one('effectiveTime'), readTS),
    confidentialityCode: opt(one('confidentialityCode'), readCoded),
    languageCode: opt(one('languageCode'), readCoded),
    setId: opt(one('setId'), readII),
    versionNumber: attr(one('versionNumber'), 'value'),
    recordTargets: all('recordTarget').map(readRecordTarget),
    authors: all('author').map(readAuthor),
    dataEnterer: opt(one('dataEnterer'), readAuthenticator),
    informants: all('informant').map((el) =>
      track(
        {
          assignedEntity: opt(firstChild(el, 'assignedEntity'), readAssignedEntity),
          relatedEntity: opt(firstChild(el, 'relatedEntity'), (re) =>
            track(
              {
                classCode: attr(re, 'classCode'),
                code: opt(firstChild(re, 'code'), readCoded),
                person: opt(firstChild(re, 'relatedPerson'), readPerson),
              },
              re,
            ),
          ),
        },
        el,
      ),
    ),
    custodian: opt(childPath(one('custodian'), 'assignedCustodian', 'representedCustodianOrganization'), readOrganization),
    informationRecipients: all('informationRecipient').map((el) =>
      track({ typeCode: attr(el, 'typeCode'), intendedRecipient: opt(firstChild(el, 'intendedRecipient'), readAssignedEntity) }, el),
    ),
    legalAuthenticator: opt(one('legalAuthenticator'), readAuthenticator),
    authenticators: all('authenticator').map(readAuthenticator),
    participants: all('participant').map((el) =>
      track(
        {
          typeCode: attr(el, 'typeCode'),
          functionCode: opt(firstChild(el, 'functionCode'), readCoded),
          time: opt(firstChild(el, 'time'), readIVL),
          associatedEntity: opt(firstChild(el, 'associatedEntity'), readAssignedEntity),
        },
        el,
      ),
    ),
    inFulfillmentOf: all('inFulfillmentOf').flatMap((el) => {
      const order = firstChild(el, 'order');
      return order ? [track({ ids: childElements(order, 'id').map(readII), code: opt(firstChild(order, 'code'), readCoded) }, order)] : [];
    }),
    documentationOf: all('documentationOf').flatMap((el) => {
      const se = firstChild(el, 'serviceEvent');
      return se ? [readServiceEvent(se)] : [];
    }),
    relatedDocuments: all('relatedDocument').map((el) =>
      track(
        {
          typeCode: attr(el, 'typeCode'),
          parentDocument: opt(firstChild(el, 'parentDocument'), (pd) =>
            track(
              {
                ids: childElements(pd, 'id').map(readII),
                setId: opt(firstChild(pd, 'setId'), readII),
                versionNumber: attr(firstChild(pd, 'versionNumber'), 'value'),
              },
              pd,
            ),
          ),
        },
        el,
      ),
    ),
    authorizations: all('authorization').map((el) =>
      track(
        {
          consent: opt(firstChild(el, 'consent'), (c) =>
            track(
              {
                ids: childElements(c, 'id').map(readII),
                code: opt(firstChild(c, 'code'), readCoded),
                statusCode: attr(firstChild(c, 'statusCode'), 'code'),
              },
              c,
            ),
          ),
        },
        el,
      ),
    ),
    encompassingEncounter: opt(childPath(one('componentOf'), 'encompassingEncounter'), readEncounter),
    body: readBody(one('component')),
  };
  return track(header, cd);
}

function opt<T>(el: slimdom.Element | undefined, read: (el: slimdom.Element) => T): T | undefined {
  return el ? read(el) : undefined;
}

function normalize(text: string | null | undefined): string | undefined {
  if (text == null) return undefined;
  const t = text.replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t;
}

function readII(el: slimdom.Element): II {
  return track(
    {
      root: attr(el, 'root'),
      extension: attr(el, 'extension'),
      assigningAuthorityName: attr(el, 'assigningAuthorityName'),
      nullFlavor: attr(el, 'nullFlavor'),
    },
    el,
  );
}

function readCoded(el: slimdom.Element): Coded {
  const translations = childElements(el, 'translation').map(readCoded);
  return track(
    {
      code: attr(el, 'code'),
      codeSystem: attr(el, 'codeSystem'),
      codeSystemName: attr(el, 'codeSystemName'),
      displayName: attr(el, 'displayName'),
      nullFlavor: attr(el, 'nullFlavor'),
      ...(translations.length ? { translations } : {}),
    },
    el,
  );
}

function readTS(el: slimdom.Element): TS {
  return track({ value: attr(el, 'value'), nullFlavor: attr(el, 'nullFlavor') }, el);
}

function readIVL(el: slimdom.Element): IVLTS {
  return track(
    {
      value: attr(el, 'value'),
      low: opt(firstChild(el, 'low'), readTS),
      high: opt(firstChild(el, 'high'), readTS),
      nullFlavor: attr(el, 'nullFlavor'),
    },
    el,
  );
}

const NAME_PARTS = ['family', 'given', 'prefix', 'suffix'] as const;

function readName(el: slimdom.Element): PersonName {
  const name: PersonName = { use: attr(el, 'use'), nullFlavor: attr(el, 'nullFlavor'), family: [], given: [], prefix: [], suffix: [] };
  let text = '';
  for (let c = el.firstChild; c; c = c.nextSibling) {
    if (c.nodeType === 3) text += c.nodeValue ?? '';
  }
  for (const child of childElements(el)) {
    const part = NAME_PARTS.find((p) => p === child.localName && child.namespaceURI === NS.hl7);
    if (!part) continue;
    name[part].push(track({ value: normalize(child.textContent) ?? '', qualifier: attr(child, 'qualifier') }, child));
  }
  const t = normalize(text);
  if (t) name.text = t;
  return track(name, el);
}

const ADDRESS_PARTS = ['houseNumber', 'streetName', 'unitID', 'additionalLocator', 'postBox', 'postalCode', 'city', 'county', 'state', 'country'] as const;

function readAddress(el: slimdom.Element): Address {
  const addr: Address = { use: attr(el, 'use'), nullFlavor: attr(el, 'nullFlavor'), streetAddressLine: [], other: [] };
  for (const child of childElements(el)) {
    if (child.namespaceURI !== NS.hl7) continue;
    const value = normalize(child.textContent) ?? '';
    const known = ADDRESS_PARTS.find((p) => p === child.localName);
    if (child.localName === 'streetAddressLine') addr.streetAddressLine.push(value);
    else if (known && addr[known] === undefined) addr[known] = value;
    else addr.other.push({ part: child.localName, value });
  }
  return track(addr, el);
}

function readTelecom(el: slimdom.Element): Telecom {
  return track({ value: attr(el, 'value'), use: attr(el, 'use'), nullFlavor: attr(el, 'nullFlavor') }, el);
}

function readPerson(el: slimdom.Element): Person {
  return track({ names: childElements(el, 'name').map(readName) }, el);
}

function readOrganization(el: slimdom.Element): Organization {
  return track(
    {
      ids: childElements(el, 'id').map(readII),
      name: opt(firstChild(el, 'name'), (n) => normalize(n.textContent)),
      telecoms: childElements(el, 'telecom').map(readTelecom),
      addrs: childElements(el, 'addr').map(readAddress),
      standardIndustryClassCode: opt(firstChild(el, 'standardIndustryClassCode'), readCoded),
    },
    el,
  );
}

const PERSON_ELEMENTS = ['assignedPerson', 'associatedPerson', 'informationRecipient', 'relatedPerson'];
const ORGANIZATION_ELEMENTS = ['representedOrganization', 'scopingOrganization', 'receivedOrganization'];

function readAssignedEntity(el: slimdom.Element): AssignedEntity {
  const person = childElements(el).find((c) => c.namespaceURI === NS.hl7 && PERSON_ELEMENTS.includes(c.localName));
  const org = childElements(el).find((c) => c.namespaceURI === NS.hl7 && ORGANIZATION_ELEMENTS.includes(c.localName));
  const device = firstChild(el, 'assignedAuthoringDevice');
  return track(
    {
      classCode: attr(el, 'classCode'),
      ids: childElements(el, 'id').map(readII),
      code: opt(firstChild(el, 'code'), readCoded),
      addrs: childElements(el, 'addr').map(readAddress),
      telecoms: childElements(el, 'telecom').map(readTelecom),
      person: opt(person, readPerson),
      device: opt(device, (d) =>
        track(
          {
            manufacturerModelName: opt(firstChild(d, 'manufacturerModelName'), (x) => normalize(x.textContent)),
            softwareName: opt(firstChild(d, 'softwareName'), (x) => normalize(x.textContent)),
          },
          d,
        ),
      ),
      organization: opt(org, readOrganization),
    },
    el,
  );
}

function readRecordTarget(el: slimdom.Element): RecordTarget {
  const role = firstChild(el, 'patientRole');
  const patient = firstChild(role, 'patient');
  const birthplace = childPath(patient, 'birthplace', 'place');
  return track(
    {
      ids: role ? childElements(role, 'id').map(readII) : [],
      addrs: role ? childElements(role, 'addr').map(readAddress) : [],
      telecoms: role ? childElements(role, 'telecom').map(readTelecom) : [],
      patient: opt(patient, (p) =>
        track(
          {
            names: childElements(p, 'name').map(readName),
            administrativeGenderCode: opt(firstChild(p, 'administrativeGenderCode'), readCoded),
            birthTime: opt(firstChild(p, 'birthTime'), readTS),
            birthplace: opt(birthplace, (pl) =>
              track(
                {
                  name: opt(firstChild(pl, 'name'), (n) => normalize(n.textContent)),
                  addr: opt(firstChild(pl, 'addr'), readAddress),
                },
                pl,
              ),
            ),
          },
          p,
        ),
      ),
    },
    // Point at patientRole when present: that is where ids and identity live.
    role ?? el,
  );
}

function readAuthor(el: slimdom.Element): Author {
  return track(
    {
      time: opt(firstChild(el, 'time'), readTS),
      functionCode: opt(firstChild(el, 'functionCode'), readCoded),
      assignedAuthor: opt(firstChild(el, 'assignedAuthor'), readAssignedEntity),
    },
    el,
  );
}

function readAuthenticator(el: slimdom.Element): Authenticator {
  return track(
    {
      time: opt(firstChild(el, 'time'), readTS),
      signatureCode: attr(firstChild(el, 'signatureCode'), 'code'),
      assignedEntity: opt(firstChild(el, 'assignedEntity'), readAssignedEntity),
    },
    el,
  );
}

function readServiceEvent(el: slimdom.Element): ServiceEvent {
  return track(
    {
      classCode: attr(el, 'classCode'),
      ids: childElements(el, 'id').map(readII),
      code: opt(firstChild(el, 'code'), readCoded),
      effectiveTime: opt(firstChild(el, 'effectiveTime'), readIVL),
      performers: childElements(el, 'performer').map((p) =>
        track(
          {
            typeCode: attr(p, 'typeCode'),
            functionCode: opt(firstChild(p, 'functionCode'), readCoded),
            time: opt(firstChild(p, 'time'), readIVL),
            assignedEntity: opt(firstChild(p, 'assignedEntity'), readAssignedEntity),
          },
          p,
        ),
      ),
    },
    el,
  );
}

function readEncounter(el: slimdom.Element): EncompassingEncounter {
  const facility = childPath(el, 'location', 'healthCareFacility');
  return track(
    {
      ids: childElements(el, 'id').map(readII),
      code: opt(firstChild(el, 'code'), readCoded),
      effectiveTime: opt(firstChild(el, 'effectiveTime'), readIVL),
      responsibleParty: opt(childPath(el, 'responsibleParty', 'assignedEntity'), readAssignedEntity),
      healthCareFacility: opt(facility, (f) =>
        track(
          {
            ids: childElements(f, 'id').map(readII),
            code: opt(firstChild(f, 'code'), readCoded),
            location: opt(firstChild(f, 'location'), (l) =>
              track({ name: opt(firstChild(l, 'name'), (n) => normalize(n.textContent)), addr: opt(firstChild(l, 'addr'), readAddress) }, l),
            ),
            serviceProviderOrganization: opt(firstChild(f, 'serviceProviderOrganization'), readOrganization),
          },
          f,
        ),
      ),
    },
    el,
  );
}

/** The UTF-16 code units /\s/ matches (ASCII whitespace and the Unicode spaces), as single-character strings. */
const WHITESPACE_UNITS = [0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x20, 0xa0, 0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029, 0x202f, 0x205f, 0x3000, 0xfeff].map((c) => String.fromCharCode(c));

/**
 * Characters that are not whitespace (counted, not stripped: an N1 body is megabytes of base64). Each
 * whitespace character is counted by a native search (memchr-fast; a character absent from the text costs
 * one scan, one outside a one-byte string none), not by a regex or a loop over every character.
 */
export function nonSpaceLength(s: string): number {
  let spaces = 0;
  for (const w of WHITESPACE_UNITS) for (let i = s.indexOf(w); i >= 0; i = s.indexOf(w, i + 1)) spaces++;
  return s.length - spaces;
}

function readBody(component: slimdom.Element | undefined): Body {
  const structured = firstChild(component, 'structuredBody');
  if (structured) {
    return track({ kind: 'structured', sectionCount: childElements(structured, 'component').length }, structured);
  }
  const nonXml = firstChild(component, 'nonXMLBody');
  if (nonXml) {
    const text = firstChild(nonXml, 'text');
    let length = 0;
    if (text) {
      for (let c = text.firstChild; c; c = c.nextSibling) {
        if (c.nodeType === 3) length += nonSpaceLength(c.nodeValue ?? '');
      }
    }
    // Point at <text> when present: mediaType and representation live there.
    return track(
      {
        kind: 'nonXML',
        mediaType: attr(text, 'mediaType'),
        representation: attr(text, 'representation'),
        compression: attr(text, 'compression'),
        reference: attr(firstChild(text, 'reference'), 'value'),
        contentLength: length,
      },
      text ?? nonXml,
    );
  }
  return { kind: 'missing' };
}

/**
 * Reading a VIHF: find the assertion (bare, in wsse:Security, or in a SOAP envelope), list its
 * attributes as written, and decode them into the typed context with a problem per broken rule.
 */
import type { Document, Element } from '@xmldom/xmldom';
import { INS_NUMBER_PATTERN, insKeyIsValid } from '../validate/dmp/patient.js';
import { CODE_SYSTEM, PROFESSIONS_REQUIRING_SPECIALTY, VIHF_ATTRIBUTE as A, VIHF_NS } from './constants.js';
import {
  AUTHENTICATION_MODES,
  VIHF_CONFIDENTIALITY_CODES,
  INS_OID_VALUES,
  PURPOSES_OF_USE,
  SECTEUR_ACTIVITE_PATTERN,
  VIHF_VERSIONS,
  cxToPatient,
  vihfContextSchema,
  type AuthenticationMode,
  type CodedValue,
  type VihfContext,
} from './context.js';
import { vihfProblem, type VihfProblem } from './problems.js';
import { attribute, childElements, firstChildElement, parseSafeXml } from './xml.js';

export interface AssertionLocation {
  assertion?: Element;
  problems: VihfProblem[];
}

/**
 * The VIHF of a document: the root Assertion, or the single Assertion child of wsse:Security (the root,
 * or a SOAP 1.1/1.2 Header entry). Only these places are searched: an assertion elsewhere is not a VIHF.
 */
export function locateAssertion(doc: Document): AssertionLocation {
  const root = doc.documentElement;
  if (!root) return { problems: [vihfProblem('VIHF-ASSERTION-MISSING', 'empty document')] };
  const is = (el: Element, ns: string, name: string) => el.namespaceURI === ns && el.localName === name;
  if (is(root, VIHF_NS.saml2, 'Assertion')) return { assertion: root, problems: [] };
  let securities: Element[] = [];
  if (is(root, VIHF_NS.wsse, 'Security')) {
    securities = [root];
  } else if ((is(root, VIHF_NS.soap12, 'Envelope') || is(root, VIHF_NS.soap11, 'Envelope')) && root.namespaceURI) {
    const header = firstChildElement(root, root.namespaceURI, 'Header');
    securities = header ? childElements(header, VIHF_NS.wsse, 'Security') : [];
  }
  const found = securities.flatMap((s) => childElements(s, VIHF_NS.saml2, 'Assertion'));
  if (found.length === 0) return { problems: [vihfProblem('VIHF-ASSERTION-MISSING', `document element ${root.nodeName}`)] };
  if (found.length > 1) return { problems: [vihfProblem('VIHF-ASSERTION-MULTIPLE', `${found.length} assertions`)] };
  return { assertion: found[0]!, problems: [] };
}

export interface SamlCodedValue {
  /** Local name of the element (`Role`, `PurposeOfUse`, …). */
  element: string;
  namespace: string | null;
  code?: string;
  codeSystem?: string;
  codeSystemName?: string;
  displayName?: string;
  xsiType?: string;
}

export type SamlAttributeValue = { kind: 'text'; text: string } | { kind: 'coded'; coded: SamlCodedValue };

export interface SamlAttribute {
  name: string;
  nameFormat?: string;
  values: SamlAttributeValue[];
}

/** Attributes of the assertion's own AttributeStatements (not those nested in SubjectConfirmation), in order. */
export function readSamlAttributes(assertion: Element): SamlAttribute[] {
  const out: SamlAttribute[] = [];
  for (const statement of childElements(assertion, VIHF_NS.saml2, 'AttributeStatement')) {
    for (const a of childElements(statement, VIHF_NS.saml2, 'Attribute')) {
      const values: SamlAttributeValue[] = childElements(a, VIHF_NS.saml2, 'AttributeValue').map((v) => {
        const el = childElements(v)[0];
        if (!el) return { kind: 'text', text: v.textContent ?? '' };
        const coded: SamlCodedValue = { element: el.localName ?? el.nodeName, namespace: el.namespaceURI };
        for (const k of ['code', 'codeSystem', 'codeSystemName', 'displayName'] as const) {
          const value = attribute(el, k);
          if (value !== undefined) coded[k] = value;
        }
        const xsiType = el.getAttributeNS(VIHF_NS.xsi, 'type');
        if (xsiType) coded.xsiType = xsiType;
        return { kind: 'coded', coded };
      });
      const nameFormat = attribute(a, 'NameFormat');
      out.push({ name: attribute(a, 'Name') ?? '', ...(nameFormat ? { nameFormat } : {}), values });
    }
  }
  return out;
}

/** A value as the corpus MANIFEST writes it: the text, or `Element|code|codeSystem|displayName`. */
export function samlValueToString(v: SamlAttributeValue): string {
  if (v.kind === 'text') return v.text;
  const c = v.coded;
  return [c.element, c.code ?? '', c.codeSystem ?? '', c.displayName ?? ''].join('|');
}

/** What an assertion says, as written (no validation): for `dmp inspect` and the simulator's logs. */
export interface SamlAssertionSummary {
  id: string | null;
  issueInstant: string | null;
  issuer: string | null;
  issuerFormat: string | null;
  nameId: string | null;
  authnInstant: string | null;
  authnContextClassRef: string | null;
  notBefore: string | null;
  notOnOrAfter: string | null;
  signed: boolean;
  /** Attribute Name → values (multiple statements or repeated names are concatenated in order). */
  attributes: Record<string, string[]>;
}

function text(el: Element | undefined): string | null {
  return el ? (el.textContent ?? '') : null;
}

function path(el: Element | undefined, ...names: string[]): Element | undefined {
  let cur = el;
  for (const n of names) cur = cur ? firstChildElement(cur, VIHF_NS.saml2, n) : undefined;
  return cur;
}

export function summarizeAssertion(assertion: Element): SamlAssertionSummary {
  const issuer = firstChildElement(assertion, VIHF_NS.saml2, 'Issuer');
  const authn = firstChildElement(assertion, VIHF_NS.saml2, 'AuthnStatement');
  const conditions = firstChildElement(assertion, VIHF_NS.saml2, 'Conditions');
  const attributes: Record<string, string[]> = {};
  for (const a of readSamlAttributes(assertion)) (attributes[a.name] ??= []).push(...a.values.map(samlValueToString));
  return {
    id: attribute(assertion, 'ID') ?? null,
    issueInstant: attribute(assertion, 'IssueInstant') ?? null,
    issuer: text(issuer),
    issuerFormat: issuer ? (attribute(issuer, 'Format') ?? null) : null,
    nameId: text(path(assertion, 'Subject', 'NameID')),
    authnInstant: authn ? (attribute(authn, 'AuthnInstant') ?? null) : null,
    authnContextClassRef: text(path(authn, 'AuthnContext', 'AuthnContextClassRef')),
    notBefore: conditions ? (attribute(conditions, 'NotBefore') ?? null) : null,
    notOnOrAfter: conditions ? (attribute(conditions, 'NotOnOrAfter') ?? null) : null,
    signed: childElements(assertion, VIHF_NS.ds, 'Signature').length > 0,
    attributes,
  };
}

/**
 * Reads the VIHF of any message (bare assertion, wsse:Security, SOAP envelope) without checking it.
 * Bytes that are not valid UTF-8 are read with an ISO-8859-1 fallback (reported in `problems`).
 */
export function readSamlAssertion(input: string | Uint8Array): { summary?: SamlAssertionSummary; problems: VihfProblem[] } {
  const parsed = parseSafeXml(input, { latin1Fallback: true });
  const located = locateAssertion(parsed.doc);
  const problems = [...parsed.problems, ...located.problems];
  return located.assertion ? { summary: summarizeAssertion(located.assertion), problems } : { problems };
}

export interface DecodeOptions {
  /** VIHF_Version values accepted (default 3.0 and 4.0). */
  acceptedVersions?: readonly string[];
  /** Authentication modes accepted (default: all of TRE_R218). */
  acceptedAuthModes?: readonly AuthenticationMode[];
  /** The request is about a patient: resource-id is required (dmp-interface.md §2.1). */
  requirePatient?: boolean;
}

export interface DecodedVihf {
  /** The typed context, when every attribute decoded into the schema. */
  context?: VihfContext;
  problems: VihfProblem[];
  /** Which spelling of the authentication-mode attribute the token used. */
  authModeAttributeName?: string;
}

function coded(c: SamlCodedValue): CodedValue {
  return {
    code: c.code ?? '',
    codeSystem: c.codeSystem ?? '',
    ...(c.codeSystemName !== undefined ? { codeSystemName: c.codeSystemName } : {}),
    ...(c.displayName !== undefined ? { displayName: c.displayName } : {}),
  };
}

/** Decodes the attributes into the typed context, reporting every rule of dmp-interface.md §2 / §12.3. */
export function decodeVihf(assertion: Element, options: DecodeOptions = {}): DecodedVihf {
  const problems: VihfProblem[] = [];
  const reported = new Set<string>();
  const report = (code: Parameters<typeof vihfProblem>[0], detail: string | undefined, attr: string, severity: 'error' | 'warning' = 'error') => {
    problems.push(vihfProblem(code, detail, attr, severity));
    reported.add(attr);
  };
  const attrs = readSamlAttributes(assertion);
  const byName = (name: string, caseInsensitive = false): SamlAttribute[] =>
    attrs.filter((a) => (caseInsensitive ? a.name.toLowerCase() === name.toLowerCase() : a.name === name));

  /** The single text value of an attribute, with missing/duplicate reporting. */
  const single = (name: string, required: boolean, caseInsensitive = false): string | undefined => {
    const found = byName(name, caseInsensitive);
    const values = found.flatMap((a) => a.values);
    if (values.length === 0) {
      if (required) report('VIHF-ATTRIBUTE-MISSING', name, name);
      return undefined;
    }
    if (values.length > 1) report('VIHF-ATTRIBUTE-DUPLICATE', `${name} has ${values.length} values`, name);
    const v = values[0]!;
    if (v.kind === 'coded') {
      report('VIHF-ATTRIBUTE-INVALID', `${name} must be a plain value, not a ${v.coded.element} element`, name);
      return undefined;
    }
    return v.text;
  };

  const summary = summarizeAssertion(assertion);
  for (const [field, value] of [
    ['ID', summary.id],
    ['IssueInstant', summary.issueInstant],
    ['Issuer', summary.issuer],
    ['Subject/NameID', summary.nameId],
    ['AuthnStatement/AuthnContext/AuthnContextClassRef', summary.authnContextClassRef],
  ] as const) {
    if (!value) report('VIHF-ASSERTION-INVALID', `${field} is missing`, field);
  }
  if (attribute(assertion, 'Version') !== '2.0') report('VIHF-ASSERTION-INVALID', 'Version must be 2.0', 'Version');

  const version = single(A.vihfVersion, true);
  const acceptedVersions = options.acceptedVersions ?? VIHF_VERSIONS;
  if (version !== undefined && !acceptedVersions.includes(version)) {
    report('VIHF-VERSION', `"${version}" (accepted: ${acceptedVersions.join(', ')})`, A.vihfVersion);
  }

  const authAttr = byName(A.authenticationMode, true)[0]?.name;
  const mode = single(A.authenticationMode, true, true);
  const acceptedModes: readonly string[] = options.acceptedAuthModes ?? AUTHENTICATION_MODES;
  if (mode !== undefined && !acceptedModes.includes(mode)) {
    report('VIHF-AUTH-MODE', `"${mode}" (accepted: ${acceptedModes.join(', ')})`, A.authenticationMode);
  }

  const structureId = single(A.identifiantStructure, true);
  const secteur = single(A.secteurActivite, true);
  if (secteur !== undefined && !SECTEUR_ACTIVITE_PATTERN.test(secteur)) report('VIHF-SECTEUR-ACTIVITE', `"${secteur}"`, A.secteurActivite);
  const subjectId = single(A.subjectId, mode !== undefined && mode !== 'DIRECTE');

  const roleValues = byName(A.role).flatMap((a) => a.values);
  const roles: CodedValue[] = [];
  for (const v of roleValues) {
    if (v.kind === 'coded' && v.coded.element === 'Role') roles.push(coded(v.coded));
    else report('VIHF-ATTRIBUTE-INVALID', `a role value must be a <Role> CE element, found ${v.kind === 'coded' ? `<${v.coded.element}>` : 'text'}`, A.role);
  }
  const [profession, ...others] = roles;
  const requiresSpecialty =
    profession !== undefined && profession.codeSystem === CODE_SYSTEM.professionSante ? PROFESSIONS_REQUIRING_SPECIALTY[profession.code] : undefined;
  if (!profession) report('VIHF-ROLE-MISSING', undefined, A.role);
  else if (requiresSpecialty && others.length === 0) report('VIHF-ROLE-SPECIALTY-MISSING', `profession ${profession.code} (${requiresSpecialty})`, A.role);
  // Second role = specialty for médecins/pharmaciens, or when it is coded in a specialty system; else an extra role.
  const second = others[0];
  const secondIsSpecialty =
    second !== undefined &&
    (requiresSpecialty !== undefined || second.codeSystem === CODE_SYSTEM.savoirFaire || second.codeSystem === CODE_SYSTEM.sousSectionCnop);
  const specialty = secondIsSpecialty ? second : undefined;
  const extraRoles = secondIsSpecialty ? others.slice(1) : others;

  let patient: { ins: string; oid: string } | undefined;
  const resourceId = single(A.resourceId, options.requirePatient === true);
  if (resourceId !== undefined) {
    const p = cxToPatient(resourceId);
    if (!p) report('VIHF-RESOURCE-ID', `"${resourceId}" is not <INS>^^^&<OID>&ISO^NH`, A.resourceId);
    else if (!(INS_OID_VALUES as readonly string[]).includes(p.oid)) report('VIHF-RESOURCE-ID', `authority ${p.oid} is not an INS OID (${INS_OID_VALUES.join(', ')})`, A.resourceId);
    else if (!INS_NUMBER_PATTERN.test(p.ins) || insKeyIsValid(p.ins) === false) report('VIHF-RESOURCE-ID', 'the INS number or its key is invalid', A.resourceId);
    else patient = p;
  }

  const urn = single(A.ressourceUrn, true);
  if (urn !== undefined && urn !== 'urn:dmp') report('VIHF-RESSOURCE-URN', `"${urn}"`, A.ressourceUrn);

  let purpose: string | undefined;
  const purposeValues = byName(A.purposeOfUse).flatMap((a) => a.values);
  if (purposeValues.length === 0) report('VIHF-ATTRIBUTE-MISSING', A.purposeOfUse, A.purposeOfUse);
  else {
    if (purposeValues.length > 1) report('VIHF-ATTRIBUTE-DUPLICATE', `${purposeValues.length} values`, A.purposeOfUse);
    const v = purposeValues[0]!;
    const code = v.kind === 'coded' ? v.coded.code : v.text;
    const system = v.kind === 'coded' ? v.coded.codeSystem : undefined;
    if (v.kind !== 'coded' || v.coded.element !== 'PurposeOfUse') report('VIHF-PURPOSE-UNKNOWN', 'expected a <PurposeOfUse> CE element', A.purposeOfUse);
    else if (!code || !(code in PURPOSES_OF_USE)) report('VIHF-PURPOSE-UNKNOWN', `code "${code ?? ''}"`, A.purposeOfUse);
    else if (system !== CODE_SYSTEM.modeAcces) report('VIHF-PURPOSE-UNKNOWN', `codeSystem "${system ?? ''}" is not TRE_R248 ${CODE_SYSTEM.modeAcces}`, A.purposeOfUse);
    else purpose = code;
  }

  let confidentiality: string | undefined;
  const confValues = byName(A.confidentialityCode).flatMap((a) => a.values);
  if (confValues.length > 0) {
    const v = confValues[0]!;
    const code = v.kind === 'coded' ? v.coded.code : v.text;
    if (confValues.length > 1) report('VIHF-ATTRIBUTE-DUPLICATE', `${confValues.length} values`, A.confidentialityCode);
    if (!code || !(code in VIHF_CONFIDENTIALITY_CODES)) report('VIHF-CONFIDENTIALITY-CODE', `"${code ?? ''}"`, A.confidentialityCode);
    else if (v.kind === 'coded' && v.coded.codeSystem !== CODE_SYSTEM.statutVisibilite) {
      report('VIHF-CONFIDENTIALITY-CODE', `codeSystem "${v.coded.codeSystem ?? ''}" is not TRE_A07 ${CODE_SYSTEM.statutVisibilite}`, A.confidentialityCode);
    } else confidentiality = code;
  }

  const lpsId = single(A.lpsId, false);
  const lpsName = single(A.lpsNom, true);
  const lpsVersion = single(A.lpsVersion, true);
  const lpsHomologation = single(A.lpsHomologation, true);

  const authn = firstChildElement(assertion, VIHF_NS.saml2, 'AuthnStatement');
  const decl = path(authn, 'AuthnContext', 'AuthnContextDecl');
  const candidate = {
    version,
    authenticationMode: mode,
    structureId,
    secteurActivite: secteur,
    subjectId,
    nameId: summary.nameId ?? undefined,
    profession,
    specialty,
    extraRoles: extraRoles.length > 0 ? extraRoles : undefined,
    patient,
    ressourceUrn: urn,
    purposeOfUse: purpose,
    confidentialityCode: confidentiality,
    lps: { id: lpsId, name: lpsName, version: lpsVersion, homologation: lpsHomologation },
    authnContextClassRef: summary.authnContextClassRef ?? undefined,
    authnContextDecl: decl ? (decl.textContent ?? undefined) : undefined,
    authnInstant: summary.authnInstant ?? undefined,
    issueInstant: summary.issueInstant ?? undefined,
    notBefore: summary.notBefore ?? undefined,
    notOnOrAfter: summary.notOnOrAfter ?? undefined,
    id: summary.id ?? undefined,
    issuer: summary.issuer ?? undefined,
  };
  const parsed = vihfContextSchema.safeParse(dropUndefined(candidate));
  if (!parsed.success) {
    // Issues the rules above did not already explain (e.g. an instant that is not an xs:dateTime).
    for (const issue of parsed.error.issues) {
      const field = issue.path.map(String).join('.');
      const attr = FIELD_ATTRIBUTE[field] ?? FIELD_ATTRIBUTE[String(issue.path[0])] ?? field;
      if (!reported.has(attr)) report('VIHF-ATTRIBUTE-INVALID', `${field}: ${issue.message}`, attr);
    }
  }
  const errors = problems.some((p) => p.severity === 'error');
  return {
    ...(parsed.success && !errors ? { context: parsed.data } : {}),
    problems,
    ...(authAttr ? { authModeAttributeName: authAttr } : {}),
  };
}

const FIELD_ATTRIBUTE: Readonly<Record<string, string>> = {
  version: A.vihfVersion,
  authenticationMode: A.authenticationMode,
  structureId: A.identifiantStructure,
  secteurActivite: A.secteurActivite,
  subjectId: A.subjectId,
  nameId: 'Subject/NameID',
  profession: A.role,
  specialty: A.role,
  extraRoles: A.role,
  patient: A.resourceId,
  ressourceUrn: A.ressourceUrn,
  purposeOfUse: A.purposeOfUse,
  confidentialityCode: A.confidentialityCode,
  'lps.id': A.lpsId,
  'lps.name': A.lpsNom,
  'lps.version': A.lpsVersion,
  'lps.homologation': A.lpsHomologation,
  authnContextClassRef: 'AuthnStatement/AuthnContext/AuthnContextClassRef',
  issueInstant: 'IssueInstant',
  id: 'ID',
  issuer: 'Issuer',
};

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    out[k] = v && typeof v === 'object' && !Array.isArray(v) ? dropUndefined(v as Record<string, unknown>) : v;
  }
  return out as T;
}


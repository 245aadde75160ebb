/**
 * Builds the (unsigned) VIHF SAML 2.0 assertion with the structure of the official samples: `saml2`
 * prefix, attributes in the samples' order, simple values typed xs:string, coded values as HL7 v3 CE
 * elements (`<Role xmlns="urn:hl7-org:v3" … xsi:type="CE"/>`). No whitespace between elements, so the
 * bytes sent are the bytes signed.
 */
import { randomUUID } from 'node:crypto';
import {
  CODE_SYSTEM,
  ISSUER_FORMAT_X509,
  VIHF_ATTRIBUTE as A,
  VIHF_NS,
  type AuthModeAttributeName,
} from './constants.js';
import {
  VIHF_CONFIDENTIALITY_CODES,
  PURPOSES_OF_USE,
  parseVihfContext,
  patientToCx,
  type CodedValue,
  type VihfContext,
  type VihfContextInput,
} from './context.js';
import { VihfProblemError } from './problems.js';
import { escapeXmlAttr as ea, escapeXmlText as et } from './xml.js';

/** Wire choices the public spec leaves open (see docs/vihf.md). */
export interface VihfWireOptions {
  /** `Authentification_Mode` (default: HL7V2 IG, C# kit, DRIMbox) or `Authentification_mode` (official examples). */
  authModeAttributeName?: AuthModeAttributeName;
  /** codeSystemName of PurposeOfUse: `mode acces VIHF 2.0` (examples, default) or `mode acces VIHF 1.0` (kit). */
  purposeOfUseCodeSystemName?: string;
  /**
   * Form of the confidentiality-code value, which no public example shows: an HL7 CE element
   * `<ConfidentialityCode xmlns="urn:hl7-org:v3" …/>` like the other coded attributes (default), or an xs:string code.
   */
  confidentialityCodeForm?: 'ce' | 'string';
}

export interface VihfBuildOptions extends VihfWireOptions {
  /** Issuer DN when the context has none (createSignedVihf takes it from the certificate). */
  issuer?: string;
  /** Clock for the default IssueInstant (tests). */
  now?: () => Date;
}

export interface BuiltVihf {
  xml: string;
  /** The context as written: defaults applied, ID / instants / issuer filled in. */
  context: VihfContext;
}

const SAML = 'saml2';

function stringAttribute(name: string, value: string): string {
  return (
    `<${SAML}:Attribute Name="${ea(name)}"><${SAML}:AttributeValue xmlns:xs="${VIHF_NS.xs}" xsi:type="xs:string">` +
    `${et(value)}</${SAML}:AttributeValue></${SAML}:Attribute>`
  );
}

function codedElement(element: string, v: CodedValue): string {
  let attrs = ` code="${ea(v.code)}" codeSystem="${ea(v.codeSystem)}"`;
  if (v.codeSystemName !== undefined) attrs += ` codeSystemName="${ea(v.codeSystemName)}"`;
  if (v.displayName !== undefined) attrs += ` displayName="${ea(v.displayName)}"`;
  return `<${element} xmlns="${VIHF_NS.hl7}"${attrs} xsi:type="CE"/>`;
}

function codedAttribute(name: string, element: string, values: readonly CodedValue[]): string {
  const inner = values.map((v) => `<${SAML}:AttributeValue>${codedElement(element, v)}</${SAML}:AttributeValue>`).join('');
  return `<${SAML}:Attribute Name="${ea(name)}">${inner}</${SAML}:Attribute>`;
}

/** The roles in wire order: profession, specialty, then the extra roles. */
export function vihfRoles(ctx: Pick<VihfContext, 'profession' | 'specialty' | 'extraRoles'>): CodedValue[] {
  return [ctx.profession, ...(ctx.specialty ? [ctx.specialty] : []), ...(ctx.extraRoles ?? [])];
}

/** Builds the assertion; throws VihfProblemError VIHF-CONTEXT-INVALID on an invalid context. */
export function buildVihfAssertion(input: VihfContextInput, options: VihfBuildOptions = {}): BuiltVihf {
  const parsed = parseVihfContext(input);
  const issuer = parsed.issuer ?? options.issuer;
  if (!issuer) {
    throw new VihfProblemError('VIHF-CONTEXT-INVALID', 'invalid VIHF context: issuer: the DN of the signing certificate is required (createSignedVihf fills it in)');
  }
  const issueInstant = parsed.issueInstant ?? (options.now ?? (() => new Date()))().toISOString();
  const ctx: VihfContext = {
    ...parsed,
    issuer,
    id: parsed.id ?? `_${randomUUID()}`,
    issueInstant,
    authnInstant: parsed.authnInstant ?? issueInstant,
  };

  const attrs: string[] = [stringAttribute(A.identifiantStructure, ctx.structureId), stringAttribute(A.secteurActivite, ctx.secteurActivite)];
  if (ctx.subjectId !== undefined) attrs.push(stringAttribute(A.subjectId, ctx.subjectId));
  attrs.push(codedAttribute(A.role, 'Role', vihfRoles(ctx)));
  attrs.push(stringAttribute(A.vihfVersion, ctx.version));
  attrs.push(stringAttribute(options.authModeAttributeName ?? A.authenticationMode, ctx.authenticationMode));
  if (ctx.patient) attrs.push(stringAttribute(A.resourceId, patientToCx(ctx.patient)));
  attrs.push(stringAttribute(A.ressourceUrn, ctx.ressourceUrn));
  attrs.push(
    codedAttribute(A.purposeOfUse, 'PurposeOfUse', [
      {
        code: ctx.purposeOfUse,
        codeSystem: CODE_SYSTEM.modeAcces,
        codeSystemName: options.purposeOfUseCodeSystemName ?? 'mode acces VIHF 2.0',
        displayName: PURPOSES_OF_USE[ctx.purposeOfUse],
      },
    ]),
  );
  if (ctx.confidentialityCode) {
    attrs.push(
      options.confidentialityCodeForm === 'string'
        ? stringAttribute(A.confidentialityCode, ctx.confidentialityCode)
        : codedAttribute(A.confidentialityCode, 'ConfidentialityCode', [
            { code: ctx.confidentialityCode, codeSystem: CODE_SYSTEM.statutVisibilite, displayName: VIHF_CONFIDENTIALITY_CODES[ctx.confidentialityCode] },
          ]),
    );
  }
  if (ctx.lps.id !== undefined) attrs.push(stringAttribute(A.lpsId, ctx.lps.id));
  attrs.push(stringAttribute(A.lpsNom, ctx.lps.name), stringAttribute(A.lpsVersion, ctx.lps.version), stringAttribute(A.lpsHomologation, ctx.lps.homologation));

  const conditions =
    ctx.notBefore || ctx.notOnOrAfter
      ? `<${SAML}:Conditions${ctx.notBefore ? ` NotBefore="${ea(ctx.notBefore)}"` : ''}${ctx.notOnOrAfter ? ` NotOnOrAfter="${ea(ctx.notOnOrAfter)}"` : ''}/>`
      : '';
  const decl = ctx.authnContextDecl ? `<${SAML}:AuthnContextDecl>${et(ctx.authnContextDecl)}</${SAML}:AuthnContextDecl>` : '';
  const xml =
    `<${SAML}:Assertion xmlns:${SAML}="${VIHF_NS.saml2}" xmlns:xsi="${VIHF_NS.xsi}" ID="${ea(ctx.id!)}" IssueInstant="${ea(issueInstant)}" Version="2.0">` +
    `<${SAML}:Issuer Format="${ISSUER_FORMAT_X509}">${et(issuer)}</${SAML}:Issuer>` +
    `<${SAML}:Subject><${SAML}:NameID>${et(ctx.nameId)}</${SAML}:NameID></${SAML}:Subject>` +
    conditions +
    `<${SAML}:AuthnStatement AuthnInstant="${ea(ctx.authnInstant!)}"><${SAML}:AuthnContext>` +
    `<${SAML}:AuthnContextClassRef>${et(ctx.authnContextClassRef)}</${SAML}:AuthnContextClassRef>${decl}` +
    `</${SAML}:AuthnContext></${SAML}:AuthnStatement>` +
    `<${SAML}:AttributeStatement>${attrs.join('')}</${SAML}:AttributeStatement>` +
    `</${SAML}:Assertion>`;
  return { xml, context: ctx };
}

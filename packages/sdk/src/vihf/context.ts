/**
 * The typed VIHF context: everything the SAML assertion says about who acts, from where, with which
 * software, on which patient and why (dmp-interface.md §2). Building validates it; verifying decodes an
 * assertion back into it.
 */
import { z } from 'zod';
import { INS_OIDS } from '../cda/ids.js';
import { INS_NUMBER_PATTERN, insKeyIsValid } from '../validate/dmp/patient.js';
import { AUTHN_CONTEXT_CLASS, CODE_SYSTEM, PROFESSIONS_REQUIRING_SPECIALTY } from './constants.js';
import { VihfProblemError } from './problems.js';

/** 3.0 in every official example and the kit; the HL7V2 IG table says 4.0 (its own example sends 3.0). */
export const VIHF_VERSIONS = ['3.0', '4.0'] as const;
export type VihfVersion = (typeof VIHF_VERSIONS)[number];

/** TRE_R218 ModeAuthentification. */
export const AUTHENTICATION_MODES = ['DIRECTE', 'INDIRECTE', 'INDIRECTE_RENFORCEE', 'DELEGUEE'] as const;
export type AuthenticationMode = (typeof AUTHENTICATION_MODES)[number];

/** TRE_R248 ModeAcces / JDV_J38, with the displayName of the examples. */
export const PURPOSES_OF_USE = {
  normal: 'Accès normal',
  bris_de_glace: 'Accès en bris de glace',
  centre_15: 'Accès par un centre de régulation médicale',
} as const;
export type PurposeOfUse = keyof typeof PURPOSES_OF_USE;
const PURPOSE_CODES = Object.keys(PURPOSES_OF_USE) as [PurposeOfUse, ...PurposeOfUse[]];

/** JDV_J64 RestrictionAudienceVIHF: a minor's secret access, hidden from the legal representatives. */
export const VIHF_CONFIDENTIALITY_CODES = {
  INVISIBLE_REPRESENTANTS_LEGAUX: 'Non visible par les représentants légaux du patient',
} as const;
export type VihfConfidentialityCode = keyof typeof VIHF_CONFIDENTIALITY_CODES;

export const INS_OID_VALUES = [INS_OIDS.NIR, INS_OIDS.NIA, INS_OIDS.NIR_TEST, INS_OIDS.NIR_DEMO] as const;

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;
/** xs:dateTime with a time zone (the SAML instants). */
const XS_DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** SAML ID is an xs:ID (NCName). */
const NCNAME = /^[A-Za-z_][\w.-]*$/;
export const SECTEUR_ACTIVITE_PATTERN = /^[^\^\s]+\^[0-2](\.(0|[1-9]\d*))+$/;

/** An instant: a Date (written as UTC ISO with milliseconds) or an xs:dateTime string kept as written. */
const instant = z.union([
  z.date().transform((d) => d.toISOString()),
  z
    .string()
    .regex(XS_DATETIME, 'expected an xs:dateTime with a time zone, e.g. 2019-06-26T08:08:55.469Z')
    .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real date'),
]);

/** A coded value as carried by `<Role>` / `<PurposeOfUse>` (HL7 v3 CE). */
export const codedValueSchema = z.object({
  code: z.string().min(1),
  codeSystem: z.string().regex(OID, 'codeSystem must be an OID'),
  codeSystemName: z.string().min(1).optional(),
  displayName: z.string().optional(),
});
export type CodedValue = z.infer<typeof codedValueSchema>;

/** The patient as resource-id: INS number and its authority (NIR, NIA, test NIR, demo NIR). */
export const vihfPatientSchema = z
  .object({
    ins: z.string().regex(INS_NUMBER_PATTERN, 'an INS is 13 characters and a 2-digit key (15 characters)'),
    oid: z.enum(INS_OID_VALUES),
  })
  .refine((p) => insKeyIsValid(p.ins) !== false, { message: 'the INS key (last 2 digits) does not match the number', path: ['ins'] });
export type VihfPatient = z.infer<typeof vihfPatientSchema>;

export const vihfContextSchema = z
  .object({
    /** VIHF_Version. */
    version: z.enum(VIHF_VERSIONS).default('3.0'),
    /** Authentification_Mode. */
    authenticationMode: z.enum(AUTHENTICATION_MODES),
    /** Identifiant_Structure: Struct_IdNat of the structure (e.g. 499900063480001). */
    structureId: z.string().min(1),
    /** Secteur_Activite as `code^OID`, e.g. `SA07^1.2.250.1.71.4.2.4` (JDV_J61). */
    secteurActivite: z.string().regex(SECTEUR_ACTIVITE_PATTERN, 'expected code^OID, e.g. SA07^1.2.250.1.71.4.2.4'),
    /** subject-id: display name of the user ("Prénom Nom"), or "logiciel, modèle, service" for an automate. */
    subjectId: z.string().min(1).optional(),
    /** Subject/NameID: PS_IdNat of the user (or of the person responsible for an automated process). */
    nameId: z.string().min(1),
    /** First role: profession (TRE_G15, TRE_G16, TRE_A00…). */
    profession: codedValueSchema,
    /** Second role: specialty (TRE_R01 for médecins, TRE_G05 for pharmaciens); required for G15 10 and 21. */
    specialty: codedValueSchema.optional(),
    /** Further roles (HL7V2 IG: 3rd TRE_R85 role, 4th TRE_R22 genre d'activité). */
    extraRoles: z.array(codedValueSchema).max(2).optional(),
    /** resource-id: the patient; absent for requests that are not about one patient (TD0.4). */
    patient: vihfPatientSchema.optional(),
    /** Ressource_URN: always urn:dmp. */
    ressourceUrn: z.literal('urn:dmp').default('urn:dmp'),
    /** purposeofuse. */
    purposeOfUse: z.enum(PURPOSE_CODES).default('normal'),
    /** confidentiality-code: only for a minor's secret access ("connexion secrète"). */
    confidentialityCode: z.enum(Object.keys(VIHF_CONFIDENTIALITY_CODES) as [VihfConfidentialityCode]).optional(),
    lps: z.object({
      /** LPS_ID (optional): software instance id. */
      id: z.string().min(1).optional(),
      /** LPS_Nom. */
      name: z.string().min(1),
      /** LPS_Version. */
      version: z.string().min(1),
      /** LPS_ID_HOMOLOGATION_DMP. */
      homologation: z.string().min(1),
    }),
    /** AuthnContextClassRef: must reflect how the user really authenticated locally (HL7V2 IG). */
    authnContextClassRef: z.string().min(1).default(AUTHN_CONTEXT_CLASS.unspecified),
    /** AuthnContextDecl (kit AIR mode: APP_BROWSER_AUTH). */
    authnContextDecl: z.string().min(1).optional(),
    /** AuthnStatement/@AuthnInstant: local login time (default: IssueInstant). */
    authnInstant: instant.optional(),
    /** Assertion/@IssueInstant (default: now). */
    issueInstant: instant.optional(),
    /** Conditions/@NotBefore (optional). */
    notBefore: instant.optional(),
    /** Conditions/@NotOnOrAfter (optional; the HL7V2 IG calls it "NotAfter"). */
    notOnOrAfter: instant.optional(),
    /** Assertion/@ID (default: `_` + UUID, as the examples). */
    id: z.string().regex(NCNAME, 'the assertion ID must be an NCName (start with a letter or _)').optional(),
    /** Issuer: RFC 2253 DN of the signing certificate; filled from the certificate when signing. */
    issuer: z.string().min(1).optional(),
  })
  .superRefine((ctx, issues) => {
    const p = ctx.profession;
    const label = p.codeSystem === CODE_SYSTEM.professionSante ? PROFESSIONS_REQUIRING_SPECIALTY[p.code] : undefined;
    if (label && !ctx.specialty) {
      issues.addIssue({
        code: 'custom',
        path: ['specialty'],
        message:
          `a ${label} (profession ${p.code}) must carry a specialty as second role ` +
          `(${p.code === '10' ? 'TRE_R01 1.2.250.1.71.4.2.5, e.g. SM26' : 'TRE_G05 1.2.250.1.71.4.2.6, e.g. A'}); ` +
          'the DMP refuses it: "Aucune spécialité dans le vihf. Spécialité obligatoire pour les Médecins..."',
      });
    }
    if (ctx.authenticationMode !== 'DIRECTE' && !ctx.subjectId) {
      issues.addIssue({
        code: 'custom',
        path: ['subjectId'],
        message: `subject-id (user display name) is required in ${ctx.authenticationMode} mode (dmp-interface.md §2.1)`,
      });
    }
    if (ctx.notBefore && ctx.notOnOrAfter && Date.parse(ctx.notBefore) >= Date.parse(ctx.notOnOrAfter)) {
      issues.addIssue({ code: 'custom', path: ['notOnOrAfter'], message: 'notOnOrAfter must be after notBefore' });
    }
  });

export type VihfContextInput = z.input<typeof vihfContextSchema>;
export type VihfContext = z.output<typeof vihfContextSchema>;

/** Validates a context; throws VihfProblemError VIHF-CONTEXT-INVALID listing every issue with its path. */
export function parseVihfContext(input: VihfContextInput): VihfContext {
  const r = vihfContextSchema.safeParse(input);
  if (r.success) return r.data;
  const lines = r.error.issues.map((i) => `${i.path.join('.') || '(context)'}: ${i.message}`);
  throw new VihfProblemError('VIHF-CONTEXT-INVALID', `invalid VIHF context: ${lines.join('; ')}`);
}

/** The resource-id CX of a patient: `<INS>^^^&<OID>&ISO^NH`. */
export function patientToCx(p: VihfPatient): string {
  return `${p.ins}^^^&${p.oid}&ISO^NH`;
}

const CX = /^([^^&]+)\^\^\^&([0-9.]+)&ISO\^NH$/;

/** Parses a resource-id CX; undefined when it is not `<INS>^^^&<OID>&ISO^NH`. */
export function cxToPatient(cx: string): { ins: string; oid: string } | undefined {
  const m = CX.exec(cx);
  return m ? { ins: m[1]!, oid: m[2]! } : undefined;
}

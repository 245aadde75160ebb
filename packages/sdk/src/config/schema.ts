/**
 * The profile: what the SDK needs to talk to one DMP environment as one structure, software and professional.
 * Two shapes: ProfileInput (what a file, the environment or flags give, everything optional, validated field by
 * field) and DmpProfile (the merged, checked, normalised result).
 */
import { z } from 'zod';
import type { Secret } from './secret.js';

export const OID = /^[0-2](?:\.(?:0|[1-9]\d*))+$/;

/** TRE_G15 profession, TRE_R01 savoir-faire, TRE_G05 CNOP sub-section, TRE_R02 secteur d'activité (dmp-interface.md §2.2, §2.3). */
export const CODE_SYSTEMS = {
  profession: '1.2.250.1.71.1.2.7',
  specialtyR01: '1.2.250.1.71.4.2.5',
  specialtyG05: '1.2.250.1.71.4.2.6',
  secteurActivite: '1.2.250.1.71.4.2.4',
} as const;

export const AUTH_MODES = ['DIRECTE', 'INDIRECTE', 'INDIRECTE_RENFORCEE', 'DELEGUEE'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

export const PROFILE_PURPOSES_OF_USE = ['normal', 'bris_de_glace', 'centre_15'] as const;
export type ProfilePurposeOfUse = (typeof PROFILE_PURPOSES_OF_USE)[number];

export const DMP_SERVICES = ['patients', 'habilitations', 'registry', 'repository'] as const;
export type DmpServiceName = (typeof DMP_SERVICES)[number];

const text = z.string().trim().min(1, 'must not be empty');
const path = z.string().trim().min(1, 'must not be empty');
/** An identifier that goes into CX/HL7 components: no separators, no spaces. */
const identifier = text.max(64).regex(/^[^\s^&|~\\]+$/, 'must not contain spaces or the HL7 separators ^ & | ~ \\');

/** A code, as `code`, `code^codeSystem` (the VIHF form) or an object. */
export const codedInput = z.union([
  text.regex(/^[^\s^]+(?:\^[0-2](?:\.\d+)+)?$/, 'expected a code or code^OID'),
  z.object({ code: text.regex(/^\S+$/, 'must not contain spaces'), codeSystem: text.regex(OID, 'must be an OID').optional(), displayName: text.optional() }).strict(),
]);

/** A secret: the value itself (discouraged in a file), or where to read it. */
export const secretInput = z.union([
  z.string().min(1, 'must not be empty'),
  z.object({ env: text.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name') }).strict(),
  z.object({ file: path }).strict(),
]);

export const certificateInput = z
  .object({
    /** PKCS#12 file (.p12 / .pfx). */
    p12: path.optional(),
    p12Password: secretInput.optional(),
    /** PEM certificate (chain allowed) and key files. */
    cert: path.optional(),
    key: path.optional(),
    keyPassword: secretInput.optional(),
  })
  .strict();

const positiveMs = z.number().int('must be an integer').positive('must be positive').max(600_000, 'must be at most 600000 (10 minutes)');

export const profileInputSchema = z
  .object({
    /** Base URL of the DMP services: `https://<host>/si-dmp-server/v2/services`. */
    endpoint: text.optional(),
    /** Service path (or absolute URL) per service; default the service name. */
    services: z.object({ patients: text, habilitations: text, registry: text, repository: text }).partial().strict().optional(),
    /** Authentication certificate (mutual TLS): the structure's AUTH_CLI or the card's. */
    auth: certificateInput.optional(),
    /** Signature certificate (VIHF, XAdES of the lot): the structure's ORG SIGN or the card's. */
    signature: certificateInput.optional(),
    /** CA bundle(s) (PEM) to trust for the server certificate. */
    ca: z.union([path, z.array(path).min(1)]).optional(),
    structure: z.object({ id: identifier, name: text, secteurActivite: codedInput }).partial().strict().optional(),
    lps: z.object({ name: text, version: text, homologation: text, id: text }).partial().strict().optional(),
    professional: z
      .object({
        id: identifier,
        name: text,
        profession: codedInput,
        specialty: codedInput,
        authMode: z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.enum(AUTH_MODES)),
      })
      .partial()
      .strict()
      .optional(),
    purposeOfUse: z.enum(PROFILE_PURPOSES_OF_USE).optional(),
    timeouts: z.object({ connectMs: positiveMs, headersMs: positiveMs, bodyMs: positiveMs }).partial().strict().optional(),
    retry: z
      .object({
        attempts: z.number().int('must be an integer').min(1, 'must be at least 1').max(10, 'must be at most 10'),
        baseDelayMs: z.number().int('must be an integer').min(0, 'must not be negative').max(60_000),
        maxDelayMs: z.number().int('must be an integer').min(0, 'must not be negative').max(300_000),
      })
      .partial()
      .strict()
      .optional(),
    maxResponseBytes: z.number().int('must be an integer').positive('must be positive').optional(),
    tls: z
      .object({ minVersion: z.enum(['TLSv1.2', 'TLSv1.3']), maxVersion: z.enum(['TLSv1.2', 'TLSv1.3']), ciphers: text })
      .partial()
      .strict()
      .optional(),
    recording: z.object({ dir: path, redact: z.boolean() }).partial().strict().optional(),
  })
  .strict();

export type ProfileInput = z.input<typeof profileInputSchema>;
type SecretInput = z.input<typeof secretInput>;
export type CertificateInput = z.input<typeof certificateInput>;

export const profilesFileSchema = z
  .object({
    $schema: z.string().optional(),
    defaultProfile: z.string().optional(),
    profiles: z.record(z.string().regex(/^[A-Za-z0-9][\w.-]*$/, 'profile names are letters, digits, _ . -'), z.unknown()),
  })
  .strict();

export interface ProfileCode {
  code: string;
  codeSystem: string;
  displayName?: string;
}

export type CertificateConfig =
  | { kind: 'pkcs12'; path: string; password: Secret }
  | { kind: 'pem'; certPath: string; keyPath: string; keyPassword?: Secret };

export interface DmpProfile {
  name: string;
  /** Without trailing slash. */
  endpoint: string;
  /** Full URL of each service. */
  services: Record<DmpServiceName, string>;
  auth?: CertificateConfig;
  signature?: CertificateConfig;
  /** CA bundle files. */
  ca: string[];
  structure?: { id: string; name?: string; secteurActivite?: ProfileCode };
  lps?: { name: string; version: string; homologation: string; id?: string };
  professional?: { id: string; name?: string; profession: ProfileCode; specialty?: ProfileCode; authMode: AuthMode };
  purposeOfUse: ProfilePurposeOfUse;
  timeouts: { connectMs: number; headersMs: number; bodyMs: number };
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
  maxResponseBytes: number;
  tls: { minVersion: 'TLSv1.2' | 'TLSv1.3'; maxVersion?: 'TLSv1.2' | 'TLSv1.3'; ciphers?: string };
  recording?: { dir: string; redact: boolean };
}

export type { SecretInput };

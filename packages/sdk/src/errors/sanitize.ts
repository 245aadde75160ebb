/**
 * Free text that reaches a log, a JSON error or a diagnosis (fault reasons, codeContext, HTTP bodies of proxies)
 * may quote a patient: the registry writes "PatientId 2070585756270 97 is not known", a CX identifier, or echoes
 * a base64 document. These patterns mask what identifies a patient, and secrets, while keeping the codes and
 * OIDs support needs. Over-masking is preferred to a leak.
 */

/**
 * NIR / NIA shaped number (INS): sex digit, year, month, department (2A/2B for Corsica), commune, order, key —
 * 15 characters. Not preceded or followed by a digit, a letter or a dot, so OID arcs are left alone.
 */
export const INS_PATTERN = /(?<![\w.])[1-478]\d{4}(?:\d{2}|2[AB])\d{8}(?![\w.])/g;

/**
 * CX patient identifier `id^^^&oid&ISO^type` (INS in resource-id and patientId, local IPP in sourcePatientId):
 * group 1 is the id, group 2 the assigning authority and type, which stay. In raw XML the `&` is escaped
 * (`&amp;`): both forms match.
 */
export const CX_ID_PATTERN = /([^\s<>'"^&|(),=;]+)(\^\^\^&(?:amp;)?[0-9.]+&(?:amp;)?ISO(?:\^[A-Za-z0-9_:.-]*)?)/g;

/** A run of base64 long enough to be a document or a key rather than a word. */
const LONG_BASE64 = /[A-Za-z0-9+/]{200,}={0,2}/g;

/** PEM blocks holding private keys (a secret must never be written anywhere). */
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

export const MASK = '[masqué]';

export interface SanitizeOptions {
  /** Longest text kept (characters); longer text is cut and marked. Default 2000 (stack traces in `location`). */
  max?: number;
}

/** Masks INS numbers, CX identifiers, base64 payloads and private keys; trims to `max` characters. */
export function sanitizeText(value: string, options: SanitizeOptions = {}): string {
  const max = options.max ?? 2000;
  let out = value
    .replace(PRIVATE_KEY_PEM, '[private key removed]')
    .replace(LONG_BASE64, (m) => `[base64, ${m.length} chars]`)
    .replace(CX_ID_PATTERN, (_m, _id: string, rest: string) => `${MASK}${rest}`)
    .replace(INS_PATTERN, MASK);
  if (out.length > max) out = `${out.slice(0, max)}… [${out.length - max} more chars]`;
  return out;
}

/** sanitizeText for optional values. */
export function sanitizeOptional(value: string | undefined, options?: SanitizeOptions): string | undefined {
  return value === undefined ? undefined : sanitizeText(value, options);
}

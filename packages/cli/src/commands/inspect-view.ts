/**
 * What `dmp inspect` shows of a decoded message: a plain, JSON-safe copy where document bytes become their length
 * and — unless --show-health-data — patient identifiers (INS, CX ids), names, birth dates and free texts quoting
 * them are masked. Keys are masked by meaning; every other string still goes through the SDK's sanitizer.
 */
import { sanitizeText, type DecodedMessage } from '@dmpkit/sdk';

export const REDACTED = '[redacted]';

/** Values that name or identify a person (patient, or the user in the VIHF). */
const PERSON_KEYS = new Set(['firstName', 'lastName', 'patronymicalName', 'civility', 'dateOfBirth', 'subjectId', 'sourcePatientInfo', 'nationalId']);
/** CX identifiers: the id is masked, the assigning authority kept (support needs it). */
const CX_KEYS = new Set(['patientId', 'sourcePatientId']);
/** XCN: the id is kept (a professional's RPPS), the name components masked. */
const XCN_KEYS = new Set(['authorPerson', 'legalAuthenticator']);

function maskCx(v: string): string {
  const i = v.indexOf('^');
  return i < 0 ? REDACTED : `${REDACTED}${v.slice(i)}`;
}

function maskXcn(v: string): string {
  const parts = v.split('^');
  return parts.map((p, i) => (i >= 1 && i <= 5 && p ? REDACTED : p)).join('^');
}

export interface ViewOptions {
  showHealthData: boolean;
}

function copy(value: unknown, key: string | undefined, o: ViewOptions): unknown {
  if (value instanceof Uint8Array) return { bytes: value.byteLength };
  if (Array.isArray(value)) return value.map((v) => copy(v, key, o));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue;
      // The VIHF resource-id and HL7v3 patient ids: INS number masked, authority kept.
      if (!o.showHealthData && (k === 'patient' || k === 'patientIds') && v && typeof v === 'object') {
        out[k] = maskIds(v);
        continue;
      }
      out[k] = copy(v, k, o);
    }
    return out;
  }
  if (typeof value !== 'string' || o.showHealthData) return value;
  if (key && PERSON_KEYS.has(key)) return REDACTED;
  if (key && CX_KEYS.has(key)) return maskCx(value);
  if (key && XCN_KEYS.has(key)) return sanitizeText(maskXcn(value));
  return sanitizeText(value, { max: 4000 });
}

function maskIds(v: object): unknown {
  if (Array.isArray(v)) return v.map((x) => maskIds(x as object));
  const o = v as Record<string, unknown>;
  const out: Record<string, unknown> = { ...o };
  if (typeof o.ins === 'string') out.ins = REDACTED;
  if (typeof o.extension === 'string') out.extension = REDACTED;
  return out;
}

/** The decoded message as shown (text or --json). */
export function inspectView(decoded: DecodedMessage, options: ViewOptions): Record<string, unknown> {
  return copy(decoded, undefined, options) as Record<string, unknown>;
}

/**
 * A negative HL7v3 acknowledgement (patients service: TD0.2, TD1.3, TD0.5...): `acknowledgement/@typeCode` other
 * than AA/CA, with `acknowledgementDetail` code and text (dmp-interface.md §4.1, §8: DMPFound, DMPClosed...).
 */
import { DmpError, type DmpErrorOptions } from './dmp-error.js';
import { sanitizeOptional, sanitizeText } from './sanitize.js';
import { text } from './types.js';

/** Application Error / Reject, and their commit-level counterparts. */
export type Hl7v3NackType = 'AE' | 'AR' | 'CE' | 'CR';
const NACK_TYPES: readonly string[] = ['AE', 'AR', 'CE', 'CR'];

export interface Hl7v3AckDetail {
  /** `acknowledgementDetail/code/@code` (`DMPFound`). */
  code?: string;
  codeSystem?: string;
  /** `acknowledgementDetail/text`. */
  text?: string;
  /** `acknowledgementDetail/@typeCode`: E error, W warning, I information. */
  typeCode?: string;
  /** `acknowledgementDetail/location`. */
  location?: string;
}

export interface Hl7v3NackInit extends DmpErrorOptions {
  typeCode: string;
  details?: Hl7v3AckDetail[];
  /** Interaction of the response (`PRPA_IN201308UV02`). */
  interaction?: string;
  /** `acknowledgement/targetMessage/id`: the request it answers. */
  targetMessageId?: string;
  /** `queryAck/queryResponseCode/@code` when the response has one. */
  queryResponseCode?: string;
}

/** Catalogue key of an acknowledgement type without a more specific detail code. */
export const hl7v3AckKey = (typeCode: string): string => `hl7v3:ack:${typeCode}`;

export class Hl7v3NackError extends DmpError {
  readonly kind = 'hl7v3' as const;
  readonly typeCode: Hl7v3NackType;
  /** `acknowledgementDetail` elements as parsed. */
  readonly ackDetails: readonly Hl7v3AckDetail[];
  readonly interaction: string | undefined;
  readonly targetMessageId: string | undefined;
  readonly queryResponseCode: string | undefined;

  constructor(init: Hl7v3NackInit) {
    const typeCode = init.typeCode?.trim().toUpperCase();
    if (!NACK_TYPES.includes(typeCode)) {
      throw new TypeError(`Hl7v3NackError: typeCode must be one of ${NACK_TYPES.join(', ')} (got "${init.typeCode}"); AA/CA are positive acknowledgements`);
    }
    const details = init.details ?? [];
    const coded = details.find((d) => d.code?.trim());
    const code = coded?.code?.trim() ?? hl7v3AckKey(typeCode);
    const firstText = details.find((d) => d.text?.trim())?.text?.trim();
    const shown = firstText ? ` — ${sanitizeText(firstText, { max: 300 })}` : '';
    super(code, text(`Acquittement HL7v3 négatif ${typeCode} (${code})${shown}`, `Negative HL7v3 acknowledgement ${typeCode} (${code})${shown}`), init);
    this.typeCode = typeCode as Hl7v3NackType;
    this.ackDetails = details;
    this.interaction = init.interaction;
    this.targetMessageId = init.targetMessageId;
    this.queryResponseCode = init.queryResponseCode;
  }

  protected details(): Record<string, unknown> {
    return {
      typeCode: this.typeCode,
      interaction: this.interaction,
      targetMessageId: this.targetMessageId,
      queryResponseCode: this.queryResponseCode,
      acknowledgementDetails: this.ackDetails.map((d) => ({
        code: d.code,
        codeSystem: d.codeSystem,
        typeCode: d.typeCode,
        text: sanitizeOptional(d.text, { max: 1000 }),
        location: sanitizeOptional(d.location, { max: 300 }),
      })),
    };
  }
}

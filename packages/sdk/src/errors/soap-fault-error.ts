/** A SOAP Fault (1.1 or 1.2) as the SOAP codec parsed it. */
import { DmpError, type DmpErrorOptions } from './dmp-error.js';
import { normalizeFaultCode, normalizeSubcode, splitDottedSoap11Code, type FaultCode, type QNameInput } from './fault-code.js';
import { sanitizeOptional, sanitizeText } from './sanitize.js';
import { text } from './types.js';

export interface FaultReason {
  lang?: string;
  text: string;
}

export interface SoapFaultInit extends DmpErrorOptions {
  soapVersion: '1.1' | '1.2';
  /** 1.2 `Code/Value`, 1.1 `faultcode` (dotted refinements are split into subcodes). */
  code: QNameInput;
  /** 1.2 `Subcode/Value` chain, outermost first. */
  subcodes?: QNameInput[];
  /** 1.2 `Reason/Text` (one per language), 1.1 `faultstring`. */
  reason: string | FaultReason[];
  /** Text content of `Detail` / `detail`, as is (sanitised on output). */
  detail?: string;
  /** 1.2 `Node` / 1.1 `faultactor`. */
  node?: string;
  role?: string;
  /** WS-Addressing Action of the fault message, when present. */
  action?: string;
  httpStatus?: number;
}

export class SoapFaultError extends DmpError {
  readonly kind = 'soap' as const;
  readonly soapVersion: '1.1' | '1.2';
  readonly faultCode: FaultCode;
  /** Outermost first; the last one is the most specific. */
  readonly subcodes: readonly FaultCode[];
  readonly reasons: readonly FaultReason[];
  readonly detail: string | undefined;
  readonly node: string | undefined;
  readonly role: string | undefined;
  readonly action: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(init: SoapFaultInit) {
    if (init.soapVersion !== '1.1' && init.soapVersion !== '1.2') throw new TypeError(`SoapFaultError: soapVersion must be "1.1" or "1.2"`);
    let codeInput = init.code;
    const extra: QNameInput[] = [];
    if (init.soapVersion === '1.1' && typeof codeInput === 'string' && codeInput.includes('.')) {
      const split = splitDottedSoap11Code(codeInput);
      codeInput = split.code;
      extra.push(...split.refinements);
    }
    const faultCode = normalizeFaultCode(codeInput, init.soapVersion);
    const subcodes = [...extra, ...(init.subcodes ?? [])].map((s) => normalizeSubcode(s, init.soapVersion));
    const reasons = typeof init.reason === 'string' ? [{ text: init.reason }] : init.reason;
    const mostSpecific = subcodes.at(-1) ?? faultCode;
    const reason = pickReason(reasons, 'fr') ?? '';
    const chain = [faultCode, ...subcodes].map((c) => c.canonical).join(' / ');
    // The reason may quote a patient: it is sanitised in the message (toJSON sanitises again, harmlessly).
    const shown = reason ? ` — ${sanitizeText(reason, { max: 300 })}` : '';
    super(mostSpecific.canonical, text(`Faute SOAP ${chain}${shown}`, `SOAP fault ${chain}${shown}`), init);
    this.soapVersion = init.soapVersion;
    this.faultCode = faultCode;
    this.subcodes = subcodes;
    this.reasons = reasons;
    this.detail = init.detail;
    this.node = init.node;
    this.role = init.role;
    this.action = init.action?.trim();
    this.httpStatus = init.httpStatus;
  }

  /** The reason in `lang` when the fault has it, else the first one. */
  reason(lang?: string): string {
    return pickReason(this.reasons, lang) ?? '';
  }

  /** Every code of the fault, most specific first: the lookup order of the catalogue. */
  codesMostSpecificFirst(): FaultCode[] {
    return [...this.subcodes].reverse().concat(this.faultCode);
  }

  protected details(): Record<string, unknown> {
    return {
      soapVersion: this.soapVersion,
      faultCode: this.faultCode.canonical,
      subcodes: this.subcodes.map((s) => s.canonical),
      reasons: this.reasons.map((r) => ({ lang: r.lang, text: sanitizeText(r.text, { max: 1000 }) })),
      detail: sanitizeOptional(this.detail, { max: 1000 }),
      node: this.node,
      role: this.role,
      action: this.action,
      httpStatus: this.httpStatus,
    };
  }
}

function pickReason(reasons: readonly FaultReason[], lang?: string): string | undefined {
  if (lang) {
    const match = reasons.find((r) => r.lang?.toLowerCase().startsWith(lang.toLowerCase()));
    if (match) return match.text.trim();
  }
  return reasons[0]?.text.trim();
}

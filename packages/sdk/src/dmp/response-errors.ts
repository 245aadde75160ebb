/**
 * Turns a decoded DMP response into the typed error it carries, if any: SOAP fault → SoapFaultError, XDS Failure →
 * RegistryError, negative HL7v3 acknowledgement → Hl7v3NackError, DMP service status other than DMPOk →
 * DmpServiceError, and a response that is not the one the transaction expects → UnexpectedResponseError.
 */
import { DmpError, type DmpErrorOptions } from '../errors/dmp-error.js';
import { DmpServiceError } from '../errors/dmp-service-error.js';
import { Hl7v3NackError } from '../errors/hl7v3-nack-error.js';
import { RegistryError } from '../errors/registry-error.js';
import { SoapFaultError } from '../errors/soap-fault-error.js';
import { text } from '../errors/types.js';
import type { DecodedMessage } from '../soap/decode-message.js';
import type { DecodedRegistryResponse } from '../xds/ebrim-decode.js';

/** The response is readable but is not what the transaction answers (wrong service, empty body…). */
export class UnexpectedResponseError extends DmpError {
  readonly kind = 'soap' as const;
  readonly expected: string;
  readonly received: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(init: DmpErrorOptions & { expected: string; received?: string; httpStatus?: number; problems?: string[] }) {
    const got = init.received ?? 'no recognisable payload';
    super(
      'DMPKIT-UNEXPECTED-RESPONSE',
      text(`Réponse inattendue : ${init.expected} attendu, ${got} reçu`, `Unexpected response: expected ${init.expected}, got ${got}`),
      init,
    );
    this.expected = init.expected;
    this.received = init.received;
    this.httpStatus = init.httpStatus;
  }

  protected details(): Record<string, unknown> {
    return { expected: this.expected, received: this.received, httpStatus: this.httpStatus };
  }
}

export interface ResponseContext {
  correlationId: string;
  transaction: string;
  /** Absent for a saved message without its HTTP head. */
  httpStatus?: number;
}

/** The status part of any registry answer (RegistryResponse, AdhocQueryResponse, the one inside a retrieve answer). */
type RegistryStatusPart = Pick<DecodedRegistryResponse, 'outcome' | 'status' | 'errors' | 'highestSeverity'>;

function registryFailure(r: RegistryStatusPart, response: string, ctx: ResponseContext): RegistryError | undefined {
  if (r.outcome !== 'Failure') return undefined;
  return new RegistryError({
    status: r.status,
    errors: r.errors.map((e) => ({ errorCode: e.errorCode, severity: e.severity, codeContext: e.codeContext, ...(e.location ? { location: e.location } : {}) })),
    ...(r.highestSeverity ? { highestSeverity: r.highestSeverity } : {}),
    response,
    correlationId: ctx.correlationId,
    transaction: ctx.transaction,
  });
}

/** The typed error a decoded response carries, or undefined when it is a positive answer. */
export function errorOfResponse(decoded: DecodedMessage, ctx: ResponseContext): DmpError | undefined {
  const opts = { correlationId: ctx.correlationId, transaction: ctx.transaction };
  if (decoded.fault) {
    const f = decoded.fault;
    const q = (x: { raw: string; local: string; namespace?: string }) => (x.namespace ? { namespace: x.namespace, localName: x.local } : x.raw);
    return new SoapFaultError({
      soapVersion: f.version,
      code: q(f.code),
      subcodes: f.subcodes.map(q),
      reason: f.reasons.length ? f.reasons.map((r) => (r.lang ? { lang: r.lang, text: r.text } : { text: r.text })) : f.reason,
      ...(f.detail !== undefined ? { detail: f.detail } : {}),
      ...(f.node !== undefined ? { node: f.node } : {}),
      ...(f.role !== undefined ? { role: f.role } : {}),
      ...(decoded.soap?.addressing.action ? { action: decoded.soap.addressing.action } : {}),
      ...(ctx.httpStatus ? { httpStatus: ctx.httpStatus } : {}),
      ...opts,
    });
  }
  const x = decoded.xds;
  if (x?.kind === 'RegistryResponse') return registryFailure(x, 'RegistryResponse', ctx);
  if (x?.kind === 'AdhocQueryResponse') return registryFailure(x, 'AdhocQueryResponse', ctx);
  if (x?.kind === 'RetrieveDocumentSetResponse') return registryFailure(x.response, 'RetrieveDocumentSetResponse', ctx);
  const h = decoded.hl7v3;
  if (h && 'acknowledgement' in h) {
    const type = h.acknowledgement.typeCode?.trim().toUpperCase();
    if (type && type !== 'AA' && type !== 'CA') {
      return new Hl7v3NackError({
        typeCode: type,
        details: h.acknowledgement.details.map((d) => ({ ...(d.code ? { code: d.code } : {}), ...(d.text ? { text: d.text } : {}), ...(d.typeCode ? { typeCode: d.typeCode } : {}) })),
        interaction: h.kind,
        ...(h.queryResponseCode ? { queryResponseCode: h.queryResponseCode } : {}),
        ...opts,
      });
    }
  }
  const d = decoded.dmp;
  if (d && 'response' in d && !d.response.ok) {
    return new DmpServiceError({
      status: d.response.status ?? '(no status)',
      ...(d.response.context ? { context: d.response.context } : {}),
      operation: d.kind.replace(/Response$/, ''),
      ...opts,
    });
  }
  return undefined;
}

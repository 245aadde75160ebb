/**
 * DmpClient: one client for every DMP transaction (`client.send(new XCommand(input))`). For each command it signs
 * a VIHF for the command's patient, wraps the body in a SOAP 1.2 / WS-Addressing envelope (MTOM when the command
 * has attachments), sends it through the middleware stack and the transport to the transaction's service, decodes
 * the response and either throws the typed error it carries or returns the command's typed output. Every result
 * carries `$metadata.correlationId` (the request's MessageID) and every error its `correlationId`.
 */
import { DmpError } from '../errors/dmp-error.js';
import { TransportError } from '../errors/transport-error.js';
import type { SigningCredentials } from '../pki/credentials.js';
import { DMP_TRANSACTIONS, type DmpService } from '../soap/actions.js';
import { decodeMessage, type DecodedMessage } from '../soap/decode-message.js';
import { buildSoapRequest } from '../soap/envelope.js';
import { newMessageId } from '../soap/addressing.js';
import { buildMtom } from '../soap/mtom.js';
import { SoapTransport, type SoapRequest, type TransportOptions } from '../transport/soap-transport.js';
import type { VihfContextInput } from '../vihf/context.js';
import { createSignedVihf } from '../vihf/sign.js';
import type { XdsAuthor, XdsCode } from '../xds/model.js';
import { DMP_OIDS } from '../xds/uuids.js';
import type { DmpCommand, DmpResult, SerializedCommand } from './command.js';
import type { DmpMiddleware, SendHandler } from './middleware.js';
import { errorOfResponse, UnexpectedResponseError } from './response-errors.js';

export interface DmpClientConfig {
  /** `https://<host>/si-dmp-server/v2/services` (a service name is appended), or a simulator's base URL. */
  baseUrl: string;
  /** Full URL of a service when it does not follow `<baseUrl>/<service>`. */
  services?: Partial<Record<DmpService, string>>;
  /** The VIHF of the acting user; `patient` is set per command. */
  vihf: Omit<VihfContextInput, 'patient' | 'issueInstant' | 'id'>;
  /** The signature certificate (ORG SIGN, or the CPS signature key) that signs the VIHF and the lot. */
  signing: SigningCredentials;
  /** A transport to use (shared, configured from a profile); otherwise one is created with `transportOptions`. */
  transport?: SoapTransport;
  transportOptions?: TransportOptions;
  middleware?: DmpMiddleware[];
  /** HL7v3 sender device id (an OID of the LPS); default: the VIHF LPS_ID when it is an OID. */
  deviceId?: string;
  /** Submission source (the LPS's sourceId OID) and uniqueId root for submission sets. */
  sourceId?: string;
  repositoryUniqueId?: string;
  /** The SubmissionSet author (the sender); default: the VIHF's NameID and structure. */
  sender?: XdsAuthor;
  /** SubmissionSet contentTypeCode (JDV_J59) when a command does not give one. */
  contentTypeCode?: XdsCode;
  /** Clock for tests. */
  now?: () => Date;
}

const OID = /^[0-2](\.(0|[1-9]\d*))+$/;

/** An error of the client's own wiring (not of the DMP): bad configuration or input, before anything is sent. */
export class DmpClientError extends Error {
  override readonly name = 'DmpClientError';
  constructor(
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export class DmpClient {
  readonly config: Readonly<DmpClientConfig>;
  readonly #transport: SoapTransport;
  readonly #ownsTransport: boolean;
  readonly #middleware: DmpMiddleware[];

  constructor(config: DmpClientConfig) {
    try {
      new URL(config.baseUrl);
    } catch {
      throw new DmpClientError('CLIENT-CONFIG', 'baseUrl is not a valid URL');
    }
    this.config = config;
    this.#transport = config.transport ?? new SoapTransport(config.transportOptions);
    this.#ownsTransport = !config.transport;
    this.#middleware = [...(config.middleware ?? [])];
  }

  /** Adds a middleware (outermost last added). */
  use(middleware: DmpMiddleware): this {
    this.#middleware.push(middleware);
    return this;
  }

  now(): Date {
    return this.config.now?.() ?? new Date();
  }

  get repositoryUniqueId(): string {
    return this.config.repositoryUniqueId ?? DMP_OIDS.repositoryUniqueId;
  }

  get deviceId(): string {
    if (this.config.deviceId) return this.config.deviceId;
    const id = this.config.vihf.lps.id;
    return id && OID.test(id) ? id : '1.2.250.1.213.4.1.1.1';
  }

  serviceUrl(service: DmpService): string {
    return this.config.services?.[service] ?? `${this.config.baseUrl.replace(/\/+$/, '')}/${service}`;
  }

  async close(): Promise<void> {
    if (this.#ownsTransport) await this.#transport.close();
  }

  /**
   * The exact request a command produces (envelope with signed VIHF, MTOM when needed), without sending it.
   * `dmp submit --dry-run` prints this.
   */
  async build<I, O>(command: DmpCommand<I, O>, serialized?: SerializedCommand): Promise<SoapRequest & { envelope: string; messageId: string }> {
    const tx = DMP_TRANSACTIONS[command.transaction];
    const parts = serialized ?? (await command.serialize(this));
    const vihf = createSignedVihf({ ...this.config.vihf, ...(parts.patient ? { patient: parts.patient } : {}), issueInstant: this.now().toISOString() }, this.config.signing);
    const url = this.serviceUrl(tx.service);
    const messageId = newMessageId();
    const { xml } = buildSoapRequest({ action: tx.request, to: url, messageId, security: vihf.xml, body: parts.body });
    const base = { url, mode: command.mode, transaction: command.transaction, correlationId: messageId, envelope: xml, messageId };
    if (parts.attachments?.length) {
      const mtom = buildMtom({ root: xml, action: tx.request, attachments: parts.attachments });
      const chunks = mtom.chunks.map((c) => {
        if (!(c instanceof Uint8Array)) throw new DmpClientError('CLIENT-STREAM', 'streamed attachments are not supported by the client: pass bytes');
        return c;
      });
      return { ...base, body: chunks, contentType: mtom.contentType };
    }
    return { ...base, body: Buffer.from(xml, 'utf8'), contentType: `application/soap+xml; charset=UTF-8; action="${tx.request}"` };
  }

  /** Runs a command: its typed output with `$metadata`, or a typed DmpError carrying the correlation id. */
  async send<I, O>(command: DmpCommand<I, O>, options: { signal?: AbortSignal } = {}): Promise<DmpResult<O>> {
    if (command.prepare) await command.prepare(this);
    const { envelope: _e, messageId: _m, ...request } = await this.build(command);
    if (options.signal) request.signal = options.signal;
    if (command.beforeRetry) request.beforeRetry = command.beforeRetry(this);
    const ctx = { transaction: command.transaction, commandName: command.constructor.name };
    let handler: SendHandler = (req) => this.#transport.send(req);
    for (const m of this.#middleware) handler = m(handler, ctx);
    const started = Date.now();
    let response;
    try {
      response = await handler(request);
    } catch (err) {
      if (err instanceof TransportError && command.recover) {
        const recovered = await command.recover(this, err);
        if (recovered !== undefined) {
          const metadata = { transaction: command.transaction, correlationId: err.correlationId ?? request.correlationId!, httpStatus: 0, attempts: err.retry?.attempts ?? 1, durationMs: Date.now() - started, warnings: [err.code] };
          return { ...recovered, $metadata: metadata };
        }
      }
      throw err;
    }
    const correlationId = response.correlationId;
    let decoded: DecodedMessage;
    try {
      decoded = decodeMessage(response.body, response.contentType);
    } catch (err) {
      throw new UnexpectedResponseError({ expected: DMP_TRANSACTIONS[command.transaction].response, received: 'an undecodable message', correlationId, transaction: command.transaction, httpStatus: response.status, cause: err });
    }
    const rctx = { correlationId, transaction: command.transaction, httpStatus: response.status };
    const failure = errorOfResponse(decoded, rctx);
    if (failure) throw failure;
    let output: O;
    try {
      output = command.deserialize(decoded, { body: response.body, contentType: response.contentType });
    } catch (err) {
      if (err instanceof DmpError) throw err.withContext(rctx);
      throw err;
    }
    const warnings = [...new Set(decoded.issues.filter((i) => i.severity !== 'info').map((i) => i.code))];
    return {
      ...output,
      $metadata: { transaction: command.transaction, correlationId, httpStatus: response.status, attempts: response.attempts, durationMs: Date.now() - started, warnings },
    };
  }
}

/** Checks that a decoded response holds the payload a command expects; throws UnexpectedResponseError otherwise. */
export function expectPayload(decoded: DecodedMessage, name: string): void {
  if (decoded.payload.name !== name) {
    throw new UnexpectedResponseError({ expected: name, ...(decoded.payload.name ? { received: decoded.payload.name } : {}) });
  }
}

/**
 * The command pattern of the client (AWS SDK v3 style): one class per DMP transaction, holding its typed input,
 * knowing how to turn it into a SOAP body (plus MTOM attachments and the VIHF patient), and how to read the
 * decoded response into a typed output. The client does the rest (VIHF, envelope, transport, typed errors).
 */
import type { TransportError } from '../errors/transport-error.js';
import type { DmpTransaction } from '../soap/actions.js';
import type { DecodedMessage } from '../soap/decode-message.js';
import type { MtomAttachment } from '../soap/mtom.js';
import type { BeforeRetryHook, RequestMode } from '../transport/soap-transport.js';
import type { VihfPatient } from '../vihf/context.js';
import type { DmpClient } from './client.js';

/** What a command contributes to a request. */
export interface SerializedCommand {
  /** The SOAP Body content (verbatim XML). */
  body: string;
  /** MTOM attachments referenced by xop:Include in the body (ITI-41). */
  attachments?: MtomAttachment[];
  /** The patient the request is about: the VIHF resource-id (absent for TD0.4). */
  patient?: VihfPatient;
}

/** Facts about the exchange, on every result (`$metadata`) and — through the error — on every failure. */
export interface ResponseMetadata {
  transaction: DmpTransaction;
  /** The WS-Addressing MessageID of the request, used as correlation id by the transport. */
  correlationId: string;
  httpStatus: number;
  attempts: number;
  durationMs: number;
  /** Non-fatal problems the decoder met in the response (codes only, no content). */
  warnings: string[];
}

export type DmpResult<O> = O & { $metadata: ResponseMetadata };

export abstract class DmpCommand<Input, Output> {
  abstract readonly transaction: DmpTransaction;
  /** read: retried by the transport when safe; write: never retried blindly. */
  readonly mode: RequestMode = 'read';

  constructor(readonly input: Input) {}

  /** Queries run before the request (e.g. the entryUUID of the document a submission replaces). */
  prepare?(client: DmpClient): Promise<void>;

  abstract serialize(client: DmpClient): SerializedCommand | Promise<SerializedCommand>;

  /**
   * Reads a response already known not to be a fault nor a failure (the client checked). `raw` is the response as
   * received, for payloads the generic decoder only names (PDQv3).
   */
  abstract deserialize(decoded: DecodedMessage, raw: { body: Buffer; contentType: string }): Output;

  /** For a write: decides whether a retry is safe after a transport failure (e.g. the document did not land). */
  beforeRetry?(client: DmpClient): BeforeRetryHook;

  /** For a write: after a transport failure, the output if the write is known to have been done anyway. */
  recover?(client: DmpClient, error: TransportError): Promise<Output | undefined>;
}

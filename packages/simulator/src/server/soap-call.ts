/**
 * One SOAP request through the simulator: decoded with the SDK's codecs (MTOM, SOAP 1.2/1.1, WS-Addressing),
 * its Action checked against the service, its VIHF verified with the SDK (strict or lenient), then handed to the
 * transaction's handler. Failures before the handler are SOAP faults shaped like the DMP's.
 */
import {
  buildFault,
  buildMtom,
  buildSoapResponse,
  decodeMessage,
  DMP_TRANSACTIONS,
  IHE_ACTIONS,
  IssueLog,
  parseMultipart,
  mtomToBuffer,
  verifyVihf,
  type DecodedMessage,
  type DmpService,
  type MtomAttachment,
  type SoapVersion,
  type VihfContext,
  type VihfVerification,
} from '@dmpkit/sdk';
import type { SimulatorContext } from './context.js';

/** Transactions by (service, Action). TD0.2 and TD1.3a share an Action: the handler tells them apart by reasonCode. */
export interface Route {
  service: DmpService;
  action: string;
  responseAction: string;
  /** TD0.2, TD0.3, TD0.4, TD1.6, TD2.1, TD3.1, TD3.2, TD3.3. */
  transaction: string;
  /** The VIHF must name a patient (resource-id). */
  patientScoped: boolean;
}

const ROUTES: Route[] = [
  { service: 'patients', action: DMP_TRANSACTIONS['TD0.2'].request, responseAction: DMP_TRANSACTIONS['TD0.2'].response, transaction: 'TD0.2', patientScoped: true },
  { service: 'patients', action: DMP_TRANSACTIONS['TD0.4'].request, responseAction: DMP_TRANSACTIONS['TD0.4'].response, transaction: 'TD0.4', patientScoped: false },
  { service: 'habilitations', action: DMP_TRANSACTIONS['TD0.3'].request, responseAction: DMP_TRANSACTIONS['TD0.3'].response, transaction: 'TD0.3', patientScoped: true },
  { service: 'habilitations', action: DMP_TRANSACTIONS['TD1.6'].request, responseAction: DMP_TRANSACTIONS['TD1.6'].response, transaction: 'TD1.6', patientScoped: true },
  { service: 'repository', action: IHE_ACTIONS['ITI-41'].request, responseAction: IHE_ACTIONS['ITI-41'].response, transaction: 'TD2.1', patientScoped: true },
  { service: 'repository', action: IHE_ACTIONS['ITI-43'].request, responseAction: IHE_ACTIONS['ITI-43'].response, transaction: 'TD3.2', patientScoped: true },
  { service: 'registry', action: IHE_ACTIONS['ITI-18'].request, responseAction: IHE_ACTIONS['ITI-18'].response, transaction: 'TD3.1', patientScoped: true },
  { service: 'registry', action: IHE_ACTIONS['ITI-57'].request, responseAction: IHE_ACTIONS['ITI-57'].response, transaction: 'TD3.3', patientScoped: true },
];

export const SERVICES: readonly DmpService[] = ['patients', 'habilitations', 'registry', 'repository'];

export function routeOf(service: string, action: string | undefined): Route | undefined {
  return ROUTES.find((r) => r.service === service && r.action === action);
}

export function actionsOf(service: string): string[] {
  return ROUTES.filter((r) => r.service === service).map((r) => r.action);
}

/** A decision the simulator took, for the request log and the console. */
export interface DecisionRecord {
  action: string;
  document?: string;
  decision: string;
  reason: string;
  rules: Array<{ id: string; effect: string; text: string }>;
}

export interface SoapCall {
  ctx: SimulatorContext;
  route: Route;
  version: SoapVersion;
  messageId?: string;
  decoded: DecodedMessage;
  vihf: VihfContext;
  now: number;
  decisions: DecisionRecord[];
  traceIds: number[];
}

export interface SoapAnswer {
  /** The Body content (XML). */
  body: string;
  /** MTOM attachments (ITI-43): the answer goes out as multipart/related. */
  attachments?: MtomAttachment[];
  /** Always MTOM, even without attachments (ITI-43 answers are, dmp-interface.md §1.1). */
  mtom?: boolean;
  /** Outcome for the request log (Success, Failure, AE...). */
  outcome: string;
}

/** A SOAP fault the simulator answers (HTTP 500 for the DMP's faults, 400 for unreadable requests). */
export class SimulatorFault extends Error {
  constructor(
    readonly code: 'Sender' | 'Receiver',
    readonly subcode: string,
    reason: string,
    readonly httpStatus = 500,
    readonly detail?: string,
  ) {
    super(reason);
  }

  /** The request's SOAP version and MessageID, once known: the fault answers in the same version. */
  version?: SoapVersion;
  relatesTo?: string;
}

/** Namespace of the DMP's own fault subcodes (DMPInvalidCertificate is written `soap:DMPInvalidCertificate`). */
const FAULT_SUBCODE_NS = 'http://www.w3.org/2003/05/soap-envelope';
const DMPKIT_FAULT_NS = 'urn:dmpkit:simulator:fault';

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: Buffer;
}

/** Reasons may quote the request (an Action, a parser message): characters XML 1.0 cannot carry would make writing the fault throw. */
const xmlSafe = (s: string): string => s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD');

export function faultAnswer(f: SimulatorFault, version: SoapVersion, relatesTo?: string): HttpAnswer {
  // DMP-observed subcodes live in the envelope namespace (soap:DMPInvalidCertificate); dmpkit's own VIHF-* codes in ours.
  const ns = f.subcode.startsWith('DMP') ? FAULT_SUBCODE_NS : DMPKIT_FAULT_NS;
  const body = buildFault({ version, code: f.code, subcodes: [{ namespace: ns, local: f.subcode }], reason: xmlSafe(f.message), ...(f.detail ? { detail: xmlSafe(f.detail) } : {}) });
  const action = 'http://www.w3.org/2005/08/addressing/soap/fault';
  const { xml } = buildSoapResponse({ action, body, version, ...(relatesTo ? { relatesTo } : {}) });
  const type = version === '1.1' ? 'text/xml; charset=UTF-8' : `application/soap+xml; charset=UTF-8; action="${action}"`;
  return { status: f.httpStatus, contentType: type, body: Buffer.from(xml, 'utf8') };
}

export async function successAnswer(call: SoapCall, answer: SoapAnswer): Promise<HttpAnswer> {
  const { xml } = buildSoapResponse({ action: call.route.responseAction, body: answer.body, version: call.version, ...(call.messageId ? { relatesTo: call.messageId } : {}) });
  if (answer.mtom || answer.attachments?.length) {
    const msg = buildMtom({ root: xml, attachments: answer.attachments ?? [], action: call.route.responseAction, soapVersion: call.version });
    return { status: 200, contentType: msg.contentType, body: await mtomToBuffer(msg) };
  }
  const type = call.version === '1.1' ? 'text/xml; charset=UTF-8' : `application/soap+xml; charset=UTF-8; action="${call.route.responseAction}"`;
  return { status: 200, contentType: type, body: Buffer.from(xml, 'utf8') };
}

/** The root part of the request (the envelope bytes), where the VIHF is. */
function envelopeOf(body: Buffer, decoded: DecodedMessage, contentType: string | undefined): Uint8Array {
  if (!decoded.format.includes('mime')) return body;
  const mp = parseMultipart(body, { maxBytes: body.byteLength + 1, ...(contentType ? { contentType } : {}) }, new IssueLog());
  return mp?.parts[mp.rootIndex]?.body ?? body;
}

export interface PreparedCall {
  decoded: DecodedMessage;
  route: Route;
  version: SoapVersion;
  messageId?: string;
  verification: VihfVerification;
  vihf: VihfContext;
}

/** What decoding and authenticating a request depends on: the settings of the moment and the simulator's clock. */
export interface PrepareSettings {
  vihfMode: SimulatorContext['settings']['vihfMode'];
  trustedCertificates: string[];
  maxBodyBytes: number;
  /** The simulator's time (ms), for the VIHF and certificate validity. */
  at: number;
}

export const prepareSettingsOf = (ctx: SimulatorContext): PrepareSettings => ({
  vihfMode: ctx.settings.vihfMode,
  trustedCertificates: ctx.settings.trustedCertificates,
  maxBodyBytes: ctx.settings.maxBodyBytes,
  at: ctx.clock.now(),
});

/** Decodes, routes and authenticates a request; throws SimulatorFault on the first problem. A pure function of its inputs (it also runs in the decode threads). */
export function prepareCall(settings: PrepareSettings, service: string, body: Buffer, contentType: string | undefined): PreparedCall {
  const decoded = decodeMessage(body, contentType, { maxBytes: settings.maxBodyBytes });
  const soap = decoded.soap;
  if (!soap) {
    const first = decoded.issues.find((i) => i.severity === 'error');
    throw new SimulatorFault('Sender', 'InvalidMessage', `La requête n'est pas une enveloppe SOAP lisible${first ? ` : ${first.message}` : ''}`, 400);
  }
  try {
    return prepareSoapCall(settings, service, body, contentType, decoded, soap);
  } catch (e) {
    if (e instanceof SimulatorFault) {
      e.version = soap.version;
      if (soap.addressing.messageId) e.relatesTo = soap.addressing.messageId;
    }
    throw e;
  }
}

function prepareSoapCall(settings: PrepareSettings, service: string, body: Buffer, contentType: string | undefined, decoded: DecodedMessage, soap: NonNullable<DecodedMessage['soap']>): PreparedCall {
  const fatal = decoded.issues.find((i) => i.severity === 'error' && /^(XML_|MIME_|MESSAGE_)/.test(i.code));
  if (fatal) throw new SimulatorFault('Sender', 'InvalidMessage', `Message illisible (${fatal.code}) : ${fatal.message}`, 400);
  const action = soap.addressing.action?.trim();
  if (!action) throw new SimulatorFault('Sender', 'MessageAddressingHeaderRequired', "L'en-tête WS-Addressing Action est absent", 400);
  const route = routeOf(service, action);
  if (!route) {
    throw new SimulatorFault('Sender', 'ActionNotSupported', `L'action ${action} n'est pas servie par le service ${service} (actions servies : ${actionsOf(service).join(', ')})`, 400);
  }
  // The envelope as decodeMessage read it (the same bytes), or read again when it was read through a fallback.
  const verification = verifyVihf(decoded.xml ?? envelopeOf(body, decoded, contentType), {
    mode: settings.vihfMode,
    at: new Date(settings.at),
    requirePatient: route.patientScoped,
    ...(settings.trustedCertificates.length ? { trustedCertificates: settings.trustedCertificates } : {}),
  });
  const errors = verification.problems.filter((p) => p.severity === 'error');
  if (errors.length || !verification.context) {
    const first = errors[0];
    const code = first?.code ?? 'VIHF-ASSERTION-INVALID';
    const reason = first?.code === 'DMPInvalidCertificate' ? first.message : `VIHF refusé (${settings.vihfMode}) : ${errors.map((e) => `${e.code}: ${e.message}`).join(' ; ') || 'aucun contexte lisible'}`;
    throw new SimulatorFault('Sender', code, reason);
  }
  return { decoded, route, version: soap.version, ...(soap.addressing.messageId ? { messageId: soap.addressing.messageId } : {}), verification, vihf: verification.context };
}

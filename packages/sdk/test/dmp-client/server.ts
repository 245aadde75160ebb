/**
 * A real HTTP server on 127.0.0.1 for the client tests: it captures every request (service, action, envelope,
 * MTOM parts) and answers with what the test's handler builds with our codecs. Loopback only; one per test file.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeMessage, parseMultipart, buildSoapResponse, IssueLog, type DecodedMessage, type MimePart } from '../../src/index.js';

export interface CapturedRequest {
  service: string;
  contentType: string;
  body: Buffer;
  /** The SOAP envelope (the root part of an MTOM request). */
  envelope: string;
  /** MTOM parts other than the root, when multipart. */
  attachments: MimePart[];
  decoded: DecodedMessage;
  action?: string;
  messageId?: string;
}

export interface Reply {
  status?: number;
  contentType?: string;
  body: string | Buffer | Uint8Array[];
  /** Hold the socket without answering (timeouts). */
  hang?: boolean;
}

export type Handler = (req: CapturedRequest, index: number) => Reply | Promise<Reply>;

export interface TestServer {
  baseUrl: string;
  requests: CapturedRequest[];
  setHandler(handler: Handler): void;
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => resolve(Buffer.concat(parts)));
    req.on('error', reject);
  });
}

export async function startServer(handler: Handler): Promise<TestServer> {
  let current = handler;
  const requests: CapturedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    const body = await readBody(req);
    const contentType = req.headers['content-type'] ?? '';
    let envelope = body.toString('utf8');
    let attachments: MimePart[] = [];
    if (contentType.startsWith('multipart/')) {
      const mp = parseMultipart(body, { contentType }, new IssueLog())!;
      envelope = Buffer.from(mp.parts[mp.rootIndex]!.body).toString('utf8');
      attachments = mp.parts.filter((_, i) => i !== mp.rootIndex);
    }
    const decoded = decodeMessage(body, contentType);
    const captured: CapturedRequest = {
      service: (req.url ?? '').split('/').pop() ?? '',
      contentType,
      body,
      envelope,
      attachments,
      decoded,
      ...(decoded.soap?.addressing.action ? { action: decoded.soap.addressing.action } : {}),
      ...(decoded.soap?.addressing.messageId ? { messageId: decoded.soap.addressing.messageId } : {}),
    };
    requests.push(captured);
    const reply = await current(captured, requests.length - 1);
    if (reply.hang) return; // the client's timeout fires; close() destroys the socket
    res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/soap+xml; charset=UTF-8' });
    if (Array.isArray(reply.body)) for (const c of reply.body) res.write(c);
    else res.write(reply.body);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/si-dmp-server/v2/services`,
    requests,
    setHandler: (h) => (current = h),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A SOAP 1.2 response envelope answering a captured request. */
export function soapReply(req: CapturedRequest, action: string, body: string, status = 200): Reply {
  const { xml } = buildSoapResponse({ action, body, ...(req.messageId ? { relatesTo: req.messageId } : {}) });
  return { status, body: xml, contentType: `application/soap+xml; charset=UTF-8; action="${action}"` };
}

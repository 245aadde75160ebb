/** Real servers on 127.0.0.1 for the transport tests: HTTP, HTTPS (optionally requiring a client certificate), raw TCP. */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, type ServerOptions } from 'node:https';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';

export interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  tlsProtocol?: string;
  clientCertCn?: string;
}

export type Handler = (req: Received, res: ServerResponse, raw: IncomingMessage) => void | Promise<void>;

export interface TestServer {
  url: string;
  port: number;
  received: Received[];
  close(): Promise<void>;
}

function collect(handler: Handler, received: Received[]) {
  return (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const socket = req.socket as Socket & { getProtocol?: () => string; getPeerCertificate?: () => { subject?: { CN?: string } } };
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      const protocol = socket.getProtocol?.();
      if (protocol) r.tlsProtocol = protocol;
      const cn = socket.getPeerCertificate?.()?.subject?.CN;
      if (cn) r.clientCertCn = cn;
      received.push(r);
      void Promise.resolve(handler(r, res, req)).catch((err) => {
        res.statusCode = 599;
        res.end(String(err));
      });
    });
  };
}

async function listen(server: Server | NetServer, scheme: string, wanted = 0): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve) => server.listen(wanted, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { url: `${scheme}://127.0.0.1:${port}`, port };
}

function closer(server: Server | NetServer, sockets: Set<Socket>): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function track(server: Server | NetServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return sockets;
}

/** `port` 0 (default) picks a free one. */
export async function httpServer(handler: Handler, wantedPort = 0): Promise<TestServer> {
  const received: Received[] = [];
  const server = createHttpServer(collect(handler, received));
  const sockets = track(server);
  const { url, port } = await listen(server, 'http', wantedPort);
  return { url, port, received, close: closer(server, sockets) };
}

export async function httpsServer(options: ServerOptions, handler: Handler): Promise<TestServer> {
  const received: Received[] = [];
  const server = createHttpsServer(options, collect(handler, received));
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('tlsClientError', () => undefined);
  const { url, port } = await listen(server, 'https');
  return { url, port, received, close: closer(server, sockets) };
}

/** A TCP server whose connection handler writes whatever bytes the test wants (or nothing). */
export async function rawServer(onConnection: (socket: Socket) => void): Promise<TestServer> {
  const server = createNetServer(onConnection);
  const sockets = track(server);
  const { port } = await listen(server, 'http');
  return { url: `http://127.0.0.1:${port}`, port, received: [], close: closer(server, sockets) };
}

/** Reads an HTTP request off a raw socket (headers + Content-Length body), then calls `then`. */
export function afterRequest(socket: Socket, then: (request: Buffer) => void): void {
  let buf = Buffer.alloc(0);
  socket.on('data', (c: Buffer) => {
    buf = Buffer.concat([buf, c]);
    const end = buf.indexOf('\r\n\r\n');
    if (end < 0) return;
    const length = Number(/content-length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
    if (buf.length >= end + 4 + length) {
      socket.removeAllListeners('data');
      then(buf);
    }
  });
}

/** A port with nothing listening (bound then released). */
export async function closedPort(): Promise<number> {
  const s = createNetServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

export const SOAP12 = 'application/soap+xml; charset=UTF-8';

export function soapEnvelope(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body>${body}</soap:Body></soap:Envelope>`;
}

export const SUCCESS_BODY = soapEnvelope('<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/>');

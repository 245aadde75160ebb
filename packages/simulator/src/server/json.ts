/** JSON in and out for the driver API and the console's data routes. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BodyTooLargeError, readBody } from './http-body.js';

export function sendJson(res: ServerResponse, status: number, value: unknown): void {
  const body = Buffer.from(JSON.stringify(value, null, 2));
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(body.byteLength), 'cache-control': 'no-store' });
  res.end(body);
}

export function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  sendJson(res, status, { error: { code, message } });
}

/** The JSON body of a request (1 MiB at most); `undefined` for an empty body. */
export async function readJson(req: IncomingMessage, max = 1024 * 1024): Promise<unknown> {
  let body: Buffer;
  try {
    body = await readBody(req, max);
  } catch (e) {
    throw new HttpError(e instanceof BodyTooLargeError ? 413 : 400, e instanceof BodyTooLargeError ? 'BODY_TOO_LARGE' : 'BODY_UNREADABLE', (e as Error).message);
  }
  if (!body.byteLength) return undefined;
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (e) {
    throw new HttpError(400, 'JSON_INVALID', `the body is not valid JSON: ${(e as Error).message}`);
  }
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

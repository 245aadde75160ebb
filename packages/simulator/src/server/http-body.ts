/** Bounded request bodies: past the limit, reading stops and the request is refused. */
import type { IncomingMessage } from 'node:http';

export class BodyTooLargeError extends Error {}

/** Reads a body up to `max` bytes; past it, stops reading and rejects. */
export function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > max) {
      reject(new BodyTooLargeError(`body of ${declared} bytes over the ${max}-byte limit`));
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.byteLength;
      if (size > max) {
        req.removeAllListeners('data');
        req.pause();
        reject(new BodyTooLargeError(`body over the ${max}-byte limit`));
        return;
      }
      parts.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(parts, size)));
    req.on('error', reject);
    req.on('aborted', () => reject(new Error('request aborted')));
    // A socket destroyed mid-body (the simulator stopping) ends here too; after 'end' this is a no-op.
    req.on('close', () => reject(new Error('connection closed before the end of the body')));
  });
}


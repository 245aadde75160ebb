/** Recording of exchanges: one folder (or callback) per attempt, health data redacted unless `redact: false`. */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { REDACTED, SoapTransport, type RecordedExchange, type SoapRequest } from '../../src/transport/index.js';
import { SOAP12, SUCCESS_BODY, httpServer, soapEnvelope } from './servers.js';

const INS = '207058575627097';
const requestXml = soapEnvelope(`<q:AdhocQueryRequest xmlns:q="urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"><Slot name="$XDSDocumentEntryPatientId"><Value>'${INS}^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH'</Value></Slot></q:AdhocQueryRequest>`);
const responseXml = soapEnvelope(`<r><patient><id root="1.2.250.1.213.1.4.10" extension="${INS}"/><name><family>DUPONT</family></name></patient></r>`);

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'dmpkit-rec-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const req = (url: string, extra: Partial<SoapRequest> = {}): SoapRequest => ({
  url: `${url}/si-dmp-server/v2/services/registry`,
  body: Buffer.from(requestXml),
  contentType: SOAP12,
  mode: 'read',
  transaction: 'TD3.1',
  headers: { authorization: 'Bearer secret-token-123' },
  ...extra,
});

async function answering(status = 200) {
  return httpServer((_r, res) => {
    res.statusCode = status;
    res.setHeader('content-type', SOAP12);
    res.end(responseXml);
  });
}

describe('directory recording', () => {
  it('writes request.http, response.http and exchange.json per attempt, redacted, private', async () => {
    const server = await answering();
    const dir = tmp();
    const t = new SoapTransport({ record: { dir } });
    const res = await t.send(req(server.url));
    const folders = readdirSync(dir);
    expect(folders).toHaveLength(1);
    const folder = folders[0]!;
    expect(folder).toMatch(new RegExp(`^\\d{8}T\\d{9}Z_TD3\\.1_${res.correlationId.slice(9, 17)}_a1$`));
    const path = join(dir, folder);
    expect(statSync(path).mode & 0o777).toBe(0o700);
    for (const f of ['request.http', 'response.http', 'exchange.json']) expect(statSync(join(path, f)).mode & 0o777).toBe(0o600);

    const request = readFileSync(join(path, 'request.http'), 'latin1');
    expect(request).toMatch(/^POST \/si-dmp-server\/v2\/services\/registry HTTP\/1\.1\r\nhost: 127\.0\.0\.1:\d+\r\n/);
    expect(request).toContain(`authorization: ${REDACTED}`);
    expect(request).not.toContain('secret-token-123');
    expect(request).not.toContain(INS);
    expect(request).toContain(`'${REDACTED}^^^&amp;1.2.250.1.213.1.4.10&amp;ISO^NH'`);

    const response = readFileSync(join(path, 'response.http'), 'latin1');
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response).not.toContain(INS);
    expect(response).not.toContain('DUPONT');

    const meta = JSON.parse(readFileSync(join(path, 'exchange.json'), 'utf8'));
    expect(meta).toMatchObject({ correlationId: res.correlationId, attempt: 1, transaction: 'TD3.1', mode: 'read', redacted: true });
    expect(meta.request.originalBytes).toBe(Buffer.byteLength(requestXml));
    expect(meta.request.originalSha256).toBe(createHash('sha256').update(requestXml).digest('hex'));
    expect(meta.response.status).toBe(200);
    expect(JSON.stringify(meta)).not.toContain(INS);
    await t.close();
    await server.close();
  });

  it('records every attempt of a retried read (the 503, then the success)', async () => {
    let n = 0;
    const server = await httpServer((_r, res) => {
      if (++n === 1) {
        res.writeHead(503, { 'content-type': 'text/plain' });
        res.end('busy');
      } else {
        res.setHeader('content-type', SOAP12);
        res.end(SUCCESS_BODY);
      }
    });
    const dir = tmp();
    const t = new SoapTransport({ record: { dir }, sleep: async () => undefined });
    await t.send(req(server.url));
    const folders = readdirSync(dir).sort();
    expect(folders.map((f) => f.slice(-3))).toEqual(['_a1', '_a2']);
    const first = JSON.parse(readFileSync(join(dir, folders[0]!, 'exchange.json'), 'utf8'));
    expect(first.response.status).toBe(503);
    const second = JSON.parse(readFileSync(join(dir, folders[1]!, 'exchange.json'), 'utf8'));
    expect(second.error).toBeUndefined();
    await t.close();
    await server.close();
  });

  it('keeps health data only with redact: false (secrets still removed)', async () => {
    const server = await answering();
    const dir = tmp();
    const t = new SoapTransport({ record: { dir, redact: false } });
    await t.send(req(server.url));
    const folder = join(dir, readdirSync(dir)[0]!);
    const request = readFileSync(join(folder, 'request.http'), 'latin1');
    expect(request).toContain(INS);
    expect(request).not.toContain('secret-token-123');
    expect(readFileSync(join(folder, 'response.http'), 'latin1')).toContain('DUPONT');
    expect(JSON.parse(readFileSync(join(folder, 'exchange.json'), 'utf8')).redacted).toBe(false);
    await t.close();
    await server.close();
  });
});

describe('callback recording', () => {
  it('hands each attempt to the callback, including a transport failure with its error', async () => {
    const got: RecordedExchange[] = [];
    const t = new SoapTransport({ record: { onExchange: (x) => void got.push(x) }, retry: { attempts: 1 } });
    const server = await httpServer((_r, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<html>not here</html>');
    });
    await expect(t.send(req(server.url))).rejects.toMatchObject({ code: 'TRANSPORT-HTTP-STATUS' });
    expect(got).toHaveLength(1);
    expect(got[0]!.error).toMatchObject({ code: 'TRANSPORT-HTTP-STATUS', correlationId: got[0]!.correlationId });
    expect(got[0]!.request.body.toString()).not.toContain(INS);
    expect(got[0]!.durationMs).toBeGreaterThanOrEqual(0);
    await t.close();
    await server.close();
  });

  it('a failing recorder is reported as a warning and never fails the exchange', async () => {
    const warnings: string[] = [];
    const server = await answering();
    const t = new SoapTransport({
      record: {
        onExchange: () => {
          throw new Error('disk full');
        },
      },
      onWarning: (m) => warnings.push(m),
    });
    const res = await t.send(req(server.url));
    expect(res.status).toBe(200);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('disk full');
    expect(warnings[0]).toContain(res.correlationId);
    await t.close();
    await server.close();
  });
});

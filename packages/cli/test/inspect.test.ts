/**
 * `dmp inspect` on the shared corpus (official DMP examples, MTOM captures, FHIR) and on messages our codecs build:
 * goldens of the text report, JSON, masking of health data. Corpus tests skip when ../shared is absent (fail in CI).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildMtom, buildSoapResponse, DMP_TRANSACTIONS, encodeRetrieveDocumentSetResponse, RESPONSE_STATUS } from '@dmpkit/sdk';
import { expectGolden, normalize, requireBuiltCli, sandbox, type Sandbox } from './helpers.js';

const CORPUS = process.env.DMPKIT_CORPUS ? join(resolve(process.env.DMPKIT_CORPUS), 'xds') : resolve(__dirname, '../../../../shared/corpus/xds');

function corpusPresent(): boolean {
  if (existsSync(join(CORPUS, 'MANIFEST.json'))) return true;
  if (process.env.CI) throw new Error(`the shared XDS corpus is missing at ${CORPUS}: CI must run the inspect goldens`);
  process.stderr.write(`[skipped] dmp inspect corpus goldens: no XDS corpus at ${CORPUS}\n`);
  return false;
}

let sb: Sandbox;
beforeAll(() => {
  requireBuiltCli();
  sb = sandbox();
});
afterAll(() => sb.cleanup());

const INS = '207058575627097';

describe.runIf(corpusPresent())('dmp inspect on the corpus', () => {
  const cases: Array<[string, string]> = [
    ['dmp-td2.1-iti41-pnr-request.mime', 'inspect-td21-request.txt'],
    ['dmp-td0.2-test-existence-response.xml', 'inspect-td02-response.txt'],
    ['openxds-cxf-iti43-retrieve-response.mime', 'inspect-iti43-mime.txt'],
    ['nist-soap12-fault-mtom-required.xml', 'inspect-fault.txt'],
    ['pdsm4dmp-iti67-searchset-bundle.json', 'inspect-fhir.txt'],
  ];
  for (const [file, golden] of cases) {
    it(`${file}`, () => {
      const r = sb.run(['inspect', join(CORPUS, file)]);
      expect(r.code, r.stderr).toBe(0);
      expectGolden(golden, normalize(r.stdout.split(CORPUS).join('<corpus>'), sb.dir));
    });
  }

  it('masks the INS and names unless --show-health-data', () => {
    const file = join(CORPUS, 'dmp-td2.1-iti41-pnr-request.mime');
    const masked = sb.run(['inspect', file]);
    expect(masked.stdout).not.toContain(INS);
    expect(masked.stderr).toContain('--show-health-data');
    const shown = sb.run(['inspect', '--show-health-data', file]);
    expect(shown.stdout).toContain(INS);
  });

  it('--json: envelope, VIHF attributes, registry objects', () => {
    const r = sb.run(['--json', 'inspect', join(CORPUS, 'dmp-td2.1-iti41-pnr-request.mime')]);
    const v = JSON.parse(r.stdout);
    expect(v.soap.version).toBe('1.1');
    expect(v.soap.addressing.action).toBe(DMP_TRANSACTIONS['TD2.1'].request);
    expect(v.soap.security.assertion.vihf.context.authenticationMode).toBe('DIRECTE');
    expect(v.soap.security.assertion.vihf.context.patient.ins).toBe('[redacted]');
    expect(v.xds.objects.documentEntries).toHaveLength(2);
    expect(v.xop.every((x: { partIndex?: number }) => x.partIndex !== undefined)).toBe(true);
    expect(r.stdout).not.toContain(INS);
  });
});

describe('dmp inspect on messages our codecs build', () => {
  it('an ITI-43 MTOM response with an HTTP head: parts, XOP resolution, document lengths', () => {
    const action = DMP_TRANSACTIONS['TD3.2'].response;
    const body = encodeRetrieveDocumentSetResponse({ status: RESPONSE_STATUS.Success, errors: [] }, [
      { repositoryUniqueId: '1.2.250.1.213.4.1.1.1.2', documentUniqueId: '1.2.250.1.999.1.1.7898.1.42', mimeType: 'text/xml', transfer: { kind: 'xop', contentId: 'doc1@dmpkit.test' } },
    ]);
    const { xml } = buildSoapResponse({ action, body, messageId: 'urn:uuid:00000000-0000-4000-8000-000000000001', relatesTo: 'urn:uuid:00000000-0000-4000-8000-000000000002' });
    const mtom = buildMtom({ root: xml, action, boundary: 'MIMEBoundary_dmpkit_test', attachments: [{ contentId: 'doc1@dmpkit.test', contentType: 'text/xml', data: Buffer.from('<ClinicalDocument xmlns="urn:hl7-org:v3"/>') }] });
    const head = `HTTP/1.1 200 OK\r\ncontent-type: ${mtom.contentType}\r\n\r\n`;
    const file = sb.write('retrieve.http', Buffer.concat([Buffer.from(head), ...(mtom.chunks as Buffer[])]).toString('latin1'));
    const r = sb.run(['inspect', file]);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('inspect-built-retrieve.txt', normalize(r.stdout, sb.dir));
  });

  it('an unreadable file is a usage error (exit 2)', () => {
    const r = sb.run(['inspect', 'missing.xml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read missing.xml');
  });
});

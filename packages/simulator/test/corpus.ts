/**
 * The shared XDS/DMP message corpus for the simulator's tests: read in place (never copied into the project), with
 * the same policy as the SDK's conformance suite when it is absent: CI must have it (the suite fails), a developer's
 * clone may not (the suite is skipped and says so on stderr).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = process.env.DMPKIT_CORPUS ? resolve(process.env.DMPKIT_CORPUS) : resolve(fileURLToPath(new URL('../../../../shared/corpus', import.meta.url)));
export const XDS_CORPUS = join(CORPUS_DIR, 'xds');

/** True when the XDS corpus is here; throws in CI when it is not. */
export function requireXdsCorpus(suite: string): boolean {
  if (existsSync(join(XDS_CORPUS, 'MANIFEST.json'))) return true;
  const msg = `${suite}: the shared XDS corpus is missing at ${XDS_CORPUS} (set DMPKIT_CORPUS)`;
  if (process.env.CI) throw new Error(`${msg}; CI must run the corpus replay`);
  process.stderr.write(`[skipped] ${msg}\n`);
  return false;
}

export interface XdsManifestFile {
  file: string;
  transaction: string;
  kind: string;
  quirks: string[];
  facts: Record<string, unknown> & {
    format?: string;
    soap_version?: string;
    wsa_Action?: string;
    wsa_MessageID?: string;
    mime?: { body_boundary?: string; parts?: Array<{ 'Content-ID'?: string }> };
    wsse_saml_assertion?: { signed?: boolean; NameID?: string };
  };
}

export function readXdsManifest(): { files: XdsManifestFile[] } {
  return JSON.parse(readFileSync(join(XDS_CORPUS, 'MANIFEST.json'), 'utf8')) as { files: XdsManifestFile[] };
}

/** The bytes of a corpus file, exactly as stored. */
export function corpusBytes(file: string): Buffer {
  return readFileSync(join(XDS_CORPUS, file));
}

/**
 * The Content-Type a sender would have put on the file: the files are bodies without HTTP headers. For MTOM, the
 * boundary is the manifest's (sniffed from the body: the file starts with `--<boundary>`, checked here) and the
 * start is the root part's Content-ID; for plain XML, the SOAP version's media type.
 */
export function contentTypeOf(entry: XdsManifestFile, bytes: Buffer): string {
  const f = entry.facts;
  if (f.format === 'mime-multipart') {
    const boundary = f.mime?.body_boundary;
    if (!boundary) throw new Error(`${entry.file}: the manifest gives no MIME boundary`);
    const first = bytes.subarray(0, bytes.indexOf(0x0a)).toString('latin1').trimEnd();
    if (first !== `--${boundary}`) throw new Error(`${entry.file}: the body does not start with the manifest's boundary (${first})`);
    const start = f.mime?.parts?.[0]?.['Content-ID'];
    const info = f.soap_version === '1.1' ? 'text/xml' : 'application/soap+xml';
    return `multipart/related; type="application/xop+xml"; boundary="${boundary}"${start ? `; start="${start}"` : ''}; start-info="${info}"`;
  }
  if (f.soap_version === '1.1') return 'text/xml; charset=UTF-8';
  return `application/soap+xml; charset=UTF-8${f.wsa_Action ? `; action="${f.wsa_Action}"` : ''}`;
}

/** The DMP service a request goes to, by its WS-Addressing Action (dmp-interface.md §1). */
export function serviceOf(action: string | undefined): string {
  if (!action) throw new Error('no Action');
  if (action.startsWith('urn:hl7-org:v3:PRPA_IN2013')) return 'patients';
  if (action === 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b' || action === 'urn:ihe:iti:2007:RetrieveDocumentSet') return 'repository';
  if (action === 'urn:ihe:iti:2007:RegistryStoredQuery' || action === 'urn:ihe:iti:2010:UpdateDocumentSet') return 'registry';
  throw new Error(`no DMP service for the Action ${action}`);
}

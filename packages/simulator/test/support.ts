/** Clients of the simulator for the tests: the SDK's DmpClient with a test PKI, as a vendor would use it. */
import { createTestPki, DmpClient, RegistryError, type DmpClientConfig, type TestPki } from '@dmpkit/sdk';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let pki: TestPki | undefined;
export function testPki(): TestPki {
  return (pki ??= createTestPki());
}

export const SOURCE_ID = '1.2.250.1.999.1.1.7898';

/** MAX LIBRE, médecin généraliste with a CPS (direct mode): the default scenario's professional. */
export const DOCTOR: DmpClientConfig['vihf'] = {
  authenticationMode: 'DIRECTE',
  structureId: '499900063480001',
  secteurActivite: 'SA07^1.2.250.1.71.4.2.4',
  subjectId: 'MAX LIBRE',
  nameId: '899900063480',
  profession: { code: '10', codeSystem: '1.2.250.1.71.1.2.7', codeSystemName: 'professions', displayName: 'Médecin' },
  specialty: { code: 'SM26', codeSystem: '1.2.250.1.71.4.2.5', codeSystemName: 'specialites RPPS', displayName: 'Qualifié en Médecine Générale (SM)' },
  purposeOfUse: 'normal',
  lps: { id: '1.2.250.1.999.1.1.7898.9', name: 'dmpkit-tests', version: '0.1.0', homologation: 'TEST-HOMOLOGATION' },
};

/** PAUL KINE, masseur-kinésithérapeute (TRE_G15 70) with a CPS, same structure. */
export const KINE: DmpClientConfig['vihf'] = {
  ...DOCTOR,
  subjectId: 'PAUL KINE',
  nameId: '899900063497',
  profession: { code: '70', codeSystem: '1.2.250.1.71.1.2.7', codeSystemName: 'professions', displayName: 'Masseur-Kinésithérapeute' },
  specialty: undefined,
};

export function client(baseUrl: string, vihf: DmpClientConfig['vihf'] = DOCTOR, extra: Partial<DmpClientConfig> = {}): DmpClient {
  return new DmpClient({
    baseUrl,
    vihf,
    signing: testPki().cps.credentials(),
    sourceId: SOURCE_ID,
    transportOptions: { retry: { attempts: 1 }, timeouts: { connectMs: 2000, headersMs: 5000, bodyMs: 5000 } },
    ...extra,
  });
}

const FIXTURES = fileURLToPath(new URL('../../../fixtures/cda/valid/', import.meta.url));
export function fixture(name = 'n1-pdf.xml'): Buffer {
  return readFileSync(`${FIXTURES}${name}`);
}

/** The dmpkit fixtures patient (INS of fixtures/cda, a key-valid fake) and two official test patients. */
export const FIXTURE_PATIENT = { ins: '100000000000047', oid: '1.2.250.1.213.1.4.10' } as const;
export const PATB = { ins: '207058575627097', oid: '1.2.250.1.213.1.4.10' } as const;

let serial = 0;
/**
 * The fixture N1 document made a new document: its own uniqueId (and setId), for another patient or author when
 * asked. Only the header values are replaced; the document stays the fixture otherwise.
 */
export function fixtureVariant(options: { ins?: string; authorId?: string; typeCode?: { code: string; displayName: string } } = {}): { content: Buffer; uniqueId: string } {
  const uniqueId = `1.2.250.1.999.1.1.1.${process.pid}.${Date.now() % 1e9}.${++serial}`;
  let text = fixture().toString('utf8').replaceAll('1.2.250.1.999.1.1.1.1"', `${uniqueId}"`);
  if (options.ins) text = text.replaceAll('extension="100000000000047"', `extension="${options.ins}"`);
  if (options.authorId) text = text.replaceAll('extension="899999000001"', `extension="${options.authorId}"`);
  if (options.typeCode) text = text.replace(/<code code="11488-4" displayName="[^"]*"/, `<code code="${options.typeCode.code}" displayName="${options.typeCode.displayName}"`);
  return { content: Buffer.from(text), uniqueId };
}

/** The registry refusal a request ends in, as [errorCode, codeContext] pairs; fails when it succeeds or fails otherwise. */
export async function registryRefusal(p: Promise<unknown>): Promise<Array<[string, string]>> {
  try {
    await p;
  } catch (e) {
    if (e instanceof RegistryError) return e.errors.map((x) => [x.errorCode, x.codeContext ?? '']);
    throw e;
  }
  throw new Error('expected a registry refusal');
}

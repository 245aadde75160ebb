/** Client, PKI and CDA fixtures of the DMP client tests (test identities, test INS; no real patient). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createTestPki, DmpClient, type DmpClientConfig, type TestPki } from '../../src/index.js';

export const PATIENT = { ins: '207058575627097', oid: '1.2.250.1.213.1.4.10' } as const;
export const SOURCE_ID = '1.2.250.1.999.1.1.7898';

export const VIHF = {
  authenticationMode: 'INDIRECTE',
  structureId: '499900063480001',
  secteurActivite: 'SA07^1.2.250.1.71.4.2.4',
  subjectId: 'MAX LIBRE',
  nameId: '899900063480',
  profession: { code: '10', codeSystem: '1.2.250.1.71.1.2.7', codeSystemName: 'professions', displayName: 'Médecin' },
  specialty: { code: 'SM26', codeSystem: '1.2.250.1.71.4.2.5', codeSystemName: 'specialites RPPS', displayName: 'Qualifié en Médecine Générale (SM)' },
  purposeOfUse: 'normal',
  lps: { id: '1.2.250.1.999.1.1.7898.9', name: 'dmpkit', version: '0.1.0', homologation: 'TEST-HOMOLOGATION' },
} as const satisfies DmpClientConfig['vihf'];

let pki: TestPki | undefined;
export function testPki(): TestPki {
  return (pki ??= createTestPki());
}

export function makeClient(baseUrl: string, extra: Partial<DmpClientConfig> = {}): DmpClient {
  return new DmpClient({
    baseUrl,
    vihf: VIHF,
    signing: testPki().orgSign.credentials(),
    sourceId: SOURCE_ID,
    transportOptions: { retry: { attempts: 1 }, timeouts: { connectMs: 2000, headersMs: 2000, bodyMs: 2000 } },
    ...extra,
  });
}

const FIXTURES = fileURLToPath(new URL('../../../../fixtures/cda/valid/', import.meta.url));
export function cdaFixture(name = 'n1-pdf.xml'): Buffer {
  return readFileSync(`${FIXTURES}${name}`);
}

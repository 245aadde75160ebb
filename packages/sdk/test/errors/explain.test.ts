/**
 * explainError: every code of an error looked up, unknown codes reported as unknown (never approximated), facts
 * sanitised; checked on each error class and on the errors and faults of the shared XDS corpus.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DmpServiceError,
  Hl7v3NackError,
  RegistryError,
  SoapFaultError,
  TransportError,
  explainCode,
  explainError,
  formatDiagnosis,
} from '../../src/errors/index.js';
import { CORPUS_DIR } from '../support/corpus.js';

const INS = '207058575627097';
const FAILURE = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure';
const ERROR = 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error';

describe('registry errors', () => {
  const err = new RegistryError({
    status: FAILURE,
    correlationId: 'urn:uuid:0b6f4648-f2e9-4a06-94fd-c563a807212f',
    transaction: 'TD2.1',
    errors: [
      { errorCode: 'XDSRegistryMetadataError', severity: ERROR, codeContext: 'DocumentEntry(urn:uuid:2a): the code 1.3.6(DEMO) is not found', location: 'CodeValidation' },
      { errorCode: 'XDSRegistryMetadataError', severity: ERROR, codeContext: 'SubmissionSet(urn:uuid:ed): the code 11502-2 is not found', location: 'CodeValidation' },
      { errorCode: 'XDSUnknownPatientId', severity: ERROR, codeContext: `PatientId ${INS}^^^&1.2.250.1.213.1.4.10&ISO^NH is not known` },
      { errorCode: 'DMP_ERR_4242', severity: ERROR, codeContext: 'Structure introuvable ou Inactive' },
    ],
  });
  const d = explainError(err);

  it('explains each code once, with all its occurrences', () => {
    expect(d.items.map((i) => [i.code, i.role, i.known])).toEqual([
      ['XDSRegistryMetadataError', 'primary', true],
      ['XDSUnknownPatientId', 'primary', true],
      ['DMP_ERR_4242', 'primary', false],
      ['DMP-STRUCTURE-INTROUVABLE', 'text', true],
    ]);
    expect(d.items[0]!.occurrences.map((o) => o.context)).toEqual([
      'DocumentEntry(urn:uuid:2a): the code 1.3.6(DEMO) is not found',
      'SubmissionSet(urn:uuid:ed): the code 11502-2 is not found',
    ]);
    expect(d.items[0]!.occurrences[0]!.location).toBe('CodeValidation');
  });

  it('reports an unknown code as unknown, pointing at the official list, with no guessed meaning', () => {
    const unknown = d.items[2]!;
    expect(unknown.meaning.en).toBe('Code "DMP_ERR_4242" not in the catalogue: dmpkit does not know its meaning.');
    expect(unknown.meaning.fr).toContain('absent du catalogue');
    expect(unknown.causes).toEqual([]);
    expect(unknown.fix.en).toContain('annex A7-1');
    expect(unknown.severity).toBe('unknown');
    expect(d.known).toBe(false);
  });

  it('sanitises contexts and carries the correlation id and transaction', () => {
    expect(JSON.stringify(d)).not.toContain(INS);
    expect(d.items[1]!.occurrences[0]!.context).toBe('PatientId [masqué]^^^&1.2.250.1.213.1.4.10&ISO^NH is not known');
    expect(d).toMatchObject({ correlationId: 'urn:uuid:0b6f4648-f2e9-4a06-94fd-c563a807212f', transaction: 'TD2.1', kind: 'xds', code: 'XDSRegistryMetadataError' });
    expect(d.summary.en).toBe('XDSRegistryMetadataError — The registry found an error in the metadata; codeContext says which.');
  });

  it('formats a support-ready text in French and English', () => {
    const fr = formatDiagnosis(d, 'fr');
    expect(fr).toContain('Corrélation : urn:uuid:0b6f4648-f2e9-4a06-94fd-c563a807212f');
    expect(fr).toContain('[1] XDSRegistryMetadataError · xds · erreur · connu');
    expect(fr).toContain('    Occurrences (2) :');
    expect(fr).toContain('[3] DMP_ERR_4242 · gravité inconnue · inconnu (absent du catalogue)');
    expect(fr).toContain('[4] DMP-STRUCTURE-INTROUVABLE (reconnu d’après le texte)');
    expect(fr).toContain('Sources : IHE ITI TF-3');
    const en = formatDiagnosis(d, 'en');
    expect(en).toContain('Correlation: urn:uuid:');
    expect(en).toContain('Probable causes:');
    expect(en).not.toContain(INS);
  });

  it('explains a Failure without error list', () => {
    const e = explainError(new RegistryError({ status: FAILURE }));
    expect(e.items.map((i) => i.code)).toEqual(['XDS-FAILURE-WITHOUT-ERRORS']);
    expect(e.known).toBe(true);
  });
});

describe('SOAP faults', () => {
  it('leads with the DMP subcode, keeps the generic code as related', () => {
    const d = explainError(new SoapFaultError({ soapVersion: '1.2', code: 'soap:Sender', subcodes: ['soap:DMPInvalidCertificate'], reason: 'Le certificat ayant signé le VIHF est invalide : Not a valid signature certificate' }));
    expect(d.items.map((i) => [i.code, i.role])).toEqual([
      ['DMPInvalidCertificate', 'primary'],
      ['soap:Sender', 'context'],
    ]);
    expect(d.known).toBe(true);
    expect(d.items[0]!.causes[0]!.en).toMatch(/authentication key/);
    expect(d.items[0]!.occurrences[0]!.context).toContain('Not a valid signature certificate');
  });

  it('reports an unknown subcode as unknown even though its generic code is known', () => {
    const d = explainError(new SoapFaultError({ soapVersion: '1.2', code: 'soap:Sender', subcodes: ['soap:DMPSomethingNew'], reason: 'Nouvelle règle' }));
    expect(d.items.map((i) => [i.code, i.known])).toEqual([
      ['DMPSomethingNew', false],
      ['soap:Sender', true],
    ]);
    expect(d.known).toBe(false);
    expect(d.summary.en).toMatch(/^soap:Sender/);
  });

  it('recognises DMP errors that only come as fault text', () => {
    const d = explainError(new SoapFaultError({ soapVersion: '1.2', code: 'soap:Sender', reason: 'Aucune spécialité dans le vihf. Spécialité obligatoire pour les Médecins...' }));
    expect(d.items.map((i) => i.code)).toEqual(['DMP-SPECIALITE-ABSENTE', 'soap:Sender']);
    expect(d.summary.fr).toMatch(/^DMP-SPECIALITE-ABSENTE/);
    expect(d.items[0]!.fix.en).toContain('professional.specialty');
  });

  it('handles SOAP 1.1 codes and WS-Addressing subcodes', () => {
    expect(explainError(new SoapFaultError({ soapVersion: '1.1', code: 'soapenv:Server', reason: 'boom' })).items[0]).toMatchObject({ code: 'soap11:Server', catalogueCode: 'soap:Receiver', known: true, retryable: true });
    const wsa = explainError(new SoapFaultError({ soapVersion: '1.2', code: 'S:Sender', subcodes: ['wsa:InvalidAddressingHeader', 'wsa:InvalidCardinality'], reason: 'dup' }));
    expect(wsa.items.map((i) => i.code)).toEqual(['wsa:InvalidCardinality', 'wsa:InvalidAddressingHeader', 'soap:Sender']);
    expect(wsa.known).toBe(true);
  });
});

describe('HL7v3 negative acknowledgements', () => {
  it('explains the DMP detail code, then the acknowledgement type', () => {
    const d = explainError(new Hl7v3NackError({ typeCode: 'AE', details: [{ code: 'DMPClosed', text: 'Le DMP est fermé' }], interaction: 'PRPA_IN201314UV02' }));
    expect(d.items.map((i) => [i.code, i.role])).toEqual([
      ['DMPClosed', 'primary'],
      ['hl7v3:ack:AE', 'context'],
    ]);
    expect(d.facts).toContainEqual({ label: { fr: 'Interaction', en: 'Interaction' }, value: 'PRPA_IN201314UV02' });
  });

  it('falls back to the acknowledgement type and the text when there is no detail code', () => {
    const d = explainError(new Hl7v3NackError({ typeCode: 'AE', details: [{ text: 'Impossible d’effectuer un test d’existence : PS et Structure non liés' }] }));
    expect(d.items.map((i) => i.code)).toEqual(['DMP-PS-STRUCTURE-NON-LIES', 'hl7v3:ack:AE']);
    expect(d.known).toBe(true);
  });
});

describe('other errors', () => {
  it('transport errors carry their facts and the HTTP status explanation', () => {
    const d = explainError(new TransportError({ kind: 'http-status', httpStatus: 503, endpoint: 'https://x/registry', retry: { attempts: 3, stoppedBy: 'attempts-exhausted' }, correlationId: 'urn:uuid:c' }));
    expect(d.items.map((i) => i.code)).toEqual(['TRANSPORT-HTTP-STATUS', 'HTTP-503']);
    expect(d.facts.map((f) => `${f.label.en}=${f.value}`)).toEqual(['Endpoint=https://x/registry', 'HTTP status=503', 'Attempts=3 (attempts-exhausted)']);
    const unusual = explainError(new TransportError({ kind: 'http-status', httpStatus: 418 }));
    expect(unusual.items.map((i) => i.code)).toEqual(['TRANSPORT-HTTP-STATUS']);
  });

  it('DMP service status and configuration errors', () => {
    expect(explainError(new DmpServiceError({ status: 'DMPOk', context: 'Autorisation déjà présente aucune action effectuée' })).items.map((i) => i.code)).toEqual(['DMPOk', 'DMP-AUTORISATION-DEJA-PRESENTE']);
    const c = explainError(new ConfigError({ code: 'CONFIG-INVALID', message: { fr: 'x', en: 'x' }, issues: [{ field: 'endpoint', source: 'flags', message: 'not a valid URL' }] }));
    expect(c.known).toBe(true);
    expect(c.facts[0]!.value).toBe('endpoint (flags): not a valid URL');
  });

  it('a foreign error is unexpected, never given a catalogue meaning', () => {
    const d = explainError(Object.assign(new Error(`failed for ${INS}`), { code: 'ERR_WHATEVER' }));
    expect(d).toMatchObject({ kind: 'unexpected', code: 'ERR_WHATEVER', known: false });
    expect(d.facts[0]!.value).toBe('failed for [masqué]');
    expect(explainError('a string').code).toBe('string');
  });

  it('explainCode looks up a bare code', () => {
    expect(explainCode('XDSNonIdenticalHash')).toMatchObject({ known: true, kind: 'xds' });
    expect(explainCode('wsa:DuplicateMessageID').fix.en).toContain('fresh urn:uuid');
    expect(explainCode('NOPE')).toMatchObject({ known: false, severity: 'unknown' });
  });
});

const XDS = join(CORPUS_DIR, 'xds');
const haveCorpus = existsSync(join(XDS, 'MANIFEST.json'));
if (!haveCorpus && process.env.CI) throw new Error(`the shared XDS corpus is missing at ${XDS}; CI must run this suite`);

interface ManifestFile {
  file: string;
  facts?: { status?: string; errors?: { errorCode: string; severity: string; codeContext?: string }[]; soap_version?: '1.1' | '1.2'; fault_code?: string; fault_reason?: string; fault_reason_lang?: string };
}

describe.skipIf(!haveCorpus)('errors and faults of the shared XDS corpus (built from MANIFEST facts, as the codec will)', () => {
  const files = haveCorpus ? (JSON.parse(readFileSync(join(XDS, 'MANIFEST.json'), 'utf8')) as { files: ManifestFile[] }).files : [];
  const withErrors = files.filter((f) => f.facts?.errors?.length);
  const faults = files.filter((f) => f.facts?.fault_code);

  it('has error and fault samples', () => {
    expect(withErrors.length).toBeGreaterThanOrEqual(3);
    expect(faults.length).toBeGreaterThanOrEqual(1);
  });

  it.each(withErrors.map((f) => [f.file, f] as const))('%s: every registry error code is in the catalogue', (_file, f) => {
    const facts = f.facts!;
    const err = new RegistryError({ status: facts.status!, errors: facts.errors! });
    const d = explainError(err);
    expect(d.known).toBe(true);
    expect(new Set(d.items.filter((i) => i.role === 'primary').map((i) => i.code))).toEqual(new Set(facts.errors!.map((e) => e.errorCode)));
  });

  it.each(faults.map((f) => [f.file, f] as const))('%s: the fault is explained', (_file, f) => {
    const facts = f.facts!;
    const err = new SoapFaultError({ soapVersion: facts.soap_version!, code: facts.fault_code!, reason: [{ lang: facts.fault_reason_lang, text: facts.fault_reason! }] });
    const d = explainError(err);
    expect(d.known).toBe(true);
    expect(d.items.map((i) => i.code)).toEqual(['SOAP-MTOM-REQUIRED', 'soap:Sender']);
  });
});

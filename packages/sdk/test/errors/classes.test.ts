/** The typed errors: built from plain parsed data, stable codes, FR/EN messages, JSON without health data. */
import { inspect } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DmpError,
  DmpServiceError,
  Hl7v3NackError,
  PartialSuccessError,
  RegistryError,
  SoapFaultError,
  TransportError,
  VihfError,
  WSA_NS,
  isDmpError,
  parseRegistryStatus,
  settleRegistryResponse,
} from '../../src/errors/index.js';

const INS = '207058575627097';
const FAILURE = 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure';
const ERROR = 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error';
const WARNING = 'urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning';

describe('TransportError', () => {
  it('derives its code from the kind and names the endpoint and status in both languages', () => {
    const e = new TransportError({ kind: 'http-status', httpStatus: 502, endpoint: 'https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/registry' });
    expect(e.code).toBe('TRANSPORT-HTTP-STATUS');
    expect(e.kind).toBe('transport');
    expect(e.message).toBe('Transport: HTTP error status without a SOAP message (HTTP 502) — https://lps2.dmp.gouv.fr/si-dmp-server/v2/services/registry');
    expect(e.messageFr).toContain('réponse HTTP d’erreur sans message SOAP (HTTP 502)');
    expect(e.localizedMessage('fr')).toBe(e.messageFr);
    expect(() => new TransportError({ kind: 'gremlins' as never })).toThrow(/unknown kind/);
  });

  it('sanitises the body excerpt it keeps', () => {
    const e = new TransportError({ kind: 'http-status', httpStatus: 500, bodyExcerpt: `<html>patient ${INS} inconnu</html>` });
    expect(e.bodyExcerpt).not.toContain(INS);
    expect(JSON.stringify(e)).not.toContain(INS);
  });
});

describe('SoapFaultError', () => {
  it('normalises the code whatever the prefix, and takes the most specific subcode as its code', () => {
    const nist = new SoapFaultError({ soapVersion: '1.2', code: 'fault:Sender', reason: [{ lang: 'en', text: 'MTOM is required' }] });
    expect(nist.faultCode).toMatchObject({ raw: 'fault:Sender', localName: 'Sender', canonical: 'soap:Sender' });
    expect(nist.code).toBe('soap:Sender');
    const dmp = new SoapFaultError({ soapVersion: '1.2', code: 'soap:Sender', subcodes: ['soap:DMPInvalidCertificate'], reason: 'Le certificat ayant signé le VIHF est invalide' });
    expect(dmp.code).toBe('DMPInvalidCertificate');
    expect(dmp.codesMostSpecificFirst().map((c) => c.canonical)).toEqual(['DMPInvalidCertificate', 'soap:Sender']);
    const wsa = new SoapFaultError({ soapVersion: '1.2', code: 'env:Sender', subcodes: [{ namespace: WSA_NS, localName: 'ActionNotSupported', prefix: 'a' }], reason: 'x' });
    expect(wsa.code).toBe('wsa:ActionNotSupported');
    const clark = new SoapFaultError({ soapVersion: '1.2', code: '{http://www.w3.org/2003/05/soap-envelope}Receiver', reason: 'x' });
    expect(clark.code).toBe('soap:Receiver');
  });

  it('reads SOAP 1.1 codes, dotted refinements included', () => {
    const e = new SoapFaultError({ soapVersion: '1.1', code: 'soapenv:Client.Authentication', reason: 'denied' });
    expect(e.faultCode.canonical).toBe('soap11:Client');
    expect(e.subcodes.map((s) => s.canonical)).toEqual(['Authentication']);
    expect(e.code).toBe('Authentication');
    expect(() => new SoapFaultError({ soapVersion: '1.3' as never, code: 'x', reason: '' })).toThrow(/soapVersion/);
  });

  it('gives the reason in the asked language, trims the Action, sanitises what it serialises', () => {
    const e = new SoapFaultError({
      soapVersion: '1.2',
      code: 'soap:Receiver',
      reason: [
        { lang: 'en', text: `unknown patient ${INS}` },
        { lang: 'fr', text: `patient ${INS} inconnu` },
      ],
      action: '\n   urn:ihe:iti:2007:CrossGatewayQueryResponse:Fault  ',
      detail: `at PatientService.find(${INS}^^^&1.2.250.1.213.1.4.10&ISO^NH)`,
    });
    expect(e.reason('fr')).toBe(`patient ${INS} inconnu`);
    expect(e.reason('de')).toBe(`unknown patient ${INS}`);
    expect(e.action).toBe('urn:ihe:iti:2007:CrossGatewayQueryResponse:Fault');
    expect(e.message).not.toContain(INS);
    const json = JSON.stringify(e);
    expect(json).not.toContain(INS);
    expect(json).toContain('^^^&1.2.250.1.213.1.4.10&ISO^NH');
  });
});

describe('RegistryError', () => {
  it('reads every status form and refuses an unknown one', () => {
    expect(parseRegistryStatus('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success')).toBe('Success');
    expect(parseRegistryStatus(' urn:ihe:iti:2007:ResponseStatusType:PartialSuccess ')).toBe('PartialSuccess');
    expect(parseRegistryStatus('urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:PartialSuccess')).toBe('PartialSuccess');
    expect(parseRegistryStatus('Failure')).toBe('Failure');
    expect(() => parseRegistryStatus('urn:x:Maybe')).toThrow(/unknown registry response status/);
  });

  it('takes the first Error-severity code, counts errors and warnings, keeps unknown severities as Error with the raw value', () => {
    const e = new RegistryError({
      status: FAILURE,
      errors: [
        { errorCode: 'XDSExtraMetadataNotSaved', severity: WARNING },
        { errorCode: 'XDSRegistryMetadataError', severity: ERROR, codeContext: 'bad classCode', location: 'CodeValidation' },
        { errorCode: 'XDSUnknownPatientId', severity: 'urn:x:Fatal' },
        { errorCode: '  ', severity: undefined },
      ],
    });
    expect(e.code).toBe('XDSRegistryMetadataError');
    expect(e.status).toBe('Failure');
    expect(e.errorEntries.map((x) => x.errorCode)).toEqual(['XDSRegistryMetadataError', 'XDSUnknownPatientId', '(no errorCode)']);
    expect(e.warningEntries).toHaveLength(1);
    expect(e.errors[2]).toMatchObject({ severity: 'Error', rawSeverity: 'urn:x:Fatal' });
    expect(e.errors[3]).toMatchObject({ severity: 'Error', rawSeverity: '(absent)' });
    expect(e.message).toBe('Registry response Failure: 3 errors, 1 warning (XDSExtraMetadataNotSaved, XDSRegistryMetadataError, XDSUnknownPatientId, (no errorCode))');
    expect(e.messageFr).toMatch(/^Réponse du registre Failure : 3 erreurs, 1 avertissement/);
  });

  it('without any RegistryError has a code of its own', () => {
    expect(new RegistryError({ status: FAILURE }).code).toBe('XDS-FAILURE-WITHOUT-ERRORS');
  });

  it('serialises codeContext and location sanitised, the Java stack trace cut', () => {
    const e = new RegistryError({ status: FAILURE, errors: [{ errorCode: 'XDSUnknownPatientId', severity: ERROR, codeContext: `PatientId ${INS} is not known`, location: 'at '.repeat(800) }] });
    const json = e.toJSON();
    const err = (json.details.errors as { codeContext: string; location: string }[])[0]!;
    expect(err.codeContext).toBe('PatientId [masqué] is not known');
    expect(err.location.length).toBeLessThan(1100);
    expect(err.location).toMatch(/more chars\]$/);
  });
});

describe('settleRegistryResponse and PartialSuccessError', () => {
  const value = { documents: ['doc-a'] };

  it('Failure throws a RegistryError', () => {
    expect(() => settleRegistryResponse({ status: FAILURE, errors: [{ errorCode: 'XDSRegistryBusy', severity: ERROR }], value })).toThrow(RegistryError);
  });

  it('PartialSuccess is returned with its errors, or thrown with the partial value when asked', () => {
    const init = { status: 'urn:ihe:iti:2007:ResponseStatusType:PartialSuccess', errors: [{ errorCode: 'XDSRegistryError', severity: ERROR, codeContext: 'Error retrieving from repository' }], value, correlationId: 'urn:uuid:1' };
    const r = settleRegistryResponse(init);
    expect(r).toMatchObject({ status: 'PartialSuccess', value, correlationId: 'urn:uuid:1' });
    expect(r.errors.map((e) => e.errorCode)).toEqual(['XDSRegistryError']);
    try {
      settleRegistryResponse(init, { partial: 'throw' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PartialSuccessError);
      expect((e as PartialSuccessError<typeof value>).partial).toBe(value);
      expect((e as PartialSuccessError).status).toBe('PartialSuccess');
      expect((e as PartialSuccessError).correlationId).toBe('urn:uuid:1');
    }
  });

  it('Success keeps an Error-severity entry a registry sent anyway (NIST quirk) instead of dropping it', () => {
    const r = settleRegistryResponse({ status: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success', errors: [{ errorCode: 'XDSUnknownPatientId', severity: ERROR }], value });
    expect(r.status).toBe('Success');
    expect(r.errors.map((e) => e.errorCode)).toEqual(['XDSUnknownPatientId']);
  });
});

describe('Hl7v3NackError', () => {
  it('takes the acknowledgementDetail code, else a key for the acknowledgement type', () => {
    expect(new Hl7v3NackError({ typeCode: 'AE', details: [{ code: 'DMPFound', text: 'Le patient a déjà un DMP' }] }).code).toBe('DMPFound');
    const bare = new Hl7v3NackError({ typeCode: 'ar', details: [{ text: 'refus' }] });
    expect(bare.code).toBe('hl7v3:ack:AR');
    expect(bare.typeCode).toBe('AR');
  });

  it('refuses positive acknowledgements', () => {
    expect(() => new Hl7v3NackError({ typeCode: 'AA' })).toThrow(/AA\/CA are positive/);
  });
});

describe('other classes', () => {
  it('DmpServiceError uses the status as its code and requires it', () => {
    const e = new DmpServiceError({ status: 'DMPKO', context: 'Autorisation refusée', service: 'habilitations', operation: 'setAuthorization' });
    expect(e.code).toBe('DMPKO');
    expect(e.message).toBe('DMP service setAuthorization: status DMPKO — Autorisation refusée');
    expect(() => new DmpServiceError({ status: ' ' })).toThrow(/status is required/);
  });

  it('VihfError carries the code the VIHF module gives, and the attribute', () => {
    const e = new VihfError({ code: 'VIHF-ATTRIBUTE-MISSING', attribute: 'Secteur_Activite' });
    expect(e.code).toBe('VIHF-ATTRIBUTE-MISSING');
    expect(e.kind).toBe('vihf');
    expect(e.message).toBe('VIHF error VIHF-ATTRIBUTE-MISSING (Secteur_Activite)');
    expect(() => new VihfError({ code: '' })).toThrow(/code is required/);
  });

  it('ConfigError lists its issues with field and source', () => {
    const e = new ConfigError({ code: 'CONFIG-INVALID', message: { fr: 'Profil invalide', en: 'Invalid profile' }, issues: [{ field: 'endpoint', source: 'env DMPKIT_ENDPOINT', message: 'not a valid URL' }] });
    expect(e.message).toBe('Invalid profile\n  - endpoint (env DMPKIT_ENDPOINT): not a valid URL');
  });
});

describe('common behaviour', () => {
  it('withContext fills the correlation id and transaction once, never overwriting', () => {
    const e = new RegistryError({ status: FAILURE, transaction: 'TD2.1' });
    e.withContext({ correlationId: 'urn:uuid:a', transaction: 'ITI-41' }).withContext({ correlationId: 'urn:uuid:b' });
    expect(e.correlationId).toBe('urn:uuid:a');
    expect(e.transaction).toBe('TD2.1');
  });

  it('keeps the cause, summarised in JSON', () => {
    const cause = Object.assign(new Error(`socket closed while reading ${INS}`), { code: 'ECONNRESET' });
    const e = new TransportError({ kind: 'connection-reset', cause });
    expect(e.cause).toBe(cause);
    expect(e.toJSON().cause).toEqual({ name: 'Error', code: 'ECONNRESET', message: 'socket closed while reading [masqué]' });
  });

  it('console.log shows the safe view', () => {
    const e = new RegistryError({ status: FAILURE, errors: [{ errorCode: 'XDSUnknownPatientId', severity: ERROR, codeContext: INS }] });
    expect(inspect(e)).toContain('XDSUnknownPatientId');
    expect(inspect(e)).not.toContain(INS);
  });

  it('every class is a DmpError and an Error', () => {
    for (const e of [new TransportError({ kind: 'dns' }), new RegistryError({ status: FAILURE }), new VihfError({ code: 'X' })]) {
      expect(e).toBeInstanceOf(Error);
      expect(e).toBeInstanceOf(DmpError);
      expect(isDmpError(e)).toBe(true);
    }
    expect(isDmpError(new Error('x'))).toBe(false);
  });

  it('no INS survives in the JSON of any error, whatever text carries it (generated)', () => {
    const nir = fc
      .tuple(fc.constantFrom('1', '2', '7', '8'), fc.stringMatching(/^\d{4}$/), fc.oneof(fc.stringMatching(/^\d{2}$/), fc.constantFrom('2A', '2B')), fc.stringMatching(/^\d{8}$/))
      .map((p) => p.join(''));
    fc.assert(
      fc.property(nir, fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (n, before, after) => {
        const t = `${before.replace(/[\w.]$/, ' ')} ${n} ${after.replace(/^[\w.]/, ' ')}`;
        const errors = [
          new RegistryError({ status: FAILURE, errors: [{ errorCode: 'X', severity: ERROR, codeContext: t, location: t }] }),
          new SoapFaultError({ soapVersion: '1.2', code: 'soap:Sender', reason: t, detail: t }),
          new Hl7v3NackError({ typeCode: 'AE', details: [{ code: 'X', text: t }] }),
          new DmpServiceError({ status: 'KO', context: t }),
          new TransportError({ kind: 'http-status', bodyExcerpt: t, detail: t }),
        ];
        return errors.every((e) => !JSON.stringify(e).includes(n) && !e.message.includes(n) && !e.messageFr.includes(n));
      }),
    );
  });
});

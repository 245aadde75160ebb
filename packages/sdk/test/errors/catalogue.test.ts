/** The error catalogue: completeness against the IHE and DMP lists, entry quality, lookups, registration. */
import { describe, expect, it } from 'vitest';
import {
  CONFIG_ERROR_CODES,
  ErrorCatalogue,
  TRANSPORT_ERROR_KINDS,
  VihfError,
  builtInErrorCatalogue,
  defaultErrorCatalogue,
  explainError,
  registerErrorEntries,
  transportErrorCode,
  validateEntry,
  type CatalogueEntry,
} from '../../src/errors/index.js';

const catalogue = builtInErrorCatalogue();

/** IHE ITI TF-3 Table 4.2.4.1-2 with the XDS Metadata Update, Delete Document Set, XCA, XDR and XCF additions. */
const IHE_CODES = [
  'XDSMissingDocument', 'XDSMissingDocumentMetadata', 'XDSRegistryNotAvailable', 'XDSRegistryError', 'XDSRepositoryError',
  'XDSRegistryDuplicateUniqueIdInMessage', 'XDSRepositoryDuplicateUniqueIdInMessage', 'XDSDuplicateUniqueIdInRegistry',
  'XDSNonIdenticalHash', 'XDSNonIdenticalSize', 'XDSRegistryBusy', 'XDSRepositoryBusy', 'XDSRegistryOutOfResources',
  'XDSRepositoryOutOfResources', 'XDSRegistryMetadataError', 'XDSRepositoryMetadataError', 'XDSTooManyResults',
  'XDSExtraMetadataNotSaved', 'XDSUnknownPatientId', 'XDSPatientIdDoesNotMatch', 'XDSUnknownStoredQuery',
  'XDSStoredQueryMissingParam', 'XDSStoredQueryParamNumber', 'XDSRegistryDeprecatedDocumentError', 'XDSUnknownRepositoryId',
  'XDSDocumentUniqueIdError', 'XDSResultNotSinglePatient', 'XDSMetadataUpdateError', 'XDSPatientIDReconciliationError',
  'XDSMetadataUpdateOperationError', 'XDSMetadataVersionError', 'UnresolvedReferenceException', 'ReferencesExistException',
  'XDSUnknownCommunity', 'XDSMissingHomeCommunityId', 'XDSUnavailableCommunity', 'PartialFolderContentNotProcessed',
  'PartialReplaceContentNotProcessed', 'PartialTransformNotProcessed', 'PartialAppendContentNotProcessed',
  'PartialTransformReplaceNotProcessed', 'DocumentQueued', 'InvalidDocumentContent', 'TranscodingError', 'XDSReplaceFailed', 'XDSSqlError',
];

/** Names suggested for the catalogue that no IHE source confirms: they must not be invented. */
const UNCONFIRMED = ['XDSStoredQueryParamValue', 'XDSWrongDocumentEntryType', 'XDSUnavailableStoredQuery'];

/** Every DMP-specific error of dmp-interface.md (§1.1, §2, §4, §8). */
const DMP_CODES = ['DMPInvalidCertificate', 'DMPFound', 'DMPClosed', 'DMPIdentityCertificationFailure', 'NF', 'DMP-STRUCTURE-INTROUVABLE', 'DMP-PS-STRUCTURE-NON-LIES', 'DMP-SPECIALITE-ABSENTE', 'authorization:INTERDITE', 'patient-status:terminated'];

const SOAP_CODES = ['soap:VersionMismatch', 'soap:MustUnderstand', 'soap:Sender', 'soap:Receiver', 'soap:DataEncodingUnknown', 'wsa:ActionNotSupported', 'wsa:InvalidAddressingHeader', 'wsa:MessageAddressingHeaderRequired', 'wsa:DestinationUnreachable', 'wsa:EndpointUnavailable', 'SOAP-MTOM-REQUIRED', 'wsse:InvalidSecurity', 'wsse:FailedAuthentication', 'wsse:FailedCheck'];

describe('completeness', () => {
  it.each(IHE_CODES)('has the IHE code %s (kind xds, wire origin)', (code) => {
    expect(catalogue.get(code)).toMatchObject({ code, kind: 'xds', origin: 'wire' });
  });

  it('does not invent unconfirmed code names', () => {
    for (const code of UNCONFIRMED) expect(catalogue.lookup(code), code).toBeUndefined();
  });

  it.each([...DMP_CODES, ...SOAP_CODES])('has %s', (code) => expect(catalogue.get(code)).toBeDefined());

  it('has an entry for every transport error kind and configuration error code', () => {
    for (const kind of TRANSPORT_ERROR_KINDS) expect(catalogue.get(transportErrorCode(kind)), kind).toMatchObject({ kind: 'transport' });
    for (const code of CONFIG_ERROR_CODES) expect(catalogue.get(code), code).toMatchObject({ kind: 'config' });
  });

  it('marks the codes a client may retry later, and only those', () => {
    const retryable = catalogue.entries().filter((e) => e.retryable).map((e) => e.code);
    expect(retryable).toEqual(expect.arrayContaining(['XDSRegistryBusy', 'XDSRepositoryBusy', 'XDSRegistryOutOfResources', 'XDSRepositoryOutOfResources', 'TRANSPORT-CONNECT-TIMEOUT', 'HTTP-503']));
    expect(retryable).not.toContain('XDSRegistryMetadataError');
    expect(retryable).not.toContain('TRANSPORT-CERTIFICATE');
  });
});

describe('entry quality', () => {
  it.each(catalogue.entries().map((e) => [e.code, e] as const))('%s is complete in French and English, with a tagged source', (_code, entry) => {
    expect(() => validateEntry(entry, entry.code)).not.toThrow();
    for (const t of [entry.meaning, entry.fix, ...entry.causes]) {
      expect(t.fr.trim().length).toBeGreaterThan(3);
      expect(t.en.trim().length).toBeGreaterThan(3);
      // Typographic check: the French text is not the English one copied over (short technical fixes aside).
      if (t.en.length > 40) expect(t.fr).not.toBe(t.en);
    }
    if (entry.origin === 'text') expect(entry.textPatterns?.length).toBeGreaterThan(0);
    if (entry.severity === 'error' && entry.origin !== 'dmpkit') expect(entry.causes.length + (entry.code.startsWith('hl7v3') ? 1 : 0)).toBeGreaterThan(0);
  });

  it('has no duplicate codes or aliases (the constructor checks)', () => {
    expect(() => new ErrorCatalogue([...catalogue.entries(), catalogue.entries()[0]!])).toThrow(/duplicate code/);
    const withAlias = { ...catalogue.get('XDSRegistryBusy')!, code: 'X-NEW', aliases: ['soap11:Client'] };
    expect(() => new ErrorCatalogue([...catalogue.entries(), withAlias])).toThrow(/alias "soap11:Client"/);
  });

  it('counts entries by kind', () => {
    const counts = catalogue.countByKind();
    expect(counts.xds).toBeGreaterThanOrEqual(IHE_CODES.length);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(catalogue.size);
  });
});

describe('lookups', () => {
  it('by exact code, alias, or unique local name; never by resemblance', () => {
    expect(catalogue.lookup('XDSUnknownPatientId')).toMatchObject({ matchedBy: 'code' });
    expect(catalogue.lookup('soap11:Client')).toMatchObject({ matchedBy: 'alias', entry: { code: 'soap:Sender' } });
    expect(catalogue.lookup('hl7v3:query:NF')).toMatchObject({ matchedBy: 'alias', entry: { code: 'NF' } });
    expect(catalogue.lookup('S:Sender')).toMatchObject({ matchedBy: 'local-name', entry: { code: 'soap:Sender' } });
    expect(catalogue.lookup('a:ActionNotSupported')).toMatchObject({ matchedBy: 'local-name', entry: { code: 'wsa:ActionNotSupported' } });
    expect(catalogue.lookup('XDSRegistryMetadataErr')).toBeUndefined();
    expect(catalogue.lookup('xdsunknownpatientid')).toBeUndefined();
    expect(catalogue.lookup('')).toBeUndefined();
  });

  it('does not resolve a local name two entries share', () => {
    const base = catalogue.get('XDSRegistryBusy')!;
    const c = new ErrorCatalogue([
      { ...base, code: 'a:Busy', aliases: [] },
      { ...base, code: 'b:Busy', aliases: [] },
    ]);
    expect(c.lookup('Busy')).toBeUndefined();
    expect(c.lookup('b:Busy')?.entry.code).toBe('b:Busy');
  });

  it('recognises the DMP errors that come as text only, accents or not', () => {
    expect(catalogue.matchText('Impossible d’effectuer un test d’existence : Structure introuvable ou Inactive')?.entry.code).toBe('DMP-STRUCTURE-INTROUVABLE');
    expect(catalogue.matchText('PS et Structure non liés')?.entry.code).toBe('DMP-PS-STRUCTURE-NON-LIES');
    expect(catalogue.matchText('PS et Structure non li\u0065\u0301s')?.entry.code).toBe('DMP-PS-STRUCTURE-NON-LIES');
    expect(catalogue.matchText('Aucune specialite dans le vihf. Specialite obligatoire pour les Medecins...')?.entry.code).toBe('DMP-SPECIALITE-ABSENTE');
    expect(catalogue.matchText('Request Message is SIMPLE SOAP but MTOM is required(ITI TF Volumes 2a and 2b)')?.entry.code).toBe('SOAP-MTOM-REQUIRED');
    expect(catalogue.matchText('Autorisation déjà présente aucune action effectuée')?.entry.code).toBe('DMP-AUTORISATION-DEJA-PRESENTE');
    expect(catalogue.matchText('Internal error')).toBeUndefined();
  });
});

describe('registerErrorEntries (codes owned by other SDK modules)', () => {
  const vihfEntry: CatalogueEntry = {
    code: 'TEST-VIHF-SIGNATURE',
    kind: 'vihf',
    severity: 'error',
    origin: 'dmpkit',
    meaning: { fr: 'Signature du VIHF impossible', en: 'Cannot sign the VIHF' },
    causes: [{ fr: 'Clé absente', en: 'Missing key' }],
    fix: { fr: 'Configurer signature', en: 'Configure signature' },
    sources: [{ ref: 'test', confidence: 'dmpkit' }],
  };

  it('makes a registered code known to explainError', () => {
    expect(explainError(new VihfError({ code: 'TEST-VIHF-SIGNATURE' })).known).toBe(false);
    registerErrorEntries([vihfEntry]);
    expect(defaultErrorCatalogue().get('TEST-VIHF-SIGNATURE')).toEqual(vihfEntry);
    const d = explainError(new VihfError({ code: 'TEST-VIHF-SIGNATURE', attribute: 'Signature' }));
    expect(d.known).toBe(true);
    expect(d.items[0]!.meaning.en).toBe('Cannot sign the VIHF');
    // The built-in catalogue (docs) is untouched.
    expect(builtInErrorCatalogue().get('TEST-VIHF-SIGNATURE')).toBeUndefined();
  });

  it('refuses to redefine an existing code unless asked, and validates entries', () => {
    expect(() => registerErrorEntries([{ ...vihfEntry, code: 'XDSRegistryBusy' }])).toThrow(/already in the catalogue/);
    registerErrorEntries([{ ...vihfEntry, meaning: { fr: 'Autre', en: 'Other' } }], { replace: true });
    expect(defaultErrorCatalogue().get('TEST-VIHF-SIGNATURE')!.meaning.en).toBe('Other');
    expect(() => registerErrorEntries([{ ...vihfEntry, code: 'TEST-BAD', sources: [] }])).toThrow(/TEST-BAD.*sources: at least one source/);
    expect(() => registerErrorEntries([{ ...vihfEntry, code: 'TEST-BAD2', kind: 'mystery' as never }])).toThrow(/kind/);
    expect(() => registerErrorEntries([{ ...vihfEntry, code: 'TEST-ALIAS', aliases: ['NF'] }])).toThrow(/alias "NF"/);
    expect(defaultErrorCatalogue().get('TEST-ALIAS')).toBeUndefined();
  });
});

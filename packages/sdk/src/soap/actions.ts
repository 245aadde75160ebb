/**
 * WS-Addressing actions of the DMP transactions and of the IHE profiles they use (dmp-interface.md §1,
 * xds-corpus.md §4.1), with the DMP service each one is sent to.
 */

export type DmpService = 'patients' | 'habilitations' | 'registry' | 'repository';

export interface TransactionActions {
  service: DmpService;
  request: string;
  response: string;
  /** The IHE transaction, for the XDS ones. */
  ihe?: string;
}

export const IHE_ACTIONS = {
  'ITI-41': { request: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b', response: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse' },
  'ITI-42': { request: 'urn:ihe:iti:2007:RegisterDocumentSet-b', response: 'urn:ihe:iti:2007:RegisterDocumentSet-bResponse' },
  'ITI-18': { request: 'urn:ihe:iti:2007:RegistryStoredQuery', response: 'urn:ihe:iti:2007:RegistryStoredQueryResponse' },
  'ITI-43': { request: 'urn:ihe:iti:2007:RetrieveDocumentSet', response: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse' },
  'ITI-57': { request: 'urn:ihe:iti:2010:UpdateDocumentSet', response: 'urn:ihe:iti:2010:UpdateDocumentSet-Response' },
  'ITI-38': { request: 'urn:ihe:iti:2007:CrossGatewayQuery', response: 'urn:ihe:iti:2007:CrossGatewayQueryResponse' },
  'ITI-39': { request: 'urn:ihe:iti:2007:CrossGatewayRetrieve', response: 'urn:ihe:iti:2007:CrossGatewayRetrieveResponse' },
} as const;

const HAB = 'urn:si-dmp-habilitations:HabilitationsEndPoint';
const PAT = 'urn:si-dmp-patients:PatientSpecificEndPoint';

export const DMP_TRANSACTIONS = {
  'TD0.2': { service: 'patients', request: 'urn:hl7-org:v3:PRPA_IN201307UV02', response: 'urn:hl7-org:v3:PRPA_IN201308UV02' },
  'TD0.3': { service: 'habilitations', request: `${HAB}:setAuthorization`, response: `${HAB}:setAuthorizationResponse` },
  'TD0.4': { service: 'patients', request: `${PAT}:patientList`, response: `${PAT}:patientListResponse` },
  'TD0.5': { service: 'patients', request: 'urn:hl7-org:v3:PRPA_IN201305UV02', response: 'urn:hl7-org:v3:PRPA_IN201306UV02' },
  'TD1.3a': { service: 'patients', request: 'urn:hl7-org:v3:PRPA_IN201307UV02', response: 'urn:hl7-org:v3:PRPA_IN201308UV02' },
  'TD1.3b': { service: 'patients', request: 'urn:hl7-org:v3:PRPA_IN201314UV02', response: 'urn:hl7-org:v3:PRPA_IN201314ResponseUV02' },
  'TD1.4': { service: 'patients', request: 'urn:hl7-org:v3:PRPA_IN201314UV02', response: 'urn:hl7-org:v3:PRPA_IN201314ResponseUV02' },
  'TD1.6': { service: 'habilitations', request: `${HAB}:listAuthorizationByPatient`, response: `${HAB}:listAuthorizationByPatientResponse` },
  'TD2.1': { service: 'repository', ihe: 'ITI-41', ...IHE_ACTIONS['ITI-41'] },
  'TD2.2': { service: 'repository', ihe: 'ITI-41', ...IHE_ACTIONS['ITI-41'] },
  'TD3.1': { service: 'registry', ihe: 'ITI-18', ...IHE_ACTIONS['ITI-18'] },
  'TD3.2': { service: 'repository', ihe: 'ITI-43', ...IHE_ACTIONS['ITI-43'] },
  'TD3.3': { service: 'registry', ihe: 'ITI-57', ...IHE_ACTIONS['ITI-57'] },
} as const satisfies Record<string, TransactionActions>;

export type DmpTransaction = keyof typeof DMP_TRANSACTIONS;

/** The actions expected with each message element (request or response side), for consistency checks. */
export const ACTIONS_BY_ELEMENT: Readonly<Record<string, readonly string[]>> = {
  ProvideAndRegisterDocumentSetRequest: [IHE_ACTIONS['ITI-41'].request],
  SubmitObjectsRequest: [IHE_ACTIONS['ITI-42'].request, IHE_ACTIONS['ITI-57'].request],
  RegistryResponse: [IHE_ACTIONS['ITI-41'].response, IHE_ACTIONS['ITI-42'].response, IHE_ACTIONS['ITI-57'].response],
  AdhocQueryRequest: [IHE_ACTIONS['ITI-18'].request, IHE_ACTIONS['ITI-38'].request],
  AdhocQueryResponse: [IHE_ACTIONS['ITI-18'].response, IHE_ACTIONS['ITI-38'].response],
  RetrieveDocumentSetRequest: [IHE_ACTIONS['ITI-43'].request, IHE_ACTIONS['ITI-39'].request],
  RetrieveDocumentSetResponse: [IHE_ACTIONS['ITI-43'].response, IHE_ACTIONS['ITI-39'].response, 'urn:ihe:iti:2019:CrossGatewayRetrieveDeferredResults'],
  PRPA_IN201307UV02: [DMP_TRANSACTIONS['TD0.2'].request],
  PRPA_IN201308UV02: [DMP_TRANSACTIONS['TD0.2'].response],
  setAuthorization: [DMP_TRANSACTIONS['TD0.3'].request],
  setAuthorizationResponse: [DMP_TRANSACTIONS['TD0.3'].response],
  patientList: [DMP_TRANSACTIONS['TD0.4'].request],
  patientListResponse: [DMP_TRANSACTIONS['TD0.4'].response],
  listAuthorizationByPatient: [DMP_TRANSACTIONS['TD1.6'].request],
  listAuthorizationByPatientResponse: [DMP_TRANSACTIONS['TD1.6'].response],
};

/** The IHE transaction an action belongs to (request or response), e.g. `ITI-41`. */
export function iheTransactionOfAction(action: string): string | undefined {
  for (const [tx, a] of Object.entries(IHE_ACTIONS)) if (a.request === action || a.response === action) return tx;
  return undefined;
}

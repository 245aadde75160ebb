/**
 * Access policy of the DMP: the functional rights matrix (PDT-INF-526), the document-type matrix (matrice
 * d'habilitations), consent and visibility, as one evaluator. Model and rule ids: docs/access-policy.md.
 */
export { DMP_ACTIONS, DMP_ACTION_IDS, dmpActionSpec, isDmpActionId, isPatientScoped, type DmpActionId, type DmpActionKind, type DmpActionSpec } from './actions.js';
export type {
  CellAccess,
  MatrixCodeRef,
  DocumentMatrixData,
  DocumentTypeData,
  FunctionalMatrixData,
  FunctionalRowData,
  MatrixCellData,
  MatrixCellEntry,
  MatrixColumnData,
  MatrixInputFile,
  MatrixSourceData,
  OccupationalHealthData,
  AccessProfileId,
  RowStatementData,
} from './data-types.js';
export type {
  AccessMode,
  AccessRequest,
  AccessActor,
  AccessAuthMode,
  AccessAuthorizationStatus,
  AccessDocumentStatus,
  AccessCardType,
  AccessDecision,
  AccessDecisionValue,
  AccessDmpState,
  AccessDocument,
  RuleEffect,
  AccessObligation,
  AccessPatientState,
  RuleHit,
  PolicyTime,
} from './types.js';
export { compilePolicy, defaultPolicy, evaluateAccess, isMedecinTraitant, Policy, type PolicyOptions } from './evaluate.js';
export { checkConsent, CONSENT_RECORDS, type ConsentAdvice, type ConsentGiver, type ConsentPurpose, type ConsentRequest, type ConsentRecordId, type ConsentRecordItem } from './consent.js';
export { explainSituation, type AccessDocumentVerdict, type AccessSituation, type AccessSituationExplanation } from './explain.js';
export { DEFAULT_SETTINGS, parsePolicySettings, resolveSettings, PolicySettingsSchema, POLICY_UNKNOWN_OUTCOMES, type PolicySettings, type PolicySettingsInput, type PolicyUnknownOutcome } from './settings.js';
export { POLICY_RULES, policyRuleSpec, type PolicyRuleId, type PolicyRuleSpec } from './rules.js';
export { ACCESS_OBLIGATIONS } from './obligations.js';
export { ACCESS_PROFILES, ACCESS_PROFILE_IDS, accessProfileSpec, professionSystemOf, type ProfileResolution, type AccessProfileSpec } from './profiles.js';
export { CompiledDocumentMatrix, compileDocumentMatrix, MatrixDataError } from './document-matrix.js';
export { CompiledFunctionalMatrix } from './functional-matrix.js';
export {
  MATRIX_ACCESS_VALUES_HELP,
  MATRIX_COLUMN_ID_HELP,
  matrixColumnFromId,
  compareDocumentMatrices,
  formatMatrixIssue,
  MatrixImportError,
  parseMatrixAccessValue,
  parseDocumentMatrixCsv,
  parseDocumentMatrixJson,
  parseStoredDocumentMatrix,
  type CellDisagreement,
  type MatrixComparison,
  type MatrixImportIssue,
  type MatrixImportMeta,
  type MatrixImportResult,
} from './matrix-import.js';
export {
  ACCESS_MODES,
  ACCESS_AUTH_MODES,
  ACCESS_AUTHORIZATION_STATUSES,
  ACCESS_CARD_TYPES,
  ACCESS_CONFIDENTIALITY_CODES,
  ACCESS_DMP_STATES,
  parseAccessInput,
  parseConsentInput,
  parseSituationInput,
  type ParsedPolicyInput,
} from './schema.js';
export { authorizationFromTd02, type AuthorizationReading } from './td02.js';
export { PolicyInputError } from './time.js';
export { ACCESS_DOCUMENT_STATUSES, isPatientDocument, portalVisibility, type PortalAudience, type PortalVisibility } from './visibility.js';
export { FUNCTIONAL_MATRIX } from './generated/functional-matrix.js';
export { SHIPPED_DOCUMENT_MATRIX } from './generated/document-matrix.js';
export { OCCUPATIONAL_HEALTH } from './generated/occupational-health.js';
export { accessActorFromVihf, accessDocumentFromEntry, accessModeFromVihf, inferCardType, statusChangeAction, visibilityChangeActions, type ActorFromVihfOptions } from './from-wire.js';

/** The DMP client: one typed command per transaction on one client (`client.send(new XCommand(input))`). */
export { DmpClient, DmpClientError, expectPayload, type DmpClientConfig } from './client.js';
export { DmpCommand, type DmpResult, type ResponseMetadata, type SerializedCommand } from './command.js';
export { loggingMiddleware, recordingMiddleware, type ClientExchange, type DmpMiddleware, type LogEvent, type MiddlewareContext, type SendHandler } from './middleware.js';
export { errorOfResponse, UnexpectedResponseError, type ResponseContext } from './response-errors.js';
export { dmpTime, patientId, patientInputSchema, type PatientInput } from './inputs.js';
export { senderAuthor, newUniqueId } from './submission-set.js';
export { findCurrentEntry } from './find-entry.js';
export * from './td02-status.js';
export * from './td03-authorization.js';
export * from './td04-patient-list.js';
export * from './td13a-admin-data.js';
export * from './td16-authorizations.js';
export * from './td21-submit.js';
export * from './td31-find.js';
export * from './td32-retrieve.js';
export * from './td33-update.js';
export { decodeMessageVihf, type MessageVihf } from './message-vihf.js';
export { createDmpClientFromProfile, loadProfileSigning, vihfOfProfile, type ClientFromProfileOptions } from './from-profile.js';

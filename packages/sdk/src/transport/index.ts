/** HTTP transport for SOAP/MTOM exchanges with the DMP: mTLS, timeouts, safe retries, correlation, recording. */
export { newCorrelationId, isCorrelationId } from './correlation.js';
export {
  ClientCredentials,
  DMP_TLS12_CIPHERS,
  connectOptions,
  loadClientCredentials,
  summarizeCertificate,
  type CertificateSummary,
  type ClientCredentialSource,
  type PemCredentialSource,
  type Pkcs12CredentialSource,
  type TlsSettings,
} from './tls.js';
export { DEFAULT_RETRY_POLICY, backoffDelay, retryAfterMs, retryClass, type RetryClass, type RetryPolicy } from './retry.js';
export { classifyError, type Classified } from './classify.js';
export { contentTypeParams, hasCloseDelimiter, multipartRanges, type MimePartRange, type MultipartRanges } from './multipart.js';
export { REDACTED, binaryPlaceholder, redactBody, redactHeaders, redactXmlText } from './redact.js';
export {
  callbackRecorder,
  directoryRecorder,
  exchangeFolderName,
  httpRequestMessage,
  httpResponseMessage,
  type ExchangeRecorder,
  type RecordedExchange,
  type RecordedMessage,
} from './recorder.js';
export {
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUTS,
  SoapTransport,
  displayEndpoint,
  type AttemptTiming,
  type BeforeRetryHook,
  type RecordingOptions,
  type RequestMode,
  type RetryContext,
  type SoapRequest,
  type SoapResponse,
  type Timeouts,
  type TransportOptions,
} from './soap-transport.js';
export { createTransportFromProfile, loadProfileCertificate } from './from-profile.js';

/** Failures of the certificate and key helpers. Messages never contain a key, a password or key bytes. */
export type PkiErrorCode =
  | 'PKI-CERTIFICATE-UNREADABLE'
  | 'PKI-KEY-UNREADABLE'
  | 'PKI-KEY-MISMATCH'
  | 'PKI-PKCS12-UNREADABLE'
  | 'PKI-PKCS12-NO-KEY';

export class PkiError extends Error {
  override readonly name = 'PkiError';
  constructor(
    readonly code: PkiErrorCode,
    message: string,
  ) {
    super(message);
  }
}

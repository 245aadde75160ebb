/**
 * The exit codes of `dmp`, one table for the code and for docs/exit-codes.md.
 * CI scripts branch on these numbers: never renumber, only add.
 */
export const ExitCode = {
  /** Everything ran and nothing reached the failure threshold. */
  OK: 0,
  /** Findings above the threshold (`--fail-on`, `--max-warnings`). */
  FINDINGS: 1,
  /** Usage or I/O error: bad option, missing or unreadable input, unwritable output, unusable rule pack. */
  USAGE: 2,
  /** The access policy could not decide (`dmp access check`, `dmp consent check` with `--on-unknown unknown`). */
  UNDECIDED: 3,
  /** The DMP answered with an error: SOAP fault, registry Failure, negative HL7v3 acknowledgement, service status. */
  DMP_ERROR: 4,
  /** No usable answer from the DMP: connection, TLS, timeout, HTTP error without SOAP, unreadable response. */
  TRANSPORT: 5,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export const EXIT_CODE_TABLE: readonly { code: ExitCode; meaning: string }[] = [
  { code: ExitCode.OK, meaning: 'success: no finding at or above the --fail-on level, warnings within --max-warnings' },
  { code: ExitCode.FINDINGS, meaning: 'findings above the threshold: some document has errors (or warnings with --fail-on warning, or more warnings than --max-warnings); for dmp access check and dmp consent check: denied' },
  { code: ExitCode.USAGE, meaning: 'usage or I/O error: unknown option or bad value, path that does not exist or matched nothing, unreadable input, unwritable --output, unusable rule pack, internal error' },
  { code: ExitCode.UNDECIDED, meaning: 'dmp access check / dmp consent check: the public rules do not decide and --on-unknown unknown keeps it undecided' },
  { code: ExitCode.DMP_ERROR, meaning: 'the DMP refused: SOAP fault, registry Failure, negative HL7v3 acknowledgement or DMP service error (dmp status/authorize/submit/search/get/update; dmp explain on a message holding such an error)' },
  { code: ExitCode.TRANSPORT, meaning: 'no usable answer from the DMP: connection, TLS or timeout failure, HTTP error without SOAP, response of another transaction' },
];

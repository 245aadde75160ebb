/**
 * Maps what undici and Node throw to a TransportError kind. Codes are looked for along the `cause` chain, since
 * libraries wrap socket and TLS errors.
 */
import type { TransportErrorKind, TransportPhase } from '../errors/transport-error.js';

const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** TLS alerts a server sends when it refuses the client certificate (or gets none). */
const CLIENT_CERT_ALERTS = /ALERT_(BAD_CERTIFICATE|UNKNOWN_CA|CERTIFICATE_UNKNOWN|CERTIFICATE_REQUIRED|CERTIFICATE_EXPIRED|CERTIFICATE_REVOKED|UNSUPPORTED_CERTIFICATE|ACCESS_DENIED)/;

export interface Classified {
  kind: TransportErrorKind;
  systemCode?: string;
  detail: string;
}

function codesOf(err: unknown): { codes: string[]; messages: string[] } {
  const codes: string[] = [];
  const messages: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current && depth < 6; depth++) {
    const e = current as { code?: unknown; message?: unknown; cause?: unknown; name?: unknown };
    if (typeof e.code === 'string') codes.push(e.code);
    if (typeof e.message === 'string') messages.push(e.message);
    if (e.name === 'AbortError') codes.push('ABORT_ERR');
    current = e.cause;
  }
  return { codes, messages };
}

/**
 * `phase` tells what was under way: a socket closed by the peer during the body is a truncation, before the
 * headers it is a reset. `hasClientCert` separates "server wants a certificate we did not give" from a cipher
 * mismatch when the server only sends handshake_failure.
 */
export function classifyError(err: unknown, phase: TransportPhase, hasClientCert: boolean): Classified {
  const { codes, messages } = codesOf(err);
  const detail = messages[0] ?? String(err);
  const pick = (kind: TransportErrorKind, systemCode?: string): Classified => ({ kind, detail, ...(systemCode ? { systemCode } : {}) });
  for (const code of codes) {
    switch (code) {
      case 'UND_ERR_CONNECT_TIMEOUT':
      case 'ETIMEDOUT':
        return pick('connect-timeout', code);
      case 'UND_ERR_HEADERS_TIMEOUT':
        return pick('headers-timeout', code);
      case 'UND_ERR_BODY_TIMEOUT':
        return pick('body-timeout', code);
      case 'ECONNREFUSED':
        return pick('connection-refused', code);
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
      case 'EAI_NODATA':
      case 'EAI_FAIL':
        return pick('dns', code);
      case 'UND_ERR_ABORTED':
      case 'ABORT_ERR':
        return pick('aborted', code);
      case 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH':
        return pick('truncated', code);
      case 'UND_ERR_RES_EXCEEDED_MAX_SIZE':
        return pick('too-large', code);
    }
    if (CERTIFICATE_CODES.has(code)) return pick('certificate', code);
    if (CLIENT_CERT_ALERTS.test(code)) return pick('client-certificate', code);
    if (/ALERT_HANDSHAKE_FAILURE/.test(code)) return pick(hasClientCert ? 'tls' : 'client-certificate', code);
    if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'EPROTO') return pick('tls', code);
  }
  // A reset reported anywhere in the chain wins over the generic "socket closed" wrapper.
  const socketCode = codes.includes('ECONNRESET') ? 'ECONNRESET' : codes.find((c) => c === 'EPIPE' || c === 'UND_ERR_SOCKET' || c === 'UND_ERR_CLOSED');
  if (socketCode) {
    // TLS alerts sometimes only appear in the message text of a socket error.
    const alert = messages.map((m) => CLIENT_CERT_ALERTS.exec(m.toUpperCase().replace(/ /g, '_'))).find(Boolean);
    if (alert) return pick('client-certificate', socketCode);
    // The server dropped the connection during the handshake: servers that verify the client certificate after
    // receiving it (Node's, some proxies) close without an alert when they refuse it.
    if (messages.some((m) => /before secure TLS connection was established/i.test(m))) return pick(hasClientCert ? 'client-certificate' : 'tls', socketCode);
    return pick(phase === 'body' && socketCode !== 'ECONNRESET' ? 'truncated' : 'connection-reset', socketCode);
  }
  return pick('network', codes[0]);
}

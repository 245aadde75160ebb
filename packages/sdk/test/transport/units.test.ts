/** Building blocks of the transport: MIME ranges, Content-Type parameters, error classification, correlation ids. */
import { describe, expect, it } from 'vitest';
import { classifyError, contentTypeParams, hasCloseDelimiter, isCorrelationId, multipartRanges, newCorrelationId } from '../../src/transport/index.js';

describe('contentTypeParams', () => {
  it('reads quoted and unquoted parameters, with ; inside quotes', () => {
    expect(contentTypeParams('multipart/related; boundary="uuid:9d70;x"; type="application/xop+xml"; start="<root@x>"; start-info="application/soap+xml"')).toEqual({
      type: 'multipart/related',
      params: { boundary: 'uuid:9d70;x', type: 'application/xop+xml', start: '<root@x>', 'start-info': 'application/soap+xml' },
    });
    expect(contentTypeParams('Multipart/Related;boundary=MIMEBoundaryurn_uuid_3D4B').params.boundary).toBe('MIMEBoundaryurn_uuid_3D4B');
  });
});

describe('multipartRanges', () => {
  const part = (eol: string) =>
    Buffer.from(
      [`--b`, 'Content-ID: <root>', 'Content-Type: text/xml', '', '<a/>', '--b', 'content-id: <p2>', '', 'BIN', '--b--', 'epilogue'].join(eol),
      'latin1',
    );

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
  ])('finds the parts of a %s package, line breaks before delimiters excluded', (_n, eol) => {
    const body = part(eol);
    const { parts, closed } = multipartRanges(body, 'b');
    expect(closed).toBe(true);
    expect(parts.map((p) => body.subarray(p.bodyStart, p.bodyEnd).toString())).toEqual(['<a/>', 'BIN']);
    expect(parts[0]!.headers['content-id']).toBe('<root>');
    expect(parts[1]!.headers['content-id']).toBe('<p2>');
  });

  it('tells a cut package from a whole one', () => {
    const whole = part('\r\n');
    expect(hasCloseDelimiter(whole, 'b')).toBe(true);
    const cut = whole.subarray(0, whole.indexOf('--b--'));
    expect(hasCloseDelimiter(cut, 'b')).toBe(false);
    expect(multipartRanges(cut, 'b').closed).toBe(false);
    // "--b--" inside content is not a delimiter.
    expect(hasCloseDelimiter(Buffer.from('--b\r\n\r\nx--b--y'), 'b')).toBe(false);
  });
});

describe('classifyError', () => {
  const err = (code: string, message = 'x', cause?: unknown) => Object.assign(new Error(message), { code, cause });

  it('follows the cause chain', () => {
    expect(classifyError(err('UND_ERR_SOCKET', 'other side closed', err('ECONNRESET')), 'body', false).kind).toBe('connection-reset');
    expect(classifyError(err('UND_ERR_SOCKET', 'other side closed'), 'body', false).kind).toBe('truncated');
    expect(classifyError(err('UND_ERR_SOCKET', 'other side closed'), 'headers', false).kind).toBe('connection-reset');
  });

  it('separates server certificate problems, client certificate refusals and other TLS failures', () => {
    expect(classifyError(err('CERT_HAS_EXPIRED'), 'headers', true).kind).toBe('certificate');
    expect(classifyError(err('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA'), 'headers', true).kind).toBe('client-certificate');
    expect(classifyError(err('ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED'), 'headers', false).kind).toBe('client-certificate');
    expect(classifyError(err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), 'headers', false).kind).toBe('client-certificate');
    expect(classifyError(err('ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE'), 'headers', true).kind).toBe('tls');
    expect(classifyError(err('ERR_SSL_WRONG_VERSION_NUMBER'), 'headers', true).kind).toBe('tls');
    expect(classifyError(err('ECONNRESET', 'Client network socket disconnected before secure TLS connection was established'), 'headers', true).kind).toBe('client-certificate');
  });

  it('falls back to network with the code it found', () => {
    expect(classifyError(err('EHOSTUNREACH'), 'headers', false)).toMatchObject({ kind: 'network', systemCode: 'EHOSTUNREACH' });
  });
});

describe('correlation ids', () => {
  it('are fresh urn:uuid values', () => {
    const a = newCorrelationId();
    expect(isCorrelationId(a)).toBe(true);
    expect(a).not.toBe(newCorrelationId());
    expect(isCorrelationId('uuid:569bff90')).toBe(false);
  });
});

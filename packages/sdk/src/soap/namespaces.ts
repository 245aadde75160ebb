/** Namespaces of the SOAP transport layer. */
export const SOAP_NS = {
  soap11: 'http://schemas.xmlsoap.org/soap/envelope/',
  soap12: 'http://www.w3.org/2003/05/soap-envelope',
  /** WS-Addressing 1.0 (what the DMP and IHE use). */
  wsa: 'http://www.w3.org/2005/08/addressing',
  /** The 2004 member submission, still met in old stacks; read, never written. */
  wsa2004: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  saml2: 'urn:oasis:names:tc:SAML:2.0:assertion',
  xop: 'http://www.w3.org/2004/08/xop/include',
} as const;

export type SoapVersion = '1.1' | '1.2';

/** The envelope namespace of a version, and back. */
export function soapNamespace(version: SoapVersion): string {
  return version === '1.2' ? SOAP_NS.soap12 : SOAP_NS.soap11;
}

export function soapVersionOf(namespace: string | null | undefined): SoapVersion | undefined {
  return namespace === SOAP_NS.soap12 ? '1.2' : namespace === SOAP_NS.soap11 ? '1.1' : undefined;
}

/** Media type of a SOAP envelope: application/soap+xml (1.2) or text/xml (1.1). */
export function soapMediaType(version: SoapVersion): string {
  return version === '1.2' ? 'application/soap+xml' : 'text/xml';
}

/** WS-Addressing anonymous endpoint. */
export const WSA_ANONYMOUS = 'http://www.w3.org/2005/08/addressing/anonymous';

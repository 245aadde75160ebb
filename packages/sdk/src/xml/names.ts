/** Namespace URIs used across the SDK. */
export const NS = {
  hl7: 'urn:hl7-org:v3',
  xsi: 'http://www.w3.org/2001/XMLSchema-instance',
  xsl: 'http://www.w3.org/1999/XSL/Transform',
  sdtc: 'urn:hl7-org:sdtc',
  svs: 'urn:ihe:iti:svs:2008',
  sch: 'http://purl.oclc.org/dsdl/schematron',
  xml: 'http://www.w3.org/XML/1998/namespace',
} as const;

/** CDA level 1 (N1, "non structuré") bodies: accepted media types, their XDS formatCode, and content sniffing. */
import { findConcept, JDV } from '../terminology/index.js';

/** Media types of a nonXMLBody the CI-SIS accepts (dmp-interface.md §10.1). */
export const N1_MEDIA_TYPES = ['application/pdf', 'image/jpeg', 'image/tiff', 'text/rtf', 'text/plain'] as const;
export type N1MediaType = (typeof N1_MEDIA_TYPES)[number];

/** formatCode (JDV_J60 / J10) for each N1 media type. */
const FORMAT_CODES: Record<N1MediaType, string> = {
  'application/pdf': 'urn:ihe:iti:xds-sd:pdf:2008',
  'text/plain': 'urn:ihe:iti:xds-sd:text:2008',
  'text/rtf': 'urn:ihe:iti-fr:xds-sd:rtf:2010',
  'image/jpeg': 'urn:ihe:iti-fr:xds-sd:jpeg:2010',
  'image/tiff': 'urn:ihe:iti-fr:xds-sd:tiff:2010',
};

export function isN1MediaType(value: string | undefined): value is N1MediaType {
  return value !== undefined && (N1_MEDIA_TYPES as readonly string[]).includes(value);
}

/** The XDS formatCode of an N1 document, with code system and display from JDV_J60-FormatCode-DMP. */
export function n1FormatCode(mediaType: N1MediaType): { code: string; codeSystem: string; displayName: string } {
  const code = FORMAT_CODES[mediaType];
  const concept = findConcept(JDV.J60_FORMAT_CODE_DMP, code);
  // The table above is checked against J60 by the tests; a miss here means the data was regenerated without it.
  if (!concept) throw new Error(`formatCode ${code} is missing from ${JDV.J60_FORMAT_CODE_DMP}`);
  return { code, codeSystem: concept.system, displayName: concept.display };
}

/**
 * Whether the bytes look like the declared media type (magic numbers; for text/plain: valid UTF-8 without NUL).
 * Catches the common mistake of wrapping a file under the wrong type, which the DMP viewer then fails to open.
 */
export function contentMatchesMediaType(bytes: Uint8Array, mediaType: N1MediaType): boolean {
  const starts = (...sig: number[]): boolean => sig.every((b, i) => bytes[i] === b);
  switch (mediaType) {
    case 'application/pdf':
      return starts(0x25, 0x50, 0x44, 0x46, 0x2d); // %PDF-
    case 'image/jpeg':
      return starts(0xff, 0xd8, 0xff);
    case 'image/tiff':
      return starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a); // II*\0 / MM\0*
    case 'text/rtf':
      return starts(0x7b, 0x5c, 0x72, 0x74, 0x66); // {\rtf
    case 'text/plain':
      if (bytes.includes(0)) return false;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        return true;
      } catch {
        return false;
      }
  }
}

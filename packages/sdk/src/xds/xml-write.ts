/**
 * Escaping for the string-built XML of the codecs. Strings are concatenated rather than going through a
 * DOM so that building a message costs one pass and no tree (a 1,000-entry response stays cheap).
 * Attribute values escape tab/CR/LF as character references, text escapes CR: a parser would otherwise
 * normalise them and what we build would not read back identically.
 */

/** Characters XML 1.0 cannot carry at all (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
// eslint-disable-next-line no-control-regex
const INVALID_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export class XmlWriteError extends Error {
  override readonly name = 'XmlWriteError';
  readonly code = 'XML_INVALID_CHAR';
}

function assertXmlChars(value: string): void {
  if (INVALID_XML_CHAR.test(value)) {
    throw new XmlWriteError(`a value contains a character XML cannot represent (U+${value.match(INVALID_XML_CHAR)![0].charCodeAt(0).toString(16).padStart(4, '0')})`);
  }
}

const ATTR_RE = /[&<>"\t\n\r]/g;
const ATTR_MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
const TEXT_RE = /[&<>\r]/g;
const TEXT_MAP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

/** An attribute value, for use inside double quotes. */
export function escapeAttr(value: string): string {
  assertXmlChars(value);
  return value.replace(ATTR_RE, (c) => ATTR_MAP[c]!);
}

/** Element text content. */
export function escapeText(value: string): string {
  assertXmlChars(value);
  return value.replace(TEXT_RE, (c) => TEXT_MAP[c]!);
}

/** ` name="value"` for each defined attribute, in the given order. */
export function attrs(list: ReadonlyArray<readonly [string, string | undefined]>): string {
  let out = '';
  for (const [name, value] of list) if (value !== undefined) out += ` ${name}="${escapeAttr(value)}"`;
  return out;
}

/** `<name attrs>text</name>`, or `<name attrs/>` without text. */
export function element(name: string, attributes: ReadonlyArray<readonly [string, string | undefined]>, text?: string): string {
  const a = attrs(attributes);
  return text === undefined ? `<${name}${a}/>` : `<${name}${a}>${escapeText(text)}</${name}>`;
}

/** Removes an XML declaration and a BOM so a document can be embedded in another one verbatim. */
export function stripXmlDeclaration(xml: string): string {
  let s = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  const m = /^\s*<\?xml\s[^?]*\?>\s*/.exec(s);
  if (m) s = s.slice(m[0].length);
  return s;
}

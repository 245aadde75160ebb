/**
 * Content-Type header parsing (RFC 2045 §5.1 / RFC 7231 §3.1.1.1), lenient with what captures show:
 * quoted and unquoted parameters, no space after `;`, a trailing `;`, parameter names in any case.
 */
export interface ContentType {
  /** `type/subtype`, lower-cased. */
  mediaType: string;
  /** Parameters by lower-cased name, values unquoted. */
  params: Record<string, string>;
}

export function parseContentType(header: string): ContentType {
  let i = header.indexOf(';');
  const mediaType = (i < 0 ? header : header.slice(0, i)).trim().toLowerCase();
  const params: Record<string, string> = {};
  while (i >= 0 && i < header.length) {
    i++;
    while (i < header.length && /[\s;]/.test(header[i]!)) i++;
    const eq = header.indexOf('=', i);
    if (eq < 0) break;
    const name = header.slice(i, eq).trim().toLowerCase();
    let j = eq + 1;
    while (j < header.length && header[j] === ' ') j++;
    let value: string;
    if (header[j] === '"') {
      let out = '';
      j++;
      while (j < header.length && header[j] !== '"') {
        if (header[j] === '\\' && j + 1 < header.length) j++;
        out += header[j];
        j++;
      }
      value = out;
      j++;
      const next = header.indexOf(';', j);
      i = next;
    } else {
      const next = header.indexOf(';', j);
      value = (next < 0 ? header.slice(j) : header.slice(j, next)).trim();
      i = next;
    }
    if (name && !(name in params)) params[name] = value;
  }
  return { mediaType, params };
}

/** `"value"` when the value needs quoting in a header parameter, the value itself otherwise. */
export function quoteParam(value: string): string {
  return /^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(value) ? value : `"${value.replace(/(["\\])/g, '\\$1')}"`;
}

/**
 * A small RFC 4180 reader for catalogue files exported from a spreadsheet: `;`, `,` or tab separators (detected
 * on the header line), quoted fields with doubled quotes and line breaks, CRLF or LF.
 */

export function detectDelimiter(headerLine: string): string {
  const counts = [';', ',', '\t'].map((d) => [d, headerLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0]![1] > 0 ? counts[0]![0] : ';';
}

/** Rows of fields, with the 1-based line where each row starts (for error messages). */
export function parseCsv(input: string, delimiter?: string): { line: number; fields: string[] }[] {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const firstBreak = text.search(/\r?\n/);
  const delim = delimiter ?? detectDelimiter(firstBreak < 0 ? text : text.slice(0, firstBreak));
  const rows: { line: number; fields: string[] }[] = [];
  let field = '';
  let fields: string[] = [];
  let inQuotes = false;
  let line = 1;
  let rowLine = 1;
  let fieldStarted = false;
  const endRow = () => {
    fields.push(field);
    if (fields.some((f) => f.trim() !== '')) rows.push({ line: rowLine, fields });
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else if (c === '\r' && text[i + 1] === '\n') {
        // A line break inside a quoted cell is kept as LF whatever the file uses.
        continue;
      } else {
        if (c === '\n') line++;
        field += c;
      }
      continue;
    }
    if (c === '"' && !fieldStarted) {
      inQuotes = true;
      fieldStarted = true;
    } else if (c === delim) {
      fields.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (inQuotes) throw new SyntaxError(`unterminated quoted field starting on line ${rowLine}`);
  if (field !== '' || fields.length) endRow();
  return rows;
}

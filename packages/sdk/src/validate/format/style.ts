/** Minimal ANSI styling for the text formatter: the SDK stays free of terminal libraries. */
export interface Style {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

const ansi: Style = {
  red: wrap(31, 39),
  green: wrap(32, 39),
  yellow: wrap(33, 39),
  cyan: wrap(36, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
};

const identity = (s: string) => s;
const plain: Style = { red: identity, green: identity, yellow: identity, cyan: identity, dim: identity, bold: identity };

export function styleFor(color: boolean): Style {
  return color ? ansi : plain;
}

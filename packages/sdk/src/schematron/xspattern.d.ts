// xspattern 3.1 ships types but its package exports do not point at them.
declare module 'xspattern' {
  export function compile(pattern: string, options?: { language?: 'xsd' | 'xpath' }): (str: string) => boolean;
}

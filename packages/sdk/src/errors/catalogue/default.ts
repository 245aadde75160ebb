/**
 * The catalogue the SDK ships, plus entries other SDK modules register for the codes they own (the VIHF module's
 * VihfError codes). `defaultErrorCatalogue()` is what explainError uses unless given another one.
 */
import { ErrorCatalogue } from './catalogue.js';
import { CONFIG_ENTRIES } from './config.js';
import { DMP_ENTRIES } from './dmp.js';
import { validateEntry, type CatalogueEntry } from './entry.js';
import { HL7V3_ENTRIES } from './hl7v3.js';
import { SOAP_ENTRIES } from './soap.js';
import { TRANSPORT_ENTRIES } from './transport.js';
import { XDS_ENTRIES } from './xds.js';

const BUILT_IN: readonly CatalogueEntry[] = [...XDS_ENTRIES, ...SOAP_ENTRIES, ...DMP_ENTRIES, ...HL7V3_ENTRIES, ...TRANSPORT_ENTRIES, ...CONFIG_ENTRIES];

let builtIn: ErrorCatalogue | undefined;
let current: ErrorCatalogue | undefined;
const registered: CatalogueEntry[] = [];

/** Only the entries shipped in this folder (docs/errors.md is generated from it). */
export function builtInErrorCatalogue(): ErrorCatalogue {
  builtIn ??= new ErrorCatalogue(BUILT_IN);
  return builtIn;
}

/** Built-in entries plus the registered ones. */
export function defaultErrorCatalogue(): ErrorCatalogue {
  current ??= registered.length ? builtInErrorCatalogue().merge(registered, 'override') : builtInErrorCatalogue();
  return current;
}

/**
 * Adds entries to the default catalogue, for SDK modules that own error codes. A code that already exists is
 * refused (a module must not silently redefine another's code) unless `replace` is set.
 */
export function registerErrorEntries(entries: readonly CatalogueEntry[], options: { replace?: boolean } = {}): void {
  const validated = entries.map((e, i) => validateEntry(e, `registerErrorEntries[${i}] (${(e as { code?: string }).code ?? '?'})`));
  const existing = defaultErrorCatalogue();
  for (const e of validated) {
    const clash = existing.get(e.code);
    if (clash && !options.replace) throw new TypeError(`registerErrorEntries: code "${e.code}" is already in the catalogue (kind ${clash.kind}); pass { replace: true } to redefine it`);
  }
  const next = registered.filter((r) => !validated.some((e) => e.code === r.code)).concat(validated);
  // Built now so that an alias clash fails here, at registration, not at the first diagnosis.
  current = builtInErrorCatalogue().merge(next, 'override');
  registered.splice(0, registered.length, ...next);
}

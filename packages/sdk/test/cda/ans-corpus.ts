/**
 * Test helper for the shared ANS corpus (read in place, never copied): its location, and XSD validation
 * against CDA_extended.xsd with libxml2-wasm, reading schema files only from the XSD's own directory tree.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, realpathSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XmlDocument, XmlValidateError, XsdValidator, xmlRegisterInputProvider } from 'libxml2-wasm';

const PKG_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The shared corpus: $DMPKIT_CORPUS or ../../../shared/corpus from the package. */
export const CORPUS_DIR = process.env.DMPKIT_CORPUS ? resolve(process.env.DMPKIT_CORPUS) : resolve(PKG_DIR, '../../../shared/corpus');
export const CDA_DOCUMENTS_DIR = join(CORPUS_DIR, 'cda/documents');
export const CDA_XSD = join(CORPUS_DIR, 'cda/ruleset/infrastructure/cda/CDA_extended.xsd');
export const HAS_CDA_DOCUMENTS = existsSync(CDA_DOCUMENTS_DIR);
export const HAS_CDA_XSD = existsSync(CDA_XSD);

/** Says once, on stderr, why a corpus-based suite is skipped. */
export function reportSkip(what: string, path: string): void {
  process.stderr.write(`[skip] ${what}: ${path} not found (set DMPKIT_CORPUS to the shared corpus folder)\n`);
}

let registeredRoot: string | undefined;

function registerProvider(root: string): void {
  if (registeredRoot === root) return;
  if (registeredRoot !== undefined) throw new Error('an XSD input provider is already registered for another directory');
  const inside = (name: string): string | undefined => {
    let path: string;
    try {
      path = name.startsWith('file:') ? fileURLToPath(name) : resolve(name);
      path = realpathSync(path);
    } catch {
      return undefined;
    }
    return path === root || path.startsWith(root + sep) ? path : undefined;
  };
  xmlRegisterInputProvider({
    match: (name) => inside(name) !== undefined,
    open: (name) => {
      const path = inside(name);
      if (!path) return undefined;
      try {
        return openSync(path, 'r');
      } catch {
        return undefined;
      }
    },
    read: (fd, buf) => {
      try {
        return readSync(fd, buf, 0, buf.byteLength, null);
      } catch {
        return -1;
      }
    },
    close: (fd) => {
      closeSync(fd);
      return true;
    },
  });
  registeredRoot = root;
}

let validator: XsdValidator | undefined;

/** Validates XML text; returns the XSD error messages (empty when valid). */
export function xsdErrors(xml: string): string[] {
  if (!validator) {
    const root = realpathSync(dirname(CDA_XSD));
    registerProvider(root);
    const schemaDoc = XmlDocument.fromBuffer(readFileSync(CDA_XSD), { url: realpathSync(CDA_XSD) });
    validator = XsdValidator.fromDoc(schemaDoc);
  }
  const doc = XmlDocument.fromString(xml);
  try {
    validator.validate(doc);
    return [];
  } catch (e) {
    if (e instanceof XmlValidateError) return e.details.map((d) => `${d.line ?? '?'}:${d.col ?? '?'} ${d.message.trim()}`);
    throw e;
  } finally {
    doc.dispose();
  }
}

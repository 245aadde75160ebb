/**
 * The CDA XSD layer: libxml2 (compiled to WebAssembly, no native build) validates against the pack's
 * `infrastructure/cda/CDA_extended.xsd`. The schema is parsed once per process and reused.
 *
 * libxml2 reads files only through our input provider, which serves nothing outside the folders of the
 * schemas we loaded: a document can never make the validator open another file or the network.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ParseOption,
  XmlDocument,
  XmlValidateError,
  XsdValidator,
  xmlRegisterInputProvider,
  type XmlInputProvider,
} from 'libxml2-wasm';
import type { Finding } from './finding.js';

const allowedRoots = new Set<string>();
const openFiles = new Map<number, { data: Buffer; offset: number }>();
let nextFd = 1;
let providerRegistered = false;

function isAllowed(file: string): string | undefined {
  const abs = path.resolve(file.startsWith('file://') ? new URL(file).pathname : file);
  for (const root of allowedRoots) if (abs.startsWith(root + path.sep)) return abs;
  return undefined;
}

const provider: XmlInputProvider = {
  match: (filename) => isAllowed(filename) !== undefined,
  open: (filename) => {
    const abs = isAllowed(filename);
    if (!abs) return undefined;
    try {
      const fd = nextFd++;
      openFiles.set(fd, { data: fs.readFileSync(abs), offset: 0 });
      return fd;
    } catch {
      return undefined;
    }
  },
  read: (fd, buf) => {
    const f = openFiles.get(fd);
    if (!f) return -1;
    const n = Math.min(buf.length, f.data.length - f.offset);
    buf.set(f.data.subarray(f.offset, f.offset + n));
    f.offset += n;
    return n;
  },
  close: (fd) => openFiles.delete(fd),
};

const validators = new Map<string, XsdValidator>();

/** A validator for the schema at `xsdPath` (cached per path for the life of the process). */
export function loadXsd(xsdPath: string): XsdValidator {
  const abs = path.resolve(xsdPath);
  const cached = validators.get(abs);
  if (cached) return cached;
  allowedRoots.add(path.dirname(abs));
  if (!providerRegistered) {
    xmlRegisterInputProvider(provider);
    providerRegistered = true;
  }
  const schemaDoc = XmlDocument.fromBuffer(fs.readFileSync(abs), { url: abs, option: ParseOption.XML_PARSE_NONET });
  try {
    const validator = XsdValidator.fromDoc(schemaDoc);
    validators.set(abs, validator);
    return validator;
  } finally {
    schemaDoc.dispose();
  }
}

/** libxml2 repeats these while reading the CDA schema set; they say nothing about the document. */
const NOISE = /Skipping import of schema|already imported/;

/** Validates the exact bytes of a document; returns XSD findings (empty when valid). */
export function validateXsd(validator: XsdValidator, bytes: Uint8Array, file: string): Finding[] {
  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(bytes, { option: ParseOption.XML_PARSE_NONET });
  } catch (e) {
    const d = (e as { details?: { message: string; line: number; col: number }[] }).details?.[0];
    return [
      {
        ruleId: 'XSD-PARSE',
        severity: 'error',
        layer: 'xsd',
        message: `libxml2 ne peut pas lire le document : ${(d?.message ?? (e as Error).message).trim()}`,
        messageEn: `libxml2 cannot read the document: ${(d?.message ?? (e as Error).message).trim()}`,
        location: { file, ...(d ? { line: d.line, column: d.col } : {}) },
      },
    ];
  }
  try {
    validator.validate(doc);
    return [];
  } catch (e) {
    if (!(e instanceof XmlValidateError)) throw e;
    return e.details
      .filter((d) => !NOISE.test(d.message) && d.level >= 2)
      .map((d) => ({
        ruleId: 'XSD',
        severity: 'error' as const,
        layer: 'xsd' as const,
        message: d.message.trim(),
        location: { file, line: d.line, ...(d.col ? { column: d.col } : {}) },
      }));
  } finally {
    doc.dispose();
  }
}

/**
 * The validation pipeline: well-formedness → CDA root → CDA XSD → ANS schematrons (4 generic layers and
 * the document's volet) → DMP submission layer. Every stage reports {@link Finding}s in one shape; a
 * stage that cannot run says why in its {@link LayerRun}, so a report never passes silently.
 */
import * as fs from 'node:fs';
import type * as slimdom from 'slimdom';
import { parseXml, positionOf, XmlParseError, DEFAULT_MAX_XML_BYTES } from '../xml/parse.js';
import { xpathOf } from '../xml/path.js';
import { findClinicalDocument } from '../xml/dom.js';
import { NS } from '../xml/names.js';
import { NodeIndex } from '../schematron/context-match.js';
import { RulePack, GENERIC_SCHEMATRONS, type OpenPackOptions, type SchematronEngine } from '../rules-pack/pack.js';
import { selectVolet } from '../rules-pack/select.js';
import { checkDmpSubmission } from './dmp/index.js';
import { ruleDefinition, formatRuleText } from './rules/catalogue.js';
import {
  countSeverities,
  LAYERS,
  summarize,
  type DocumentReport,
  type Finding,
  type Layer,
  type LayerRun,
  type ValidationReport,
} from './finding.js';
import { SDK_VERSION } from '../version.js';

export interface ValidateOptions {
  /** TestContenuCDA tree; without it the XSD and ANS schematron layers are not applied. */
  rules?: string;
  /** Commit of the pack when it is not a git checkout. */
  rulesCommit?: string;
  /** Layers to run (default: all). */
  layers?: readonly Layer[];
  /** Largest document accepted, in bytes (default 20 MiB). */
  maxBytes?: number;
  /** Worker threads for batches (default: number of cores, at most the number of files). */
  jobs?: number;
  /** Cache of compiled rule packs. */
  cacheDir?: string;
  /** Force the volet schematron (`BIO-CR-BIO_2024.01` or a file name). */
  volet?: string;
  /** Schematron engine: `fast` (default) or `reference` (the straightforward parity yardstick). */
  engine?: SchematronEngine;
}

/** Everything a stage needs that is costly to build: made once per process or worker. */
export class ValidationContext {
  readonly layers: ReadonlySet<Layer>;
  readonly pack: RulePack | null;

  constructor(readonly options: ValidateOptions = {}) {
    this.layers = new Set(options.layers ?? LAYERS);
    const packOptions: OpenPackOptions = {
      ...(options.cacheDir ? { cacheDir: options.cacheDir } : {}),
      ...(options.rulesCommit ? { commit: options.rulesCommit } : {}),
      ...(options.engine ? { engine: options.engine } : {}),
    };
    this.pack = options.rules ? RulePack.open(options.rules, packOptions) : null;
  }
}

/** Our own rule as a finding: severity and texts come from the rule table. */
export function ownFinding(
  ruleId: string,
  file: string,
  params: Record<string, string | number> = {},
  where?: { node?: slimdom.Node | slimdom.Attr; line?: number; column?: number },
): Finding {
  const def = ruleDefinition(ruleId);
  if (!def) throw new Error(`unknown rule id ${ruleId}`);
  const pos = where?.node ? positionOf(where.node) : undefined;
  const line = where?.line ?? pos?.line;
  const column = where?.column ?? pos?.column;
  return {
    ruleId,
    severity: def.severity,
    layer: def.layer,
    message: formatRuleText(def.fr, params),
    messageEn: formatRuleText(def.en, params),
    location: {
      file,
      ...(line !== undefined ? { line } : {}),
      ...(column !== undefined ? { column } : {}),
      ...(where?.node ? { xpath: xpathOf(where.node) } : {}),
    },
  };
}

const PARSE_RULE: Record<XmlParseError['code'], string> = {
  XML_EMPTY: 'XML-EMPTY',
  XML_TOO_LARGE: 'XML-TOO-LARGE',
  XML_ENCODING: 'XML-ENCODING',
  XML_DOCTYPE: 'XML-DOCTYPE',
  XML_NOT_WELL_FORMED: 'XML-WELLFORMED',
};

/** The XSD layer's code: libxml2 compiled to WebAssembly. */
export type XsdModule = typeof import('./xsd.js');
let xsdModule: Promise<XsdModule> | undefined;

/**
 * Imported when a document of this thread needs it: a lone document's XSD layer runs in a worker, and loading
 * libxml2 here as well cost a cold `dmp validate one.xml` ~70 ms, plus the compilation of its WebAssembly on a
 * core the worker needs.
 */
export function loadXsdModule(): Promise<XsdModule> {
  return (xsdModule ??= import('./xsd.js'));
}

/** Whether the XSD layer will run for documents of this context. */
function xsdDue(ctx: ValidationContext): boolean {
  return ctx.layers.has('xsd') && ctx.pack !== null;
}

/** Validates one document held in memory. Never throws for bad input: it reports. */
export async function validateDocument(bytes: Uint8Array, file: string, ctx: ValidationContext): Promise<DocumentReport> {
  // When the layer is not due, runDocument skips it before looking at its second argument.
  return runDocument(bytes, file, ctx, xsdDue(ctx) ? await loadXsdModule() : 'defer').report;
}

/** The XSD layer's outcome, computed apart (validate/xsd-worker.ts) and filled into a report. */
export interface XsdOutcome {
  findings: Finding[];
  durationMs: number;
}

/**
 * A document validated with its XSD layer run by `xsd`, or left to the caller (`'defer'`): `fillXsd` is then set
 * when that layer is due and puts its findings where they belong (after the CDA layer's), counts and verdict updated.
 */
export interface DocumentRun {
  report: DocumentReport;
  fillXsd?: (outcome: XsdOutcome) => void;
}

export function runDocument(bytes: Uint8Array, file: string, ctx: ValidationContext, xsd: XsdModule | 'defer'): DocumentRun {
  const started = performance.now();
  const findings: Finding[] = [];
  const layers: LayerRun[] = [];
  const run = (layer: Layer, name: string, body: () => Finding[]): Finding[] => {
    const t = performance.now();
    const out = body();
    const { errors, warnings } = countSeverities(out);
    layers.push({ layer, name, applied: true, errors, warnings, durationMs: round(performance.now() - t) });
    findings.push(...out);
    return out;
  };
  const skip = (layer: Layer, name: string, reason: string) =>
    layers.push({ layer, name, applied: false, reason, errors: 0, warnings: 0, durationMs: 0 });

  // 1. XML
  let parsed: ReturnType<typeof parseXml> | undefined;
  run('xml', 'well-formedness', () => {
    try {
      parsed = parseXml(bytes, { maxBytes: ctx.options.maxBytes ?? DEFAULT_MAX_XML_BYTES });
      return [];
    } catch (e) {
      if (!(e instanceof XmlParseError)) throw e;
      return [ownFinding(PARSE_RULE[e.code], file, { detail: e.message }, { ...(e.line ? { line: e.line } : {}), ...(e.column ? { column: e.column } : {}) })];
    }
  });
  const report = (extra: Partial<DocumentReport> = {}): DocumentReport => {
    const { errors, warnings } = countSeverities(findings);
    return { file, verdict: errors > 0 ? 'invalid' : 'valid', errors, warnings, findings, layers, durationMs: round(performance.now() - started), ...extra };
  };
  if (!parsed) {
    for (const l of ['cda', 'xsd', 'schematron', 'dmp'] as const) skip(l, l, 'the file is not well-formed XML');
    return { report: report() };
  }
  const document = parsed.document;
  let xsdSlot: { layer: LayerRun; at: number } | undefined;

  // 2. Is it a CDA document?
  const clinical = findClinicalDocument(document);
  run('cda', 'root element', () => {
    if (clinical) return [];
    const root = document.documentElement!;
    return [ownFinding('CDA-ROOT', file, { found: `{${root.namespaceURI ?? ''}}${root.localName}` }, { node: root })];
  });
  const code = clinical ? firstHl7(clinical, 'code') : undefined;
  const documentType = code
    ? {
        ...(code.getAttribute('code') !== null ? { code: code.getAttribute('code')! } : {}),
        ...(code.getAttribute('codeSystem') !== null ? { codeSystem: code.getAttribute('codeSystem')! } : {}),
        ...(code.getAttribute('displayName') !== null ? { displayName: code.getAttribute('displayName')! } : {}),
      }
    : undefined;

  // 3. XSD
  const pack = ctx.pack;
  if (!ctx.layers.has('xsd')) skip('xsd', 'CDA_extended.xsd', 'not selected (--layers)');
  else if (!pack) skip('xsd', 'CDA_extended.xsd', 'no ANS rule pack configured');
  else if (xsd !== 'defer') run('xsd', 'CDA_extended.xsd', () => xsd.validateXsd(xsd.loadXsd(pack.xsdPath), bytes, file));
  else {
    const layer: LayerRun = { layer: 'xsd', name: 'CDA_extended.xsd', applied: true, errors: 0, warnings: 0, durationMs: 0 };
    layers.push(layer);
    xsdSlot = { layer, at: findings.length };
  }

  // 4. ANS schematrons
  let volet: DocumentReport['volet'];
  if (!ctx.layers.has('schematron')) skip('schematron', 'ANS schematrons', 'not selected (--layers)');
  else if (!pack) {
    skip('schematron', 'ANS schematrons', 'no ANS rule pack configured');
    findings.push(ownFinding('PACK-NONE', file));
  } else if (!clinical) skip('schematron', 'ANS schematrons', 'not a CDA document');
  else {
    const choice = selectVolet(document, clinical, pack.volets, ctx.options.volet);
    volet = { ...(choice.schematron ? { schematron: choice.schematron } : {}), reason: choice.reason };
    if (!choice.schematron) findings.push(ownFinding('PACK-VOLET-UNKNOWN', file, { detail: choice.reason }));
    const index = new NodeIndex(document);
    for (const sch of [...GENERIC_SCHEMATRONS, ...(choice.schematron ? [choice.schematron] : [])]) {
      run('schematron', sch, () => schematronFindings(pack, sch, document, index, file));
    }
  }

  // 5. DMP submission layer
  if (!ctx.layers.has('dmp')) skip('dmp', 'DMP submission rules', 'not selected (--layers)');
  else if (!clinical) skip('dmp', 'DMP submission rules', 'not a CDA document');
  else run('dmp', 'DMP submission rules', () => checkDmpSubmission(document, clinical, file));

  const done = report({ ...(documentType ? { documentType } : {}), ...(volet ? { volet } : {}) });
  if (!xsdSlot) return { report: done };
  const slot = xsdSlot;
  return {
    report: done,
    fillXsd: ({ findings: xsd, durationMs }) => {
      Object.assign(slot.layer, countSeverities(xsd), { durationMs: round(durationMs) });
      done.findings.splice(slot.at, 0, ...xsd);
      const { errors, warnings } = countSeverities(done.findings);
      // The document's time is wall time: it ends when its last layer, run alongside, has answered.
      Object.assign(done, { errors, warnings, verdict: errors > 0 ? 'invalid' : 'valid', durationMs: round(performance.now() - started) });
    },
  };
}

function schematronFindings(pack: RulePack, sch: string, document: slimdom.Document, index: NodeIndex, file: string): Finding[] {
  const evaluator = pack.evaluator(sch);
  const result = evaluator.run(document, index);
  const out: Finding[] = [];
  for (const hit of result.hits) {
    const role = (hit.check.role ?? '').toLowerCase();
    const severity = hit.check.kind === 'report' || role === 'info' || role === 'information' ? 'info' : role === 'warning' ? 'warning' : 'error';
    out.push({
      ruleId: hit.check.ruleId,
      severity,
      layer: 'schematron',
      schematron: sch,
      message: hit.message,
      location: locate(hit.node, file),
    });
  }
  for (const err of result.errors) {
    out.push({
      ...ownFinding('SCH-EVAL', file, {
        detail: `${err.check ? err.check.file + ':' + err.check.line : err.rule.file + ':' + err.rule.line}: ${err.error.split('\n')[0]}`,
      }),
      schematron: sch,
      location: err.node ? locate(err.node, file) : { file },
    });
  }
  return out;
}

function locate(node: slimdom.Node, file: string): Finding['location'] {
  const target = node.nodeType === 2 ? ((node as unknown as slimdom.Attr).ownerElement ?? node) : node;
  const pos = positionOf(target);
  return { file, ...(pos ? { line: pos.line, column: pos.column } : {}), xpath: xpathOf(node) };
}

function firstHl7(el: slimdom.Element, name: string): slimdom.Element | undefined {
  for (let c = el.firstElementChild; c; c = c.nextElementSibling) if (c.localName === name && c.namespaceURI === NS.hl7) return c;
  return undefined;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Reads and validates one file; an unreadable file is a finding, not an exception. */
export async function validateFile(file: string, ctx: ValidationContext): Promise<DocumentReport> {
  const read = readDocumentFile(file, ctx);
  return read instanceof Uint8Array ? validateDocument(read, file, ctx) : read;
}

/** A file's bytes, or the report that says why they cannot be validated (unreadable, too large). */
export function readDocumentFile(file: string, ctx: ValidationContext): Buffer | DocumentReport {
  let bytes: Buffer;
  try {
    const stat = fs.statSync(file);
    const max = ctx.options.maxBytes ?? DEFAULT_MAX_XML_BYTES;
    if (stat.size > max) {
      // Refuse before reading: a huge file must not cost its size in memory.
      return tooLarge(file, stat.size, max);
    }
    bytes = fs.readFileSync(file);
  } catch (e) {
    const f = ownFinding('XML-READ', file, { detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
    return { file, verdict: 'invalid', errors: 1, warnings: 0, findings: [f], layers: [], durationMs: 0 };
  }
  return bytes;
}

function tooLarge(file: string, size: number, max: number): DocumentReport {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const f = ownFinding('XML-TOO-LARGE', file, { detail: `${mib(size)} > ${mib(max)} (--max-size)` });
  return {
    file,
    verdict: 'invalid',
    errors: 1,
    warnings: 0,
    findings: [f],
    layers: [{ layer: 'xml', name: 'well-formedness', applied: true, errors: 1, warnings: 0, durationMs: 0 }],
    durationMs: 0,
  };
}

export function buildReport(ctx: ValidationContext, documents: DocumentReport[]): ValidationReport {
  return {
    tool: { name: 'dmpkit', version: SDK_VERSION },
    pack: ctx.pack ? { ...ctx.pack.info } : null,
    documents,
    summary: summarize(documents),
  };
}

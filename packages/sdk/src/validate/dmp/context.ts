/**
 * What every DMP rule receives: the parsed document, its CDA header model, and a way to report.
 * Rules are small functions `(ctx) => void`; they report through {@link DmpContext.report} and
 * skip silently what another rule (or the ANS layers) already reports as missing.
 */
import type * as slimdom from 'slimdom';
import { sourceElementOf } from '../../cda/read-header.js';
import type { CdaHeader } from '../../cda/header.js';
import type { Finding } from '../finding.js';
import type { DmpRuleId } from '../rules/dmp-catalogue.js';
import { ownFinding } from '../pipeline.js';

export interface DmpContext {
  readonly document: slimdom.Document;
  /** The ClinicalDocument element (the root, or inside an auto-présentable xsl:stylesheet). */
  readonly clinical: slimdom.Element;
  readonly header: CdaHeader;
  readonly file: string;
  readonly findings: Finding[];
  /**
   * Reports a finding of a DMP rule. `at` is a DOM node, or a part of {@link header} (located through
   * the element it was read from); when absent or unknown, the finding points at ClinicalDocument.
   */
  report(ruleId: DmpRuleId, params?: Record<string, string | number>, at?: object | undefined): void;
}

export type DmpRule = (ctx: DmpContext) => void;

function isNode(value: object): value is slimdom.Node {
  return typeof (value as { nodeType?: unknown }).nodeType === 'number';
}

/** The DOM node a rule points at: a node as is, a header part through its source element. */
export function nodeFor(at: object | undefined, fallback: slimdom.Element): slimdom.Node {
  if (!at) return fallback;
  if (isNode(at)) return at;
  return sourceElementOf(at) ?? fallback;
}

export function createContext(document: slimdom.Document, clinical: slimdom.Element, header: CdaHeader, file: string): DmpContext {
  const findings: Finding[] = [];
  return {
    document,
    clinical,
    header,
    file,
    findings,
    report(ruleId, params = {}, at) {
      findings.push(ownFinding(ruleId, file, params, { node: nodeFor(at, clinical) }));
    },
  };
}

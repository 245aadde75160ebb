/**
 * Structured problems found while decoding a message. Decoders never throw on bad content: they record
 * an issue (stable code, severity, message, where) and carry on with what they could read.
 */
import type { XmlElement } from '../xml/fast-parse.js';
import { xpathOf } from '../xml/path.js';

export type IssueSeverity = 'error' | 'warning' | 'info';

export interface DecodeIssue {
  /** Stable code, e.g. `XOP_UNRESOLVED`, `XDS_SCHEME_WHITESPACE`. */
  code: string;
  severity: IssueSeverity;
  /** English, never carries patient data (ids of registry objects and schemes only). */
  message: string;
  /** Positional XPath of the node concerned, when there is one. */
  xpath?: string;
  line?: number;
  column?: number;
}

/** Collects issues, with the element's path and position (decoders read the fast reader's tree). */
export class IssueLog {
  readonly issues: DecodeIssue[] = [];

  add(severity: IssueSeverity, code: string, message: string, node?: XmlElement): void {
    const issue: DecodeIssue = { code, severity, message };
    if (node) {
      issue.xpath = xpathOf(node);
      const pos = node.position();
      issue.line = pos.line;
      issue.column = pos.column;
    }
    this.issues.push(issue);
  }

  error(code: string, message: string, node?: XmlElement): void {
    this.add('error', code, message, node);
  }

  warn(code: string, message: string, node?: XmlElement): void {
    this.add('warning', code, message, node);
  }

  info(code: string, message: string, node?: XmlElement): void {
    this.add('info', code, message, node);
  }
}

/**
 * Turns any error into a diagnosis a support person can act on: every code of the error looked up in the
 * catalogue (meaning, probable causes, fix, sources), the facts of the exchange (status, endpoint, codeContext…,
 * sanitised), and the correlation id to quote. A code the catalogue does not have is reported as unknown, with
 * where to look; it is never approximated by a neighbouring code.
 */
import type { CatalogueMatch, ErrorCatalogue, MatchKind } from './catalogue/catalogue.js';
import { defaultErrorCatalogue } from './catalogue/default.js';
import type { CatalogueEntry, CatalogueSeverity } from './catalogue/entry.js';
import { ConfigError, formatConfigIssue } from './config-error.js';
import { DmpError } from './dmp-error.js';
import { DmpServiceError } from './dmp-service-error.js';
import { Hl7v3NackError, hl7v3AckKey } from './hl7v3-nack-error.js';
import { FAILURE_WITHOUT_ERRORS, RegistryError } from './registry-error.js';
import { sanitizeText } from './sanitize.js';
import { SoapFaultError } from './soap-fault-error.js';
import { TransportError } from './transport-error.js';
import { text, type ErrorKind, type LocalizedText, type SourceRef } from './types.js';
import { VihfError } from './vihf-error.js';

export interface DiagnosisOccurrence {
  /** codeContext, fault reason or ack text (sanitised). */
  context?: string;
  location?: string;
  /** Severity as the message gave it (registry errors). */
  severity?: string;
}

export interface DiagnosisItem {
  /** The code as the error carries it. */
  code: string;
  known: boolean;
  /** The catalogue entry's code, when it differs from `code` (matched through an alias or the local name). */
  catalogueCode?: string;
  matchedBy?: MatchKind;
  /**
   * primary: a code the error carries; text: an entry recognised from the message text (DMP errors sent as text);
   * context: a related code (the general fault code behind a subcode, the HTTP status behind a transport error).
   */
  role: 'primary' | 'text' | 'context';
  kind?: ErrorKind;
  severity: CatalogueSeverity | 'unknown';
  meaning: LocalizedText;
  causes: LocalizedText[];
  fix: LocalizedText;
  sources: SourceRef[];
  retryable?: boolean;
  deprecated?: boolean;
  occurrences: DiagnosisOccurrence[];
}

export interface DiagnosisFact {
  label: LocalizedText;
  value: string;
}

export interface Diagnosis {
  /** Class name (`RegistryError`) or `Error` for a foreign error. */
  errorName: string;
  kind: ErrorKind | 'unexpected';
  code: string;
  correlationId?: string;
  transaction?: string;
  summary: LocalizedText;
  /** Every code the error carries is in the catalogue. */
  known: boolean;
  items: DiagnosisItem[];
  facts: DiagnosisFact[];
}

export interface ExplainOptions {
  catalogue?: ErrorCatalogue;
}

const UNKNOWN_FIX = text(
  'Chercher ce code dans la liste officielle des erreurs du DMP (annexe A7-1 du guide DMPi) et la fusionner au catalogue (loadErrorCatalogue) ; transmettre l’identifiant de corrélation et l’échange enregistré au support.',
  'Look this code up in the DMP’s official error list (annex A7-1 of the DMPi guide) and merge it into the catalogue (loadErrorCatalogue); send the correlation id and the recorded exchange to support.',
);

function itemFromEntry(code: string, match: CatalogueMatch, role: DiagnosisItem['role']): DiagnosisItem {
  const e: CatalogueEntry = match.entry;
  const item: DiagnosisItem = {
    code,
    known: true,
    matchedBy: match.matchedBy,
    role,
    kind: e.kind,
    severity: e.severity,
    meaning: e.meaning,
    causes: e.causes,
    fix: e.fix,
    sources: e.sources,
    occurrences: [],
  };
  if (e.code !== code) item.catalogueCode = e.code;
  if (e.retryable !== undefined) item.retryable = e.retryable;
  if (e.deprecated) item.deprecated = true;
  return item;
}

function unknownItem(code: string, role: DiagnosisItem['role']): DiagnosisItem {
  return {
    code,
    known: false,
    role,
    severity: 'unknown',
    meaning: text(`Code « ${code} » absent du catalogue : dmpkit n’en connaît pas la signification.`, `Code "${code}" not in the catalogue: dmpkit does not know its meaning.`),
    causes: [],
    fix: UNKNOWN_FIX,
    sources: [],
    occurrences: [],
  };
}

/** The catalogue's explanation of one code (what `dmp explain <code>` shows). */
export function explainCode(code: string, options: ExplainOptions = {}): DiagnosisItem {
  const catalogue = options.catalogue ?? defaultErrorCatalogue();
  const match = catalogue.lookup(code);
  return match ? itemFromEntry(code, match, 'primary') : unknownItem(code, 'primary');
}

class Builder {
  readonly items: DiagnosisItem[] = [];
  readonly facts: DiagnosisFact[] = [];
  constructor(private readonly catalogue: ErrorCatalogue) {}

  /** Adds (or finds) the item of a code carried by the error. */
  code(code: string, role: DiagnosisItem['role'] = 'primary', occurrence?: DiagnosisOccurrence): DiagnosisItem {
    let item = this.items.find((i) => i.code === code);
    if (!item) {
      const match = this.catalogue.lookup(code);
      // The same entry reached through two spellings (an alias) is shown once.
      const same = match ? this.items.find((i) => entryCodeOf(i) === match.entry.code) : undefined;
      item = same ?? (match ? itemFromEntry(code, match, role) : unknownItem(code, role));
      if (!same) this.items.push(item);
    }
    if (occurrence && Object.values(occurrence).some((v) => v !== undefined)) item.occurrences.push(occurrence);
    return item;
  }

  /** Adds the entry a free text is recognised as (DMP errors that come as text only). */
  text(value: string | undefined): void {
    const match = this.catalogue.matchText(value);
    if (!match || this.items.some((i) => entryCodeOf(i) === match.entry.code)) return;
    this.items.push(itemFromEntry(match.entry.code, match, 'text'));
  }

  has(code: string): boolean {
    return this.catalogue.lookup(code) !== undefined;
  }

  fact(fr: string, en: string, value: string | number | undefined): void {
    if (value === undefined || value === '') return;
    this.facts.push({ label: text(fr, en), value: String(value) });
  }
}

const entryCodeOf = (item: DiagnosisItem): string | undefined => (item.known ? (item.catalogueCode ?? item.code) : undefined);

const clean = (value: string | undefined, max = 1000): string | undefined => (value === undefined ? undefined : sanitizeText(value.trim(), { max }));

/** The diagnosis of any thrown value. */
export function explainError(err: unknown, options: ExplainOptions = {}): Diagnosis {
  const b = new Builder(options.catalogue ?? defaultErrorCatalogue());
  if (err instanceof TransportError) explainTransport(err, b);
  else if (err instanceof SoapFaultError) explainFault(err, b);
  else if (err instanceof RegistryError) explainRegistry(err, b);
  else if (err instanceof Hl7v3NackError) explainNack(err, b);
  else if (err instanceof DmpServiceError) {
    b.code(err.status, 'primary', { context: clean(err.context) });
    b.text(err.context);
    b.fact('Service', 'Service', err.service);
    b.fact('Opération', 'Operation', err.operation);
  } else if (err instanceof VihfError) {
    b.code(err.code, 'primary', { context: clean(err.detail), location: err.attribute });
  } else if (err instanceof ConfigError) {
    b.code(err.code);
    b.fact('Fichier', 'File', err.file);
    err.issues.forEach((issue) => b.fact('Problème', 'Issue', formatConfigIssue(issue)));
  } else if (err instanceof DmpError) {
    b.code(err.code);
  }

  if (!(err instanceof DmpError)) return explainForeign(err, b);

  // Items are ordered most specific first: the first known one explains best.
  const lead = b.items.find((i) => i.known) ?? b.items[0]!;
  const diagnosis: Diagnosis = {
    errorName: err.name,
    kind: err.kind,
    code: err.code,
    summary: text(`${lead.code} — ${lead.meaning.fr}`, `${lead.code} — ${lead.meaning.en}`),
    known: b.items.filter((i) => i.role !== 'text').every((i) => i.known),
    items: b.items,
    facts: b.facts,
  };
  if (err.correlationId) diagnosis.correlationId = err.correlationId;
  if (err.transaction) diagnosis.transaction = err.transaction;
  return diagnosis;
}

function explainTransport(err: TransportError, b: Builder): void {
  b.code(err.code);
  if (err.httpStatus !== undefined && (err.transportKind === 'http-status' || err.transportKind === 'not-soap')) {
    if (b.has(`HTTP-${err.httpStatus}`)) b.code(`HTTP-${err.httpStatus}`, 'context');
  }
  b.fact('Point d’accès', 'Endpoint', err.endpoint);
  b.fact('Étape', 'Phase', err.phase);
  b.fact('Statut HTTP', 'HTTP status', err.httpStatus);
  b.fact('Type de contenu', 'Content type', err.contentType);
  b.fact('Code système', 'System code', err.systemCode);
  b.fact('Détail', 'Detail', clean(err.detail, 500));
  b.fact('Début du corps', 'Body excerpt', err.bodyExcerpt);
  b.fact('Octets reçus', 'Bytes received', err.bytesReceived);
  b.fact('Limite', 'Limit', err.limit);
  if (err.retry) b.fact('Tentatives', 'Attempts', `${err.retry.attempts} (${err.retry.stoppedBy})`);
  b.fact('Durée (ms)', 'Duration (ms)', err.elapsedMs);
}

function explainFault(err: SoapFaultError, b: Builder): void {
  const reason = err.reason();
  // Most specific first: the DMP's subcode explains more than soap:Sender.
  err.subcodes
    .slice()
    .reverse()
    .forEach((s, i) => b.code(s.canonical, 'primary', i === 0 ? { context: clean(reason) } : undefined));
  for (const r of err.reasons) b.text(r.text);
  b.text(err.detail);
  b.code(err.faultCode.canonical, err.subcodes.length ? 'context' : 'primary', err.subcodes.length ? undefined : { context: clean(reason) });
  b.fact('Version SOAP', 'SOAP version', err.soapVersion);
  b.fact('Codes', 'Codes', [err.faultCode, ...err.subcodes].map((c) => c.raw).join(' / '));
  b.fact('Raison', 'Reason', clean(reason));
  b.fact('Détail', 'Detail', clean(err.detail));
  b.fact('Nœud', 'Node', err.node);
  b.fact('Rôle', 'Role', err.role);
  b.fact('Action WS-A', 'WS-A Action', err.action);
  b.fact('Statut HTTP', 'HTTP status', err.httpStatus);
}

function explainRegistry(err: RegistryError, b: Builder): void {
  if (err.errors.length === 0) b.code(FAILURE_WITHOUT_ERRORS);
  // Errors before warnings, each code once with all its occurrences.
  const ordered = [...err.errorEntries, ...err.warningEntries];
  for (const e of ordered) {
    b.code(e.errorCode, 'primary', { context: clean(e.codeContext), location: clean(e.location, 300), severity: e.rawSeverity ?? e.severity });
  }
  for (const e of ordered) b.text(e.codeContext);
  b.fact('Statut', 'Status', err.status);
  b.fact('Réponse', 'Response', err.response);
  b.fact('Erreurs', 'Errors', `${err.errorEntries.length} error(s), ${err.warningEntries.length} warning(s)`);
}

function explainNack(err: Hl7v3NackError, b: Builder): void {
  for (const d of err.ackDetails) {
    if (d.code?.trim()) b.code(d.code.trim(), 'primary', { context: clean(d.text), location: d.location, severity: d.typeCode });
  }
  for (const d of err.ackDetails) b.text(d.text);
  const hasCode = err.ackDetails.some((d) => d.code?.trim());
  const firstText = err.ackDetails.find((d) => d.text?.trim())?.text;
  b.code(hl7v3AckKey(err.typeCode), hasCode ? 'context' : 'primary', hasCode ? undefined : { context: clean(firstText) });
  if (err.queryResponseCode && err.queryResponseCode !== 'OK') b.code(`hl7v3:query:${err.queryResponseCode}`, 'context');
  b.fact('Interaction', 'Interaction', err.interaction);
  b.fact('Message visé', 'Target message', err.targetMessageId);
  b.fact('Code de réponse de requête', 'Query response code', err.queryResponseCode);
}

function explainForeign(err: unknown, b: Builder): Diagnosis {
  const e = err instanceof Error ? err : undefined;
  const errno = (e as { code?: unknown } | undefined)?.code;
  const code = typeof errno === 'string' ? errno : (e?.name ?? typeof err);
  const item = unknownItem(code, 'primary');
  item.meaning = text(
    `Erreur inattendue (${code}), non produite par dmpkit : ce n’est pas un code du catalogue.`,
    `Unexpected error (${code}), not raised by dmpkit: not a catalogue code.`,
  );
  b.items.push(item);
  b.fact('Message', 'Message', clean(e ? e.message : String(err), 500));
  return {
    errorName: e?.name ?? 'Error',
    kind: 'unexpected',
    code,
    summary: text(`${code} — erreur inattendue`, `${code} — unexpected error`),
    known: false,
    items: b.items,
    facts: b.facts,
  };
}

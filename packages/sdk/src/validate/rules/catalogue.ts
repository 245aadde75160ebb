/**
 * The one table of dmpkit's own validation rules: id → severity, layer, French and English text.
 * Rule ids are stable: never renumber, only add. Messages take `{name}` placeholders.
 * The ANS schematron rules are not here: their ids and texts come from the rule pack (schematron/rule-id.ts).
 */
import type { Layer, Severity } from '../finding.js';

export interface RuleDefinition {
  id: string;
  layer: Layer;
  severity: Severity;
  fr: string;
  en: string;
  /** Where the requirement comes from (spec section), shown by `dmp explain` and in SARIF help. */
  source: string;
}

const rules = [
  // --- xml: the file itself -------------------------------------------------------------------
  { id: 'XML-EMPTY', layer: 'xml', severity: 'error', source: 'XML 1.0 §2.1',
    fr: 'Le fichier est vide.', en: 'The file is empty.' },
  { id: 'XML-TOO-LARGE', layer: 'xml', severity: 'error', source: 'dmpkit limits',
    fr: 'Fichier trop volumineux : {detail}', en: 'File too large: {detail}' },
  { id: 'XML-ENCODING', layer: 'xml', severity: 'error', source: 'XML 1.0 §4.3.3',
    fr: "Encodage invalide : {detail}", en: 'Invalid encoding: {detail}' },
  { id: 'XML-DOCTYPE', layer: 'xml', severity: 'error', source: 'dmpkit security policy',
    fr: "Déclaration DOCTYPE interdite : les DTD et entités ne sont jamais traitées (un document CDA n'en contient pas).",
    en: 'DOCTYPE declarations are not allowed: DTDs and entities are never processed (CDA documents have none).' },
  { id: 'XML-WELLFORMED', layer: 'xml', severity: 'error', source: 'XML 1.0',
    fr: 'XML mal formé : {detail}', en: 'XML is not well-formed: {detail}' },
  { id: 'XML-READ', layer: 'xml', severity: 'error', source: 'file system',
    fr: 'Lecture du fichier impossible : {detail}', en: 'Cannot read the file: {detail}' },
  // --- cda: is this a CDA R2 document at all --------------------------------------------------
  { id: 'CDA-ROOT', layer: 'cda', severity: 'error', source: 'HL7 CDA R2; CI-SIS §4.1',
    fr: "L'élément racine doit être ClinicalDocument dans l'espace de noms urn:hl7-org:v3 (ou xsl:stylesheet pour un document auto-présentable) ; trouvé : {found}.",
    en: 'The root element must be ClinicalDocument in namespace urn:hl7-org:v3 (or xsl:stylesheet for a self-presenting document); found: {found}.' },
  // --- rule pack --------------------------------------------------------------------------------
  { id: 'PACK-NONE', layer: 'schematron', severity: 'info', source: 'dmpkit',
    fr: "Aucun jeu de règles ANS configuré : les couches XSD et schématron ANS n'ont pas été appliquées (dmp rules use <dossier>).",
    en: 'No ANS rule pack configured: the XSD and ANS schematron layers were not applied (dmp rules use <dir>).' },
  { id: 'PACK-VOLET-UNKNOWN', layer: 'schematron', severity: 'info', source: 'CI-SIS corpus.md §6.1',
    fr: 'Aucun schématron de volet ne correspond au templateId du document ({detail}) : seules les couches génériques ont été appliquées.',
    en: 'No volet schematron matches the document templateId ({detail}): only the generic layers were applied.' },
  { id: 'SCH-EVAL', layer: 'schematron', severity: 'error', source: 'dmpkit schematron engine',
    fr: "Erreur d'évaluation d'une règle ({detail}).", en: 'A rule could not be evaluated ({detail}).' },
] as const satisfies readonly RuleDefinition[];

export type OwnRuleId = (typeof rules)[number]['id'] | DmpRuleId;

// The DMP submission layer registers its rules in dmp-catalogue.ts, which this table merges.
import { DMP_RULES, type DmpRuleId } from './dmp-catalogue.js';

const table = new Map<string, RuleDefinition>();
for (const r of [...rules, ...DMP_RULES] as RuleDefinition[]) {
  if (table.has(r.id)) throw new Error(`duplicate rule id ${r.id}`);
  table.set(r.id, r);
}

export function ruleDefinition(id: string): RuleDefinition | undefined {
  return table.get(id);
}

export function allRules(): RuleDefinition[] {
  return [...table.values()];
}

/** Fills `{name}` placeholders. */
export function formatRuleText(text: string, params: Record<string, string | number> = {}): string {
  return text.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m));
}

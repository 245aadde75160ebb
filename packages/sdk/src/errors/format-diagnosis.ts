/** Plain-text rendering of a diagnosis, in French or English, for the CLI and support tickets. */
import type { Diagnosis, DiagnosisItem } from './explain.js';
import type { Lang } from './types.js';

const L = {
  fr: {
    correlation: 'Corrélation',
    transaction: 'Transaction',
    colon: ' : ',
    known: 'connu',
    unknown: 'inconnu (absent du catalogue)',
    meaning: 'Signification',
    causes: 'Causes probables',
    fix: 'Correction',
    sources: 'Sources',
    occurrences: 'Occurrences',
    context: 'contexte',
    location: 'emplacement',
    retry: 'Un nouvel essai plus tard peut réussir.',
    deprecated: 'code déprécié',
    via: 'via',
    severity: { error: 'erreur', warning: 'avertissement', info: 'information', unknown: 'gravité inconnue' },
    role: { primary: '', text: ' (reconnu d’après le texte)', context: ' (code associé)' },
  },
  en: {
    correlation: 'Correlation',
    transaction: 'Transaction',
    colon: ': ',
    known: 'known',
    unknown: 'unknown (not in the catalogue)',
    meaning: 'Meaning',
    causes: 'Probable causes',
    fix: 'Fix',
    sources: 'Sources',
    occurrences: 'Occurrences',
    context: 'context',
    location: 'location',
    retry: 'Trying again later may succeed.',
    deprecated: 'deprecated code',
    via: 'via',
    severity: { error: 'error', warning: 'warning', info: 'info', unknown: 'unknown severity' },
    role: { primary: '', text: ' (recognised from the text)', context: ' (related code)' },
  },
} as const;

export function formatDiagnosis(d: Diagnosis, lang: Lang = 'fr'): string {
  const l = L[lang];
  const out: string[] = [`${d.errorName} ${d.code} — ${d.summary[lang].replace(/^\S+ — /, '')}`];
  if (d.correlationId) out.push(`${l.correlation}${l.colon}${d.correlationId}`);
  if (d.transaction) out.push(`${l.transaction}${l.colon}${d.transaction}`);
  for (const f of d.facts) out.push(`${f.label[lang]}${l.colon}${f.value}`);
  d.items.forEach((item, i) => {
    out.push('', ...formatItem(item, i + 1, lang));
  });
  return out.join('\n') + '\n';
}

function formatItem(item: DiagnosisItem, n: number, lang: Lang): string[] {
  const l = L[lang];
  const status = item.known ? `${l.known}${item.catalogueCode ? ` (${l.via} ${item.catalogueCode})` : ''}` : l.unknown;
  const tags = [item.kind, l.severity[item.severity], status, item.deprecated ? l.deprecated : undefined].filter(Boolean).join(' · ');
  const lines = [`[${n}] ${item.code}${l.role[item.role]} · ${tags}`, `    ${l.meaning}${l.colon}${item.meaning[lang]}`];
  if (item.occurrences.length) {
    lines.push(`    ${l.occurrences} (${item.occurrences.length})${l.colon.trimEnd()}`);
    for (const o of item.occurrences) {
      const parts = [o.context ? `${l.context}${l.colon}${o.context}` : undefined, o.location ? `${l.location}${l.colon}${o.location}` : undefined, o.severity].filter(Boolean);
      lines.push(`      - ${parts.join(' · ')}`);
    }
  }
  if (item.causes.length) {
    lines.push(`    ${l.causes}${l.colon.trimEnd()}`);
    for (const c of item.causes) lines.push(`      - ${c[lang]}`);
  }
  lines.push(`    ${l.fix}${l.colon}${item.fix[lang]}`);
  if (item.retryable) lines.push(`    ${l.retry}`);
  if (item.sources.length) lines.push(`    ${l.sources}${l.colon}${item.sources.map((s) => `${s.ref} [${s.confidence}]`).join('; ')}`);
  return lines;
}

/** `/patients/<ins>`: a patient's documents with the filters of the web DMP. */
import type { PatientRecord, StoredEntry, SimulatorStore } from '../../store/store.js';
import { filterEntries, professionCodes, readFilters, STATUS_FILTERS, type DocumentFilters } from '../document-filters.js';
import { code, person, statusLabel, xdsTime } from '../format.js';
import { html, seg, type Html } from '../html.js';
import { page, patientTabs } from '../layout.js';

/** Options of a select: the values present in this patient's documents, with their display names. */
function distinct(entries: readonly StoredEntry[], pick: (e: StoredEntry) => Array<[string, string]>): Array<[string, string]> {
  const m = new Map<string, string>();
  for (const e of entries) for (const [k, label] of pick(e)) if (k && !m.has(k)) m.set(k, label);
  return [...m].sort(([a], [b]) => a.localeCompare(b));
}

function select(name: string, label: string, options: Array<[string, string]>, current: string | undefined): Html {
  return html`<label>${label}<select name="${name}"><option value="">(tous)</option>${options.map(
    ([v, text]) => html`<option value="${v}"${v === current ? html` selected` : ''}>${v}${text && text !== v ? ` — ${text}` : ''}</option>`,
  )}</select></label>`;
}

function filterForm(ins: string, entries: readonly StoredEntry[], f: DocumentFilters): Html {
  const types = distinct(entries, (e) => (e.entry.typeCode ? [[e.entry.typeCode.code, e.entry.typeCode.displayName ?? '']] : []));
  const professions = distinct(entries, (e) => e.entry.authors.flatMap((a) => [...a.authorSpecialty, ...a.authorRole]).map((v) => [v.split('^')[0] ?? '', v.split('^')[1] ?? ''] as [string, string]));
  const check = (name: string, on: boolean, label: string) => html`<label class="check"><input type="checkbox" name="${name}" value="1"${on ? html` checked` : ''}> ${label}</label>`;
  return html`<form class="filters" method="get" action="/patients/${seg(ins)}">
${select('typeCode', 'Type de document', types, f.typeCode)}
<label>Auteur<input type="search" name="author" value="${f.author ?? ''}" placeholder="nom ou identifiant"></label>
${select('profession', 'Profession / spécialité', professions, f.profession)}
<label>Période du<input type="date" name="from" value="${f.from ?? ''}"></label>
<label>au<input type="date" name="to" value="${f.to ?? ''}"></label>
<label>Date de<select name="periodOn"><option value="creation"${f.periodOn === 'creation' ? html` selected` : ''}>création</option><option value="service"${f.periodOn === 'service' ? html` selected` : ''}>début d'acte</option></select></label>
<label>Statut<select name="status">${Object.entries(STATUS_FILTERS).map(([k, s]) => html`<option value="${k}"${k === f.status ? html` selected` : ''}>${s.label}</option>`)}</select></label>
${check('invisiblePatient', f.invisibleToPatient, 'non visibles par le patient')}
${check('signatures', f.signatures, 'signatures de lot')}
<button type="submit">Filtrer</button> <a href="/patients/${seg(ins)}">réinitialiser</a></form>`;
}

function row(ins: string, e: StoredEntry): Html {
  const d = e.entry;
  const flags = d.confidentialityCode.filter((c) => c.code !== 'N');
  return html`<tr data-entry="${e.entryUUID}">
<td><a href="/patients/${seg(ins)}/documents/${seg(e.entryUUID)}">${d.title ?? d.uniqueId}</a>${e.isSignature ? html` <span class="tag">signature</span>` : ''}</td>
<td>${code(d.typeCode, false)}</td>
<td>${d.authors.map((a) => person(a.authorPerson))}</td>
<td>${professionCodes(e).map((c) => html`<span class="tag">${c}</span>`)}</td>
<td>${xdsTime(d.creationTime)}</td><td>${xdsTime(d.serviceStartTime)}</td>
<td>${statusLabel(e.status)}</td><td class="num">${e.version}</td>
<td>${flags.map((c) => html`<span class="tag">${c.code}</span>`)}</td></tr>`;
}

export function documentsPage(store: SimulatorStore, patient: PatientRecord, query: URLSearchParams): string {
  const all = store.entriesOfPatient(patient.ins);
  const f = readFilters(query);
  const shown = filterEntries(all, f);
  return page(
    `Documents de ${patient.label ?? patient.ins}`,
    html`<div class="crumbs"><a href="/">Patients</a> › ${patient.label ?? patient.ins}</div>
<h1>${patient.label ?? patient.ins} <span class="muted">INS ${patient.ins}</span></h1>
${patientTabs(seg(patient.ins), 'documents')}
${filterForm(patient.ins, all, f)}
<p id="result-count" data-count="${shown.length}">${shown.length} document(s) sur ${all.filter((e) => !e.isSignature).length} entrée(s)</p>
<table id="documents"><thead><tr><th>Titre</th><th>Type</th><th>Auteur</th><th>Profession</th><th>Création</th><th>Début d'acte</th><th>Statut</th><th class="num">Version</th><th>Visibilité</th></tr></thead>
<tbody>${shown.map((e) => row(patient.ins, e))}</tbody></table>`,
  );
}

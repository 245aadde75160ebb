/** `/patients/<ins>/history`: the access traces of a DMP, each with its decision and the rules that made it. */
import type { PatientRecord, SimulatorStore } from '../../store/store.js';
import { decisionBadge, instant, modeLabel, rulesList } from '../format.js';
import { html, seg, type Html } from '../html.js';
import { page, patientTabs } from '../layout.js';

/** A link to the document a trace is about, when the registry knows its uniqueId. */
export function documentLink(store: SimulatorStore, ins: string, uniqueId: string | undefined): Html {
  if (!uniqueId) return html``;
  const e = store.currentByUniqueId(uniqueId);
  if (!e || e.ins !== ins) return html`<code>${uniqueId}</code>`;
  return html`<a href="/patients/${seg(ins)}/documents/${seg(e.entryUUID)}">${e.entry.title ?? uniqueId}</a><div class="muted"><code>${uniqueId}</code></div>`;
}

export function historyPage(store: SimulatorStore, patient: PatientRecord): string {
  const traces = store.traces({ ins: patient.ins });
  const name = patient.label ?? patient.ins;
  return page(
    `Historique de ${name}`,
    html`<div class="crumbs"><a href="/">Patients</a> › <a href="/patients/${seg(patient.ins)}">${name}</a> › historique</div>
<h1>Historique des accès <span class="muted">${name}</span></h1>
${patientTabs(seg(patient.ins), 'history')}
<p>${traces.length} trace(s)</p>
<table id="traces"><thead><tr><th>Date</th><th>Acteur</th><th>Action</th><th>Document</th><th>Mode</th><th>Décision</th><th>Règles</th><th>Requête</th></tr></thead><tbody>
${traces.map(
  (t) => html`<tr data-action="${t.action}" data-decision="${t.decision}">
<td>${instant(t.at)}</td>
<td>${t.actorName ?? ''}<div class="muted"><code>${t.actorId ?? ''}</code>${t.actorProfession ? ` · profession ${t.actorProfession}` : ''}${t.structureId ? ` · structure ${t.structureId}` : ''}</div></td>
<td><code>${t.action}</code></td><td>${documentLink(store, patient.ins, t.document)}</td>
<td>${modeLabel(t.mode, t.secret)}</td><td>${decisionBadge(t.decision)}</td><td>${rulesList(t.rules)}</td>
<td>${t.requestId !== undefined ? html`<a href="/requests/${t.requestId}">#${t.requestId}</a>` : ''}</td></tr>`,
)}</tbody></table>`,
  );
}

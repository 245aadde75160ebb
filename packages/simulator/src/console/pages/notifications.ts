/** `/patients/<ins>/notifications`: what the patient was told (first access, emergency access, new document). */
import type { PatientRecord, SimulatorStore } from '../../store/store.js';
import { instant } from '../format.js';
import { html, seg } from '../html.js';
import { page, patientTabs } from '../layout.js';
import { documentLink } from './history.js';

const KIND_LABELS: Record<string, string> = { 'first-access': 'premier accès', 'new-document': 'nouveau document', 'bris-de-glace': 'bris de glace', 'centre-15': 'centre 15' };

export function notificationsPage(store: SimulatorStore, patient: PatientRecord): string {
  const list = store.notifications({ ins: patient.ins });
  const name = patient.label ?? patient.ins;
  return page(
    `Notifications de ${name}`,
    html`<div class="crumbs"><a href="/">Patients</a> › <a href="/patients/${seg(patient.ins)}">${name}</a> › notifications</div>
<h1>Notifications <span class="muted">${name}</span></h1>
${patientTabs(seg(patient.ins), 'notifications')}
<p>${list.length} notification(s)</p>
<table id="notifications"><thead><tr><th>Date</th><th>Type</th><th>Message</th><th>Acteur</th><th>Document</th></tr></thead><tbody>
${list.map(
  (n) => html`<tr data-kind="${n.kind}"><td>${instant(n.at)}</td><td>${KIND_LABELS[n.kind] ?? n.kind}</td><td>${n.text}</td><td><code>${n.actorId ?? ''}</code></td><td>${documentLink(store, patient.ins, n.document)}</td></tr>`,
)}</tbody></table>`,
  );
}

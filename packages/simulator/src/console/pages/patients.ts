/** `/`: the patients of the simulator, their DMP state and how many documents they hold. */
import { AVAILABILITY_STATUS } from '@dmpkit/sdk';
import type { SimulatorStore } from '../../store/store.js';
import { html, seg } from '../html.js';
import { page } from '../layout.js';
import { yesNo } from '../format.js';

const DMP_STATE: Record<string, string> = { open: 'ouvert', closed: 'fermé', absent: 'non créé' };

export function patientsPage(store: SimulatorStore): string {
  const rows = store.patients().map((p) => {
    const docs = store.entriesOfPatient(p.ins).filter((e) => !e.isSignature);
    const count = (status: string) => docs.filter((e) => e.status === status).length;
    return html`<tr data-ins="${p.ins}">
<td><a href="/patients/${seg(p.ins)}">${p.label ?? p.ins}</a></td><td><code>${p.ins}</code></td>
<td>${[p.family, p.given].filter(Boolean).join(' ')}</td>
<td>${DMP_STATE[p.dmp] ?? p.dmp}${p.closedReason ? html` <span class="muted">(${p.closedReason})</span>` : ''}</td>
<td>${yesNo(p.mesActivated)}</td>
<td class="num" data-count="current">${count(AVAILABILITY_STATUS.Approved)}</td>
<td class="num" data-count="archived">${count(AVAILABILITY_STATUS.Archived)}</td>
<td class="num" data-count="all">${docs.length}</td></tr>`;
  });
  return page(
    'Patients',
    html`<h1>Patients</h1>
<table id="patients"><thead><tr><th>Patient</th><th>INS</th><th>Nom</th><th>DMP</th><th>Mon espace santé</th><th class="num">Documents à jour</th><th class="num">Archivés</th><th class="num">Toutes versions</th></tr></thead>
<tbody>${rows}</tbody></table>
<p class="muted">Toutes versions : chaque version de métadonnées compte (un masquage crée une version), hors signatures de lot.</p>`,
  );
}

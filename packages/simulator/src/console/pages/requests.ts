/** `/requests`: the request log, newest first. */
import type { SimulatorStore } from '../../store/store.js';
import { instant } from '../format.js';
import { html } from '../html.js';
import { page } from '../layout.js';
import { decisionsOf } from './request.js';

export function requestsPage(store: SimulatorStore, query: URLSearchParams): string {
  const limit = Math.min(Math.max(Number(query.get('limit')) || 200, 1), 10_000);
  const list = store.requests({ limit });
  return page(
    'Journal des requêtes',
    html`<h1>Journal des requêtes</h1>
<p>${list.length} requête(s), les plus récentes d'abord${list.length === limit ? html` — <a href="/requests?limit=${limit * 5}">en voir plus</a>` : ''}</p>
<table id="requests"><thead><tr><th class="num">#</th><th>Date</th><th>Service</th><th>Transaction</th><th>Action WS-A</th><th>Résultat</th><th class="num">HTTP</th><th class="num">Durée</th><th>Décisions</th></tr></thead><tbody>
${list.map((r) => {
  const decisions = decisionsOf(r.decisions);
  const denied = decisions.filter((d) => d.decision !== 'allow').length;
  return html`<tr data-id="${r.id}" data-transaction="${r.transaction ?? ''}">
<td class="num"><a href="/requests/${r.id}">${r.id}</a></td><td>${instant(r.at)}</td><td>${r.service}</td><td><code>${r.transaction ?? ''}</code></td>
<td class="muted"><code>${r.action ?? ''}</code></td><td>${r.outcome}</td><td class="num">${r.httpStatus}</td><td class="num">${r.durationMs.toFixed(1)} ms</td>
<td>${decisions.length ? html`${decisions.length}${denied ? html` <span class="deny">(${denied} refus)</span>` : ''}` : ''}</td></tr>`;
})}</tbody></table>`,
  );
}

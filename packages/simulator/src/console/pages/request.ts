/** `/requests/<id>`: one request of the log: the decoded VIHF, each access decision with its rules, the raw bodies. */
import type { RequestRecord } from '../../store/store.js';
import { decisionBadge, instant, rulesList } from '../format.js';
import { html, type Html } from '../html.js';
import { page } from '../layout.js';

export interface LoggedDecision {
  action: string;
  document?: string;
  decision: string;
  reason: string;
  rules: Array<{ id: string; effect: string; text: string }>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The `decisions` column, read back defensively: a log written by another version may differ. */
export function decisionsOf(v: unknown): LoggedDecision[] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((d) => ({
    action: String(d.action ?? ''),
    ...(typeof d.document === 'string' ? { document: d.document } : {}),
    decision: String(d.decision ?? ''),
    reason: String(d.reason ?? ''),
    rules: Array.isArray(d.rules) ? d.rules.filter(isObject).map((r) => ({ id: String(r.id ?? ''), effect: String(r.effect ?? ''), text: String(r.text ?? '') })) : [],
  }));
}

function coded(v: unknown): Html | string {
  if (!isObject(v)) return v === undefined ? '' : String(v);
  return html`<code>${String(v.code ?? '')}</code>${v.displayName ? ` ${String(v.displayName)}` : ''}${v.codeSystem ? html` <span class="muted">(${String(v.codeSystem)})</span>` : ''}`;
}

/** The VIHF attributes people look for first (dmp-interface.md §2.1), then the whole decoded context. */
const VIHF_FIELDS: Array<[string, string, (v: Record<string, unknown>) => Html | string]> = [
  ['nameId', 'Identifiant (NameID)', (v) => html`<code>${String(v.nameId ?? '')}</code>`],
  ['subjectId', 'Nom (subject-id)', (v) => String(v.subjectId ?? '')],
  ['profession', 'Profession (rôle 1)', (v) => coded(v.profession)],
  ['specialty', 'Spécialité (rôle 2)', (v) => coded(v.specialty)],
  ['extraRoles', 'Autres rôles', (v) => html`${(Array.isArray(v.extraRoles) ? v.extraRoles : []).map((r) => html`<div>${coded(r)}</div>`)}`],
  ['structureId', 'Structure', (v) => html`<code>${String(v.structureId ?? '')}</code>`],
  ['secteurActivite', "Secteur d'activité", (v) => html`<code>${String(v.secteurActivite ?? '')}</code>`],
  ['authenticationMode', "Mode d'authentification", (v) => String(v.authenticationMode ?? '')],
  ['purposeOfUse', "Mode d'accès (purposeOfUse)", (v) => String(v.purposeOfUse ?? '')],
  ['confidentialityCode', 'Restriction (confidentialityCode)', (v) => String(v.confidentialityCode ?? '')],
  ['patient', 'Patient (resource-id)', (v) => (isObject(v.patient) ? html`<code>${String(v.patient.ins ?? '')}</code> <span class="muted">${String(v.patient.oid ?? '')}</span>` : '')],
  ['lps', 'Logiciel (LPS)', (v) => (isObject(v.lps) ? `${String(v.lps.name ?? '')} ${String(v.lps.version ?? '')} — homologation ${String(v.lps.homologation ?? '')}` : '')],
  ['version', 'VIHF_Version', (v) => String(v.version ?? '')],
  ['authnContextClassRef', 'AuthnContextClassRef', (v) => html`<code>${String(v.authnContextClassRef ?? '')}</code>`],
  ['issueInstant', 'IssueInstant', (v) => String(v.issueInstant ?? '')],
  ['issuer', 'Issuer', (v) => String(v.issuer ?? '')],
];

function vihfSection(vihf: unknown): Html {
  if (!isObject(vihf)) return html`<p class="muted">Pas de VIHF décodé pour cette requête (rejetée avant la lecture du VIHF).</p>`;
  return html`<table class="kv" id="vihf"><tbody>${VIHF_FIELDS.filter(([k]) => vihf[k] !== undefined).map(([k, label, show]) => html`<tr data-field="${k}"><th>${label}</th><td>${show(vihf)}</td></tr>`)}</tbody></table>
<details><summary>VIHF décodé complet (JSON)</summary><pre>${JSON.stringify(vihf, null, 2)}</pre></details>`;
}

function decisionsSection(decisions: LoggedDecision[]): Html {
  if (!decisions.length) return html`<p class="muted">Aucune décision d'accès pour cette requête.</p>`;
  return html`<table id="decisions"><thead><tr><th>Action</th><th>Document</th><th>Décision</th><th>Motif</th><th>Règles</th></tr></thead><tbody>
${decisions.map((d) => html`<tr data-decision="${d.decision}"><td><code>${d.action}</code></td><td><code>${d.document ?? ''}</code></td><td>${decisionBadge(d.decision)}</td><td>${d.reason}</td><td>${rulesList(d.rules)}</td></tr>`)}</tbody></table>`;
}

function bodyLink(id: number, which: 'request' | 'response', type: string | undefined): Html {
  if (!type) return html`<span class="muted">non conservée (settings.logBodies)</span>`;
  return html`<a id="raw-${which}" href="/_driver/requests/${id}/${which}">${which === 'request' ? 'requête brute' : 'réponse brute'}</a> <span class="muted">${type}</span>`;
}

export function requestPage(r: RequestRecord): string {
  const id = r.id!;
  return page(
    `Requête #${id}`,
    html`<div class="crumbs"><a href="/requests">Journal des requêtes</a> › #${id}</div>
<h1>Requête #${id} <span class="muted">${r.transaction ?? r.service}</span></h1>
<table class="kv"><tbody>
<tr><th>Date</th><td>${instant(r.at)}</td></tr><tr><th>Service</th><td>${r.service}</td></tr>
<tr><th>Transaction</th><td><code>${r.transaction ?? ''}</code></td></tr><tr><th>Action WS-Addressing</th><td><code>${r.action ?? ''}</code></td></tr>
<tr><th>Résultat</th><td>${r.outcome} <span class="muted">HTTP ${r.httpStatus}</span></td></tr><tr><th>Durée</th><td>${r.durationMs.toFixed(1)} ms</td></tr>
<tr><th>MessageID</th><td><code>${r.correlation ?? ''}</code></td></tr>
<tr><th>Corps</th><td>${bodyLink(id, 'request', r.requestType)} · ${bodyLink(id, 'response', r.responseType)}</td></tr>
</tbody></table>
<h2>VIHF</h2>${vihfSection(r.vihf)}
<h2>Décisions d'accès</h2>${decisionsSection(decisionsOf(r.decisions))}`,
  );
}

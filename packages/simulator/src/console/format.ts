/** How the console writes dates, codes, statuses and access modes. */
import { AVAILABILITY_STATUS, type XdsCode } from '@dmpkit/sdk';
import { html, type Html } from './html.js';

const DATE_TIME = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'medium' });
const DATE = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeZone: 'UTC' });

/** An instant (epoch ms) in the machine's local time, the ISO form in the tooltip. */
export function instant(ms: number | undefined): Html {
  if (ms === undefined || !Number.isFinite(ms)) return html``;
  const d = new Date(ms);
  return html`<time datetime="${d.toISOString()}" title="${d.toISOString()}">${DATE_TIME.format(d)}</time>`;
}

/**
 * An XDS DTM (UTC `yyyyMMdd[HH[mm[ss]]]`): a date alone stays a date; with a time it is shown in local time
 * (XDS dates are UTC, people read local time: dmp-interface.md §7 EX_3.1-1070). The raw value is in the tooltip.
 */
export function xdsTime(dtm: string | undefined): Html {
  if (!dtm) return html``;
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?$/.exec(dtm);
  if (!m) return html`${dtm}`;
  const [, y, mo = '01', d = '01', h, mi = '00', s = '00'] = m;
  if (h === undefined) {
    if (m[3] === undefined) return html`<span title="${dtm}">${m[2] ? `${mo}/${y}` : y}</span>`;
    return html`<span title="${dtm}">${DATE.format(new Date(`${y}-${mo}-${d}T00:00:00Z`))}</span>`;
  }
  return html`<span title="${dtm} UTC">${DATE_TIME.format(new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`))}</span>`;
}

/** A classification code; lists leave the coding scheme out (the document page shows it). */
export function code(c: XdsCode | undefined, withScheme = true): Html {
  if (!c) return html``;
  return html`<code>${c.code}</code>${c.displayName ? html` ${c.displayName}` : ''}${withScheme ? html` <span class="muted">(${c.codingScheme})</span>` : ''}`;
}

/** An XCN (authorPerson, legalAuthenticator) as people read it: given and family names, the id under them. */
export function person(xcn: string | undefined): Html {
  if (!xcn) return html``;
  const [id = '', family = '', given = ''] = xcn.split('^');
  const name = [given, family].filter(Boolean).join(' ');
  return html`<div title="${xcn}">${name || id}${name && id ? html`<div class="muted"><code>${id}</code></div>` : ''}</div>`;
}

/** A `code^display^system` slot value (authorSpecialty, authorRole). */
export function codedSlot(v: string): Html {
  const [c = '', display, system] = v.split('^');
  return html`<code>${c}</code>${display ? html` ${display}` : ''}${system ? html` <span class="muted">(${system})</span>` : ''}`;
}

const STATUS_LABELS: Record<string, string> = {
  [AVAILABILITY_STATUS.Approved]: 'à jour',
  [AVAILABILITY_STATUS.Archived]: 'archivé',
  [AVAILABILITY_STATUS.Deprecated]: 'obsolète',
  [AVAILABILITY_STATUS.Deleted]: 'supprimé',
  [AVAILABILITY_STATUS.Submitted]: 'soumis',
};

export function statusLabel(urn: string | undefined): string {
  return urn ? (STATUS_LABELS[urn] ?? urn) : '';
}

const MODE_LABELS: Record<string, string> = { normal: 'normal', bris_de_glace: 'bris de glace', centre_15: 'centre 15' };

export function modeLabel(mode: string, secret: boolean): string {
  const m = MODE_LABELS[mode] ?? mode;
  return secret ? `${m}, secret` : m;
}

export function decisionBadge(decision: string): Html {
  const cls = decision === 'allow' ? 'allow' : decision === 'deny' ? 'deny' : decision === 'unknown' ? 'unknown' : 'muted';
  return html`<span class="${cls}">${decision}</span>`;
}

export function rulesList(rules: ReadonlyArray<{ id: string; effect: string; text: string }>): Html {
  if (!rules.length) return html`<span class="muted">aucune règle</span>`;
  return html`<ul class="rules">${rules.map((r) => html`<li><code>${r.id}</code> ${decisionBadge(r.effect)} ${r.text}</li>`)}</ul>`;
}

export const yesNo = (b: boolean): string => (b ? 'oui' : 'non');

/** `/patients/<ins>/documents/<entryUUID>`: every metadata field, the versions of the document, its content. */
import type { DocumentEntry, XdsCode } from '@dmpkit/sdk';
import type { PatientRecord, StoredEntry, SimulatorStore } from '../../store/store.js';
import { code, codedSlot, instant, statusLabel, xdsTime, yesNo } from '../format.js';
import { html, seg, type Html } from '../html.js';
import { page, patientTabs } from '../layout.js';

/** Larger XML is not inlined (the browser would struggle); the content link still serves it whole. */
const INLINE_LIMIT = 2 * 1024 * 1024;

const codes = (list: readonly XdsCode[]) => html`${list.map((c) => html`<div>${code(c)}</div>`)}`;
const lines = (list: readonly string[] | undefined) => html`${(list ?? []).map((v) => html`<div><code>${v}</code></div>`)}`;

/** Labelled fields of the SDK DocumentEntry, in the order of dmp-interface.md §5.2. */
const FIELDS: Array<[keyof DocumentEntry, string, (d: DocumentEntry) => Html | string]> = [
  ['title', 'Titre', (d) => d.title ?? ''],
  ['uniqueId', 'uniqueId', (d) => html`<code>${d.uniqueId}</code>`],
  ['entryUUID', 'entryUUID', (d) => html`<code>${d.entryUUID ?? ''}</code>`],
  ['logicalId', 'logicalId (lid)', (d) => html`<code>${d.logicalId ?? ''}</code>`],
  ['version', 'Version', (d) => d.version ?? ''],
  ['availabilityStatus', 'availabilityStatus', (d) => html`${statusLabel(d.availabilityStatus)} <span class="muted">${d.availabilityStatus ?? ''}</span>`],
  ['classCode', 'classCode', (d) => code(d.classCode)],
  ['typeCode', 'typeCode', (d) => code(d.typeCode)],
  ['formatCode', 'formatCode', (d) => code(d.formatCode)],
  ['mimeType', 'mimeType', (d) => d.mimeType],
  ['creationTime', 'creationTime', (d) => xdsTime(d.creationTime)],
  ['serviceStartTime', 'serviceStartTime', (d) => xdsTime(d.serviceStartTime)],
  ['serviceStopTime', 'serviceStopTime', (d) => xdsTime(d.serviceStopTime)],
  ['confidentialityCode', 'confidentialityCode', (d) => codes(d.confidentialityCode)],
  ['authors', 'Auteurs', (d) => authors(d)],
  ['legalAuthenticator', 'legalAuthenticator', (d) => html`<code>${d.legalAuthenticator ?? ''}</code>`],
  ['healthcareFacilityTypeCode', 'healthcareFacilityTypeCode', (d) => code(d.healthcareFacilityTypeCode)],
  ['practiceSettingCode', 'practiceSettingCode', (d) => code(d.practiceSettingCode)],
  ['eventCodeList', 'eventCodeList', (d) => codes(d.eventCodeList)],
  ['languageCode', 'languageCode', (d) => d.languageCode ?? ''],
  ['patientId', 'patientId', (d) => html`<code>${d.patientId ?? ''}</code>`],
  ['sourcePatientId', 'sourcePatientId', (d) => html`<code>${d.sourcePatientId ?? ''}</code>`],
  ['sourcePatientInfo', 'sourcePatientInfo', (d) => lines(d.sourcePatientInfo)],
  ['referenceIdList', 'referenceIdList', (d) => lines(d.referenceIdList)],
  ['comments', 'comments', (d) => d.comments ?? ''],
  ['hash', 'hash (SHA-1)', (d) => html`<code>${d.hash ?? ''}</code>`],
  ['size', 'size', (d) => (d.size === undefined ? '' : `${d.size} octets`)],
  ['repositoryUniqueId', 'repositoryUniqueId', (d) => html`<code>${d.repositoryUniqueId ?? ''}</code>`],
  ['homeCommunityId', 'homeCommunityId', (d) => d.homeCommunityId ?? ''],
  ['objectType', 'objectType', (d) => d.objectType ?? ''],
  ['isOpaque', 'isOpaque', (d) => d.isOpaque ?? ''],
];

function authors(d: DocumentEntry): Html {
  return html`${d.authors.map(
    (a) => html`<table class="kv"><tbody>
<tr><th>authorPerson</th><td><code>${a.authorPerson ?? ''}</code></td></tr>
<tr><th>authorInstitution</th><td>${lines(a.authorInstitution)}</td></tr>
<tr><th>authorSpecialty</th><td>${a.authorSpecialty.map((v) => html`<div>${codedSlot(v)}</div>`)}</td></tr>
<tr><th>authorRole</th><td>${a.authorRole.map((v) => html`<div>${codedSlot(v)}</div>`)}</td></tr>
${a.authorTelecommunication?.length ? html`<tr><th>authorTelecommunication</th><td>${lines(a.authorTelecommunication)}</td></tr>` : ''}
${a.extraSlots?.length ? html`<tr><th>autres slots</th><td><pre>${JSON.stringify(a.extraSlots, null, 2)}</pre></td></tr>` : ''}
</tbody></table>`,
  )}`;
}

function metadata(d: DocumentEntry): Html {
  const named = new Set<string>(FIELDS.map(([k]) => k));
  // Fields the list does not name (extra slots, classifications kept as read, later SDK fields) are still shown.
  const rest = Object.entries(d).filter(([k, v]) => !named.has(k) && v !== undefined && !(Array.isArray(v) && v.length === 0));
  return html`<table class="kv" id="metadata"><tbody>
${FIELDS.map(([k, label, show]) => html`<tr data-field="${k}"><th>${label}</th><td>${show(d)}</td></tr>`)}
${rest.map(([k, v]) => html`<tr data-field="${k}"><th>${k}</th><td><pre>${JSON.stringify(v, null, 2)}</pre></td></tr>`)}
</tbody></table>`;
}

function versions(ins: string, current: StoredEntry, all: readonly StoredEntry[]): Html {
  const same = all.filter((e) => e.lid === current.lid).sort((a, b) => b.version - a.version);
  return html`<table id="versions"><thead><tr><th class="num">Version</th><th>entryUUID</th><th>Statut</th><th>Déposée le</th><th>Lot</th></tr></thead><tbody>
${same.map(
  (e) => html`<tr><td class="num">${e.version}</td><td>${e.entryUUID === current.entryUUID ? html`<strong><code>${e.entryUUID}</code></strong>` : html`<a href="/patients/${seg(ins)}/documents/${seg(e.entryUUID)}"><code>${e.entryUUID}</code></a>`}</td>
<td>${statusLabel(e.status)}</td><td>${instant(e.depositedAt)}</td><td><code>${e.submissionSet}</code></td></tr>`,
)}</tbody></table>`;
}

function associations(store: SimulatorStore, e: StoredEntry): Html {
  const list = store.associationsOf([e.entryUUID]).map((a) => a.association);
  if (!list.length) return html`<p class="muted">Aucune association.</p>`;
  return html`<table id="associations"><thead><tr><th>Type</th><th>Source</th><th>Cible</th></tr></thead><tbody>
${list.map((a) => html`<tr><td><code>${a.type.replace(/^.*:/, '')}</code></td><td><code>${a.sourceObject}</code></td><td><code>${a.targetObject}</code></td></tr>`)}</tbody></table>`;
}

function content(store: SimulatorStore, ins: string, e: StoredEntry): Html {
  const c = store.content(e.contentId);
  if (!c) return html`<p class="deny">Le contenu de ce document est absent du dépôt.</p>`;
  const href = `/patients/${seg(ins)}/documents/${seg(e.entryUUID)}/content`;
  const xml = /^(text|application)\/([\w.+-]+\+)?xml\b/.test(c.mimeType);
  return html`<p><a id="content-link" href="${href}">Télécharger le contenu</a> <span class="muted">${c.mimeType}, ${c.size} octets, SHA-1 <code>${c.hash}</code></span></p>
${xml ? (c.bytes.byteLength <= INLINE_LIMIT ? html`<pre id="content">${c.bytes.toString('utf8')}</pre>` : html`<p class="muted">Document trop volumineux pour être affiché ici.</p>`) : ''}`;
}

export function documentPage(store: SimulatorStore, patient: PatientRecord, entry: StoredEntry): string {
  const all = store.entriesOfPatient(patient.ins);
  const name = patient.label ?? patient.ins;
  return page(
    entry.entry.title ?? entry.uniqueId,
    html`<div class="crumbs"><a href="/">Patients</a> › <a href="/patients/${seg(patient.ins)}">${name}</a> › document</div>
<h1>${entry.entry.title ?? entry.uniqueId}</h1>
${patientTabs(seg(patient.ins), 'documents')}
<table class="kv"><tbody>
<tr><th>Déposé le</th><td>${instant(entry.depositedAt)}</td></tr>
<tr><th>Lot (SubmissionSet)</th><td><code>${entry.submissionSet}</code></td></tr>
<tr><th>Signature de lot</th><td>${yesNo(entry.isSignature)}</td></tr>
</tbody></table>
<h2>Métadonnées</h2>${metadata(entry.entry)}
<h2>Versions</h2>${versions(patient.ins, entry, all)}
<h2>Associations</h2>${associations(store, entry)}
<h2>Contenu</h2>${content(store, patient.ins, entry)}`,
  );
}

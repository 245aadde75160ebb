/**
 * The web console: the DMP's own pages on the developer's machine (patients, documents with the web DMP's filters,
 * a document's metadata and content, access history, notifications, the request log). Server-rendered HTML, GET only.
 * The pages show patient data, which is their purpose; nothing here writes that data to the process logs.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorContext } from '../server/context.js';
import { page, sendNotFound, sendPage } from './layout.js';
import { html } from './html.js';
import { documentPage } from './pages/document.js';
import { documentsPage } from './pages/documents.js';
import { historyPage } from './pages/history.js';
import { notificationsPage } from './pages/notifications.js';
import { patientsPage } from './pages/patients.js';
import { requestPage } from './pages/request.js';
import { requestsPage } from './pages/requests.js';

const PATIENT = /^\/patients\/([^/]+)(?:\/(history|notifications)|\/documents\/([^/]+)(\/content)?)?\/?$/;
const REQUEST = /^\/requests\/(\d+)\/?$/;

function decode(s: string): string | undefined {
  try {
    return decodeURIComponent(s);
  } catch {
    return undefined;
  }
}

/** Serves the stored bytes as deposited. */
function sendContent(res: ServerResponse, mimeType: string, bytes: Buffer): void {
  res.writeHead(200, {
    'content-type': mimeType || 'application/octet-stream',
    'content-length': String(bytes.byteLength),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    // The bytes come from a client and are served on the console's origin: a sandbox keeps any script in them inert.
    'content-security-policy': 'sandbox',
  });
  res.end(bytes);
}

function route(ctx: SimulatorContext, res: ServerResponse, url: URL): void {
  const store = ctx.store;
  const path = url.pathname;
  if (path === '/' || path === '/patients' || path === '/patients/') return sendPage(res, 200, patientsPage(store));
  if (path === '/requests' || path === '/requests/') return sendPage(res, 200, requestsPage(store, url.searchParams));
  const rq = REQUEST.exec(path);
  if (rq) {
    const r = store.request(Number(rq[1]));
    if (!r) return sendNotFound(res, `La requête n° ${rq[1]} n'est pas dans le journal (il a peut-être été réinitialisé).`);
    return sendPage(res, 200, requestPage(r));
  }
  const m = PATIENT.exec(path);
  if (!m) return sendNotFound(res, `Aucune page de la console à l'adresse ${path}.`);
  const ins = decode(m[1]!);
  const patient = ins === undefined ? undefined : store.patient(ins);
  if (!patient) return sendNotFound(res, `Aucun patient d'INS ${ins ?? m[1]!} dans le simulateur.`);
  if (m[2] === 'history') return sendPage(res, 200, historyPage(store, patient));
  if (m[2] === 'notifications') return sendPage(res, 200, notificationsPage(store, patient));
  if (m[3] === undefined) return sendPage(res, 200, documentsPage(store, patient, url.searchParams));
  const uuid = decode(m[3]);
  const entry = uuid === undefined ? undefined : store.entryByUuid(uuid);
  // An entry of another patient is not this patient's document: same answer as an unknown one.
  if (!entry || entry.ins !== patient.ins) return sendNotFound(res, `Le patient ${patient.label ?? patient.ins} n'a pas de document d'entryUUID ${uuid ?? m[3]}.`);
  if (!m[4]) return sendPage(res, 200, documentPage(store, patient, entry));
  const content = store.content(entry.contentId);
  if (!content) return sendNotFound(res, `Le contenu du document ${entry.uniqueId} est absent du dépôt.`);
  sendContent(res, content.mimeType, content.bytes);
}

export async function handleConsole(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' });
    res.end('the console is read-only: GET its pages (the test driver API is under /_driver)');
    return;
  }
  try {
    route(ctx, res, url);
  } catch (e) {
    // The URL holds INS and document ids: log the error only, never the path.
    process.stderr.write(`[dmp-simulator] console page failed: ${(e as Error).stack ?? e}\n`);
    if (!res.headersSent) sendPage(res, 500, page('Erreur', html`<h1>Erreur interne</h1><p>La page n'a pas pu être construite ; le détail est dans la sortie d'erreur du simulateur.</p>`));
    else res.destroy();
  }
}

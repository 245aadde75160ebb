/** The page frame (navigation, inline CSS: no external asset) and the HTTP answers of the console. */
import type { ServerResponse } from 'node:http';
import { Html, html } from './html.js';

// A constant of this module (not data), so the page inserts it as Html.
const CSS = `
:root{--fg:#1d2430;--muted:#5b6472;--line:#d9dee5;--bg:#f6f8fa;--accent:#0b57a4;--deny:#a4130b;--allow:#176b2c;--warn:#8a5a00}
*{box-sizing:border-box}body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#fff}
header{background:#0b3d6e;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:baseline}
header strong{font-size:16px}header a{color:#dce9f7;text-decoration:none}header a:hover{text-decoration:underline}
main{padding:16px 24px 40px;max-width:1400px}h1{font-size:20px;margin:8px 0 12px}h2{font-size:16px;margin:24px 0 8px}
a{color:var(--accent)}.muted{color:var(--muted)}.crumbs{color:var(--muted);margin-bottom:4px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border-bottom:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top}
th{background:var(--bg);font-weight:600;white-space:nowrap}tbody tr:hover{background:#fafbfc}
table.kv th{width:240px}td.num,th.num{text-align:right}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:var(--bg);border:1px solid var(--line);padding:10px;overflow:auto;max-height:600px;white-space:pre-wrap;word-break:break-all}
.tag{display:inline-block;border-radius:3px;padding:0 6px;font-size:12px;background:#e8edf3;margin:1px 2px 1px 0}
.allow{color:var(--allow);font-weight:600}.deny{color:var(--deny);font-weight:600}.unknown{color:var(--warn);font-weight:600}
form.filters{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:flex-end;background:var(--bg);border:1px solid var(--line);padding:10px;margin:8px 0}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:2px}
form.filters label.check{flex-direction:row;align-items:center;gap:4px;color:var(--fg);font-size:13px}
input,select,button{font:inherit;padding:3px 6px}select{max-width:320px}nav.tabs{display:flex;gap:16px;margin:4px 0 12px}
ul.rules{margin:0;padding-left:16px}ul.rules li{margin:2px 0}
`;

export function page(title: string, body: Html): string {
  return html`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${title} — DMP simulator</title><style>${new Html(CSS)}</style></head>
<body><header><strong>DMP simulator</strong><a href="/">Patients</a><a href="/requests">Journal des requêtes</a></header>
<main>${body}</main></body></html>`.text;
}


/** The patient pages' tabs. */
export function patientTabs(insPath: string, current: 'documents' | 'history' | 'notifications'): Html {
  const tab = (key: typeof current, href: string, label: string) => (key === current ? html`<strong>${label}</strong>` : html`<a href="${href}">${label}</a>`);
  return html`<nav class="tabs">${tab('documents', `/patients/${insPath}`, 'Documents')}${tab('history', `/patients/${insPath}/history`, 'Historique des accès')}${tab('notifications', `/patients/${insPath}/notifications`, 'Notifications')}</nav>`;
}

// Pages show patient data: keep them out of shared caches and forbid anything but inline CSS.
const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

export function sendPage(res: ServerResponse, status: number, text: string): void {
  const body = Buffer.from(text, 'utf8');
  res.writeHead(status, { ...HTML_HEADERS, 'content-length': String(body.byteLength) });
  res.end(body);
}

export function sendNotFound(res: ServerResponse, message: string): void {
  sendPage(res, 404, page('Introuvable', html`<h1>Introuvable</h1><p>${message}</p><p><a href="/">Retour à la liste des patients</a></p>`));
}

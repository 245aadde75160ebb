/** The web console (HTML pages served by the simulator). */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimulatorContext } from '../server/context.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function handleConsole(ctx: SimulatorContext, req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
  if (req.method !== 'GET' || url.pathname !== '/') {
    res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('not found');
    return;
  }
  const rows = ctx.store.patients().map((p) => `<tr><td>${esc(p.label ?? '')}</td><td>${esc(p.dmp)}</td></tr>`).join('');
  const html = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>DMP simulator</title></head><body><h1>DMP simulator</h1><table><tr><th>Patient</th><th>DMP</th></tr>${rows}</table></body></html>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

#!/usr/bin/env node
/**
 * Runs the built simulator (dist) in its own process, for child-process tests and benches:
 *   node scripts/serve.mjs [--port N] [--data DIR] [--scenario default|empty|FILE] [--settings JSON] [--decode-threads N]
 * Prints one JSON line {"port":…,"url":…,"baseUrl":…,"pid":…} on stdout once listening; stops on SIGTERM/SIGINT.
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    data: { type: 'string' },
    scenario: { type: 'string' },
    settings: { type: 'string' },
    'decode-threads': { type: 'string' },
  },
});

const dist = new URL('../dist/index.js', import.meta.url);
let startSimulator;
try {
  ({ startSimulator } = await import(dist.href));
} catch (e) {
  process.stderr.write(`serve.mjs: cannot load ${dist.pathname} (run pnpm build first): ${e.message}\n`);
  process.exit(2);
}

const sim = await startSimulator({
  port: Number(values.port),
  ...(values.data ? { dataDir: values.data } : {}),
  ...(values.scenario ? { scenario: values.scenario } : {}),
  ...(values.settings ? { settings: JSON.parse(values.settings) } : {}),
  ...(values['decode-threads'] !== undefined ? { decodeThreads: Number(values['decode-threads']) } : {}),
});
process.stdout.write(`${JSON.stringify({ port: sim.port, url: sim.url, baseUrl: sim.baseUrl, pid: process.pid })}\n`);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  sim.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

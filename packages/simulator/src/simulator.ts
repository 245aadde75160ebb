/**
 * `startSimulator()`: a running local DMP on 127.0.0.1 (an ephemeral port by default), in-process, for tests and for
 * `dmp simulator start`. The data lives in SQLite (a file under `dataDir`, or in memory); on a new or empty store the
 * default scenario (the official test patients) is loaded.
 */
import { availableParallelism } from 'node:os';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { SimulatorClock } from './clock.js';
import { resetSimulator } from './driver/routes.js';
import { applyScenario, readScenarioFile, type LoadSummary } from './scenarios/load.js';
import type { ScenarioInput } from './scenarios/schema.js';
import { authorizationCodesOf, DEFAULT_SIMULATOR_SETTINGS, policyOf, type SimulatorContext, type SimulatorSettings } from './server/context.js';
import { DecodePool, defaultDecodeThreads } from './server/decode-pool.js';
import { FaultPlan } from './server/faults.js';
import { createSimulatorServer, SERVICE_PREFIX, type ServerTls } from './server/http.js';
import { SimulatorStore } from './store/store.js';

export interface SimulatorOptions {
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Default 127.0.0.1: the simulator is for this machine. */
  host?: string;
  /** Folder of the SQLite database (`dmp-simulator.sqlite`); default: in memory (lost when the simulator stops). */
  dataDir?: string;
  /** What to load when the store has no patient: `default` (official test patients), `empty`, a file, or a scenario. */
  scenario?: 'default' | 'empty' | string | ScenarioInput;
  /** HTTPS (optionally requiring client certificates). */
  tls?: ServerTls;
  settings?: Partial<SimulatorSettings>;
  /**
   * Threads that decode requests and verify their VIHF while the event loop serves the handlers and the store.
   * Default: none below 4 cores, else one per core beyond two, at most 2; 0: in-process.
   */
  decodeThreads?: number;
}

export interface RunningSimulator {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** The DMP services base URL: `<url>/si-dmp-server/v2/services`. */
  baseUrl: string;
  port: number;
  context: SimulatorContext;
  /** Loads a scenario on top of the current state. */
  load(scenario: string | ScenarioInput): LoadSummary;
  /** Empties the store and loads the default (or no) scenario. */
  reset(scenario?: 'default' | 'empty'): void;
  close(): Promise<void>;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const settings: SimulatorSettings = { ...DEFAULT_SIMULATOR_SETTINGS, ...options.settings };
  if (!options.settings?.authorizationCodes && settings.policy.authorizationCodes) {
    settings.authorizationCodes = authorizationCodesOf(settings.policy, settings.authorizationCodes);
  }
  const store = new SimulatorStore({ path: options.dataDir ? join(options.dataDir, 'dmp-simulator.sqlite') : ':memory:' });
  const decoder = new DecodePool(options.decodeThreads ?? defaultDecodeThreads(availableParallelism()));
  const ctx: SimulatorContext = { store, clock: new SimulatorClock(), settings, policy: policyOf(settings), faults: new FaultPlan(), baseUrl: '', inflight: new Set(), decoder };
  const load = (s: string | ScenarioInput): LoadSummary => (typeof s === 'string' ? applyScenario(ctx, readScenarioFile(s), { file: s }) : applyScenario(ctx, s));
  if (store.patientCount() === 0) {
    const s = options.scenario ?? 'default';
    if (s === 'default' || s === 'empty') resetSimulator(ctx, s);
    else load(s);
  }
  const server = createSimulatorServer(ctx, options.tls);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, host, () => resolve());
    });
  } catch (e) {
    store.close();
    await decoder.close();
    throw e;
  }
  const { port } = server.address() as AddressInfo;
  const url = `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`;
  ctx.baseUrl = `${url}${SERVICE_PREFIX.replace(/\/$/, '')}`;
  let closed = false;
  return {
    url,
    baseUrl: ctx.baseUrl,
    port,
    context: ctx,
    load,
    reset: (s = 'default') => resetSimulator(ctx, s),
    close: async () => {
      if (closed) return;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await Promise.allSettled([...ctx.inflight]);
      store.close();
      await decoder.close();
    },
  };
}

/**
 * The dmpkit DMP simulator: the real DMP endpoints, rules and error behaviour on 127.0.0.1, persistent (SQLite),
 * scriptable (scenarios, test-driver API, fault injection), with a web console. Rules come from the SDK.
 */
export { startSimulator, type RunningSimulator, type SimulatorOptions } from './simulator.js';
export { DEFAULT_SIMULATOR_SETTINGS, type SimulatorContext, type SimulatorSettings, type VihfMode } from './server/context.js';
export { FAULT_KINDS, FaultPlanSchema, type FaultKind, type FaultPlanInput, type FaultRuleInput } from './server/faults.js';
export { SERVICE_PREFIX, type ServerTls } from './server/http.js';
export { ScenarioSchema, type Scenario, type ScenarioInput } from './scenarios/schema.js';
export { DEFAULT_SCENARIO, DEFAULT_PROFESSIONAL, DEFAULT_STRUCTURE, KINE_PROFESSIONAL } from './scenarios/default.js';
export { applyScenario, parseScenario, readScenarioFile, ScenarioError, type LoadSummary } from './scenarios/load.js';
export { SimulatorStore, type PatientRecord, type StoredEntry, type TraceRecord, type NotificationRecord, type RequestRecord } from './store/store.js';
export { ACCESS_DENIED } from './handlers/registry-errors.js';

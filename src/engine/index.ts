/**
 * migviz engine: pure TypeScript, seeded and deterministic; no DOM, no React, no timers.
 *
 *   guest/      guest RAM, the buddy allocator, workloads
 *   model/      the page-state vocabulary shared with the UI
 *   virtio/     split virtqueue, virtio-balloon with the RFC's free-page bitmap, upstream hinting
 *   migration/  QEMU pre-copy (setup, bulk stage, iterate, sync, stop-and-copy), wire format,
 *               host cost profiles; modes/ holds one file per migration mode and their registry
 *   simulation  puts them on one simulated clock
 *
 * The CLI, the tests, the benchmarks and the Web Worker all drive the same `Simulation`.
 */
export type { Snapshot } from './snapshot';
export { Simulation, MIN_SIM_CAP_MS, SERIES_CAPACITY, simCapMs, type Series, type SimulationOptions } from './simulation';
export type { EngineFaults } from './migration/modes/mode';
export { MODES, MODE_IDS, isModeId, type ModeCounterKey } from './migration/modes';
export {
  SCENARIO_PRESETS,
  PRESET_IDS,
  DEFAULT_PRESET,
  LIMITS,
  ScenarioError,
  resolveScenario,
  presetOn,
  validateScenario,
  presetTitle,
  isPresetId,
  parseScenarioFile,
  scenarioFileOf,
  SCENARIO_FILE_KEYS,
  STRESS_DEFAULTS,
  AUTO_CONVERGE_DEFAULTS,
  MAX_SCENARIO_FILE_BYTES,
  scenarioFileTooLarge,
  type PresetId,
} from './scenario';
export { PROFILES, getProfile, type HostProfile } from './migration/profiles';
export { hasOwn, ownValue, parseDecimal, stripBom, duplicateJsonKeys } from './input';
export * from './types';
export * from './model/page-state';
export {
  publishedCells,
  trustLabel,
  MEASURED_MODES,
  type PublishedCell,
  type CellRole,
  type TableId,
  type TrustKind,
  type TrustLabel,
} from './calibration';

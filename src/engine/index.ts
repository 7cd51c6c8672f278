/**
 * migviz engine: pure TypeScript, seeded and deterministic; no DOM, no React, no timers.
 *
 *   guest/      guest RAM, the buddy allocator, workloads
 *   virtio/     split virtqueue, virtio-balloon with the RFC's free-page bitmap
 *   migration/  QEMU pre-copy (setup, bulk stage, iterate, sync, stop-and-copy), wire format,
 *               host cost profiles
 *   simulation  puts them on one simulated clock
 *
 * The CLI, the tests, the benchmarks and the Web Worker all drive the same `Simulation`.
 */
export { Simulation, SIM_CAP_MS, GUEST_TICK_MS, type Series, type SimulationOptions } from './simulation';
export type { EngineFaults } from './migration/precopy';
export {
  SCENARIO_PRESETS,
  PRESET_IDS,
  DEFAULT_PRESET,
  LIMITS,
  ScenarioError,
  resolveScenario,
  validateScenario,
  presetTitle,
  isPresetId,
  parseScenarioFile,
  scenarioFileOf,
  SCENARIO_FILE_KEYS,
  MAX_SCENARIO_FILE_BYTES,
  scenarioFileTooLarge,
  type PresetId,
} from './scenario';
export { PROFILES, getProfile, type HostProfile } from './migration/profiles';
export { hasOwn, ownValue, parseDecimal, stripBom, duplicateJsonKeys } from './input';
export * from './types';
export * from './pagemap-codes';

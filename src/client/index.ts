/**
 * src/client — the UI's handle on a simulation: the `EngineClient` interface and its worker-backed
 * and in-process implementations (both run src/worker/sim-host.ts).
 */
export type { EngineClient, EngineListener } from './engine-client';
export { InProcessEngineClient, type InProcessOptions } from './in-process-client';
export { WorkerEngineClient } from './worker-client';

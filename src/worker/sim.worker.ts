/// <reference lib="webworker" />
/**
 * Web Worker entry: binds a SimHost to the worker's message port. All logic lives in SimHost so
 * the in-process client can run exactly the same code.
 */
import { Simulation } from '../engine/simulation';
import type { FromWorker } from '../protocol';
import { SimHost } from './sim-host';

declare const self: DedicatedWorkerGlobalScope;

const host = new SimHost({
  createSimulation: (scenario, options) => new Simulation(scenario, options),
  post: (msg: FromWorker, transfer) => self.postMessage(msg, transfer),
  now: () => performance.now(),
  setTimer: (cb, ms) => setTimeout(cb, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});

// Typed unknown, not ToWorker: SimHost checks every message before acting on it.
self.onmessage = (e: MessageEvent<unknown>) => host.handle(e.data);

// Anything that escapes SimHost's own try/catch still reaches the page as a message.
const report = (message: string) => self.postMessage({ type: 'error', message } satisfies FromWorker);
self.addEventListener('error', (e) => report(e.message || 'worker error'));
self.addEventListener('unhandledrejection', (e) => report(String(e.reason)));

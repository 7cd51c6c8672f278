/// <reference lib="webworker" />
/**
 * Web Worker of the sweep pool (src/client/sweep-workers.ts): one scenario per message, run to
 * its end, its query-migrate back. The same answer as the CLI's worker threads give
 * (answerSweepRequest); a throw outside it reaches the pool as an error event (a crash).
 */
import { Simulation } from '../engine/simulation';
import { answerSweepRequest, type SweepRequest } from '../protocol/sweep';

declare const self: DedicatedWorkerGlobalScope;

self.onmessage = (e: MessageEvent<SweepRequest>) => self.postMessage(answerSweepRequest(e.data, (s) => new Simulation(s).runToEnd()));

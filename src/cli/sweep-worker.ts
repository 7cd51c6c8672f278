/**
 * Worker thread of `npm run sweep`: runs one scenario per message and answers with its
 * query-migrate, as `sim --json` computes it. An engine error is an answer too; only a crash of
 * the thread itself is not (the pool retries that run once).
 */
import { parentPort } from 'node:worker_threads';
import { Simulation } from '../engine/simulation';
import { answerSweepRequest, type SweepRequest } from '../protocol/sweep';

if (!parentPort) throw new Error('sweep-worker.ts runs as a worker thread of src/cli/sweep.ts');
const port = parentPort;
port.on('message', (m: SweepRequest) => port.postMessage(answerSweepRequest(m, (s) => new Simulation(s).runToEnd())));

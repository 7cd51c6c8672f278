/**
 * The page's sweep pool: Web Workers running src/worker/sweep.worker.ts, one fewer than the
 * machine has cores (at least one), so the page keeps a core for itself and stays responsive.
 */
import { ResultCache, PortSweepWorker, SweepPool, type SweepWorker } from '../sweep/index';

/** hardwareConcurrency − 1, at least 1 (an unknown count counts as 2: one worker). */
export function sweepPoolSize(hardwareConcurrency: number | undefined): number {
  const cores = Number.isInteger(hardwareConcurrency) && (hardwareConcurrency as number) > 0 ? (hardwareConcurrency as number) : 2;
  return Math.max(1, cores - 1);
}

export function webSweepWorker(): SweepWorker {
  const w = new Worker(new URL('../worker/sweep.worker.ts', import.meta.url), { type: 'module' });
  const port = new PortSweepWorker(
    (m) => w.postMessage(m),
    () => w.terminate(),
  );
  w.onmessage = (e: MessageEvent<unknown>) => port.receive(e.data);
  w.onerror = (e: ErrorEvent) => {
    e.preventDefault();
    port.crash(e.message || 'the sweep worker failed');
  };
  w.onmessageerror = () => port.crash('a message from the sweep worker could not be read');
  return port;
}

/** The page's pool: Web Workers, sized for this machine, with its result cache. */
export function createSweepPool(spawn: () => SweepWorker = webSweepWorker, size = sweepPoolSize(globalThis.navigator?.hardwareConcurrency)): SweepPool {
  return new SweepPool(spawn, size, new ResultCache());
}

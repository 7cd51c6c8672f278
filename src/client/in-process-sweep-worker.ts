/**
 * A sweep worker on the page's own thread (component tests under jsdom, which has no Web
 * Workers). Its own module, so the page's bundle does not carry the engine for it.
 */
import { Simulation } from '../engine/simulation';
import type { QueryMigrate, Scenario } from '../engine/types';
import type { SweepWorker } from '../sweep/index';

/**
 * A worker that runs on the page's own thread, a macrotask per run (component tests under jsdom,
 * which has no Web Workers). It blocks the page while it runs: never the page's pool.
 */
export function inProcessSweepWorker(run: (s: Scenario) => QueryMigrate = (s) => new Simulation(s).runToEnd()): SweepWorker {
  let alive = true;
  return {
    run: (scenario) =>
      new Promise((resolve, reject) =>
        setTimeout(() => {
          if (!alive) return;
          try {
            resolve(run(scenario));
          } catch (e) {
            reject(e instanceof Error ? e : new Error(String(e)));
          }
        }, 0),
      ),
    terminate: () => {
      alive = false;
    },
  };
}


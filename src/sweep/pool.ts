/**
 * A pool of workers that runs a sweep's simulations, whatever a worker is (a Web Worker in the
 * page, src/client/sweep-workers.ts; a worker thread in the CLI). Results stream to the caller
 * in whatever order they finish, each with its run, so it lands at its point.
 *
 * - Starting a sweep cancels the one before: its queued runs are dropped and a worker busy with
 *   a run the new sweep does not need is terminated (outdated work stops at once); a run both
 *   need keeps going and reports to the new one.
 * - A worker that crashes (it died, not an engine error) is replaced and its run retried once;
 *   a second crash is that run's result, a reason, never a number.
 * - Finished results go into a ResultCache by scenario; a cached run answers at once.
 */
import type { QueryMigrate, Scenario } from '../engine/types';
import { ResultCache } from './cache';
import type { RunOutcome } from './metrics';
import type { SweepRun } from './plan';

/** One worker: runs one scenario at a time. */
export interface SweepWorker {
  /** Rejects with WorkerCrash when the worker died; with another Error when the engine threw. */
  run(scenario: Scenario): Promise<QueryMigrate>;
  terminate(): void;
}

/** The worker died while running (uncaught error, out of memory, killed). */
export class WorkerCrash extends Error {
  override name = 'WorkerCrash';
}

/** How many times a run is tried when its worker crashes: once more, then reported. */
export const CRASH_ATTEMPTS = 2;

type Listener = (o: RunOutcome) => void;

interface Job {
  readonly key: string;
  readonly scenario: Scenario;
  attempts: number;
  readonly listeners: Set<Listener>;
}

interface Slot {
  worker: SweepWorker | null;
  job: Job | null;
}

export interface SweepHandle {
  /** Stops this sweep: no more results reach its callback; work nobody else needs stops. */
  cancel(): void;
  /** Resolves when every run has its result, or the sweep was cancelled. */
  readonly done: Promise<void>;
}

export class SweepPool {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private readonly jobs = new Map<string, Job>();
  private current: SweepHandle | null = null;

  constructor(
    private readonly spawn: () => SweepWorker,
    readonly size: number,
    readonly cache: ResultCache = new ResultCache(),
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a pool needs at least one worker (got ${size})`);
    this.slots = Array.from({ length: size }, () => ({ worker: null, job: null }));
  }

  /** Workers alive now (spawned lazily, replaced after a crash or a cancel). */
  get workersAlive(): number {
    return this.slots.filter((s) => s.worker !== null).length;
  }

  /** Runs waiting for a worker. */
  get queued(): number {
    return this.queue.length;
  }

  /** Starts a sweep and cancels the previous one (see the module comment). */
  start(runs: readonly SweepRun[], onResult: (run: SweepRun, o: RunOutcome) => void): SweepHandle {
    let remaining = runs.length;
    let cancelled = false;
    let resolveDone!: () => void;
    const done = new Promise<void>((r) => {
      resolveDone = r;
    });
    const attached: [Job, Listener][] = [];
    const deliver = (run: SweepRun, o: RunOutcome) => {
      if (cancelled) return;
      onResult(run, o);
      if (--remaining === 0) resolveDone();
    };
    const handle: SweepHandle = {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        for (const [job, l] of attached) this.detach(job, l);
        if (this.current === handle) this.current = null;
        resolveDone();
        this.pump();
      },
      done,
    };
    const now: [SweepRun, RunOutcome][] = [];
    for (const run of runs) {
      if (run.problem !== null) {
        now.push([run, { ok: false, reason: run.problem }]);
        continue;
      }
      const cached = this.cache.get(run.key);
      if (cached) {
        now.push([run, { ok: true, q: cached }]);
        continue;
      }
      let job = this.jobs.get(run.key);
      if (!job) {
        job = { key: run.key, scenario: run.scenario, attempts: 0, listeners: new Set() };
        this.jobs.set(run.key, job);
        this.queue.push(job);
      }
      const l: Listener = (o) => deliver(run, o);
      job.listeners.add(l);
      attached.push([job, l]);
    }
    // The new sweep holds what it shares with the old one before the old one lets go.
    this.current?.cancel();
    this.current = handle;
    if (runs.length === 0) resolveDone();
    for (const [run, o] of now) deliver(run, o);
    this.pump();
    return handle;
  }

  /** Terminates every worker and forgets every queued run. */
  dispose(): void {
    this.current?.cancel();
    for (const s of this.slots) {
      s.worker?.terminate();
      s.worker = null;
      s.job = null;
    }
    this.queue.length = 0;
    this.jobs.clear();
  }

  private detach(job: Job, l: Listener): void {
    job.listeners.delete(l);
    if (job.listeners.size > 0) return;
    this.jobs.delete(job.key);
    const q = this.queue.indexOf(job);
    if (q >= 0) this.queue.splice(q, 1);
    const slot = this.slots.find((s) => s.job === job);
    if (slot) {
      // Nobody wants its result: stop the work rather than let it hold a core.
      slot.worker?.terminate();
      slot.worker = null;
      slot.job = null;
    }
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.job !== null) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker ??= this.spawn();
      const worker = slot.worker;
      job.attempts++;
      const mine = () => slot.job === job && slot.worker === worker;
      worker.run(job.scenario).then(
        (q) => {
          if (!mine()) return;
          this.cache.set(job.key, q);
          this.finish(slot, job, { ok: true, q });
        },
        (e: unknown) => {
          if (!mine()) return;
          if (!(e instanceof WorkerCrash)) {
            this.finish(slot, job, { ok: false, reason: e instanceof Error ? e.message : String(e) });
            return;
          }
          worker.terminate();
          slot.worker = null;
          if (job.attempts < CRASH_ATTEMPTS) {
            slot.job = null;
            this.queue.unshift(job);
            this.pump();
            return;
          }
          this.finish(slot, job, { ok: false, reason: `its worker crashed ${job.attempts} times (${e.message})` });
        },
      );
    }
  }

  private finish(slot: Slot, job: Job, o: RunOutcome): void {
    slot.job = null;
    this.jobs.delete(job.key);
    for (const l of [...job.listeners]) l(o);
    this.pump();
  }
}

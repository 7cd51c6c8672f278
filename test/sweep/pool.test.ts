import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/engine/scenario';
import type { ModeId, QueryMigrate, Scenario } from '../../src/engine/types';
import { PortSweepWorker, planSweep, ResultCache, type RunOutcome, type SweepRun, SweepPool, type SweepWorker, WorkerCrash } from '../../src/sweep';

/** A hand-driven worker: each run waits until the test settles it. */
interface Pending {
  scenario: Scenario;
  worker: FakeWorker;
  resolve: (q: QueryMigrate) => void;
  reject: (e: Error) => void;
}
class FakeWorker implements SweepWorker {
  terminated = false;
  constructor(private readonly pending: Pending[]) {}
  run(scenario: Scenario): Promise<QueryMigrate> {
    return new Promise((resolve, reject) => this.pending.push({ scenario, worker: this, resolve, reject }));
  }
  terminate(): void {
    this.terminated = true;
  }
}

/** A stand-in query-migrate that says which scenario it answers (total-time = guest GiB × 1000). */
const answer = (s: Scenario) => ({ 'total-time': s.guestGiB * 1000, migviz: { mode: s.mode } }) as unknown as QueryMigrate;

function setup(size: number) {
  const pending: Pending[] = [];
  const workers: FakeWorker[] = [];
  const pool = new SweepPool(
    () => {
      const w = new FakeWorker(pending);
      workers.push(w);
      return w;
    },
    size,
    new ResultCache(),
  );
  const flush = () => new Promise((r) => setTimeout(r, 0));
  return { pending, workers, pool, flush };
}

const base = resolveScenario('rfc-case-1');
const plan = (values: number[], modes: readonly ModeId[] = ['original', 'pv']) => planSweep({ param: 'guest-gib', values, modes, seeds: 1 }, base);

describe('SweepPool', () => {
  it('runs at most `size` at once; results in any order land at their own runs', async () => {
    const { pending, pool, flush } = setup(2);
    const runs = plan([1, 2, 4]);
    const got: [SweepRun, RunOutcome][] = [];
    const h = pool.start(runs, (run, o) => got.push([run, o]));
    expect(pending).toHaveLength(2);
    expect(pool.queued).toBe(4);
    // Finish the second one first.
    pending[1].resolve(answer(pending[1].scenario));
    await flush();
    pending[0].resolve(answer(pending[0].scenario));
    await flush();
    // Two at a time: the rest, each pair answered last-first.
    for (let n = 2; n < 6; n += 2) {
      expect(pending).toHaveLength(n + 2);
      pending[n + 1].resolve(answer(pending[n + 1].scenario));
      pending[n].resolve(answer(pending[n].scenario));
      await flush();
    }
    await h.done;
    expect(got).toHaveLength(6);
    for (const [run, o] of got) {
      expect(o.ok && o.q['total-time']).toBe(run.x * 1000);
      expect(o.ok && o.q.migviz.mode).toBe(run.mode);
    }
    expect(got.map(([r]) => r.index).slice(0, 2)).toEqual([1, 0]);
  });

  it('a new sweep cancels the old: its queued runs never start, a busy worker it alone needed is terminated', async () => {
    const { pending, workers, pool, flush } = setup(2);
    const old: number[] = [];
    const first = pool.start(plan([1, 2, 4]), (r) => old.push(r.index));
    expect(pending.map((p) => p.scenario.guestGiB)).toEqual([1, 1]);
    // The new sweep shares the 1 GiB Original run and needs nothing else of the old one.
    const fresh: SweepRun[] = [];
    const second = pool.start(plan([1, 8], ['original']), (r) => fresh.push(r));
    expect(workers[1].terminated).toBe(true); // was running 1 GiB PV, which nobody wants now
    expect(workers[0].terminated).toBe(false);
    await first.done; // cancelled sweeps are done at once
    pending[0].resolve(answer(pending[0].scenario));
    await flush();
    const started = pending.map((p) => `${p.scenario.guestGiB}/${p.scenario.mode}`);
    // 2 GiB and 4 GiB never started.
    expect(started.filter((s) => s.startsWith('2/') || s.startsWith('4/'))).toEqual([]);
    for (const p of pending.slice(2)) p.resolve(answer(p.scenario));
    await second.done;
    expect(old).toEqual([]);
    expect(fresh.map((r) => r.x)).toEqual([1, 8]);
    // The terminated worker's late answer reaches nobody.
    pending[1].resolve(answer(pending[1].scenario));
    await flush();
    expect(old).toEqual([]);
  });

  it('a crashed worker\'s run is retried once on a new worker, then reported as a reason', async () => {
    const { pending, workers, pool, flush } = setup(1);
    const got: RunOutcome[] = [];
    const h = pool.start(plan([1], ['pv']), (_r, o) => got.push(o));
    pending[0].reject(new WorkerCrash('out of memory'));
    await flush();
    expect(workers).toHaveLength(2);
    expect(workers[0].terminated).toBe(true);
    expect(pending[1].scenario.mode).toBe('pv');
    pending[1].reject(new WorkerCrash('out of memory'));
    await h.done;
    expect(got).toEqual([{ ok: false, reason: 'its worker crashed 2 times (out of memory)' }]);
    // Once retried and it works: the result is the run's.
    const again: RunOutcome[] = [];
    const h2 = pool.start(plan([2], ['pv']), (_r, o) => again.push(o));
    pending[2].reject(new WorkerCrash('killed'));
    await flush();
    pending[3].resolve(answer(pending[3].scenario));
    await h2.done;
    expect(again).toEqual([{ ok: true, q: answer(pending[3].scenario) }]);
  });

  it('an engine error is the run\'s reason at once (no retry; the worker stays)', async () => {
    const { pending, workers, pool } = setup(1);
    const got: RunOutcome[] = [];
    const h = pool.start(plan([1], ['pv']), (_r, o) => got.push(o));
    pending[0].reject(new Error('guest size (GiB) must be from 0.0625 to 1024'));
    await h.done;
    expect(got).toEqual([{ ok: false, reason: 'guest size (GiB) must be from 0.0625 to 1024' }]);
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);
  });

  it('cached results and invalid runs answer at once, without a worker', async () => {
    const { pending, pool, flush } = setup(2);
    const h = pool.start(plan([1]), () => {});
    for (const p of pending) p.resolve(answer(p.scenario));
    await h.done;
    await flush();
    expect(pool.cache.size).toBe(2);
    const before = pending.length;
    const got: number[] = [];
    pool.start(plan([1]), (r) => got.push(r.index));
    expect(got).toEqual([0, 1]); // synchronously, from the cache
    expect(pending).toHaveLength(before);
    const stress = resolveScenario('rfc-case-1', { workload: 'stress', workingSetGiB: 2 });
    const bad: RunOutcome[] = [];
    pool.start(planSweep({ param: 'guest-gib', values: [1], modes: ['pv'], seeds: 1 }, stress), (_r, o) => bad.push(o));
    expect(bad).toEqual([{ ok: false, reason: 'working set (2 GiB) must not exceed the guest size (1 GiB)' }]);
    expect(pending).toHaveLength(before);
  });
});

describe('ResultCache', () => {
  it('keeps the most recently used up to its capacity', () => {
    const c = new ResultCache(2);
    const q = (n: number) => ({ 'total-time': n }) as unknown as QueryMigrate;
    c.set('a', q(1));
    c.set('b', q(2));
    expect(c.get('a')).toEqual(q(1)); // a is now the most recent
    c.set('c', q(3));
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toEqual(q(1));
    expect(c.get('c')).toEqual(q(3));
    expect(c.size).toBe(2);
  });
});

describe('PortSweepWorker', () => {
  it('matches replies by id, an engine error rejects as Error, a dead port as WorkerCrash', async () => {
    const posted: { id: number }[] = [];
    let killed = 0;
    const w = new PortSweepWorker(
      (m) => posted.push(m),
      () => killed++,
    );
    const s = resolveScenario('rfc-case-1');
    const first = w.run(s);
    w.receive({ id: posted[0].id + 1, ok: true, q: { 'total-time': 1 } }); // someone else's: ignored
    w.receive({ id: posted[0].id, ok: true, q: { 'total-time': 5 } });
    expect((await first)['total-time']).toBe(5);
    const second = w.run(s);
    w.receive({ id: posted[1].id, ok: false, message: 'seed must be an integer' });
    await expect(second).rejects.toThrow('seed must be an integer');
    const third = w.run(s);
    w.receive({ nonsense: true });
    await expect(third).rejects.toBeInstanceOf(WorkerCrash);
    const fourth = w.run(s);
    w.crash('its thread exited with status 1');
    await expect(fourth).rejects.toThrow('its thread exited with status 1');
    w.terminate();
    expect(killed).toBe(1);
  });
});

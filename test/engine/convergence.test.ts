/**
 * Convergence end to end: a stress guest that cannot converge, the same guest rescued by
 * auto-converge, the time cap, and the series the charts draw. Guests of 1 GiB keep it fast;
 * the CLI runs of the README use 8 GiB.
 */
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../src/engine/guest/memory';
import { Precopy } from '../../src/engine/migration/precopy';
import { RFC_2016 } from '../../src/engine/migration/profiles';
import { resolveScenario } from '../../src/engine/scenario';
import { MIN_SIM_CAP_MS, SERIES_CAPACITY, Simulation, simCapMs } from '../../src/engine/simulation';
import { until } from './bounded';

// 400 MiB/s written over a 512 MiB working set; a 1 Gbit/s link sends ~112 MiB/s.
const HEAVY = { guestGiB: 1, workload: 'stress', workingSetGiB: 0.5, dirtyMiBs: 400, linkGbps: 1 } as const;

describe('a guest that dirties faster than the link sends', () => {
  it('ends not-converging with the rates it measured, before the time cap', () => {
    const sim = new Simulation(resolveScenario('rfc-case-1', HEAVY));
    const r = sim.runToEnd();
    expect(r.status).toBe('failed');
    expect(r.migviz.outcome).toBe('not-converging');
    expect(r.migviz['failure-reason']).toMatch(
      /^not converging: dirty rate [\d.]+ MB\/s ≥ [\d.]+ MB\/s sent over the last 5 syncs \(\d+ s\), the guest writing 42\d MB\/s; /,
    );
    expect(r.migviz['failure-reason']).not.toMatch(/cap/);
    // Bulk stage, then 5 more passes of the working set: well before the cap.
    expect(r['total-time']).toBeLessThan(120_000);
    expect(r.ram['dirty-sync-count']).toBeGreaterThanOrEqual(7);
    expect(r.migviz['max-cpu-throttle-percentage']).toBe(0);
    expect(r['cpu-throttle-percentage']).toBeUndefined();
  });

  it('with auto-converge the throttle climbs 20, 30, 40 ... until it completes, verified', () => {
    const sim = new Simulation(resolveScenario('rfc-case-1', { ...HEAVY, autoConverge: true }));
    let sawThrottle = 0;
    while (!sim.done) {
      sim.step(sim.clockMs + 1000);
      const q = sim.stats();
      if (q['cpu-throttle-percentage'] !== undefined) {
        expect(q.status).toBe('active');
        sawThrottle = Math.max(sawThrottle, q['cpu-throttle-percentage']);
      }
    }
    const r = sim.stats();
    expect(r.status).toBe('completed');
    expect(r.migviz.outcome).toBe('completed');
    expect(r.verification.ok).toBe(true);
    expect(r.migviz['max-cpu-throttle-percentage']).toBeGreaterThanOrEqual(70);
    // Polled once a second: the last step may come at the final syncs, between two polls.
    expect(sawThrottle).toBeGreaterThanOrEqual(r.migviz['max-cpu-throttle-percentage'] - 10);
    expect(r['cpu-throttle-percentage']).toBeUndefined();
    // The staircase in the series: 0, then 20 and steps of 10, never down while the run lasts.
    const s = sim.series;
    const steps: number[] = [];
    for (let i = 0; i < s.length; i++) if (steps[steps.length - 1] !== s.throttle[i]) steps.push(s.throttle[i]);
    const top = r.migviz['max-cpu-throttle-percentage'];
    expect(steps.slice(0, 3)).toEqual([0, 20, 30]);
    expect(steps.filter((x) => x > 0)).toEqual(Array.from({ length: (top - 10) / 10 }, (_, i) => 20 + 10 * i));
  });

  it('the series carries the threshold (measured bandwidth x downtime limit), the rates and the throttle', () => {
    const sim = new Simulation(resolveScenario('rfc-case-1', { ...HEAVY, autoConverge: true }));
    sim.step(40_000);
    const s = sim.series;
    expect(s.length).toBeGreaterThan(100);
    let positive = 0;
    for (let i = 0; i < s.length; i++) {
      expect(s.threshold[i]).toBeCloseTo((s.sendRate[i] * 300) / 1000, 3);
      if (s.dirtyRate[i] > 0) positive++;
    }
    // The 1 Gbit/s link: 117.7 MB/s of goodput, measured as such once the bulk stage runs.
    expect(s.sendRate[s.length - 1]).toBeGreaterThan(110e6);
    expect(s.sendRate[s.length - 1]).toBeLessThan(118e6);
    expect(positive).toBeGreaterThan(0);
    expect(s.dirtyRate[s.length - 1]).toBe(sim.stats().ram['dirty-pages-rate'] * 4096);
  });
});

describe('the simulation time cap', () => {
  it('is an hour, or three passes over guest RAM at the binding rate when longer', () => {
    expect(MIN_SIM_CAP_MS).toBe(3_600_000);
    expect(simCapMs(resolveScenario('rfc-case-2', {}))).toBe(3_600_000);
    // 64 GiB at 0.1 Gbit/s (11.77 MB/s): 5839 s a pass.
    expect(simCapMs(resolveScenario('rfc-case-2', { guestGiB: 64, linkGbps: 0.1 }))).toBe(17_518_000);
    // max-bandwidth 1 MiB/s binds: 8 GiB takes 8192 s a pass.
    expect(simCapMs(resolveScenario('rfc-case-2', { maxBandwidthMiBs: 1 }))).toBe(24_576_000);
  });

  it('ends a run sim-time-cap with the binding limit and the estimate, never the dirty rate', () => {
    // 4096 data pages (16 MiB) over max-bandwidth 1 MiB/s, capped at 5 s: ~11 MB left.
    const mem = new GuestMemory(4096);
    mem.writeRange(0, 4096);
    const params = {
      linkBytesPerMs: (10e9 * RFC_2016.linkEfficiency) / 8 / 1000,
      maxBandwidthBytesPerMs: 1048576 / 1000,
      downtimeLimitMs: 300,
      capMs: 5000,
    };
    const pre = new Precopy(mem, RFC_2016, params, () => {});
    pre.attach([]);
    until(pre, () => pre.done, 1_000_000, 'the end of the run');
    expect(pre.status).toBe('failed');
    expect(pre.outcome).toBe('sim-time-cap');
    // 16.8 MB less 5 s at 1.05 MB/s: 11.5 MB left, 11 s at that rate.
    expect(pre.failureReason).toBe(
      'simulation time cap reached: at 5.0 s, 11.5 MB left at 1.05 MB/s (max-bandwidth 1 MiB/s); ' +
        'needs ~11 s more to send once; QEMU itself would keep going',
    );
    // The run fails in the unit whose clock reached the cap: a thread advanced only while its
    // clock is before the end (a seek to the end) has failed too.
    const again = new Precopy(mem, RFC_2016, params, () => {});
    again.attach([]);
    until(again, () => again.done || again.now >= pre.now, 1_000_000, "the first run's end time");
    expect(again.now).toBe(pre.now);
    expect(again.status).toBe('failed');
    expect(again.failureReason).toBe(pre.failureReason);
  });

  it('the RFC guests complete with no throttle and keep their series bounded', () => {
    const sim = new Simulation(resolveScenario('rfc-case-2', { guestGiB: 0.25 }));
    const r = sim.runToEnd();
    expect(r.migviz.outcome).toBe('completed');
    expect(r.migviz['max-cpu-throttle-percentage']).toBe(0);
    expect(sim.series.length).toBeLessThanOrEqual(SERIES_CAPACITY);
    expect(Array.from(sim.series.throttle.subarray(0, sim.series.length)).every((x) => x === 0)).toBe(true);
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { publishedCells } from '../../src/engine/calibration';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { QueryMigrate } from '../../src/engine/types';
import { matchScenario, readImportFile } from '../../src/import';
import { failureOf, measuredPoints, median, planSweep, publishedPoints, sweepTrust, type RunOutcome, seriesOf, type SweepSpec } from '../../src/sweep';

/** Stand-in results: total time = 1000 × guest GiB + 10 × seed, 3 syncs; PV half of it. */
const fake = (gib: number, mode: string, seed: number): QueryMigrate =>
  ({
    status: 'completed',
    'total-time': (mode === 'pv' ? 500 : 1000) * gib + 10 * seed,
    downtime: 5,
    'setup-time': 1,
    ram: { transferred: gib * 2 ** 30, 'dirty-sync-count': 3 },
    migviz: { 'skipped-pages': 0, outcome: 'completed', 'failure-reason': '' },
    verification: { ok: true, mismatches: 0 },
  }) as unknown as QueryMigrate;

const base = resolveScenario('rfc-case-1');
const spec: SweepSpec = { param: 'guest-gib', values: [1, 2], modes: ['original', 'pv'], seeds: 3 };
const runs = planSweep(spec, base);
const all = new Map<number, RunOutcome>(runs.map((r) => [r.index, { ok: true, q: fake(r.x, r.mode, r.seed) }]));

describe('seriesOf', () => {
  it('one line per mode, each point the median of its seeds with the min–max band', () => {
    const s = seriesOf(spec, runs, all, { id: 'total-time' });
    expect(s.map((l) => l.mode)).toEqual(['original', 'pv']);
    // seeds 1, 2, 3 add 10, 20, 30 ms.
    expect(s[0].points.map((p) => p.value)).toEqual([
      { median: 1020, min: 1010, max: 1030 },
      { median: 2020, min: 2010, max: 2030 },
    ]);
    expect(s[1].points[1].value).toEqual({ median: 1020, min: 1010, max: 1030 });
    expect(seriesOf(spec, runs, all, { id: 'transferred' })[0].points[1].value?.median).toBe(2048);
    expect(seriesOf(spec, runs, all, { id: 'iterations' })[0].points[0].value?.median).toBe(3);
  });

  it('speed-up over a mode: that mode\'s total time over each other mode\'s, seed by seed', () => {
    const s = seriesOf(spec, runs, all, { id: 'speedup', over: 'original' });
    expect(s.map((l) => l.mode)).toEqual(['pv']);
    // 1 GiB seed 1: 1010 / 510.
    expect(s[0].points[0].value?.min).toBeCloseTo(1030 / 530, 10);
    expect(s[0].points[0].value?.max).toBeCloseTo(1010 / 510, 10);
  });

  it('streaming: a point waits for all its seeds; a failed seed makes it a reason, never a number', () => {
    const partial = new Map([...all].filter(([i]) => i !== 0));
    const p = seriesOf(spec, runs, partial, { id: 'total-time' })[0].points[0];
    expect([p.done, p.total, p.value, p.failed]).toEqual([2, 3, null, null]);
    const failed = new Map(all);
    const stuck = { ...fake(1, 'original', 1), status: 'failed', migviz: { outcome: 'not-converging', 'failure-reason': 'dirty rate above the send rate' } };
    failed.set(0, { ok: true, q: stuck as unknown as QueryMigrate });
    failed.set(1, { ok: false, reason: 'its worker crashed 2 times (oom)' });
    const f = seriesOf(spec, runs, failed, { id: 'total-time' })[0].points[0];
    expect(f.value).toBeNull();
    expect(f.failed).toBe('not-converging: dirty rate above the send rate; its worker crashed 2 times (oom)');
    // In a speed-up, a failed baseline fails the other mode's point and says whose run it was.
    const sp = seriesOf(spec, runs, failed, { id: 'speedup', over: 'original' })[0].points[0];
    expect(sp.failed).toBe('original: not-converging: dirty rate above the send rate; original: its worker crashed 2 times (oom)');
  });

  it('median of an even count is the mean of the middle two', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([5])).toBe(5);
  });
});

describe('failureOf on real runs', () => {
  it('a run that completes has none; one that never converges says so', () => {
    const ok = new Simulation(resolveScenario('rfc-case-1', { guestGiB: 0.0625 })).runToEnd();
    expect(failureOf({ ok: true, q: ok })).toBeNull();
    const busy = resolveScenario('rfc-case-1', {
      guestGiB: 0.5,
      workload: 'stress',
      workingSetGiB: 0.25,
      dirtyMiBs: 400,
      linkGbps: 1,
    });
    const q = new Simulation(busy).runToEnd();
    expect(q.status).toBe('failed');
    expect(failureOf({ ok: true, q })).toMatch(/^not-converging: /);
  });
});

describe('publishedPoints', () => {
  it('the RFC cells fall at 8 GiB on a guest-size sweep of their case, for the modes drawn', () => {
    const s: SweepSpec = { param: 'guest-gib', values: [1, 8, 128], modes: ['original', 'pv', 'hint'], seeds: 1 };
    const r = planSweep(s, base);
    const pts = publishedPoints(s, r, { id: 'total-time' });
    const rfc = publishedCells().filter((c) => c.table === 'rfc-2016' && c.scenario.id === 'rfc-case-1');
    expect(pts).toEqual(
      rfc.map((c) => ({ x: 8, y: c.publishedMs, label: `RFC 2016 ${c.label}`, mode: c.scenario.mode })),
    );
    expect(pts.map((p) => p.label)).toEqual(['RFC 2016 case 1, original', 'RFC 2016 case 1, pv']);
    // Transferred in MiB from the table's KB; nothing for a metric the source did not publish.
    expect(publishedPoints(s, r, { id: 'transferred' })[0].y).toBeCloseTo((rfc[0].publishedKB as number) / 1024, 6);
    expect(publishedPoints(s, r, { id: 'downtime' })).toEqual([]);
    // Another link speed is another scenario: the cells do not fall on it.
    expect(publishedPoints(s, planSweep(s, { ...base, linkGbps: 1 }), { id: 'total-time' })).toEqual([]);
    // On a link sweep of the same case they fall at the testbed's 10 Gbit/s.
    const link: SweepSpec = { param: 'link-gbps', values: [1, 10], modes: ['original'], seeds: 1 };
    expect(publishedPoints(link, planSweep(link, base), { id: 'total-time' }).map((p) => [p.x, p.label])).toEqual([
      [10, 'RFC 2016 case 1, original'],
    ]);
  });
});

describe('measuredPoints', () => {
  // The example log: rfc-case-2 in Original, 8 GiB, as the simulation made it (not a measurement).
  const file = readImportFile(
    readFileSync(join(import.meta.dirname, '../../public/examples/query-migrate-example.jsonl'), 'utf8'),
    'query-migrate-example.jsonl',
  );
  if (file.kind !== 'measured') throw new Error('the example is not a measured run');
  const matched = matchScenario(file.run, resolveScenario('rfc-case-2'));
  const imported = { run: file.run, scenario: matched.scenario };
  const s: SweepSpec = { param: 'guest-gib', values: [4, 8, 16], modes: ['original', 'pv'], seeds: 1 };
  const r = planSweep(s, matched.scenario);

  it('falls at its guest size with the totals the file gives, labelled by the file, without a mode', () => {
    const run = file.run;
    expect(run.totalTimeMs).toBeGreaterThan(7000);
    expect(measuredPoints(s, r, { id: 'total-time' }, imported)).toEqual([
      { x: 8, y: run.totalTimeMs, label: 'query-migrate-example.jsonl' },
    ]);
    expect(measuredPoints(s, r, { id: 'downtime' }, imported)[0].y).toBe(run.downtimeMs);
    expect(measuredPoints(s, r, { id: 'setup-time' }, imported)[0].y).toBe(run.setupTimeMs);
    expect(measuredPoints(s, r, { id: 'transferred' }, imported)[0].y).toBeCloseTo((run.transferredBytes ?? 0) / 2 ** 20, 6);
  });

  it('draws nothing for a metric the file lacks, another scenario, x out of range, or no import', () => {
    expect(measuredPoints(s, r, { id: 'iterations' }, imported)).toEqual([]);
    expect(measuredPoints(s, r, { id: 'speedup', over: 'original' }, imported)).toEqual([]);
    expect(measuredPoints(s, planSweep(s, { ...matched.scenario, linkGbps: 1 }), { id: 'total-time' }, imported)).toEqual([]);
    const small: SweepSpec = { ...s, values: [1, 2] };
    expect(measuredPoints(small, planSweep(small, matched.scenario), { id: 'total-time' }, imported)).toEqual([]);
    expect(measuredPoints(s, r, { id: 'total-time' }, null)).toEqual([]);
  });
});

describe('sweepTrust', () => {
  it('says where each line is calibrated against the RFC and that the rest is extrapolated; a mode nobody measured is mechanism only', () => {
    const s: SweepSpec = { param: 'guest-gib', values: [1, 8, 128], modes: ['original', 'pv', 'hint'], seeds: 1 };
    expect(sweepTrust(planSweep(s, base))).toEqual([
      { mode: 'original', text: 'original: calibrated at 8; extrapolated at the other 2' },
      { mode: 'pv', text: 'pv: calibrated at 8; extrapolated at the other 2' },
      { mode: 'hint', text: 'hint: mechanism only: no published measurement of hint on the RFC 2016 testbed' },
    ]);
    const case2: SweepSpec = { param: 'guest-gib', values: [8, 16], modes: ['original'], seeds: 1 };
    expect(sweepTrust(planSweep(case2, resolveScenario('rfc-case-2')))).toEqual([
      { mode: 'original', text: 'original: predicted at 8; extrapolated at the other 1' },
    ]);
    const link: SweepSpec = { param: 'link-gbps', values: [1, 40], modes: ['original'], seeds: 1 };
    expect(sweepTrust(planSweep(link, base))).toEqual([{ mode: 'original', text: 'original: extrapolated at all 2' }]);
  });
});

/** The guestperf importer on the project's example report and on bad reports. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCENARIO_PRESETS } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import { ImportError, matchScenario, parseGuestperf, readImportFile } from '../../src/import';

const EXAMPLE = readFileSync(join(import.meta.dirname, '../../public/examples/guestperf-example.json'), 'utf8');
/** The parts of a report the tests edit (guestperf's report.py names). */
interface Report {
  hardware: Record<string, unknown>;
  scenario: Record<string, unknown>;
  progress_history: ({ status: string; duration: number; ram: Record<string, unknown> } & Record<string, unknown>)[];
  [key: string]: unknown;
}
const example = () => JSON.parse(EXAMPLE) as Report;
const parse = (data: unknown, name = 'r.json') => parseGuestperf(data as Record<string, unknown>, name);

describe('guestperf reports', () => {
  it('reads the example: one sample per iteration, the totals of the completed record, what it says about the run', () => {
    const file = readImportFile(EXAMPLE, 'guestperf-example.json');
    expect(file.kind).toBe('measured');
    if (file.kind !== 'measured') return;
    const run = file.run;
    expect(run.format).toBe('guestperf');
    expect(run.samples).toHaveLength(6);
    expect(run.samples[0].tMs).toBeLessThan(run.samples[5].tMs);
    expect(run.status).toBe('completed');
    expect(run.totalTimeMs).toBe(1475.584);
    expect(run.downtimeMs).toBe(336.719);
    expect(run.transferredBytes).toBe(1616410443);
    expect(run.samples[5]).toMatchObject({ tMs: 1475.584, remainingBytes: 0, mbps: 8764.922 });
    expect(Object.fromEntries(Object.entries(run.settings).map(([k, v]) => [k, v?.value]))).toEqual({
      guestGiB: 1.5,
      maxBandwidthMiBs: 125000,
      downtimeMs: 500,
      workload: 'stress',
      workingSetGiB: 1,
      pattern: 'sequential',
      dirtyMiBs: 256,
    });
    expect(run.caveats).toEqual([]);
  });

  it('the matching scenario reproduces the example (made by the simulation) and lists the link, testbed and mode as assumed', () => {
    const file = readImportFile(EXAMPLE, 'guestperf-example.json');
    if (file.kind !== 'measured') throw new Error('not measured');
    const m = matchScenario(file.run, SCENARIO_PRESETS['rfc-case-2']);
    expect(m.scenario).toMatchObject({ guestGiB: 1.5, workload: 'stress', workingSetGiB: 1, dirtyMiBs: 256, pattern: 'sequential', mode: 'original' });
    expect(m.stated[0]).toBe('guest size 1.5 GiB: hardware.mem 1 GiB + 512 MiB (guestperf starts QEMU with -m mem*1024+512)');
    expect(m.assumed.map((a) => a.split(':')[0])).toEqual(['link 10 Gbit/s', 'testbed rfc-2016 (RFC 2016 testbed', 'mode original']);
    const q = new Simulation(m.scenario).runToEnd();
    // The example was made by this engine: the errors are 0 unless the engine changed since.
    expect(Math.abs(q['total-time'] - 1475.584) / 1475.584).toBeLessThan(0.02);
    expect(Math.abs(q.ram.transferred - 1616410443) / 1616410443).toBeLessThan(0.02);
  });

  it('accepts the 2016 format (tests/migration/guestperf): no multifd, dirty-limit or dirty_ring_size fields', () => {
    const r = example();
    delete r.hardware.dirty_ring_size;
    for (const k of ['multifd', 'multifd_channels', 'dirty_limit', 'x_vcpu_dirty_limit_period', 'vcpu_dirty_limit']) delete r.scenario[k];
    for (const p of r.progress_history) {
      delete p.dirty_limit_throttle_time_per_round;
      delete p.dirty_limit_ring_full_time;
    }
    expect(parse(r).totalTimeMs).toBe(1475.584);
  });

  it('sums the stress threads\' rates from guest_timings (median per thread) and caps them at migviz\'s limit', () => {
    const r = example();
    r.guest_timings = [
      { tid: 10, timestamp: 1, value: 2000 },
      { tid: 10, timestamp: 3, value: 9000 },
      { tid: 10, timestamp: 5, value: 2000 },
      { tid: 11, timestamp: 1, value: 1000 },
    ];
    // Thread 10: median 2000 ms per GiB = 512 MiB/s; thread 11: 1024 MiB/s.
    expect(parse(r).settings.dirtyMiBs?.value).toBe(1536);
    r.guest_timings = [{ tid: 1, timestamp: 1, value: 10 }];
    const capped = parse(r).settings.dirtyMiBs;
    expect(capped?.value).toBe(16384);
    expect(capped?.from).toContain('102400 MiB/s, capped at migviz\'s 16384 MiB/s');
    r.guest_timings = [];
    expect(parse(r).settings.dirtyMiBs).toBeUndefined();
    const m = matchScenario(parse(r), SCENARIO_PRESETS['rfc-case-1']);
    expect(m.assumed).toContain('dirty rate 100 MiB/s: the report has no guest_timings; kept from the scenario on screen');
  });

  it('says what migviz cannot compare like for like: post-copy, multifd, a migration within one host', () => {
    const r = example();
    r.scenario.post_copy = true;
    r.scenario.multifd = true;
    r.dst_host = 'localhost';
    r.transport = 'unix';
    expect(parse(r).caveats).toEqual([
      'the run switched to post-copy (scenario.post_copy); migviz simulates pre-copy only',
      'the run used multifd (scenario.multifd); migviz sends on one channel',
      "the run migrated within one host (dst_host localhost, transport unix); of migviz's testbeds only wang-2018 models a loopback link",
    ]);
  });

  it('skips the zero-filled records guestperf writes while QEMU reports no "ram" (setup)', () => {
    const r = example();
    const setupRecord = { ...r.progress_history[0], status: 'setup', duration: 0, ram: { ...r.progress_history[0].ram, total_bytes: 0, remaining_bytes: 0, transferred_bytes: 0 } };
    r.progress_history.unshift(setupRecord);
    const run = parse(r);
    expect(run.samples).toHaveLength(6);
    expect(run.samples[0].remainingBytes).toBeGreaterThan(0);
  });

  it('a cancelled run has samples but no totals', () => {
    const r = example();
    r.progress_history[r.progress_history.length - 1].status = 'cancelled';
    const run = parse(r);
    expect([run.status, run.totalTimeMs, run.downtimeMs, run.transferredBytes]).toEqual(['cancelled', null, null, null]);
  });

  it('a bad report names the field and what is wrong', () => {
    const bad = (edit: (r: Report) => void) => {
      const r = example();
      edit(r);
      return () => parse(r);
    };
    expect(bad((r) => delete r.hardware.mem)).toThrow(new ImportError('r.json (guestperf report) hardware: field "mem" is missing'));
    expect(bad((r) => (r.scenario.downtime = '500'))).toThrow('r.json (guestperf report) scenario: field "downtime" must be a number >= 0, not "500"');
    expect(bad((r) => (r.progress_history = []))).toThrow('field "progress_history" must be a non-empty array of progress records');
    expect(bad((r) => (r.progress_history[2].ram.transferred_bytes = -1))).toThrow(
      'r.json (guestperf report) progress_history[2] ram: field "transferred_bytes" must be a number >= 0, not -1',
    );
    expect(bad((r) => (r.progress_history[3].duration = 1))).toThrow(/progress_history\[3\] "duration": time 1 ms is before the previous sample's \d/);
    expect(bad((r) => (r.scenario.post_copy = 'yes'))).toThrow('scenario: field "post_copy" must be true or false, not "yes"');
    // In range for the file, out of range for migviz: the match says so.
    const huge = bad((r) => (r.hardware.mem = 2048))();
    expect(() => matchScenario(huge, SCENARIO_PRESETS['rfc-case-1'])).toThrow(
      "r.json (guestperf report): the run's guest size (GiB) must be from 0.0625 to 1024",
    );
  });
});

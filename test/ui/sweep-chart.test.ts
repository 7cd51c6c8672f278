import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/engine/scenario';
import type { QueryMigrate } from '../../src/engine/types';
import { planSweep, type RunOutcome, type SweepSpec, seriesOf } from '../../src/sweep';
import { sweepToCsv } from '../../src/ui/export/exports';
import { SWEEP_CHART_SIZE, sweepChartModel, xIsLog } from '../../src/ui/render/sweep-chart';

const ok = (t: number) =>
  ({ status: 'completed', 'total-time': t, migviz: { outcome: 'completed', 'failure-reason': '' }, verification: { ok: true } }) as unknown as QueryMigrate;
const spec: SweepSpec = { param: 'guest-gib', values: [1, 10, 100], modes: ['original'], seeds: 2 };
const runs = planSweep(spec, resolveScenario('rfc-case-1'));

describe('sweep chart geometry', () => {
  it('log x when the values span 10× or more and are all above 0', () => {
    expect(xIsLog([1, 2, 4, 8, 16])).toBe(true);
    expect(xIsLog([100, 400, 700, 1000])).toBe(true);
    expect(xIsLog([1, 2, 4, 8])).toBe(false);
    expect(xIsLog([0, 100])).toBe(false);
  });

  it('medians on the line, the seeds\' band, failed points on the axis; a labelled point where it falls', () => {
    const results = new Map<number, RunOutcome>([
      [0, { ok: true, q: ok(100) }],
      [1, { ok: true, q: ok(300) }],
      [2, { ok: true, q: ok(400) }],
      [3, { ok: true, q: ok(400) }],
      [4, { ok: false, reason: 'its worker crashed 2 times (oom)' }],
      [5, { ok: true, q: ok(1) }],
    ]);
    const series = seriesOf(spec, runs, results, { id: 'total-time' });
    const m = sweepChartModel(spec.values, series, [{ x: 10, y: 420, label: 'RFC 2016 case 1, original', mode: 'original' }]);
    const { width, height, margin } = SWEEP_CHART_SIZE;
    expect(m.logX).toBe(true);
    // x: 1 at the left edge, 100 at the right, 10 halfway on a log axis.
    expect(m.lines[0].points.map((p) => p.cx)).toEqual([margin.left, (margin.left + width - margin.right) / 2]);
    expect(m.lines[0].points.map((p) => p.point.value?.median)).toEqual([200, 400]);
    expect(m.lines[0].band).not.toBe(''); // 100–300 at x = 1
    expect(m.lines[0].failed.map((f) => [f.cx, f.point.failed])).toEqual([[width - margin.right, 'its worker crashed 2 times (oom)']]);
    expect(m.axisY).toBe(height - margin.bottom);
    expect(m.lines[0].failedY).toBeCloseTo(height - margin.bottom - 13 * 0.75, 6);
    // y: 0 at the axis, ticks every 100 up to the largest value (420, the published point).
    expect(m.yTicks[0]).toEqual({ y: height - margin.bottom, text: '0' });
    expect(m.yTicks.map((t) => t.text)).toEqual(['0', '100', '200', '300', '400']);
    expect(m.labels).toEqual([{ cx: (margin.left + width - margin.right) / 2, cy: expect.any(Number), label: 'RFC 2016 case 1, original', value: 420, kind: 'published', mode: 'original' }]);
    // The CSV says the failure in words and leaves its numbers empty.
    expect(sweepToCsv('guest-gib', 'total time (ms)', series).trim().split('\n')).toEqual([
      'guest-gib,mode,seeds,total time (ms) median,total time (ms) min,total time (ms) max,failed',
      '1,original,2,200,100,300,',
      '10,original,2,400,400,400,',
      '100,original,2,,,,its worker crashed 2 times (oom)',
    ]);
  });
});

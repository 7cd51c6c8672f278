/**
 * A measured run (src/import) as the page shows it: its samples as a chart series, and its
 * totals against the simulation's.
 */
import type { MeasuredRun } from '../import';
import type { QueryMigrate } from '../engine/types';
import { SeriesBuffer } from './state/live-run';

/** The chart run id and label of the measured line (never a mode id). */
export const MEASURED_RUN_ID = 'measured';
export const MEASURED_LABEL = 'Measured';

/**
 * The run's samples in the charts' series shape. Only time, transferred and remaining are
 * measured; the engine-only columns (threshold, dirty rate, send rate, throttle) stay 0 and the
 * charts draw no guide for this run.
 */
export function measuredSeries(run: MeasuredRun): SeriesBuffer {
  const n = run.samples.length;
  const zeros = new Float64Array(n);
  const s = new SeriesBuffer();
  s.append({
    t: Float64Array.from(run.samples, (x) => x.tMs),
    transferred: Float64Array.from(run.samples, (x) => x.transferredBytes),
    remaining: Float64Array.from(run.samples, (x) => x.remainingBytes),
    threshold: zeros,
    dirtyRate: zeros,
    sendRate: zeros,
    throttle: zeros,
  });
  return s;
}

/** One total, measured and simulated (null before the simulation is known). */
export interface MeasuredComparison {
  key: 'total-time' | 'downtime' | 'transferred';
  /** Null when the run has no such total (it did not complete). */
  measured: number | null;
  simulated: number | null;
}

/** The three totals the page compares (only a completed measured run has them). */
export function compareTotals(run: MeasuredRun, sim: QueryMigrate | null): MeasuredComparison[] {
  return [
    { key: 'total-time', measured: run.totalTimeMs, simulated: sim ? sim['total-time'] : null },
    { key: 'downtime', measured: run.downtimeMs, simulated: sim ? sim.downtime : null },
    { key: 'transferred', measured: run.transferredBytes, simulated: sim ? sim.ram.transferred : null },
  ];
}

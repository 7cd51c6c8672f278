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

/** One total, measured and simulated, and the simulation's error against the measurement. */
export interface MeasuredComparison {
  key: 'total-time' | 'downtime' | 'transferred';
  measured: number | null;
  simulated: number;
  /** (simulated - measured) / measured, or null when the run has no such total (or it is 0). */
  error: number | null;
}

/** The three totals the page compares (only a completed measured run has them). */
export function compareTotals(run: MeasuredRun, sim: QueryMigrate): MeasuredComparison[] {
  const row = (key: MeasuredComparison['key'], measured: number | null, simulated: number): MeasuredComparison => ({
    key,
    measured,
    simulated,
    error: measured !== null && measured > 0 ? (simulated - measured) / measured : null,
  });
  return [
    row('total-time', run.totalTimeMs, sim['total-time']),
    row('downtime', run.downtimeMs, sim.downtime),
    row('transferred', run.transferredBytes, sim.ram.transferred),
  ];
}

/** "+3.2 %", "-0.4 %", "0.0 %": the sign always said, one decimal. */
export function formatError(e: number): string {
  const pct = e * 100;
  const v = Math.abs(pct) < 0.05 ? 0 : pct;
  return `${v > 0 ? '+' : v < 0 ? '-' : ''}${Math.abs(v).toFixed(1)} %`;
}

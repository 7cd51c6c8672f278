/**
 * What a sweep draws: the metric of each run (or why the run has none), and the points of the
 * chart, one per mode and x value, as the median of its seeds with their min–max band. A failed
 * or non-converging run is a reason, never a number.
 */
import { type PublishedCell, publishedCells, type TrustKind, type TrustLabel, trustLabel } from '../engine/calibration';
import type { ModeId, QueryMigrate, Scenario } from '../engine/types';
import type { MeasuredRun } from '../import/measured-run';
import { paramSpec } from './params';
import type { SweepRun, SweepSpec } from './plan';
import { scenarioKey } from './plan';

/** A run's end: its query-migrate, or why there is none (invalid scenario, worker crashed). */
export type RunOutcome = { readonly ok: true; readonly q: QueryMigrate } | { readonly ok: false; readonly reason: string };

export type BaseMetricId = 'total-time' | 'downtime' | 'transferred' | 'setup-time' | 'skipped-pages' | 'iterations';
export type MetricId = BaseMetricId | 'speedup';

interface BaseMetric {
  readonly label: string;
  readonly unit: string;
  readonly of: (q: QueryMigrate) => number;
}

/** The metrics of one run, each read from its query-migrate as `sim --json` prints it. */
export const BASE_METRICS: Readonly<Record<BaseMetricId, BaseMetric>> = {
  'total-time': { label: 'total time', unit: 'ms', of: (q) => q['total-time'] },
  downtime: { label: 'downtime', unit: 'ms', of: (q) => q.downtime },
  transferred: { label: 'transferred', unit: 'MiB', of: (q) => q.ram.transferred / 2 ** 20 },
  'setup-time': { label: 'setup time', unit: 'ms', of: (q) => q['setup-time'] },
  'skipped-pages': { label: 'pages skipped', unit: 'pages', of: (q) => q.migviz['skipped-pages'] },
  // QEMU's iterations are its bitmap syncs (dirty-sync-count): one per pass, plus the final one.
  iterations: { label: 'iterations (dirty syncs)', unit: '', of: (q) => q.ram['dirty-sync-count'] },
};
export const METRIC_IDS: readonly MetricId[] = [...(Object.keys(BASE_METRICS) as BaseMetricId[]), 'speedup'];

export function isMetricId(v: string): v is MetricId {
  return (METRIC_IDS as readonly string[]).includes(v);
}

/** The y axis: a metric, or the speed-up (total time of `over` ÷ the mode's) of every mode over one. */
export type MetricChoice = { readonly id: BaseMetricId } | { readonly id: 'speedup'; readonly over: ModeId };

export function metricTitle(m: MetricChoice, label: (mode: ModeId) => string = (x) => x): string {
  if (m.id === 'speedup') return `speed-up over ${label(m.over)} (×, total time)`;
  const b = BASE_METRICS[m.id];
  return b.unit ? `${b.label} (${b.unit})` : b.label;
}

/** Why a run has no metric, or null: it did not complete, or its verification failed. */
export function failureOf(o: RunOutcome): string | null {
  if (!o.ok) return o.reason;
  const q = o.q;
  if (q.status !== 'completed') {
    const outcome = q.migviz.outcome || q.status;
    return q.migviz['failure-reason'] ? `${outcome}: ${q.migviz['failure-reason']}` : outcome;
  }
  if (!q.verification.ok) return `verification failed: ${q.verification.mismatches} pages differ`;
  return null;
}

/** One point of a line: the median of its seeds and their min and max, or why it failed. */
export interface SweepPoint {
  readonly mode: ModeId;
  readonly xIndex: number;
  readonly x: number;
  /** Seeds that have a result so far, of `total`. */
  readonly done: number;
  readonly total: number;
  /** null until every seed is in, and when any failed. */
  readonly value: { readonly median: number; readonly min: number; readonly max: number } | null;
  /** Why the point has no value (set when any of its seeds failed; its seeds' reasons, deduplicated). */
  readonly failed: string | null;
  /** The point's runs (seeds); the first is the one a click opens. */
  readonly runs: readonly SweepRun[];
}

export interface SweepSeries {
  readonly mode: ModeId;
  readonly points: readonly SweepPoint[];
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * The chart's lines from whatever results are in (streaming: a point waits for all its seeds).
 * Speed-up draws every mode but `over`, each seed against `over`'s run of the same seed.
 */
export function seriesOf(
  spec: SweepSpec,
  runs: readonly SweepRun[],
  results: ReadonlyMap<number, RunOutcome>,
  metric: MetricChoice,
): SweepSeries[] {
  const at = new Map<string, SweepRun>();
  for (const r of runs) at.set(`${r.xIndex}/${r.mode}/${r.seed}`, r);
  const modes = metric.id === 'speedup' ? spec.modes.filter((m) => m !== metric.over) : spec.modes;
  return modes.map((mode) => ({
    mode,
    points: spec.values.map((x, xIndex) => {
      const mine = runs.filter((r) => r.xIndex === xIndex && r.mode === mode);
      const values: number[] = [];
      const reasons = new Set<string>();
      let done = 0;
      for (const run of mine) {
        const base = metric.id === 'speedup' ? at.get(`${xIndex}/${metric.over}/${run.seed}`) : undefined;
        const own = results.get(run.index);
        const other = base ? results.get(base.index) : undefined;
        if (!own || (metric.id === 'speedup' && !other)) continue;
        done++;
        const f = failureOf(own);
        const fb = other ? failureOf(other) : null;
        if (f) reasons.add(f);
        else if (fb && metric.id === 'speedup') reasons.add(`${metric.over}: ${fb}`);
        else if (metric.id === 'speedup' && other?.ok && own.ok) values.push(other.q['total-time'] / own.q['total-time']);
        else if (metric.id !== 'speedup' && own.ok) values.push(BASE_METRICS[metric.id].of(own.q));
      }
      const failed = reasons.size > 0 ? [...reasons].join('; ') : null;
      const complete = done === mine.length && !failed && values.length > 0;
      return {
        mode,
        xIndex,
        x,
        done,
        total: mine.length,
        value: complete ? { median: median(values), min: Math.min(...values), max: Math.max(...values) } : null,
        failed,
        runs: mine,
      };
    }),
  }));
}

/** A labelled point drawn where it falls: published (src/data) or measured (an imported run). */
export interface LabelledPoint {
  readonly x: number;
  readonly y: number;
  readonly label: string;
  readonly mode?: ModeId;
}

/**
 * Published measurements that fall on this sweep: a cell whose scenario is the sweep's base in
 * every field but the swept one (and the mode, if drawn), at an x within the swept range, for a
 * metric the source published
 * (total time; transferred when it gives bytes).
 */
export function publishedPoints(
  spec: SweepSpec,
  runs: readonly SweepRun[],
  metric: MetricChoice,
  cells: readonly PublishedCell[] = publishedCells(),
): LabelledPoint[] {
  if (metric.id !== 'total-time' && metric.id !== 'transferred') return [];
  const field = paramSpec(spec.param).field;
  const first = runs[0];
  const out: LabelledPoint[] = [];
  for (const c of cells) {
    if (!fallsOn(spec, runs, c.scenario)) continue;
    if (!spec.modes.includes(c.scenario.mode)) continue;
    if (spec.param !== 'seed' && c.scenario.seed !== first.scenario.seed) continue;
    const y = metric.id === 'total-time' ? c.publishedMs : c.publishedKB === null ? null : (c.publishedKB * 1024) / 2 ** 20;
    if (y === null) continue;
    out.push({ x: c.scenario[field], y, label: `${c.table === 'rfc-2016' ? 'RFC 2016' : 'Wang 2018'} ${c.label}`, mode: c.scenario.mode });
  }
  return out;
}

/**
 * An imported run (src/import) as a point, where it falls: its matched scenario is the sweep's
 * base in every field but the swept one, within the swept range, for a metric the file gives
 * (total time, downtime, transferred, setup time of a completed run). Measured on real hosts
 * with QEMU's own mode, so it carries no mode of migviz's.
 */
export function measuredPoints(
  spec: SweepSpec,
  runs: readonly SweepRun[],
  metric: MetricChoice,
  measured: { readonly run: MeasuredRun; readonly scenario: Scenario } | null,
): LabelledPoint[] {
  if (!measured || !fallsOn(spec, runs, measured.scenario)) return [];
  const { run } = measured;
  const y =
    metric.id === 'total-time'
      ? run.totalTimeMs
      : metric.id === 'downtime'
        ? run.downtimeMs
        : metric.id === 'setup-time'
          ? run.setupTimeMs
          : metric.id === 'transferred' && run.transferredBytes !== null
            ? run.transferredBytes / 2 ** 20
            : null;
  if (y === null) return [];
  return [{ x: measured.scenario[paramSpec(spec.param).field], y, label: run.source }];
}

/**
 * Whether a scenario falls on this sweep: the sweep's base in every field but x, mode and seed
 * (any run shows the base), at an x within the swept range (a point far outside would squeeze
 * the chart into a corner).
 */
function fallsOn(spec: SweepSpec, runs: readonly SweepRun[], s: Scenario): boolean {
  const first = runs[0];
  if (!first) return false;
  const field = paramSpec(spec.param).field;
  const neutral = (x: Scenario) => scenarioKey({ ...x, [field]: 0, mode: 'original', seed: 0, id: '' });
  const x = s[field];
  return x >= Math.min(...spec.values) && x <= Math.max(...spec.values) && neutral(s) === neutral(first.scenario);
}

/**
 * How far to trust each mode's line (the page's trust rule, trustLabel, per run): at which x
 * values the line is calibrated or predicted against a published cell, and what the rest is. A
 * sweep is mostly extrapolation; the chart says so instead of letting a line look measured.
 */
export function sweepTrust(runs: readonly SweepRun[], modeLabel: (m: ModeId) => string = (m) => m): { mode: ModeId; text: string }[] {
  const byMode = new Map<ModeId, Map<number, TrustLabel>>();
  for (const r of runs) {
    if (r.problem !== null) continue;
    const xs = byMode.get(r.mode) ?? new Map<number, TrustLabel>();
    xs.set(r.x, trustLabel(r.scenario));
    byMode.set(r.mode, xs);
  }
  return [...byMode].map(([mode, xs]) => {
    const labels = [...xs.values()];
    // Mechanism only is the same sentence at every x: say it once.
    const only = labels.find((t) => t.kind === 'mechanism-only');
    if (only) return { mode, text: `${modeLabel(mode)}: ${only.text}` };
    const at = (k: TrustKind) => [...xs].filter(([, t]) => t.kind === k).map(([x]) => x);
    const parts = (['calibrated', 'predicted'] as const).filter((k) => at(k).length > 0).map((k) => `${k} at ${at(k).join(', ')}`);
    const rest = at('extrapolated').length;
    if (rest > 0) parts.push(parts.length > 0 ? `extrapolated at the other ${rest}` : `extrapolated at all ${rest}`);
    return { mode, text: `${modeLabel(mode)}: ${parts.join('; ')}` };
  });
}

/**
 * What the page shows: one mode on its own, two modes side by side on one clock, or a sweep
 * (many runs along one parameter, one line per mode). A discriminated union, so every
 * `switch (view.kind)` that forgets a member fails to compile.
 */
import type { ModeId } from '../engine/types';
import { assertNever } from '../protocol';
import type { MetricChoice, SweepParamId } from '../sweep/index';
import { modeLabel } from './modes';

export type View = { readonly kind: 'single'; readonly mode: ModeId } | CompareView | SweepView;

/** Two different modes: `a` is the left (lead) panel, `b` the right one. */
export interface CompareView {
  readonly kind: 'compare';
  readonly a: ModeId;
  readonly b: ModeId;
}

/** What the sweep view runs and draws; everything else comes from the scenario on screen. */
export interface SweepSettings {
  readonly param: SweepParamId;
  /** The x values as typed: a list (1,2,4) or from:to:steps[:log] (src/sweep/plan.ts). */
  readonly values: string;
  /** One line per mode, in this order. */
  readonly modes: readonly ModeId[];
  readonly metric: MetricChoice;
  /** Seeds per point (the scenario's seed and the next ones). */
  readonly seeds: number;
}

export interface SweepView {
  readonly kind: 'sweep';
  readonly sweep: SweepSettings;
}

export const single = (mode: ModeId): View => ({ kind: 'single', mode });

/** The pair the RFC compared, and what `?view=compare` alone shows. */
export const DEFAULT_COMPARE: CompareView = { kind: 'compare', a: 'original', b: 'pv' };

/**
 * What `?view=sweep` alone shows: the issue's own example, the three modes over guest sizes of
 * 1 to 128 GiB (8 sizes, log-spaced), total time, one seed.
 */
export const DEFAULT_SWEEP: SweepSettings = {
  param: 'guest-gib',
  values: '1:128:8:log',
  modes: ['original', 'pv', 'hint'],
  metric: { id: 'total-time' },
  seeds: 1,
};

export const DEFAULT_VIEW: View = single('original');

/** The modes the view runs, left to right (a sweep: its lines; the lead panel takes the first). */
export function viewModes(v: View): readonly ModeId[] {
  switch (v.kind) {
    case 'single':
      return [v.mode];
    case 'compare':
      return [v.a, v.b];
    case 'sweep':
      return v.sweep.modes;
    default:
      return assertNever(v, 'view');
  }
}

export function sameSweep(a: SweepSettings, b: SweepSettings): boolean {
  return (
    a.param === b.param &&
    a.values === b.values &&
    a.seeds === b.seeds &&
    a.modes.length === b.modes.length &&
    a.modes.every((m, i) => m === b.modes[i]) &&
    a.metric.id === b.metric.id &&
    (a.metric.id !== 'speedup' || (b.metric.id === 'speedup' && a.metric.over === b.metric.over))
  );
}

export function sameView(x: View, y: View): boolean {
  if (x.kind === 'sweep' || y.kind === 'sweep') return x.kind === 'sweep' && y.kind === 'sweep' && sameSweep(x.sweep, y.sweep);
  const a = viewModes(x);
  const b = viewModes(y);
  return x.kind === y.kind && a.length === b.length && a.every((m, i) => m === b[i]);
}

/** How the view is named on screen: "Hinting", "Original vs PV", "Sweep of guest-gib". */
export function viewLabel(v: View): string {
  switch (v.kind) {
    case 'single':
      return modeLabel(v.mode);
    case 'compare':
      return `${modeLabel(v.a)} vs ${modeLabel(v.b)}`;
    case 'sweep':
      return `Sweep of ${v.sweep.param}: ${v.sweep.modes.map(modeLabel).join(', ')}`;
    default:
      return assertNever(v, 'view');
  }
}

/** The view in a file name: "hint", "compare-original-pv", "sweep-guest-gib-total-time". */
export function viewSlug(v: View): string {
  switch (v.kind) {
    case 'single':
      return v.mode;
    case 'compare':
      return `compare-${v.a}-${v.b}`;
    case 'sweep':
      return `sweep-${v.sweep.param}-${v.sweep.metric.id === 'speedup' ? `speedup-over-${v.sweep.metric.over}` : v.sweep.metric.id}`;
    default:
      return assertNever(v, 'view');
  }
}

/**
 * The sweep view's work: plans the sweep from its settings and the scenario on screen, hands the
 * runs to the pool (Web Workers) and keeps the results as they stream in. A new sweep (a changed
 * setting or scenario) cancels the outdated one's runs; results are cached by scenario in the
 * pool, so going back to a sweep already shown is instant.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ModeId, Scenario } from '../../engine/types';
import {
  inertReason,
  parseValues,
  planSweep,
  type RunOutcome,
  SweepError,
  type SweepHandle,
  type SweepPool,
  type SweepRun,
  type SweepSpec,
  scenarioKey,
} from '../../sweep/index';
import type { SweepSettings } from '../view';

export interface SweepState {
  /** The plan's spec (its modes include a speed-up's reference mode), or null before the first run. */
  spec: SweepSpec | null;
  runs: readonly SweepRun[];
  /** Results by run index; replaced (a new Map) on every result, so a selector sees each one. */
  results: ReadonlyMap<number, RunOutcome>;
  /** Results in so far, of the sweep's runs. */
  done: number;
  total: number;
  running: boolean;
  /** The sweep was stopped before every run had its result. */
  cancelled: boolean;
  /** Why the settings plan no sweep (bad values, too many runs), or null. */
  error: string | null;
  /** Why the swept parameter changes nothing for this scenario, or null. */
  note: string | null;
  /** Wall time from start to the last result, ms (null while running). */
  elapsedMs: number | null;
}

const IDLE: SweepState = {
  spec: null,
  runs: [],
  results: new Map(),
  done: 0,
  total: 0,
  running: false,
  cancelled: false,
  error: null,
  note: null,
  elapsedMs: null,
};

/** The modes to run: the lines, plus the reference mode of a speed-up if it is not one of them. */
export function plannedModes(s: SweepSettings): ModeId[] {
  const modes = [...s.modes];
  if (s.metric.id === 'speedup' && !modes.includes(s.metric.over)) modes.push(s.metric.over);
  return modes;
}

export class SweepController {
  readonly store: StoreApi<SweepState> = createStore<SweepState>()(() => IDLE);
  private pool: SweepPool | null = null;
  private handle: SweepHandle | null = null;
  private key = '';

  constructor(
    private readonly createPool: () => SweepPool,
    private readonly now: () => number = () => performance.now(),
  ) {}

  get state(): SweepState {
    return this.store.getState();
  }

  /**
   * Runs the sweep `settings` describes on `base` (its mode and seed are the sweep's). The same
   * sweep again does nothing; the metric alone is no new sweep (the runs are the same).
   */
  run(settings: SweepSettings, base: Scenario): void {
    const modes = plannedModes(settings);
    const key = JSON.stringify([settings.param, settings.values, settings.seeds, modes, scenarioKey({ ...base, mode: 'original' })]);
    if (key === this.key && !this.state.cancelled) return;
    this.key = key;
    this.handle?.cancel();
    this.handle = null;
    let runs: SweepRun[];
    let spec: SweepSpec;
    try {
      spec = { param: settings.param, values: parseValues(settings.values, settings.param), modes, seeds: settings.seeds };
      runs = planSweep(spec, base);
    } catch (e) {
      if (!(e instanceof SweepError)) throw e;
      this.store.setState({ ...IDLE, error: e.message });
      return;
    }
    const started = this.now();
    const results = new Map<number, RunOutcome>();
    this.store.setState({
      ...IDLE,
      spec,
      runs,
      results,
      total: runs.length,
      running: runs.length > 0,
      note: inertReason(settings.param, base),
    });
    this.pool ??= this.createPool();
    const handle = this.pool.start(runs, (run, o) => {
      const next = new Map(this.state.results);
      next.set(run.index, o);
      const done = next.size;
      const finished = done === runs.length;
      this.store.setState({ results: next, done, running: !finished, elapsedMs: finished ? this.now() - started : null });
    });
    this.handle = handle;
  }

  /** Stops the sweep; the points in so far stay on the chart. */
  cancel(): void {
    if (!this.handle || !this.state.running) return;
    this.handle.cancel();
    this.handle = null;
    this.store.setState({ running: false, cancelled: true });
  }

  dispose(): void {
    this.handle?.cancel();
    this.handle = null;
    this.pool?.dispose();
    this.pool = null;
    this.key = '';
  }
}

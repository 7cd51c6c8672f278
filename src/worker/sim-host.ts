/**
 * SimHost: the adapter between one Simulation and the message protocol. It owns the simulation,
 * paces it against wall time while playing (simulated ms per wall ms = speed), and posts at most
 * one frame per tick (~ one animation frame) when something changed and a buffer is free.
 *
 * It knows nothing about Web Workers: `deps` supplies posting and timers, so the same class runs
 * inside the worker (sim.worker.ts) and in-process for tests (src/client/in-process-client.ts).
 * Every entry point catches exceptions and posts `error` rather than dying silently.
 */
import type {
  CellSummary,
  PageHistory,
  PageInfo,
  Phase,
  QueryMigrate,
  Scenario,
  SimEvent,
  VirtqueueSnapshot,
} from '../engine/types';
import {
  DEFAULT_SPEED,
  assertNever,
  isWholeGuest,
  OVERVIEW_CELLS,
  pageMapLayout,
  stepSizeMs,
  type FromWorker,
  type PageMapLayout,
  type PageWindow,
  type SeriesChunk,
  type TimelineMarker,
  type ToWorker,
} from '../protocol';
import { FramePool } from './frame-pool';

/** What the host needs of the engine's Simulation (src/engine/simulation.ts); fakes fit too. */
export interface SimulationLike {
  readonly pageCount: number;
  readonly clockMs: number;
  readonly phase: Phase;
  readonly round: number;
  readonly done: boolean;
  readonly cursor: number;
  step(untilMs: number): void;
  runToEnd(): QueryMigrate;
  stats(): QueryMigrate;
  readonly events: readonly SimEvent[];
  readonly series: {
    readonly t: Float64Array;
    readonly transferred: Float64Array;
    readonly remaining: Float64Array;
    readonly threshold: Float64Array;
    readonly dirtyRate: Float64Array;
    readonly sendRate: Float64Array;
    readonly throttle: Float64Array;
    readonly length: number;
    readonly generation: number;
  };
  virtqueue(): VirtqueueSnapshot;
  renderPageMap(out: Uint8Array, bucketShift: number, firstPfn?: number, pages?: number): void;
  pageInfo(pfn: number): PageInfo;
  cellSummary(firstPfn: number, pages: number): CellSummary;
  /** The probed page's history (a simulation created with `probe`); fakes may leave it out. */
  pageHistory?(): PageHistory | null;
}

/** Options a host may create a simulation with (the engine's SimulationOptions subset). */
export interface CreateOptions {
  /** Record the history of this page (SimulationOptions.probe). */
  probe?: { pfn: number };
}

export interface HostDeps {
  createSimulation(scenario: Scenario, options?: CreateOptions): SimulationLike;
  post(msg: FromWorker, transfer: Transferable[]): void;
  /** Wall clock, ms (performance.now in the worker). */
  now(): number;
  setTimer(cb: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/** One tick per display frame at 60 Hz. */
export const TICK_MS = 16;
/** Longest wall gap one tick may account for: a throttled or backgrounded worker does not jump. */
const MAX_TICK_GAP_MS = 100;
/** At speed Infinity the engine runs in slices for at most this long per tick, then posts a frame. */
const MAX_SPEED_BUDGET_MS = 12;
const MAX_SPEED_SLICE_SIM_MS = 25;

export class SimHost {
  private scenario: Scenario | null = null;
  private sim: SimulationLike | null = null;
  private epoch = 0;
  private playing = false;
  private speed = DEFAULT_SPEED;
  /** Simulated time the playback clock has reached; may run a little ahead of sim.clockMs. */
  private targetMs = 0;
  private lastWallMs = 0;
  private viewport: { width: number; height: number; window?: PageWindow } = { width: 800, height: 600 };
  private layout: PageMapLayout | null = null;
  private readonly pool = new FramePool(2);
  private eventCursor = 0;
  private seriesSent = 0;
  private seriesGeneration = -1;
  /** Something changed since the last frame went out. */
  private dirty = false;
  private doneSent = false;
  private timer: unknown = null;
  /** Messages handled so far (echoed in frames as `ack`). */
  private handled = 0;

  constructor(private readonly deps: HostDeps) {}

  handle(msg: ToWorker): void {
    this.handled++;
    try {
      this.dispatch(msg);
    } catch (e) {
      this.fail(e);
    }
  }

  dispose(): void {
    this.stopTimer();
    this.sim = null;
  }

  private dispatch(msg: ToWorker): void {
    switch (msg.type) {
      case 'load':
        this.scenario = msg.scenario;
        this.rebuild(0);
        break;
      case 'setMode':
        if (!this.scenario) throw new Error('setMode before load');
        if (this.scenario.mode !== msg.mode) {
          const at = this.sim ? this.sim.clockMs : 0;
          this.scenario = { ...this.scenario, mode: msg.mode };
          this.rebuild(at);
        }
        break;
      case 'play': {
        const sim = this.requireSim();
        if (sim.done) this.rebuild(0); // Play at the end starts over
        this.playing = true;
        this.lastWallMs = this.deps.now();
        this.targetMs = this.requireSim().clockMs;
        this.dirty = true;
        break;
      }
      case 'pause':
        this.playing = false;
        this.stopTimer();
        this.dirty = true;
        break;
      case 'step': {
        const sim = this.requireSim();
        this.playing = false;
        if (!sim.done) sim.step(sim.clockMs + stepSizeMs(this.speed));
        this.dirty = true;
        break;
      }
      case 'seek': {
        if (!Number.isFinite(msg.simMs) || msg.simMs < 0) throw new Error(`cannot seek to ${msg.simMs} ms`);
        this.playing = false;
        this.rebuild(msg.simMs);
        break;
      }
      case 'setSpeed':
        if (!(msg.simMsPerWallMs > 0)) throw new Error(`speed must be positive, got ${msg.simMsPerWallMs}`);
        this.speed = msg.simMsPerWallMs;
        this.dirty = true;
        break;
      case 'reset':
        this.playing = false;
        this.rebuild(0);
        break;
      case 'runToEnd':
        this.requireSim().runToEnd();
        this.playing = false;
        this.dirty = true;
        break;
      case 'setViewport':
        this.viewport = { width: msg.width, height: msg.height, window: msg.window };
        if (this.sim) this.layout = this.layoutFor(this.sim);
        this.dirty = true;
        break;
      case 'returnBuffer':
        this.pool.release(msg.buffer);
        break;
      case 'pageInfo': {
        const sim = this.sim;
        const ok = sim !== null && msg.pfn >= 0 && msg.pfn < sim.pageCount;
        this.deps.post({ type: 'pageInfo', requestId: msg.requestId, info: ok ? sim.pageInfo(msg.pfn) : null }, []);
        return;
      }
      case 'cellSummary': {
        const sim = this.sim;
        const ok = sim !== null && Number.isInteger(msg.firstPfn) && msg.firstPfn >= 0 && msg.firstPfn < sim.pageCount;
        const summary = ok ? sim.cellSummary(msg.firstPfn, msg.pages) : null;
        this.deps.post({ type: 'cellSummary', requestId: msg.requestId, summary }, []);
        return;
      }
      case 'pageHistory':
        this.postPageHistory(msg.requestId, msg.pfn);
        return;
      case 'timeline':
        this.postTimeline();
        return;
      case 'cancel':
        // Seeks and the timeline run in one piece here: by the time this is read, they are done.
        return;
      default:
        assertNever(msg, 'message');
    }
    this.flush();
    this.schedule();
  }

  private requireSim(): SimulationLike {
    if (!this.sim) throw new Error('no simulation loaded');
    return this.sim;
  }

  /** A fresh simulation of the current scenario, advanced to `atMs`. Starts a new epoch. */
  private rebuild(atMs: number): void {
    if (!this.scenario) throw new Error('no scenario loaded');
    this.sim = null; // if the constructor throws, do not keep the old run looking alive
    const sim = this.deps.createSimulation(this.scenario);
    if (atMs > 0) sim.step(atMs);
    this.sim = sim;
    this.epoch++;
    this.targetMs = sim.clockMs;
    this.lastWallMs = this.deps.now();
    this.layout = this.layoutFor(sim);
    this.eventCursor = 0;
    this.seriesSent = 0;
    this.seriesGeneration = -1;
    this.doneSent = false;
    this.dirty = true;
  }

  private layoutFor(sim: SimulationLike): PageMapLayout {
    const v = this.viewport;
    return pageMapLayout(sim.pageCount, v.width, v.height, v.window);
  }

  /** The whole guest at <= OVERVIEW_CELLS cells, while the map is zoomed in (else undefined). */
  private overview(sim: SimulationLike): { cells: Uint8Array; bucketShift: number } | undefined {
    const win = this.viewport.window;
    if (!win || isWholeGuest(win, sim.pageCount)) return undefined;
    let bucketShift = 0;
    while (Math.ceil(sim.pageCount / 2 ** bucketShift) > OVERVIEW_CELLS) bucketShift++;
    const cells = new Uint8Array(Math.ceil(sim.pageCount / 2 ** bucketShift));
    sim.renderPageMap(cells, bucketShift);
    return { cells, bucketShift };
  }

  /**
   * Re-simulates the current scenario to the playing run's moment with a probe on `pfn`, and
   * posts that page's history (null without a run or for a pfn outside guest RAM).
   */
  private postPageHistory(requestId: number, pfn: number): void {
    const sim = this.sim;
    const scenario = this.scenario;
    const ok = sim !== null && scenario !== null && Number.isInteger(pfn) && pfn >= 0 && pfn < sim.pageCount;
    let history: PageHistory | null = null;
    if (ok) {
      const probe = this.deps.createSimulation(scenario, { probe: { pfn } });
      probe.step(sim.clockMs);
      history = probe.pageHistory?.() ?? null;
    }
    this.deps.post({ type: 'pageHistory', requestId, history }, []);
  }

  /**
   * Simulates the current scenario to the end on a separate Simulation (the engine is fast: an
   * 8 GiB RFC case takes well under 100 ms) and posts its length, phase markers and final stats.
   * The playing run is not touched.
   */
  private postTimeline(): void {
    const scenario = this.scenario;
    if (!scenario) throw new Error('timeline before load');
    const probe = this.deps.createSimulation(scenario);
    const final = probe.runToEnd();
    const markers: TimelineMarker[] = [];
    for (const e of probe.events) if (e.kind !== 'vq') markers.push(e);
    this.deps.post({ type: 'timeline', scenario, endMs: probe.clockMs, markers, final }, []);
  }

  private tick = (): void => {
    this.timer = null;
    const started = this.deps.now();
    try {
      this.advance();
      this.flush();
    } catch (e) {
      this.fail(e);
      return;
    }
    // Rendering an 8 GiB map takes a good part of a frame: aim at a steady cadence, not 16 ms gaps.
    this.schedule(Math.max(1, TICK_MS - (this.deps.now() - started)));
  };

  private advance(): void {
    const sim = this.sim;
    if (!this.playing || !sim) return;
    const now = this.deps.now();
    const wall = Math.min(MAX_TICK_GAP_MS, Math.max(0, now - this.lastWallMs));
    this.lastWallMs = now;
    if (Number.isFinite(this.speed)) {
      this.targetMs += wall * this.speed;
      if (this.targetMs > sim.clockMs) sim.step(this.targetMs);
    } else {
      const deadline = now + MAX_SPEED_BUDGET_MS;
      do sim.step(sim.clockMs + MAX_SPEED_SLICE_SIM_MS);
      while (!sim.done && this.deps.now() < deadline);
      this.targetMs = sim.clockMs;
    }
    if (sim.done) this.playing = false;
    this.dirty = true;
  }

  /** Post a frame if something changed and a buffer is free (else the returned buffer retriggers). */
  private flush(): void {
    const sim = this.sim;
    const layout = this.layout;
    if (!this.dirty || !sim || !layout) return;
    const buffer = this.pool.acquire(layout.cells);
    if (!buffer) return;
    const cells = new Uint8Array(buffer, 0, layout.cells);
    sim.renderPageMap(cells, layout.bucketShift, layout.firstPfn, layout.cells * 2 ** layout.bucketShift);
    const overview = this.overview(sim);

    const all = sim.events;
    const events = all.slice(this.eventCursor);
    this.eventCursor = all.length;
    const series = this.takeSeries(sim);
    const virtqueue = sim.virtqueue();
    const done = sim.done;
    const stats = sim.stats();
    this.deps.post(
      {
        type: 'frame',
        epoch: this.epoch,
        ack: this.handled,
        simTimeMs: sim.clockMs,
        phase: sim.phase,
        round: sim.round,
        cursor: sim.cursor,
        playing: this.playing,
        done,
        pageCount: sim.pageCount,
        stats,
        cells,
        layout,
        events,
        virtqueue,
        series,
        ...(overview ? { overview } : {}),
      },
      [
        buffer,
        series.t.buffer,
        series.transferred.buffer,
        series.remaining.buffer,
        series.threshold.buffer,
        series.dirtyRate.buffer,
        series.sendRate.buffer,
        series.throttle.buffer,
      ],
    );
    this.dirty = false;
    if (done && !this.doneSent) {
      this.doneSent = true;
      this.deps.post({ type: 'done', epoch: this.epoch, stats }, []);
    }
  }

  /** Series points the UI has not seen; all of them again when the engine resampled (generation). */
  private takeSeries(sim: SimulationLike): SeriesChunk {
    const s = sim.series;
    const replace = s.generation !== this.seriesGeneration;
    const from = replace ? 0 : this.seriesSent;
    this.seriesGeneration = s.generation;
    this.seriesSent = s.length;
    // slice() copies: the engine keeps writing its own arrays; the copies are transferred.
    return {
      replace,
      t: s.t.slice(from, s.length),
      transferred: s.transferred.slice(from, s.length),
      remaining: s.remaining.slice(from, s.length),
      threshold: s.threshold.slice(from, s.length),
      dirtyRate: s.dirtyRate.slice(from, s.length),
      sendRate: s.sendRate.slice(from, s.length),
      throttle: s.throttle.slice(from, s.length),
    };
  }

  private schedule(delayMs = TICK_MS): void {
    if (this.timer !== null || !this.playing) return;
    this.timer = this.deps.setTimer(this.tick, delayMs);
  }

  private stopTimer(): void {
    if (this.timer !== null) this.deps.clearTimer(this.timer);
    this.timer = null;
  }

  private fail(e: unknown): void {
    this.playing = false;
    this.stopTimer();
    const message = e instanceof Error ? e.message : String(e);
    this.deps.post({ type: 'error', message }, []);
  }
}

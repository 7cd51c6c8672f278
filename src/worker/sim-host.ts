/**
 * SimHost: the adapter between one Simulation and the message protocol. It owns the simulation,
 * paces it against wall time while playing (simulated ms per wall ms = speed), and posts at most
 * one frame per tick (~ one animation frame) when something changed and a buffer is free.
 *
 * It knows nothing about Web Workers: `deps` supplies posting and timers, so the same class runs
 * inside the worker (sim.worker.ts) and in-process for tests (src/client/in-process-client.ts).
 * Every entry point catches exceptions and posts `error` rather than dying silently. Every
 * message is checked (checkToWorker) before it is acted on; a query (pageInfo, cellSummary) is
 * answered exactly once whatever happens, with null when there is nothing to say; a run that
 * cannot be built leaves the last good one in place.
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
  CHECKPOINT_BUDGET_BYTES,
  DEFAULT_SPEED,
  assertNever,
  isWholeGuest,
  OVERVIEW_CELLS,
  pageMapLayout,
  stepSizeMs,
  type FrameMessage,
  type FromWorker,
  type PageMapLayout,
  type PageWindow,
  type SeriesChunk,
  type TimelineMarker,
  type ToWorker,
} from '../protocol';
import { checkToWorker } from '../protocol/validate';
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
  /**
   * The run's whole state now, to come back to with restore (engine: Simulation.snapshot, which
   * shares unchanged arrays with `previous`). Without these (fakes) a seek re-simulates from 0.
   */
  snapshot?(previous: CheckpointLike | null): CheckpointLike;
  restore?(checkpoint: CheckpointLike): void;
}

/** What the host needs of a snapshot (the engine's Snapshot). */
export interface CheckpointLike {
  /** Simulated time it was taken at, ms. */
  readonly t: number;
  /** Bytes it stores that the previous one does not share. */
  readonly bytes: number;
}

/**
 * A run's checkpoints: a snapshot when it is built (Reset goes back to it), at a phase change
 * (unless the last one is nearer than a snapshot's cost), and after every CHECKPOINT_WORK_MS of
 * engine work; a seek restores the nearest one at or before
 * its target and re-simulates from there, never more than about that much work.
 */
interface Checkpoints {
  list: CheckpointLike[];
  bytes: number;
  /** Engine wall time since the last checkpoint, ms. */
  workMs: number;
  /** What the last snapshot cost, ms: checkpoints are at least twice that much work apart. */
  costMs: number;
  phase: Phase;
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
/**
 * While playing at a cadence the page capped (setFrameInterval: compare), the share of this
 * worker's time its page-map renders may take: the map is rendered again only once the last
 * render's duration over this share has passed; the frames between carry no cells. A render
 * walks every bitmap word of the map's window, so its cost grows with the guest (in node ~1 ms at
 * 8 GiB, which this leaves alone, 5-9 ms at 128 GiB, ~90 ms at 1 TiB). Compare runs two workers
 * beside the page, and the budgets' machine has 2 cores. Measured there (headless Chromium,
 * idle 128 GiB compare playing, 6 runs of 8 s each way, interleaved): rendering both maps every
 * 33 ms, 1.7-10.4 % of the page's frames took over 17 ms (mean 4.1 %); at this share, 0.6-3.2 %
 * (mean 2.1 %), the frames still came every 33 ms and the maps every 35-54 ms (median gaps in
 * three measurements: the share follows each render's wall time, which varies with the machine's
 * load). A share of 1/8 did no better for the page (mean 2.1 % over 3 runs) and refreshed the
 * maps every ~100 ms. At 8 GiB 96 % of frames keep their cells.
 */
export const RENDER_SHARE = 1 / 4;
/** Longest wall gap one tick may account for: a throttled or backgrounded worker does not jump. */
const MAX_TICK_GAP_MS = 100;
/** At speed Infinity the engine runs in slices for at most this long per tick, then posts a frame. */
const MAX_SPEED_BUDGET_MS = 12;
const MAX_SPEED_SLICE_SIM_MS = 25;
/**
 * Long work (a seek's re-simulation, the timeline's run to the end) is cut into chunks of about
 * this much wall time, in slices of WORK_SLICE_SIM_MS simulated ms; between chunks the worker
 * reads its messages. 50 ms keeps Pause and a newer seek within a few frames of the click while
 * the chunk overhead (a timer turn) stays negligible.
 */
export const WORK_CHUNK_MS = 50;
const WORK_SLICE_SIM_MS = 25;
/** A chunk ends after this many slices even if the clock says otherwise (a stalled clock in tests). */
const MAX_SLICES_PER_CHUNK = 4000;
/**
 * Engine work between two checkpoints, ms: a seek re-simulates at most about this much after
 * restoring (ARCHITECTURE.md §7: a seek anywhere in <= 500 ms; a restore of 1 TiB takes ~75 ms).
 */
export const CHECKPOINT_WORK_MS = 300;

/** A new run being advanced to `targetMs` before it replaces the current one. */
interface RebuildJob {
  sim: SimulationLike;
  scenario: Scenario;
  targetMs: number;
  timer: unknown;
}

/** The timeline's run to the end, on its own Simulation (built at its first chunk). */
interface TimelineJob {
  probe: SimulationLike | null;
  scenario: Scenario;
  timer: unknown;
}

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
  /**
   * While playing, a frame at most this often (setFrameInterval): compare paints each map at most
   * every 33 ms, and frames it never shows cost this worker a page-map render each and the page
   * their handling, on the cores the page needs. 0: every tick.
   */
  private frameIntervalMs = 0;
  /** How long the last page-map render took (deps.now() ms); see RENDER_SHARE. */
  private renderMs = 0;
  /** When the page map was last rendered; -Infinity after a new run or layout (relayout). */
  private lastCellsAt = Number.NEGATIVE_INFINITY;
  /** When the last frame went out (deps.now()). */
  private lastFrameAt = Number.NEGATIVE_INFINITY;
  private doneSent = false;
  private timer: unknown = null;
  /** Messages handled so far (echoed in frames as `ack`). */
  private handled = 0;
  /** A seek, mode switch or load still advancing its new run (no frames meanwhile: see flush). */
  private job: RebuildJob | null = null;
  private timelineJob: TimelineJob | null = null;
  /** Why the last load failed, while no load has succeeded since. */
  private loadError: string | null = null;
  /** Each run's own checkpoints (a snapshot restores only into the run that took it). */
  private readonly checkpoints = new WeakMap<SimulationLike, Checkpoints>();

  constructor(private readonly deps: HostDeps) {}

  /** Takes `unknown`: what arrives over postMessage is whatever was sent, not what the types say. */
  handle(data: unknown): void {
    this.handled++;
    const checked = checkToWorker(data);
    if (!checked.ok) {
      // A malformed query has no answer but must still get one, or the asker waits forever; a
      // hover over nothing is not worth stopping playback for. Anything else is a bug: loud.
      if (checked.query) this.answerNull(checked.query.type, checked.query.requestId);
      else this.fail(new Error(checked.error));
      return;
    }
    try {
      this.dispatch(checked.msg);
    } catch (e) {
      this.fail(e);
    }
  }

  private answerNull(type: 'pageInfo' | 'cellSummary', requestId: number): void {
    if (type === 'pageInfo') this.deps.post({ type, requestId, info: null }, []);
    else this.deps.post({ type, requestId, summary: null }, []);
  }

  dispose(): void {
    this.stopTimer();
    this.cancelRebuild();
    this.cancelTimeline();
    this.sim = null;
  }

  private dispatch(msg: ToWorker): void {
    switch (msg.type) {
      case 'load':
        this.cancelTimeline(); // of the scenario being left
        try {
          this.rebuild(0, msg.scenario);
          this.loadError = null;
        } catch (e) {
          this.loadError = e instanceof Error ? e.message : String(e);
          throw e;
        }
        break;
      case 'setMode': {
        // The scenario and time the user is heading to: those of a rebuild still under way.
        const scenario = this.job?.scenario ?? this.scenario;
        if (!scenario) throw this.noRun('setMode before load');
        if (scenario.mode !== msg.mode) {
          const at = this.job ? this.job.targetMs : this.sim ? this.sim.clockMs : 0;
          this.cancelTimeline();
          this.rebuild(at, { ...scenario, mode: msg.mode });
        }
        break;
      }
      case 'play': {
        this.settle();
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
        this.settle();
        const sim = this.requireSim();
        this.playing = false;
        if (!sim.done) sim.step(sim.clockMs + stepSizeMs(this.speed));
        this.dirty = true;
        break;
      }
      case 'seek': {
        this.playing = false;
        this.rebuild(msg.simMs);
        break;
      }
      case 'setSpeed':
        this.speed = msg.simMsPerWallMs;
        this.dirty = true;
        break;
      case 'reset':
        this.playing = false;
        this.rebuild(0);
        break;
      case 'runToEnd':
        this.settle();
        this.requireSim().runToEnd();
        this.playing = false;
        this.dirty = true;
        break;
      case 'setFrameInterval':
        this.frameIntervalMs = msg.ms;
        break;
      case 'setViewport':
        this.viewport = { width: msg.width, height: msg.height, window: msg.window };
        if (this.sim) this.relayout(this.sim);
        this.dirty = true;
        break;
      case 'returnBuffer':
        this.pool.release(msg.buffer);
        break;
      case 'pageInfo':
      case 'cellSummary': {
        const sim = this.sim;
        const pfn = msg.type === 'pageInfo' ? msg.pfn : msg.firstPfn;
        if (sim === null || pfn >= sim.pageCount) {
          this.answerNull(msg.type, msg.requestId);
          return;
        }
        let info: PageInfo | null = null;
        let summary: CellSummary | null = null;
        try {
          if (msg.type === 'pageInfo') info = sim.pageInfo(pfn);
          else summary = sim.cellSummary(pfn, msg.pages);
        } catch (e) {
          this.answerNull(msg.type, msg.requestId); // answered once, then the engine's error is reported
          throw e;
        }
        if (msg.type === 'pageInfo') this.deps.post({ type: 'pageInfo', requestId: msg.requestId, info }, []);
        else this.deps.post({ type: 'cellSummary', requestId: msg.requestId, summary }, []);
        return;
      }
      case 'pageHistory':
        this.postPageHistory(msg.requestId, msg.pfn);
        return;
      case 'timeline':
        this.postTimeline();
        return;
      case 'cancel': {
        // Stop the long work where it got. A rebuild's run is adopted at the time it reached: a
        // moment of the same deterministic run, so what shows is exact, only earlier than asked.
        // A timeline pre-run is dropped (the scrubber keeps what it had).
        const job = this.job;
        if (job) {
          this.cancelRebuild();
          this.adopt(job.sim, job.scenario);
        }
        this.cancelTimeline();
        break;
      }
      default:
        assertNever(msg, 'message');
    }
    this.flush();
    this.schedule();
  }

  /**
   * The error for a command that needs a run when there is none: the reason the load failed,
   * if one did (the user needs that, not "no simulation").
   */
  private noRun(what: string): Error {
    return new Error(this.sim === null && this.loadError !== null ? this.loadError : what);
  }

  private requireSim(): SimulationLike {
    if (!this.sim) throw this.noRun('no simulation loaded');
    return this.sim;
  }

  /**
   * A fresh simulation of `scenario` (default: the current one), advanced to `atMs`. Starts a new
   * epoch. If building or advancing it throws, nothing changes: the last good run stays loaded
   * (a bad `load` must not take away what is on screen). Advancing is a job done in chunks
   * (advanceRebuild); a newer rebuild cancels it.
   */
  private rebuild(atMs: number, scenario: Scenario | null = this.job?.scenario ?? this.scenario): void {
    if (!scenario) throw this.noRun('no scenario loaded');
    const resumed = this.resumeFor(atMs, scenario);
    this.cancelRebuild();
    const sim = resumed ?? this.track(this.deps.createSimulation(scenario));
    this.job = { sim, scenario, targetMs: atMs, timer: null };
    this.advanceRebuild(); // the first chunk now: a short seek is done before this message returns
  }

  /**
   * The run of `scenario` already built (the one shown, or a rebuild's), brought to the latest
   * point at or before `atMs` it can reach without starting over: where it is, if that is not
   * past `atMs`, else its nearest checkpoint. Null when there is none (another scenario, a fake).
   */
  private resumeFor(atMs: number, scenario: Scenario): SimulationLike | null {
    const sim = this.job ? (this.job.scenario === scenario ? this.job.sim : null) : this.scenario === scenario ? this.sim : null;
    const cps = sim ? this.checkpoints.get(sim) : undefined;
    if (!sim || !cps || !sim.restore) return null;
    let best: CheckpointLike | null = null;
    for (const c of cps.list) if (c.t <= atMs) best = c;
    // Where the run is, if that is not past the target and no checkpoint is nearer to it.
    if (sim.clockMs <= atMs && (best === null || best.t <= sim.clockMs)) return sim;
    if (!best) return null;
    sim.restore(best);
    return sim;
  }

  /** Starts the checkpoints of a new run with its state as built (none for a fake without snapshots). */
  private track(sim: SimulationLike): SimulationLike {
    if (!sim.snapshot) return sim;
    const t0 = this.deps.now();
    const first = sim.snapshot(null);
    this.checkpoints.set(sim, { list: [first], bytes: first.bytes, workMs: 0, costMs: this.deps.now() - t0, phase: sim.phase });
    return sim;
  }

  /**
   * Counts `workMs` of engine work on `sim`; takes a checkpoint at a phase change or when enough
   * work was done. True when it took one.
   */
  private checkpoint(sim: SimulationLike, workMs: number): boolean {
    const cps = this.checkpoints.get(sim);
    if (!cps || !sim.snapshot) return false;
    cps.workMs += workMs;
    const last = cps.list[cps.list.length - 1];
    // A phase change is a likely seek target (the timeline's markers), but not worth a snapshot
    // when re-simulating to it from the last checkpoint costs less than taking one: at 1 TiB a
    // snapshot costs ~130 ms, and stop-copy and the end follow each other within a few ms of work.
    const due =
      (sim.phase !== cps.phase && cps.workMs >= cps.costMs) || cps.workMs >= Math.max(CHECKPOINT_WORK_MS, 2 * cps.costMs);
    if (!due || sim.clockMs <= last.t) return false;
    const t0 = this.deps.now();
    const c = sim.snapshot(last);
    cps.costMs = this.deps.now() - t0;
    cps.list.push(c);
    cps.bytes += c.bytes;
    cps.workMs = 0;
    cps.phase = sim.phase;
    // Over budget: keep the first (Reset) and every other one after it.
    while (cps.bytes > CHECKPOINT_BUDGET_BYTES && cps.list.length > 2) {
      const kept = cps.list.filter((_, i) => i === 0 || i % 2 === 0);
      cps.list = kept;
      cps.bytes = kept.reduce((n, k) => n + k.bytes, 0);
    }
    return true;
  }

  /** One chunk of the rebuild job; adopts its run when it reaches its time, else schedules the next. */
  private advanceRebuild(): void {
    const job = this.job;
    if (!job) return;
    job.timer = null;
    let finished: boolean;
    try {
      finished = this.runChunk(job.sim, job.targetMs);
    } catch (e) {
      this.job = null; // the old run stays
      throw e;
    }
    if (finished) {
      this.job = null;
      this.adopt(job.sim, job.scenario);
      return;
    }
    this.deps.post({ type: 'progress', what: 'rebuild', simMs: job.sim.clockMs, fraction: job.sim.clockMs / job.targetMs }, []);
    job.timer = this.deps.setTimer(() => this.continueLater(() => this.advanceRebuild()), 0);
  }

  /** Runs a job's next chunk from a timer: errors become messages, a finished rebuild a frame. */
  private continueLater(chunk: () => void): void {
    try {
      chunk();
      this.flush();
      this.schedule();
    } catch (e) {
      this.fail(e);
    }
  }

  /** Finishes a pending rebuild now (for commands that act on the run the user asked for). */
  private settle(): void {
    const job = this.job;
    if (!job) return;
    if (job.timer !== null) this.deps.clearTimer(job.timer);
    job.timer = null;
    try {
      while (!this.runChunk(job.sim, job.targetMs));
    } finally {
      this.job = null;
    }
    this.adopt(job.sim, job.scenario);
  }

  private cancelRebuild(): void {
    if (this.job?.timer != null) this.deps.clearTimer(this.job.timer);
    this.job = null;
  }

  /**
   * Advances `sim` toward `targetMs` in slices for about WORK_CHUNK_MS of wall time; true when it
   * got there (or the run ended).
   */
  private runChunk(sim: SimulationLike, targetMs: number): boolean {
    let t = this.deps.now();
    const deadline = t + WORK_CHUNK_MS;
    for (let i = 0; i < MAX_SLICES_PER_CHUNK; i++) {
      if (sim.done || sim.clockMs >= targetMs) return true;
      sim.step(Math.min(targetMs, sim.clockMs + WORK_SLICE_SIM_MS));
      const after = this.deps.now();
      // A checkpoint's own cost is not engine work toward the next one.
      t = this.checkpoint(sim, after - t) ? this.deps.now() : after;
      if (after >= deadline) break;
    }
    return sim.done || sim.clockMs >= targetMs;
  }

  /** Makes `sim` the current run: a new epoch, its first frame due. */
  private adopt(sim: SimulationLike, scenario: Scenario): void {
    this.scenario = scenario;
    this.sim = sim;
    this.epoch++;
    this.targetMs = sim.clockMs;
    this.lastWallMs = this.deps.now();
    this.relayout(sim);
    this.eventCursor = 0;
    this.seriesSent = 0;
    this.seriesGeneration = -1;
    this.doneSent = false;
    this.dirty = true;
  }

  /**
   * The map's layout for `sim` in the current viewport. Its next frame carries cells, whatever
   * RENDER_SHARE says.
   */
  private relayout(sim: SimulationLike): void {
    const v = this.viewport;
    this.layout = pageMapLayout(sim.pageCount, v.width, v.height, v.window);
    this.lastCellsAt = Number.NEGATIVE_INFINITY;
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
   * Simulates the current scenario to the end on a separate Simulation, in chunks (a newer
   * timeline query, load or mode switch cancels it), and posts its length, phase markers and
   * final stats. The playing run is not touched.
   */
  private postTimeline(): void {
    const scenario = this.job?.scenario ?? this.scenario;
    if (!scenario) throw this.noRun('timeline before load');
    this.cancelTimeline();
    this.timelineJob = { probe: null, scenario, timer: null };
    this.advanceTimeline();
  }

  /**
   * One chunk of the timeline job. It gives way to a pending rebuild (what the user is waiting
   * to see) and waits for the next turn, doing nothing, until that is done.
   */
  private advanceTimeline(): void {
    const job = this.timelineJob;
    if (!job) return;
    job.timer = null;
    const later = () => {
      job.timer = this.deps.setTimer(() => this.continueLater(() => this.advanceTimeline()), 0);
    };
    if (this.job) {
      later();
      return;
    }
    let finished: boolean;
    let probe: SimulationLike;
    try {
      probe = job.probe ?? this.track(this.deps.createSimulation(job.scenario));
      job.probe = probe;
      finished = this.runChunk(probe, Number.POSITIVE_INFINITY);
    } catch (e) {
      this.timelineJob = null;
      throw e;
    }
    if (!finished) {
      this.deps.post({ type: 'progress', what: 'timeline', simMs: probe.clockMs, fraction: null }, []);
      later();
      return;
    }
    this.timelineJob = null;
    const { scenario } = job;
    const final = probe.runToEnd(); // already at the end: just the final stats
    const markers: TimelineMarker[] = [];
    for (const e of probe.events) if (e.kind !== 'vq') markers.push(e);
    this.deps.post({ type: 'timeline', scenario, endMs: probe.clockMs, markers, final }, []);
    this.takeOver(probe, scenario);
  }

  /**
   * The timeline's run has checkpoints over the whole run: while the shown run is paused, it
   * takes its place at the same moment (restored to its nearest checkpoint, re-simulated to that
   * time: the same state), so that later seeks anywhere restore a nearby checkpoint, and one
   * guest's state is held, not two.
   */
  private takeOver(timeline: SimulationLike, scenario: Scenario): void {
    const sim = this.sim;
    const cps = this.checkpoints.get(timeline);
    if (this.playing || this.job || !sim || this.scenario !== scenario || !cps || !timeline.restore) return;
    const at = sim.clockMs;
    let best = cps.list[0];
    for (const c of cps.list) if (c.t <= at) best = c;
    timeline.restore(best);
    this.job = { sim: timeline, scenario, targetMs: at, timer: null };
    this.advanceRebuild();
  }

  private cancelTimeline(): void {
    if (this.timelineJob?.timer != null) this.deps.clearTimer(this.timelineJob.timer);
    this.timelineJob = null;
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
    if (this.checkpoints.has(sim)) this.checkpoint(sim, this.deps.now() - now);
    if (sim.done) this.playing = false;
    this.dirty = true;
  }

  /**
   * Post a frame if something changed and a buffer is free (else the returned buffer retriggers).
   * Not while a rebuild is under way: a frame acknowledges every message handled so far, and the
   * UI takes that as "the seek is done"; the old run would be shown as its result.
   */
  private flush(): void {
    const sim = this.sim;
    const layout = this.layout;
    if (!this.dirty || !sim || !layout || this.job) return;
    // Playing, frames keep to the page's interval (due at half a tick short of it, so 33 ms is
    // every other 16 ms tick); paused or finished, a frame goes out at once.
    const now = this.deps.now();
    const capped = this.playing && !sim.done;
    if (capped && now - this.lastFrameAt < this.frameIntervalMs - TICK_MS / 2) return;
    // The page map is rendered again only as often as RENDER_SHARE affords; frames in between
    // carry the clock, counters, series and cursor without cells (the page keeps its map). A new
    // run or layout always gets its cells (relayout).
    const renderDue =
      !capped || this.frameIntervalMs === 0 || now - this.lastCellsAt >= this.renderMs / RENDER_SHARE - TICK_MS / 2;
    let cells: Uint8Array | undefined;
    let overview: FrameMessage['overview'];
    if (renderDue) {
      const buffer = this.pool.acquire(layout.cells);
      if (!buffer) return;
      cells = new Uint8Array(buffer, 0, layout.cells);
      sim.renderPageMap(cells, layout.bucketShift, layout.firstPfn, layout.cells * 2 ** layout.bucketShift);
      overview = this.overview(sim);
      this.renderMs = this.deps.now() - now;
      this.lastCellsAt = now;
    }

    const all = sim.events;
    const events = all.slice(this.eventCursor);
    this.eventCursor = all.length;
    const series = this.takeSeries(sim);
    const virtqueue = sim.virtqueue();
    const done = sim.done;
    const stats = sim.stats();
    this.lastFrameAt = now;
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
        ...(cells ? { cells } : {}),
        layout,
        events,
        virtqueue,
        series,
        ...(overview ? { overview } : {}),
      },
      [
        ...(cells ? [cells.buffer] : []),
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

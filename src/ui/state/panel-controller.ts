/**
 * PanelController: one simulation panel's brain. It owns the panel's zustand store (low-rate
 * state), its LiveRun (high-rate frame data, outside React) and its EngineClient, and exposes the
 * actions the controls and keyboard call. The store and the engine never drift apart because
 * every action goes through here.
 *
 *   controls / keys ──action──▶ PanelController ──ToWorker──▶ EngineClient (worker)
 *                                  │     ▲                          │
 *                       store.set  │     └───────FromWorker─────────┘
 *                                  ▼
 *                     React (8 Hz snapshot)     LiveRun ──▶ rAF painters
 */
import type { CellSummary, ModeId, PageHistory, PageInfo, Scenario } from '../../engine/types';
import type { ProgressWhat } from '../../protocol';
import type { EngineClient } from '../../client/engine-client';
import {
  DEFAULT_SPEED,
  MAX_FRAME_INTERVAL_MS,
  assertNever,
  stepSizeMs,
  type FrameMessage,
  type FromWorker,
  type PageWindow,
  type ToWorker,
} from '../../protocol';
import type { RafScheduler } from '../render/raf-scheduler';
import { LiveRun } from './live-run';
import { EMPTY_SNAPSHOT, type PanelState, type PanelStore, type RunSnapshot, createPanelStore } from './panel-store';
import { type InputErrors, type PresetId, type ScenarioInputs, inputsOf, isPresetId, resolveInputs } from './scenario-inputs';
import { SCENARIO_PRESETS } from '../../engine/scenario';

/** Text readouts refresh at most this often (ms): readable, and cheap for React. */
export const SNAPSHOT_INTERVAL_MS = 125;

const NO_ERRORS: InputErrors = {};

export interface PanelOptions {
  createClient: () => EngineClient;
  scheduler: RafScheduler;
  presetId?: PresetId;
  mode?: ModeId;
  /** A full scenario to start with (e.g. a preset with a link's overrides); wins over presetId. */
  scenario?: Scenario;
  speed?: number;
  /**
   * Runs a callback when the page has painted what it was given and is idle (default: the
   * scheduler's whenQuiet, then whenPageIdle; tests drive it by hand).
   */
  whenIdle?: (cb: () => void) => void;
}

/**
 * Runs `cb` when the browser is next idle (requestIdleCallback, at most 1 s later), or at once
 * where there is no such callback (Safari, jsdom).
 */
export function whenPageIdle(cb: () => void): void {
  if (typeof requestIdleCallback === 'function') requestIdleCallback(() => cb(), { timeout: 1000 });
  else cb();
}

export class PanelController {
  readonly store: PanelStore;
  readonly live: LiveRun;
  private client: EngineClient | null = null;
  private unsubscribe: (() => void) | null = null;
  private viewport: { width: number; height: number; window?: PageWindow } | null = null;
  private lastSnapshotAt = Number.NEGATIVE_INFINITY;
  private snapshotTimer: ReturnType<typeof setTimeout> | null = null;
  private nextRequestId = 1;
  private readonly pageInfoWaiters = new Map<number, (info: PageInfo | null) => void>();
  private readonly cellSummaryWaiters = new Map<number, (summary: CellSummary | null) => void>();
  private readonly historyWaiters = new Map<number, (history: PageHistory | null) => void>();
  private readonly doneListeners = new Set<() => void>();
  /** Messages sent to the current client (compared with frames' `ack`). */
  private sentCount = 0;
  /**
   * When the engine last said anything (performance.now()). Working, it reports progress every
   * chunk of ~50 ms; a long silence while busy means it is stuck (the busy indicator says so).
   */
  lastHeardMs = performance.now();
  /**
   * Count at the last message that changes the run (not buffer hand-backs or queries, which
   * produce no frame), and the `ack` of the newest frame: a frame with ack >= lastCommand has
   * seen everything the user asked for.
   */
  private lastCommand = 0;
  private lastAck = 0;
  /** Message count of the seek the engine is working on, or -1: drags coalesce behind it. */
  private seekInFlight = -1;
  /** The latest seek asked for while one was in flight; only this one runs next. */
  private queuedSeek: number | null = null;
  private readonly settledWaiters: (() => void)[] = [];
  /**
   * The timeline's pre-run (a second simulation to the end, in the worker) is asked for once a
   * frame of the loaded run has come, the page has painted it (no frame for QUIET_MS) and is
   * next idle, not with the load: on a 2-core machine the two used to run together, and the
   * pre-run took the CPU the page's first frames needed (issue 13: no main-thread task over
   * 50 ms at load). This is the load's message count while the request waits for that frame,
   * else null; `timelineRequests` tells a request still wanted from one a later load replaced.
   */
  private timelineAfterAck: number | null = null;
  private timelineRequests = 0;
  /** What setFrameInterval asked for; a new worker is told too. */
  private frameIntervalMs = 0;

  constructor(private readonly opts: PanelOptions) {
    const presetId = opts.scenario && isPresetId(opts.scenario.id) ? opts.scenario.id : (opts.presetId ?? 'rfc-case-2');
    const mode = opts.mode ?? opts.scenario?.mode ?? 'original';
    const scenario = { ...(opts.scenario ?? SCENARIO_PRESETS[presetId]), mode };
    const initial: PanelState = {
      presetId,
      mode,
      inputs: inputsOf(scenario),
      inputErrors: NO_ERRORS,
      scenario,
      playing: false,
      speed: opts.speed ?? DEFAULT_SPEED,
      hoverPfn: null,
      engineError: null,
      snapshot: EMPTY_SNAPSHOT,
      timeline: null,
      busy: null,
    };
    this.store = createPanelStore(initial);
    this.live = new LiveRun((buffer) => this.send({ type: 'returnBuffer', buffer }, [buffer]));
  }

  /** Connect to an engine and load the current scenario (paused). */
  start(): void {
    this.connect();
  }

  dispose(): void {
    this.disconnect();
    if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
    this.snapshotTimer = null;
  }

  private get state(): PanelState {
    return this.store.getState();
  }

  /** The engine failed (its message is on the panel with Restart): it plays nothing until then. */
  get failed(): boolean {
    return this.state.engineError !== null;
  }

  // ---- actions ---------------------------------------------------------------------------

  play(): void {
    this.store.setState({ playing: true });
    this.send({ type: 'play' });
  }

  pause(): void {
    this.store.setState({ playing: false });
    this.send({ type: 'pause' });
  }

  togglePlay(): void {
    if (this.state.playing) this.pause();
    else this.play();
  }

  step(): void {
    this.store.setState({ playing: false });
    this.send({ type: 'step' });
  }

  /** One step back: re-simulate from scratch to the earlier time (the engine is deterministic). */
  stepBack(): void {
    this.store.setState({ playing: false });
    this.seek(Math.max(0, this.live.simTimeMs - stepSizeMs(this.state.speed)));
  }

  /**
   * Show the exact state at `simMs` (the engine re-simulates from scratch), paused. While the
   * engine still works on an earlier seek, only the latest request is kept: a drag over the
   * timeline costs one re-simulation at a time, never a queue of stale ones.
   */
  seek(simMs: number): void {
    this.store.setState({ playing: false });
    if (this.seekInFlight >= 0) {
      this.queuedSeek = simMs;
      return;
    }
    this.send({ type: 'seek', simMs });
    this.seekInFlight = this.sentCount;
    this.setBusy('seek');
  }

  /** Mark long work under way (the indicator shows it if it lasts); null: none. */
  private setBusy(what: ProgressWhat | null): void {
    const b = this.state.busy;
    if (what === null) {
      if (b) this.store.setState({ busy: null });
    } else if (!b || b.what !== what) {
      this.store.setState({ busy: { what, since: performance.now(), fraction: null } });
    }
  }

  /**
   * Stop the long work under way (the worker stops at its next chunk and keeps the run where it
   * was; a worker that works in one piece has finished by the time it reads this).
   */
  cancel(): void {
    this.queuedSeek = null;
    this.send({ type: 'cancel' });
  }

  /**
   * Resolves once the engine has answered every message sent so far (a frame acks them all), or
   * at once when it failed: a failed engine answers nothing more until Restart.
   */
  settled(): Promise<void> {
    if (!this.client || this.failed || this.lastAck >= this.lastCommand) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  reset(): void {
    this.store.setState({ playing: false });
    this.send({ type: 'reset' });
  }

  runToEnd(): void {
    this.store.setState({ playing: false });
    this.send({ type: 'runToEnd' });
  }

  setMode(mode: ModeId): void {
    const s = this.state;
    if (s.mode === mode) return;
    this.store.setState({ mode, scenario: { ...s.scenario, mode }, timeline: null });
    this.send({ type: 'setMode', mode });
    this.requestTimeline();
  }

  /**
   * The page shows this run's frames at most every `ms` (compare paints each map at most every
   * 33 ms): the worker then renders and posts no more than that while playing. 0: every frame.
   */
  setFrameInterval(ms: number): void {
    const clamped = Math.min(MAX_FRAME_INTERVAL_MS, Math.max(0, ms));
    if (clamped === this.frameIntervalMs) return;
    this.frameIntervalMs = clamped;
    this.send({ type: 'setFrameInterval', ms: clamped });
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) return;
    this.store.setState({ speed });
    this.send({ type: 'setSpeed', simMsPerWallMs: speed });
  }

  setPreset(presetId: PresetId): void {
    this.setScenario({ ...SCENARIO_PRESETS[presetId], mode: this.state.mode });
  }

  /** Load a complete, valid scenario (a preset with overrides; its mode becomes this panel's). */
  setScenario(scenario: Scenario): void {
    const presetId = isPresetId(scenario.id) ? scenario.id : this.state.presetId;
    this.store.setState({ presetId, mode: scenario.mode, scenario, inputs: inputsOf(scenario), inputErrors: NO_ERRORS });
    this.load(scenario);
  }

  private load(scenario: Scenario): void {
    this.store.setState({ timeline: null });
    this.send({ type: 'load', scenario });
    this.requestTimeline();
  }

  /** After a load or mode switch just sent: the timeline, on the terms `timelineAfterAck` says. */
  private requestTimeline(): void {
    this.timelineAfterAck = this.sentCount;
    this.timelineRequests++;
    this.setBusy('timeline');
  }

  /**
   * A scenario input was committed (a number field on Enter or blur, a choice at once): load the
   * scenario if every input is valid, otherwise only mark the inputs that are not.
   */
  setInput<K extends keyof ScenarioInputs>(field: K, value: ScenarioInputs[K]): void {
    const s = this.state;
    const inputs = { ...s.inputs, [field]: value };
    const r = resolveInputs(s.presetId, s.mode, inputs, s.scenario);
    if (!r.ok) {
      this.store.setState({ inputs, inputErrors: r.errors });
      return;
    }
    // Inputs that do not apply were resolved to the running values: show those.
    this.store.setState({ inputs: inputsOf(r.scenario), inputErrors: NO_ERRORS, scenario: r.scenario });
    this.load(r.scenario);
  }

  /** The map's area in CSS px and, zoomed in, the pages it shows (absent: the whole guest). */
  setViewport(width: number, height: number, window?: PageWindow | null): void {
    const w = Math.floor(width);
    const h = Math.floor(height);
    const win = window ?? undefined;
    const v = this.viewport;
    if (v && v.width === w && v.height === h && v.window?.first === win?.first && v.window?.count === win?.count) return;
    this.viewport = win ? { width: w, height: h, window: win } : { width: w, height: h };
    this.send({ type: 'setViewport', ...this.viewport });
  }

  /** The map's area as last reported (CSS px), or null before the first report. */
  get viewportSize(): { width: number; height: number } | null {
    return this.viewport ? { width: this.viewport.width, height: this.viewport.height } : null;
  }

  setHover(pfn: number | null): void {
    if (this.state.hoverPfn !== pfn) this.store.setState({ hoverPfn: pfn });
  }

  /** Page details for the tooltip, answered asynchronously by the engine (null if unknown). */
  requestPageInfo(pfn: number): Promise<PageInfo | null> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pageInfoWaiters.set(requestId, resolve);
      this.send({ type: 'pageInfo', requestId, pfn });
    });
  }

  /** Page counts by state over one page-map cell (tooltip of a bucketed map); null if unknown. */
  requestCellSummary(firstPfn: number, pages: number): Promise<CellSummary | null> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.cellSummaryWaiters.set(requestId, resolve);
      this.send({ type: 'cellSummary', requestId, firstPfn, pages });
    });
  }

  /**
   * The history of one page up to the current moment (the pinned page): the engine re-simulates
   * the scenario with a probe on it. Null if unknown or the engine went away.
   */
  requestPageHistory(pfn: number): Promise<PageHistory | null> {
    const requestId = this.nextRequestId++;
    return new Promise((resolve) => {
      this.historyWaiters.set(requestId, resolve);
      this.send({ type: 'pageHistory', requestId, pfn });
    });
  }

  /** Throw away the engine (e.g. after an error) and start a fresh one with the same settings. */
  restart(): void {
    this.disconnect();
    this.live.clear();
    this.store.setState({ engineError: null, playing: false, snapshot: EMPTY_SNAPSHOT, busy: null });
    this.connect();
  }

  /** Called whenever a run finishes (used by tests and, later, by the compare view). */
  onDone(cb: () => void): () => void {
    this.doneListeners.add(cb);
    return () => this.doneListeners.delete(cb);
  }

  // ---- engine plumbing ---------------------------------------------------------------------

  private connect(): void {
    let client: EngineClient;
    try {
      client = this.opts.createClient();
    } catch (e) {
      this.store.setState({ engineError: `Could not start the simulation: ${errorText(e)}` });
      return;
    }
    this.client = client;
    this.sentCount = 0;
    this.lastCommand = 0;
    this.lastAck = 0;
    this.seekInFlight = -1;
    this.queuedSeek = null;
    this.unsubscribe = client.subscribe((msg) => this.receive(msg));
    const s = this.state;
    this.send({ type: 'setSpeed', simMsPerWallMs: s.speed });
    if (this.frameIntervalMs > 0) this.send({ type: 'setFrameInterval', ms: this.frameIntervalMs });
    if (this.viewport) this.send({ type: 'setViewport', ...this.viewport });
    this.load(s.scenario);
    if (s.playing) this.send({ type: 'play' });
  }

  private disconnect(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.client?.dispose();
    this.client = null;
    for (const resolve of this.pageInfoWaiters.values()) resolve(null);
    this.pageInfoWaiters.clear();
    for (const resolve of this.cellSummaryWaiters.values()) resolve(null);
    this.cellSummaryWaiters.clear();
    for (const resolve of this.historyWaiters.values()) resolve(null);
    this.historyWaiters.clear();
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  private send(msg: ToWorker, transfer?: Transferable[]): void {
    if (!this.client) return;
    const command =
      msg.type !== 'returnBuffer' &&
      msg.type !== 'pageInfo' &&
      msg.type !== 'cellSummary' &&
      msg.type !== 'pageHistory' &&
      msg.type !== 'timeline' &&
      msg.type !== 'setFrameInterval' &&
      msg.type !== 'cancel';
    // A seek still waiting behind another goes out before any later command (e.g. the Play of
    // a tour step), so the engine sees them in the order they were asked for.
    if (command && msg.type !== 'seek' && this.queuedSeek !== null) {
      const simMs = this.queuedSeek;
      this.queuedSeek = null;
      this.send({ type: 'seek', simMs });
      this.seekInFlight = this.sentCount;
    }
    try {
      this.sentCount++;
      if (command) this.lastCommand = this.sentCount;
      this.client.send(msg, transfer);
    } catch (e) {
      this.store.setState({ engineError: `The simulation stopped responding: ${errorText(e)}`, playing: false });
    }
  }

  private receive(msg: FromWorker): void {
    this.lastHeardMs = performance.now();
    switch (msg.type) {
      case 'frame':
        this.onFrame(msg);
        break;
      case 'done':
        for (const cb of this.doneListeners) cb();
        break;
      case 'pageInfo': {
        const resolve = this.pageInfoWaiters.get(msg.requestId);
        this.pageInfoWaiters.delete(msg.requestId);
        resolve?.(msg.info);
        break;
      }
      case 'cellSummary': {
        const resolve = this.cellSummaryWaiters.get(msg.requestId);
        this.cellSummaryWaiters.delete(msg.requestId);
        resolve?.(msg.summary);
        break;
      }
      case 'pageHistory': {
        const resolve = this.historyWaiters.get(msg.requestId);
        this.historyWaiters.delete(msg.requestId);
        resolve?.(msg.history);
        break;
      }
      case 'timeline':
        // A timeline of a scenario this panel has since left is worthless.
        if (sameScenario(msg.scenario, this.state.scenario)) {
          this.store.setState({ timeline: msg });
          if (this.state.busy?.what === 'timeline') this.setBusy(null);
        }
        break;
      case 'progress': {
        // The worker says `rebuild` for any run it advances to a time (a load, seek or mode
        // switch): it is the work this panel is busy with, whichever that was.
        const b = this.state.busy;
        const what: ProgressWhat = msg.what === 'timeline' ? 'timeline' : b && b.what !== 'timeline' ? b.what : 'seek';
        if (msg.fraction !== null && msg.fraction >= 1) {
          if (b?.what === what) this.setBusy(null);
        } else {
          const since = b?.what === what ? b.since : performance.now();
          const fraction = msg.fraction === null ? null : Math.max(0, msg.fraction);
          this.store.setState({ busy: { what, since, fraction } });
        }
        break;
      }
      case 'error':
        this.store.setState({ engineError: msg.message, playing: false, busy: null });
        this.seekInFlight = -1;
        this.queuedSeek = null;
        for (const resolve of this.settledWaiters.splice(0)) resolve();
        break;
      default:
        assertNever(msg, 'engine message');
    }
  }

  private onFrame(f: FrameMessage): void {
    const prev = this.live;
    const restarted = f.epoch !== prev.epoch;
    const phaseChanged = f.phase !== prev.phase || f.done !== prev.done;
    this.live.ingest(f);
    this.opts.scheduler.requestFrame();
    // The worker is the truth about playing (it stops by itself at the end), but only a frame
    // that has seen all our messages knows about the user's latest Play/Pause.
    this.lastAck = f.ack;
    if (f.ack >= this.lastCommand && f.playing !== this.state.playing) this.store.setState({ playing: f.playing });
    this.pushSnapshot(restarted || phaseChanged);
    if (this.seekInFlight >= 0 && f.ack >= this.seekInFlight) {
      this.seekInFlight = -1;
      const next = this.queuedSeek;
      this.queuedSeek = null;
      if (next !== null) this.seek(next);
      else if (this.state.busy?.what === 'seek') this.setBusy(null);
    }
    if (f.ack >= this.lastCommand) for (const resolve of this.settledWaiters.splice(0)) resolve();
    if (this.timelineAfterAck !== null && f.ack >= this.timelineAfterAck) {
      this.timelineAfterAck = null;
      const request = this.timelineRequests;
      this.whenIdle(() => {
        if (request === this.timelineRequests) this.send({ type: 'timeline' });
      });
    }
  }

  /** Runs `cb` once the page has painted what it was given and is idle (PanelOptions.whenIdle). */
  private whenIdle(cb: () => void): void {
    if (this.opts.whenIdle) this.opts.whenIdle(cb);
    else this.opts.scheduler.whenQuiet(() => whenPageIdle(cb));
  }

  /** Copy the live run into the store, at most every SNAPSHOT_INTERVAL_MS unless `urgent`. */
  private pushSnapshot(urgent: boolean): void {
    const now = performance.now();
    if (urgent || now - this.lastSnapshotAt >= SNAPSHOT_INTERVAL_MS) {
      if (this.snapshotTimer) clearTimeout(this.snapshotTimer);
      this.snapshotTimer = null;
      this.lastSnapshotAt = now;
      this.store.setState({ snapshot: snapshotOf(this.live) });
    } else if (!this.snapshotTimer) {
      this.snapshotTimer = setTimeout(
        () => {
          this.snapshotTimer = null;
          this.lastSnapshotAt = performance.now();
          this.store.setState({ snapshot: snapshotOf(this.live) });
        },
        SNAPSHOT_INTERVAL_MS - (now - this.lastSnapshotAt),
      );
    }
  }
}

function sameScenario(a: Scenario, b: Scenario): boolean {
  return (Object.keys(b) as (keyof Scenario)[]).every((k) => a[k] === b[k]);
}

function snapshotOf(l: LiveRun): RunSnapshot {
  return {
    epoch: l.epoch,
    simTimeMs: l.simTimeMs,
    phase: l.phase,
    round: l.round,
    done: l.done,
    pageCount: l.pageCount,
    layout: l.layout,
    stats: l.stats,
  };
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

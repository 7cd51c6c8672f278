/**
 * The typed message protocol between the UI and the simulation worker.
 *
 * Design rules (ARCHITECTURE.md §5):
 * - Discriminated unions on `type`; both ends switch exhaustively.
 * - Per-page data only ever crosses as a transferred ArrayBuffer (the page-map cells at display
 *   resolution). The UI hands each buffer back with `returnBuffer` once it has painted it, so two
 *   buffers ping-pong and the worker can never run ahead of the screen (flow control).
 * - Everything else is small: stats, the virtqueue snapshot (one byte per descriptor), the events
 *   and series points that are new since the previous frame.
 */
import type {
  CellSummary,
  ModeId,
  PageHistory,
  Phase,
  PageInfo,
  QueryMigrate,
  Scenario,
  SimEvent,
  VirtqueueSnapshot,
} from '../engine/types';
import type { PageMapLayout, PageWindow } from './page-map-layout';

// ---------------------------------------------------------------------------------------------
// UI -> worker

export type ToWorker =
  /** Build a new simulation for `scenario` at time 0. Keeps the play/pause state. */
  | { type: 'load'; scenario: Scenario }
  /** Same scenario in another mode, re-simulated to the current simulated time. */
  | { type: 'setMode'; mode: ModeId }
  | { type: 'play' }
  | { type: 'pause' }
  /** Advance by one step (see stepSizeMs) and pause. */
  | { type: 'step' }
  /** Re-simulate from scratch to `simMs` (deterministic, so this is exact), paused. */
  | { type: 'seek'; simMs: number }
  /** Simulated ms per wall ms; `Infinity` = as fast as the engine runs. */
  | { type: 'setSpeed'; simMsPerWallMs: number }
  /**
   * The page shows at most one frame per `ms` of this run (compare paints each map at most every
   * 33 ms): while playing, the worker renders and posts frames no more often than that, and
   * renders the page map in fewer of them when rendering would take more than a share of its
   * time (big guests: sim-host RENDER_SHARE; the others have no cells). 0: every tick. Not above
   * MAX_FRAME_INTERVAL_MS.
   */
  | { type: 'setFrameInterval'; ms: number }
  /** Back to time 0, paused. */
  | { type: 'reset' }
  | { type: 'runToEnd' }
  /**
   * The CSS-pixel area the page map has; the worker picks the bucketing from it. `window`: the
   * pages the map shows when zoomed in (absent: the whole guest); the worker renders only those.
   */
  | { type: 'setViewport'; width: number; height: number; window?: PageWindow }
  /** A page-map buffer the UI has painted and no longer needs. Transferred back. */
  | { type: 'returnBuffer'; buffer: ArrayBuffer }
  /** Details of one page for the hover tooltip; answered by a `pageInfo` message. */
  | { type: 'pageInfo'; requestId: number; pfn: number }
  /**
   * Page counts by state over `pages` pages from `firstPfn` (one page-map cell of a bucketed map),
   * for the hover tooltip; answered by a `cellSummary` message.
   */
  | { type: 'cellSummary'; requestId: number; firstPfn: number; pages: number }
  /**
   * The history of one page up to the current simulated time (the pinned page), answered by a
   * `pageHistory` message. The worker re-simulates the scenario with a probe on that page (the
   * engine is deterministic), so no run keeps per-page logs.
   */
  | { type: 'pageHistory'; requestId: number; pfn: number }
  /**
   * The whole run of the current scenario, simulated to the end on the side (answered by a
   * `timeline` message): how long it lasts and where its phases fall, so the scrubber can show
   * the full time axis with markers before anyone has played it.
   */
  | { type: 'timeline' }
  /**
   * Stop the long work in progress (a seek's re-simulation, the timeline pre-run) at its next
   * chunk; the run stays where it was before that work. A worker doing its work in one piece
   * sees this only afterwards, and ignores it.
   */
  | { type: 'cancel' };

/** Long work the worker reports progress on. */
export type ProgressWhat = 'load' | 'seek' | 'timeline';

// ---------------------------------------------------------------------------------------------
// worker -> UI

/** New time-series points. `replace` = drop what you have first (new run or engine resampled). */
export interface SeriesChunk {
  replace: boolean;
  t: Float64Array;
  transferred: Float64Array;
  remaining: Float64Array;
  /** Stop-condition threshold (measured bandwidth x downtime limit), bytes. */
  threshold: Float64Array;
  /** QEMU's dirty-pages-rate, bytes/s. */
  dirtyRate: Float64Array;
  /** Bandwidth measured over the last 100 ms window, bytes/s. */
  sendRate: Float64Array;
  /** auto-converge's CPU throttle, %. */
  throttle: Float64Array;
}

export interface FrameMessage {
  type: 'frame';
  /**
   * Bumped whenever the worker builds a new Simulation (load, setMode, seek, reset). Events and
   * series in a frame continue those of the previous frame of the same epoch only.
   */
  epoch: number;
  /**
   * How many UI messages the worker had handled when it made this frame. The UI adopts the
   * worker's `playing` only from frames that have seen every message it sent, so a frame already
   * in flight cannot undo a Play the user just pressed.
   */
  ack: number;
  simTimeMs: number;
  phase: Phase;
  round: number;
  cursor: number;
  playing: boolean;
  done: boolean;
  pageCount: number;
  stats: QueryMigrate;
  /**
   * Cell codes (src/engine/model/page-state.ts); `cells.buffer` is transferred, hand it back.
   * Absent while playing when the worker renders its map less often than it posts frames (a big
   * guest in compare: sim-host RENDER_SHARE): the page keeps the map (and overview) it has. A new
   * run (epoch) or layout always comes with cells.
   */
  cells?: Uint8Array;
  layout: PageMapLayout;
  /** Events since the previous frame of this epoch (all kinds, virtqueue traffic as kind 'vq'). */
  events: SimEvent[];
  virtqueue: VirtqueueSnapshot;
  series: SeriesChunk;
  /**
   * While zoomed in: the whole guest at a coarse bucketing (at most OVERVIEW_CELLS cells, cell i
   * = pages [i << bucketShift, (i + 1) << bucketShift)), for the overview strip. Comes with the
   * cells; absent with cells when the map shows the whole guest.
   */
  overview?: { cells: Uint8Array; bucketShift: number };
}

/** The longest frame interval a page may ask for (setFrameInterval): 10 frames a second. */
export const MAX_FRAME_INTERVAL_MS = 100;

/** Cells of the overview strip: one per ~1.4 CSS px of a 1440 px wide page. */
export const OVERVIEW_CELLS = 1024;

/**
 * A run's checkpoints in the worker take at most this (ARCHITECTURE.md §7: <= 64 MB at 1 TiB);
 * beyond it, every other one goes. Here because the page counts it in a tab's memory too.
 */
export const CHECKPOINT_BUDGET_BYTES = 64 * 2 ** 20;

/** One event worth a mark on the time axis (everything but virtqueue traffic). */
export type TimelineMarker = Exclude<SimEvent, { kind: 'vq' }>;

export interface TimelineMessage {
  type: 'timeline';
  /** The scenario it describes (the UI ignores a timeline of a scenario it has left). */
  scenario: Scenario;
  /** Simulated time at which the run ends (completed or failed). */
  endMs: number;
  markers: TimelineMarker[];
  /** Final query-migrate of the run (deterministic: what playing it to the end shows). */
  final: QueryMigrate;
}

/**
 * Long work under way (a seek that re-simulates, the timeline's run to the end), sent between
 * the chunks it is cut into, so the UI can show it; the worker answers other messages meanwhile,
 * and a newer seek, load, mode switch or reset (a newer timeline, for `timeline`) cancels it.
 */
export interface ProgressMessage {
  type: 'progress';
  /** `rebuild`: a seek, mode switch or load advancing a new run to its time; `timeline`: see TimelineMessage. */
  what: 'rebuild' | 'timeline';
  /** Simulated time reached so far. */
  simMs: number;
  /** simMs / target, 0..1; null when the length is not known in advance (a timeline runs until the migration ends). */
  fraction: number | null;
}

export type FromWorker =
  | FrameMessage
  | ProgressMessage
  /** The run finished (completed or failed); `stats.verification` says whether nothing was lost. */
  | { type: 'done'; epoch: number; stats: QueryMigrate }
  | { type: 'pageInfo'; requestId: number; info: PageInfo | null }
  | { type: 'cellSummary'; requestId: number; summary: CellSummary | null }
  | { type: 'pageHistory'; requestId: number; history: PageHistory | null }
  | TimelineMessage
  /** Something threw. The worker stays alive and answers the next `load`/`reset`. */
  | { type: 'error'; message: string };

// ---------------------------------------------------------------------------------------------
// Playback constants shared by both ends

/** Speeds on the log-scale slider; `Infinity` means "as fast as the engine runs". */
export const MIN_SPEED = 0.01;
export const MAX_FINITE_SPEED = 100;
/** 0.25 sim ms per wall ms: the 7.4 s of RFC case 2 (original) take about 30 s to watch. */
export const DEFAULT_SPEED = 0.25;

/**
 * How far one Step (or ArrowLeft / ArrowRight) moves: what a quarter second of playback at the
 * current speed would show, so stepping is fine-grained in slow motion and coarse when fast.
 */
export function stepSizeMs(simMsPerWallMs: number): number {
  if (!Number.isFinite(simMsPerWallMs)) return 1000;
  return Math.min(1000, Math.max(1, simMsPerWallMs * 250));
}

export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}

/**
 * LiveRun: the high-rate data of one simulation panel, kept OUTSIDE React and zustand.
 * Frames from the engine land here; painters (page map, virtqueue, charts, clock) read it in the
 * rAF loop. Nothing here triggers a React render.
 *
 * Ownership of page-map buffers: the newest unpainted cells are held in `pending` until a
 * painter consumes them; then (or when a newer frame supersedes them) the buffer goes back to
 * the worker through `returnBuffer`.
 */
import type { Phase, QueryMigrate, SimEvent, VirtqueueEvent, VirtqueueSnapshot } from '../../engine/types';
import type { FrameMessage, PageMapLayout } from '../../protocol';

/** The columns of the engine's time series, as SeriesChunk carries them (protocol/messages.ts). */
export const SERIES_COLUMNS = ['t', 'transferred', 'remaining', 'threshold', 'dirtyRate', 'sendRate', 'throttle'] as const;
export type SeriesColumn = (typeof SERIES_COLUMNS)[number];
export type SeriesColumns = Record<SeriesColumn, Float64Array>;

/** Growable struct-of-arrays copy of the engine's time series. */
export class SeriesBuffer implements SeriesColumns {
  t = new Float64Array(1024);
  transferred = new Float64Array(1024);
  remaining = new Float64Array(1024);
  /** Stop-condition threshold, bytes (measured bandwidth x downtime limit). */
  threshold = new Float64Array(1024);
  /** QEMU's dirty-pages-rate, bytes/s. */
  dirtyRate = new Float64Array(1024);
  /** Bandwidth measured over the last 100 ms, bytes/s. */
  sendRate = new Float64Array(1024);
  /** auto-converge's CPU throttle, %. */
  throttle = new Float64Array(1024);
  length = 0;

  clear(): void {
    this.length = 0;
  }

  append(chunk: SeriesColumns): void {
    const n = chunk.t.length;
    const need = this.length + n;
    if (need > this.t.length) {
      const cap = Math.max(need, this.t.length * 2);
      for (const c of SERIES_COLUMNS) this[c] = grow(this[c], cap);
    }
    for (const c of SERIES_COLUMNS) this[c].set(chunk[c].subarray(0, n), this.length);
    this.length = need;
  }
}

function grow(a: Float64Array, cap: number): Float64Array<ArrayBuffer> {
  const b = new Float64Array(cap);
  b.set(a);
  return b;
}

/** Timeline events worth a chart marker (everything except virtqueue traffic). */
export type MarkerEvent = Exclude<SimEvent, { kind: 'vq' }>;

/** How many virtqueue events we keep for the animation backlog; older ones are dropped. */
const VQ_BACKLOG = 256;

export class LiveRun {
  epoch = 0;
  simTimeMs = 0;
  phase: Phase = 'idle';
  round = 0;
  cursor = 0;
  playing = false;
  done = false;
  pageCount = 0;
  stats: QueryMigrate | null = null;
  layout: PageMapLayout | null = null;
  virtqueue: VirtqueueSnapshot | null = null;
  /** The whole guest, coarse, while the map is zoomed in (the overview strip); else null. */
  overview: { cells: Uint8Array; bucketShift: number } | null = null;
  readonly series = new SeriesBuffer();
  readonly markers: MarkerEvent[] = [];
  /**
   * Virtqueue events not yet picked up by the virtqueue view (consumed by takeVqEvents), to
   * animate; a restarted run's first frame adds none (ingest).
   */
  private vqBacklog: VirtqueueEvent[] = [];
  /** Bumped on every frame; views compare it to what they last drew. */
  seq = 0;
  /** Bumped when the run restarts (new epoch): views drop their own accumulated state. */
  runSeq = 0;
  private pending: Uint8Array | null = null;

  constructor(private readonly returnBuffer: (buf: ArrayBuffer) => void) {}

  ingest(f: FrameMessage): void {
    const restarted = f.epoch !== this.epoch;
    if (restarted) {
      this.epoch = f.epoch;
      this.series.clear();
      this.markers.length = 0;
      this.vqBacklog = [];
      this.runSeq++;
    }
    if (f.series.replace) this.series.clear();
    this.series.append(f.series);
    for (const e of f.events) {
      // A restarted run (seek, reset, mode switch) arrives with its history up to that moment:
      // the ring shows where the queue stands, and tokens fly only as the run moves on. Flying
      // the history's buffers would animate what did not just happen (and a drag over the
      // timeline restarts on every step).
      if (e.kind === 'vq') {
        if (!restarted) this.vqBacklog.push(e.vq);
      } else this.markers.push(e);
    }
    if (this.vqBacklog.length > VQ_BACKLOG) this.vqBacklog.splice(0, this.vqBacklog.length - VQ_BACKLOG);
    this.simTimeMs = f.simTimeMs;
    this.phase = f.phase;
    this.round = f.round;
    this.cursor = f.cursor;
    this.playing = f.playing;
    this.done = f.done;
    this.pageCount = f.pageCount;
    this.stats = f.stats;
    this.layout = f.layout;
    this.virtqueue = f.virtqueue;
    // A frame without cells leaves the map (and its overview) as the last cells drew it.
    if (f.cells) {
      this.overview = f.overview ?? null;
      // A newer map makes the unpainted one worthless: give its buffer back right away.
      if (this.pending) this.returnBuffer(this.pending.buffer as ArrayBuffer);
      this.pending = f.cells;
    }
    this.seq++;
  }

  /** Hands the newest unpainted cells to `paint`, then returns their buffer to the worker. */
  consumeCells(paint: (cells: Uint8Array, layout: PageMapLayout) => void): boolean {
    const cells = this.pending;
    const layout = this.layout;
    if (!cells || !layout) return false;
    this.pending = null;
    try {
      paint(cells, layout);
    } finally {
      this.returnBuffer(cells.buffer as ArrayBuffer);
    }
    return true;
  }

  takeVqEvents(): VirtqueueEvent[] {
    const out = this.vqBacklog;
    this.vqBacklog = [];
    return out;
  }

  /** Drop everything (engine restarted); buffers we hold belong to a dead worker. */
  clear(): void {
    this.pending = null;
    this.epoch = 0;
    this.seq++;
    this.runSeq++;
    this.series.clear();
    this.markers.length = 0;
    this.vqBacklog = [];
    this.stats = null;
    this.virtqueue = null;
    this.phase = 'idle';
    this.simTimeMs = 0;
    this.playing = false;
    this.done = false;
  }
}

/**
 * The one requestAnimationFrame loop of the page. Views register a paint callback; anything that
 * changes what they show calls `requestFrame()`. At most one rAF is pending, each registered
 * painter runs at most once per frame, and nothing runs while nothing changed (an idle page costs
 * nothing). Paint durations are kept for the on-page perf readout and the UI benchmark.
 *
 * A frame has a budget: once its painters have taken FRAME_BUDGET_MS, the ones not yet run wait
 * for the next frame and run first there. A frame where everything changed at once (the first
 * frames after load, a mode switch) is then several short frames instead of one long task that
 * holds up input (issue 13: no main-thread task over 50 ms).
 */
export type PaintCallback = (now: number) => void;

/**
 * Painting time per frame before the rest waits for the next one: 10 of the 16.7 ms a 60 Hz frame
 * has, leaving the browser its style, layout and compositing. A single painter is never cut.
 */
export const FRAME_BUDGET_MS = 10;

/**
 * No frame for this long and the page is quiet (`whenQuiet`): longer than a frame and than the
 * charts' 50 ms throttle, whose trailing draw comes within it.
 */
export const QUIET_MS = 100;
/** `whenQuiet` waits at most this long: a playing run paints every frame and never quiets. */
export const QUIET_MAX_WAIT_MS = 1500;

export interface FrameStats {
  /** Last few paint durations (ms), newest last. */
  readonly recent: readonly number[];
}

export class RafScheduler {
  private readonly painters = new Set<PaintCallback>();
  private pending = false;
  private readonly durations: number[] = [];

  /** The painter the last frame's budget stopped before: the next frame starts with it. */
  private resumeAt: PaintCallback | null = null;
  /** When the last frame's painters ended (clock time). */
  private lastFrameAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly raf: (cb: FrameRequestCallback) => number = (cb) => requestAnimationFrame(cb),
    private readonly clock: () => number = () => performance.now(),
    /** Painting time per frame (FRAME_BUDGET_MS; tests: Infinity, every painter in one frame). */
    private readonly budgetMs: number = FRAME_BUDGET_MS,
  ) {}

  /**
   * What one costly view may spend of a frame before it stops and goes on in the next: half the
   * budget, as the page map and the charts paint in the same frame.
   */
  get viewBudgetMs(): number {
    return this.budgetMs / 2;
  }

  add(paint: PaintCallback): () => void {
    this.painters.add(paint);
    this.requestFrame();
    return () => this.painters.delete(paint);
  }

  requestFrame(): void {
    if (this.pending) return;
    this.pending = true;
    this.raf(this.run);
  }

  /**
   * Calls `cb` once no frame has run for QUIET_MS, or after `maxWaitMs` whatever happens; returns
   * a cancel. Background work that shares the cores with the page waits for it: the first frames
   * after a load paint the map in bands and the charts pane by pane over several frames, and on
   * two cores the timeline's pre-run running meanwhile made those frames' tasks long (issue 13).
   */
  whenQuiet(cb: () => void, maxWaitMs = QUIET_MAX_WAIT_MS): () => void {
    const start = this.clock();
    let timer: ReturnType<typeof setTimeout> | null = null;
    const check = () => {
      const now = this.clock();
      const quietFor = now - this.lastFrameAt;
      const waited = now - start;
      if (quietFor >= QUIET_MS || waited >= maxWaitMs) {
        timer = null;
        cb();
        return;
      }
      timer = setTimeout(check, Math.max(1, Math.min(QUIET_MS - quietFor, maxWaitMs - waited)));
    };
    timer = setTimeout(check, QUIET_MS);
    return () => {
      if (timer !== null) clearTimeout(timer);
    };
  }

  get stats(): FrameStats {
    return { recent: this.durations };
  }

  private run = (now: number): void => {
    this.pending = false;
    const t0 = this.clock();
    const order = [...this.painters];
    const start = this.resumeAt ? Math.max(0, order.indexOf(this.resumeAt)) : 0;
    this.resumeAt = null;
    for (let i = 0; i < order.length; i++) {
      const paint = order[(start + i) % order.length];
      if (i > 0 && this.clock() - t0 >= this.budgetMs) {
        this.resumeAt = paint;
        this.requestFrame();
        break;
      }
      try {
        paint(now);
      } catch (e) {
        // One broken view must not stop the others from painting.
        console.error('paint failed', e);
      }
    }
    this.lastFrameAt = this.clock();
    this.durations.push(this.lastFrameAt - t0);
    if (this.durations.length > 120) this.durations.shift();
  };
}

/** What a throttled painter watches: each run's live data (its change counter). */
export interface WatchedRun {
  readonly live: { readonly seq: number; readonly done: boolean };
}

/**
 * A paint callback for views that cost more than a canvas blit (SVG charts): it draws when a
 * watched run's data or the shared time changed, at most once per `minIntervalMs` (a trailing
 * timer draws the last change), but never holds back the final frame. A restart (a seek, a reset,
 * a mode switch) is throttled like any change: a drag over the timeline restarts both runs of a
 * compare on every step, and drawing each restart at once drew the charts on every frame.
 * `draw` returns whether it drew everything; false (its frame's time was up): it is called again in
 * the next frame, throttle or not.
 */
export function throttledPainter(opts: {
  scheduler: RafScheduler;
  runs: readonly WatchedRun[];
  timeMs: () => number;
  minIntervalMs: number;
  draw: (t: number) => boolean;
}): { paint: PaintCallback; dispose: () => void } {
  const { scheduler, runs, timeMs, minIntervalMs, draw } = opts;
  const seqs = runs.map(() => -1);
  let last = Number.NEGATIVE_INFINITY;
  let shownT = -1;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let unfinished = false;
  const paint = (now: number) => {
    const t = timeMs();
    if (!unfinished) {
      if (!runs.some((r, i) => r.live.seq !== seqs[i]) && t === shownT) return;
      const final = runs.every((r) => r.live.done);
      if (now - last < minIntervalMs && !final) {
        timer ??= setTimeout(() => {
          timer = null;
          scheduler.requestFrame();
        }, minIntervalMs);
        return;
      }
    }
    runs.forEach((r, i) => {
      seqs[i] = r.live.seq;
    });
    last = now;
    shownT = t;
    unfinished = !draw(t);
    if (unfinished) scheduler.requestFrame();
  };
  return {
    paint,
    dispose: () => {
      if (timer) clearTimeout(timer);
    },
  };
}

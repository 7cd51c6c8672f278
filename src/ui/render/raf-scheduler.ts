/**
 * The one requestAnimationFrame loop of the page. Views register a paint callback; anything that
 * changes what they show calls `requestFrame()`. At most one rAF is pending, each registered
 * painter runs at most once per frame, and nothing runs while nothing changed (an idle page costs
 * nothing). Paint durations are kept for the on-page perf readout and the UI benchmark.
 */
export type PaintCallback = (now: number) => void;

export interface FrameStats {
  /** Last few paint durations (ms), newest last. */
  readonly recent: readonly number[];
}

export class RafScheduler {
  private readonly painters = new Set<PaintCallback>();
  private pending = false;
  private readonly durations: number[] = [];

  constructor(
    private readonly raf: (cb: FrameRequestCallback) => number = (cb) => requestAnimationFrame(cb),
    private readonly clock: () => number = () => performance.now(),
  ) {}

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

  get stats(): FrameStats {
    return { recent: this.durations };
  }

  private run = (now: number): void => {
    this.pending = false;
    const t0 = this.clock();
    for (const paint of this.painters) {
      try {
        paint(now);
      } catch (e) {
        // One broken view must not stop the others from painting.
        console.error('paint failed', e);
      }
    }
    this.durations.push(this.clock() - t0);
    if (this.durations.length > 120) this.durations.shift();
  };
}

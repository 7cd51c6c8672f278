/**
 * The page's heavy parts (page map, virtqueue, charts, tables) mount in turns, one per frame,
 * instead of all in one React commit.
 *
 * Why: the budget is no main-thread task over 50 ms, load included (issue 13). Mounted together,
 * the first view is one commit followed by one first style-and-layout of the whole page, and on a
 * 2-core machine each of those alone took 40-70 ms. In turns, each part's render, commit and
 * first layout are tasks of their own, with a frame drawn between them.
 *
 * A part waits for its turn with `wait` (the InTurn component does); turns are given in the order
 * the parts asked, each after a frame has been drawn (a rAF, then a task: the rAF callback runs
 * before that frame's layout, the task after it). Turned off (`enabled` false: the component
 * tests, which drive frames by hand), every part mounts at once.
 */
export class MountTurns {
  private readonly waiting: (() => void)[] = [];
  private scheduled = false;

  constructor(
    readonly enabled: boolean,
    private readonly afterNextFrame: (cb: () => void) => void = (cb) => requestAnimationFrame(() => setTimeout(cb, 0)),
  ) {}

  /** Calls `show` on this part's turn (at once when turns are off). Returns a cancel. */
  wait(show: () => void): () => void {
    if (!this.enabled) {
      show();
      return () => {};
    }
    this.waiting.push(show);
    this.schedule();
    return () => {
      const i = this.waiting.indexOf(show);
      if (i >= 0) this.waiting.splice(i, 1);
    };
  }

  private schedule(): void {
    if (this.scheduled || this.waiting.length === 0) return;
    this.scheduled = true;
    this.afterNextFrame(() => {
      this.scheduled = false;
      this.waiting.shift()?.();
      this.schedule();
    });
  }
}

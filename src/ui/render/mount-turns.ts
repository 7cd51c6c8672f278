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
 *
 * The engines start after the last turn (`whenDone`, App): their scenario setup (an 8 GiB
 * guest's page state, ~140 ms of a worker's CPU) took the second core while the main thread laid
 * out the parts, and each task of the mount took two to three times its CPU time in wall time.
 * Measured with the bench's load procedure on the 2-core machine (issue 13), 20 loads each: 17
 * loads had a task over 50 ms in the 5 s after load with the engines started at mount, 11 with
 * them started here; the map's first pixels came at 930 ms after navigation instead of 891
 * (medians of 8).
 */
export class MountTurns {
  private readonly waiting: (() => void)[] = [];
  /** What runs once every part is shown and a frame has been drawn after the last. */
  private readonly done: (() => void)[] = [];
  private scheduled = false;

  constructor(
    readonly enabled: boolean,
    private readonly afterNextFrame: (cb: () => void) => void = (cb) => requestAnimationFrame(() => setTimeout(cb, 0)),
  ) {}

  /** Calls `show` on this part's turn (at once when turns are off). Returns a cancel. */
  wait(show: () => void): () => void {
    return this.enqueue(this.waiting, show);
  }

  /**
   * Calls `then` once the parts waiting now (and any they bring) are shown and a frame has been
   * drawn after the last: at once when turns are off. Returns a cancel.
   */
  whenDone(then: () => void): () => void {
    return this.enqueue(this.done, then);
  }

  private enqueue(queue: (() => void)[], cb: () => void): () => void {
    if (!this.enabled) {
      cb();
      return () => {};
    }
    queue.push(cb);
    this.schedule();
    return () => {
      const i = queue.indexOf(cb);
      if (i >= 0) queue.splice(i, 1);
    };
  }

  private schedule(): void {
    if (this.scheduled || (this.waiting.length === 0 && this.done.length === 0)) return;
    this.scheduled = true;
    this.afterNextFrame(() => {
      this.scheduled = false;
      const show = this.waiting.shift();
      if (show) show();
      else for (const then of this.done.splice(0)) then();
      this.schedule();
    });
  }
}

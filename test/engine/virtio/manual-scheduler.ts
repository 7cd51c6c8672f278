import type { Scheduler } from '../../../src/engine/scheduler';

/**
 * A scheduler the test drives by hand: actions run only when the test says so, in time order
 * (ties in the order they were scheduled), with `now()` the time of the action running.
 */
export class ManualScheduler implements Scheduler {
  queue: { t: number; seq: number; fn: (t: number) => void }[] = [];
  private seq = 0;
  private current = 0;
  now(): number {
    return this.current;
  }
  at(t: number, fn: (t: number) => void): void {
    this.queue.push({ t, seq: this.seq++, fn });
    this.queue.sort((a, b) => a.t - b.t || a.seq - b.seq);
  }
  /** Runs the earliest action; returns its time. */
  runNext(): number {
    const next = this.queue.shift();
    if (!next) throw new Error('nothing scheduled');
    this.current = next.t;
    next.fn(next.t);
    return next.t;
  }
  runAll(): void {
    while (this.queue.length > 0) this.runNext();
  }
  /** Runs every action due at or before `t`. */
  runUntil(t: number): void {
    while (this.queue.length > 0 && this.queue[0].t <= t) this.runNext();
  }
}

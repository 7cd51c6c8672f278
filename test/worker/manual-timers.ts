/**
 * SimHost's timers run by hand: setTimer queues the callback, clearTimer drops it, and the test
 * runs them in order with `next()`. Shared by the worker tests (the host never sees a real clock).
 */
export function manualTimers() {
  let nextId = 1;
  const pending: { id: number; cb: () => void }[] = [];
  return {
    /** The queued timers, oldest first. */
    pending,
    setTimer: (cb: () => void): number => {
      pending.push({ id: nextId, cb });
      return nextId++;
    },
    clearTimer: (id: number): void => {
      const i = pending.findIndex((t) => t.id === id);
      if (i >= 0) pending.splice(i, 1);
    },
    /** Runs the oldest queued timer; false when none was queued. */
    next: (): boolean => {
      const t = pending.shift();
      t?.cb();
      return t !== undefined;
    },
  };
}

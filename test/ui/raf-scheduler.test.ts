import { afterEach, describe, expect, it, vi } from 'vitest';
import { FRAME_BUDGET_MS, QUIET_MAX_WAIT_MS, QUIET_MS, RafScheduler, throttledPainter } from '../../src/ui/render/raf-scheduler';

/** A scheduler on a hand-driven rAF queue and clock; each painter advances the clock by its cost. */
function harness(budgetMs?: number) {
  const queue: FrameRequestCallback[] = [];
  let clock = 0;
  const scheduler = new RafScheduler(
    (cb) => {
      queue.push(cb);
      return queue.length;
    },
    () => clock,
    budgetMs,
  );
  const painted: string[] = [];
  /** A painter named `name` that takes `costMs`. */
  const painter = (name: string, costMs: number) => () => {
    painted.push(name);
    clock += costMs;
  };
  /** Runs the frames queued so far (one each); returns how many ran. */
  const frame = () => {
    const cbs = queue.splice(0);
    for (const cb of cbs) cb(clock);
    return cbs.length;
  };
  /** Moves the clock on as if `ms` passed between frames. */
  const advance = (ms: number) => {
    clock += ms;
  };
  return { scheduler, painter, painted, frame, advance, pending: () => queue.length };
}

describe('RafScheduler', () => {
  it('runs every painter once per frame and asks for no frame while nothing changed', () => {
    const h = harness();
    h.scheduler.add(h.painter('a', 1));
    h.scheduler.add(h.painter('b', 1));
    expect(h.pending()).toBe(1); // two adds, one frame
    h.frame();
    expect(h.painted).toEqual(['a', 'b']);
    expect(h.pending()).toBe(0);
  });

  it('leaves the painters after the budget for the next frame, and starts there with them', () => {
    const h = harness();
    h.scheduler.add(h.painter('map', FRAME_BUDGET_MS - 1));
    h.scheduler.add(h.painter('charts', 6)); // starts at 9 ms: within the budget, ends at 15
    h.scheduler.add(h.painter('ring', 2)); // would start at 15 ms: waits
    h.scheduler.add(h.painter('hud', 1));
    h.frame();
    expect(h.painted).toEqual(['map', 'charts']);
    expect(h.pending()).toBe(1); // the rest asked for the next frame itself
    h.painted.length = 0;
    h.frame();
    // The waiting ones first, then the rest in order while the budget lasts (2 + 1 + 9 ms).
    expect(h.painted).toEqual(['ring', 'hud', 'map']);
    expect(h.pending()).toBe(1);
  });

  it('never cuts a frame before its first painter, however slow', () => {
    const h = harness();
    h.scheduler.add(h.painter('slow', 5 * FRAME_BUDGET_MS));
    h.scheduler.add(h.painter('next', 1));
    h.frame();
    expect(h.painted).toEqual(['slow']);
    h.frame();
    expect(h.painted).toEqual(['slow', 'next', 'slow']);
  });

  it('starts from the first painter when the one it stopped before was removed', () => {
    const h = harness();
    h.scheduler.add(h.painter('a', FRAME_BUDGET_MS));
    const removeB = h.scheduler.add(h.painter('b', 1));
    h.scheduler.add(h.painter('c', 1));
    h.frame();
    removeB();
    h.painted.length = 0;
    h.frame();
    expect(h.painted).toEqual(['a']);
    h.frame();
    expect(h.painted).toEqual(['a', 'c', 'a']); // c waited, so it goes first
  });

  it('with an unbounded budget paints everything in one frame (the tests\' schedulers)', () => {
    const h = harness(Number.POSITIVE_INFINITY);
    for (const n of ['a', 'b', 'c']) h.scheduler.add(h.painter(n, 100));
    h.frame();
    expect(h.painted).toEqual(['a', 'b', 'c']);
    expect(h.pending()).toBe(0);
  });

  it('keeps painting the others when one painter throws', () => {
    const h = harness();
    const errors: unknown[] = [];
    const orig = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      h.scheduler.add(() => {
        throw new Error('broken view');
      });
      h.scheduler.add(h.painter('ok', 1));
      h.frame();
    } finally {
      console.error = orig;
    }
    expect(h.painted).toEqual(['ok']);
    expect(errors).toHaveLength(1);
  });
});

describe('RafScheduler.whenQuiet', () => {
  afterEach(() => vi.useRealTimers());

  /** The harness with fake timers; `pass(ms)` moves its clock and the timers together. */
  function quietHarness() {
    vi.useFakeTimers();
    const h = harness();
    const pass = (ms: number) => {
      h.advance(ms);
      vi.advanceTimersByTime(ms);
    };
    return { ...h, pass };
  }

  it('waits until no frame has run for QUIET_MS', () => {
    const h = quietHarness();
    const calls: number[] = [];
    let n = 0;
    h.scheduler.add(h.painter('map', 1));
    h.scheduler.whenQuiet(() => calls.push(++n));
    // Frames every 16 ms for 400 ms (a first paint spread over frames): not quiet.
    for (let t = 0; t < 400; t += 16) {
      h.scheduler.requestFrame();
      h.frame();
      h.pass(16);
    }
    expect(calls).toEqual([]);
    h.pass(QUIET_MS - 20);
    expect(calls).toEqual([]);
    h.pass(30);
    expect(calls).toEqual([1]);
  });

  it('gives up waiting after maxWaitMs (a playing run paints every frame), and can be cancelled', () => {
    const h = quietHarness();
    const calls: string[] = [];
    h.scheduler.add(h.painter('map', 1));
    h.scheduler.whenQuiet(() => calls.push('capped'));
    const cancel = h.scheduler.whenQuiet(() => calls.push('cancelled'));
    cancel();
    for (let t = 0; t < QUIET_MAX_WAIT_MS + 50; t += 16) {
      h.scheduler.requestFrame();
      h.frame();
      h.pass(16);
    }
    expect(calls).toEqual(['capped']);
  });
});

describe('throttledPainter', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** A draw at this time stops short (returns false), as a chart whose frame's time ran out. */
  const UNFINISHED_AT = 999;

  /** Two watched runs (as in a compare), a painter throttled to 100 ms, and the draws it made. */
  function setup() {
    vi.useFakeTimers();
    const h = harness();
    // As a LiveRun: `seq` moves on every frame, `runSeq` on every restart (the painter needs only seq).
    const runs = [{ live: { seq: 0, runSeq: 0, done: false } }, { live: { seq: 0, runSeq: 0, done: false } }];
    let time = 0;
    const drawn: number[] = [];
    const painter = throttledPainter({
      scheduler: h.scheduler,
      runs,
      timeMs: () => time,
      minIntervalMs: 100,
      draw: (t) => {
        drawn.push(t);
        return t !== UNFINISHED_AT;
      },
    });
    h.scheduler.add(painter.paint);
    return { h, runs, drawn, setTime: (t: number) => (time = t), painter };
  }

  it('draws the first change at once and nothing more while nothing changes', () => {
    const s = setup();
    s.h.frame();
    expect(s.drawn).toEqual([0]);
    s.h.scheduler.requestFrame();
    s.h.frame();
    expect(s.drawn).toEqual([0]);
  });

  it('holds a change (a restart too) within the interval and draws the last one from the trailing timer', () => {
    const s = setup();
    s.h.frame(); // drawn at clock 0
    // A drag over the timeline: both runs restart (their seq moves) and the time moves, every frame.
    for (let step = 1; step <= 3; step++) {
      s.runs[0].live = { seq: step, runSeq: step, done: false };
      s.runs[1].live = { seq: step, runSeq: step, done: false };
      s.setTime(step * 10);
      s.h.scheduler.requestFrame();
      s.h.frame();
    }
    expect(s.drawn).toEqual([0]); // every step within 100 ms of the last draw: held back
    expect(s.h.pending()).toBe(0);
    s.h.advance(100);
    vi.advanceTimersByTime(100); // the trailing timer asks for a frame...
    expect(s.h.pending()).toBe(1);
    s.h.frame(); // ...which draws the last change
    expect(s.drawn).toEqual([0, 30]);
    s.painter.dispose();
  });

  it('a draw that stopped short draws again in the next frame, inside the interval', () => {
    const s = setup();
    s.h.frame(); // drawn at 0
    s.h.advance(100);
    s.runs[0].live = { seq: 1, runSeq: 0, done: false };
    s.setTime(UNFINISHED_AT);
    s.h.scheduler.requestFrame();
    s.h.frame();
    expect(s.drawn).toEqual([0, UNFINISHED_AT]);
    expect(s.h.pending()).toBe(1); // it asked for the next frame itself
    s.setTime(UNFINISHED_AT + 1); // nothing else to wait for: no throttle, no new data needed
    s.h.frame();
    expect(s.drawn).toEqual([0, UNFINISHED_AT, UNFINISHED_AT + 1]);
    expect(s.h.pending()).toBe(0);
    s.painter.dispose();
  });

  it('draws the final frame at once, inside the interval', () => {
    const s = setup();
    s.h.frame();
    s.runs[0].live = { seq: 5, runSeq: 0, done: true };
    s.runs[1].live = { seq: 5, runSeq: 0, done: false };
    s.setTime(50);
    s.h.scheduler.requestFrame();
    s.h.frame();
    expect(s.drawn).toEqual([0]); // one run still going: held
    s.runs[1].live = { seq: 6, runSeq: 0, done: true };
    s.setTime(60);
    s.h.scheduler.requestFrame();
    s.h.frame();
    expect(s.drawn).toEqual([0, 60]); // both done: the end is drawn now
    s.painter.dispose();
  });
});

import { describe, expect, it } from 'vitest';
import { MIG_SKIPPED, migrationOf } from '../../src/engine/model/page-state';
import type { FrameMessage, FromWorker, ProgressMessage } from '../../src/protocol';
import { manualTimers } from './manual-timers';
import { RENDER_SHARE, SimHost, TICK_MS } from '../../src/worker/sim-host';
import { FAKE_SETUP_MS, FakeSimulation, fakeScenario } from './fake-simulation';
import { cellsOf } from '../protocol/frames';

/**
 * A host with a hand-driven clock and timer queue. `autoAdvanceMs`: every now() call moves the
 * clock by that much, so work cut into wall-time chunks takes several chunks.
 */
function harness(
  createSimulation = (s: Parameters<typeof fakeScenario>[0] & object) => new FakeSimulation(fakeScenario(s)),
  autoAdvanceMs = 0,
) {
  const posted: { msg: FromWorker; transfer: Transferable[] }[] = [];
  let now = 1000;
  const clock = manualTimers();
  const timers = clock.pending;
  const host = new SimHost({
    createSimulation: (s) => createSimulation(s),
    post: (msg, transfer) => posted.push({ msg, transfer }),
    now: () => {
      now += autoAdvanceMs;
      return now;
    },
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  const frames = () => posted.map((p) => p.msg).filter((m): m is FrameMessage => m.type === 'frame');
  const lastFrame = () => frames().at(-1) as FrameMessage;
  /** Advance wall time by one tick and run the pending timer. */
  const tick = (ms = TICK_MS) => {
    now += ms;
    clock.next();
  };
  /** Hands a frame's cells back, as the page does once it painted them (frames without cells hold none). */
  const giveBack = (f: FrameMessage) => {
    if (f.cells) host.handle({ type: 'returnBuffer', buffer: f.cells.buffer as ArrayBuffer });
  };
  /** Moves the wall clock on without running a timer (work that takes time, e.g. a render). */
  const advance = (ms: number) => {
    now += ms;
  };
  return { host, posted, frames, lastFrame, tick, giveBack, advance, wallMs: () => now, timers };
}

describe('SimHost', () => {
  it('posts a first frame on load with cells at display resolution, transferring the buffer', () => {
    const h = harness();
    h.host.handle({ type: 'setViewport', width: 64, height: 64 });
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    const f = h.lastFrame();
    expect(f.epoch).toBe(1);
    expect(f.simTimeMs).toBe(0);
    expect(f.phase).toBe('setup');
    expect(f.playing).toBe(false);
    expect(f.pageCount).toBe(4096);
    // 4096 pages into 64x64 px: one page per pixel, scale 1
    expect(f.layout).toMatchObject({ bucketShift: 0, cells: 4096, cols: 64, rows: 64, scale: 1 });
    expect(cellsOf(f).length).toBe(4096);
    const transfer = h.posted.at(-1)?.transfer ?? [];
    expect(transfer).toContain(cellsOf(f).buffer);
  });

  it('buckets pages when the map is smaller than the guest', () => {
    const h = harness();
    h.host.handle({ type: 'setViewport', width: 32, height: 32 }); // 1024 px for 4096 pages
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    expect(h.lastFrame().layout).toMatchObject({ bucketShift: 2, cells: 1024 });
  });

  it('renders only the zoom window, and sends the whole guest as an overview while zoomed', () => {
    const h = harness();
    h.host.handle({ type: 'setViewport', width: 32, height: 32 });
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    expect(h.lastFrame().overview).toBeUndefined();
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'setViewport', width: 32, height: 32, window: { first: 1000, count: 512 } });
    const f = h.lastFrame();
    // 512 pages fit 1024 px at one page per cell; the window starts at pfn 1000
    expect(f.layout).toMatchObject({ bucketShift: 0, cells: 512, firstPfn: 1000 });
    expect(cellsOf(f).length).toBe(512);
    // 4096 pages at <= 1024 cells: 4 pages per overview cell
    expect(f.overview?.bucketShift).toBe(2);
    expect(f.overview?.cells.length).toBe(1024);
    h.giveBack(f);
    h.host.handle({ type: 'setViewport', width: 32, height: 32, window: { first: 0, count: 4096 } });
    expect(h.lastFrame().overview).toBeUndefined();
  });

  it('stops producing frames while both buffers are out, and resumes when one comes back', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: 0.2 }); // step = 50 ms
    expect(h.frames()).toHaveLength(2);
    h.giveBack(h.frames()[0]);
    h.giveBack(h.frames()[1]);
    h.host.handle({ type: 'step' });
    expect(h.frames()).toHaveLength(3);
    h.host.handle({ type: 'step' });
    expect(h.frames()).toHaveLength(4);
    h.host.handle({ type: 'step' }); // state changes but no buffer is free
    expect(h.frames()).toHaveLength(4);
    h.giveBack(h.frames()[2]);
    expect(h.frames()).toHaveLength(5);
    expect(h.lastFrame().simTimeMs).toBe(150);
  });

  it('plays at `speed` simulated ms per wall ms and pauses', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: 1 });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'play' });
    h.giveBack(h.lastFrame());
    for (let i = 0; i < 4; i++) {
      h.tick();
      expect(h.lastFrame().playing).toBe(true);
      h.giveBack(h.lastFrame());
    }
    expect(h.lastFrame().simTimeMs).toBe(4 * TICK_MS);
    h.host.handle({ type: 'pause' });
    expect(h.lastFrame().playing).toBe(false);
    expect(h.timers).toHaveLength(0);
  });

  it('while playing, posts frames no more often than the page asked (setFrameInterval); paused, at once', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: 1 });
    h.host.handle({ type: 'setFrameInterval', ms: 33 });
    h.host.handle({ type: 'play' });
    for (const f of h.frames()) h.giveBack(f);
    const before = h.frames().length;
    const times: number[] = [];
    for (let i = 0; i < 8; i++) {
      h.tick();
      const f = h.lastFrame();
      if (h.frames().length > before + times.length) times.push(f.simTimeMs);
      h.giveBack(f);
    }
    // 8 ticks of 16 ms: a frame every other tick, each with the whole run up to its tick.
    expect(times).toEqual([2, 4, 6, 8].map((k) => k * TICK_MS));
    // A returned buffer does not bring the next frame forward either.
    h.tick();
    expect(h.frames().length).toBe(before + 4);
    h.host.handle({ type: 'pause' });
    expect(h.frames().length).toBe(before + 5);
    expect(h.lastFrame()).toMatchObject({ playing: false, simTimeMs: 9 * TICK_MS });
    // 0 again: Play's frame, then one every tick.
    h.host.handle({ type: 'setFrameInterval', ms: 0 });
    h.host.handle({ type: 'play' });
    expect(h.frames().length).toBe(before + 6);
    h.giveBack(h.lastFrame());
    h.tick();
    h.giveBack(h.lastFrame());
    h.tick();
    expect(h.frames().length).toBe(before + 8);
  });

  it('at a capped cadence, renders the page map only as often as RENDER_SHARE affords; the frames between carry no cells', () => {
    /** A fake whose page-map render takes `renderMs` of wall time: long enough for two frames between renders. */
    const slowMs = 3 * 33 * RENDER_SHARE;
    let renderMs = slowMs;
    let h: ReturnType<typeof harness>;
    class SlowRender extends FakeSimulation {
      override renderPageMap(...args: Parameters<FakeSimulation['renderPageMap']>): void {
        h.advance(renderMs);
        super.renderPageMap(...args);
      }
    }
    h = harness((s) => new SlowRender(fakeScenario(s)));
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 }) }); // 2.6 s of simulated run
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: 1 });
    h.host.handle({ type: 'setFrameInterval', ms: 33 });
    h.host.handle({ type: 'play' });
    for (const f of h.frames()) h.giveBack(f);
    /** Over `n` ticks: the wall time each frame went out at (before its render), and whether it had cells. */
    const run = (n: number) => {
      const out: { at: number; cells: boolean; simMs: number }[] = [];
      for (let i = 0; i < n; i++) {
        const before = h.frames().length;
        const at = h.wallMs() + TICK_MS;
        h.tick();
        if (h.frames().length === before) continue;
        const f = h.lastFrame();
        out.push({ at, cells: f.cells !== undefined, simMs: f.simTimeMs });
        h.giveBack(f);
      }
      return out;
    };
    const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]);
    // Cells at most every slowMs / RENDER_SHARE = 99 ms (due half a tick early); frames still
    // at the page's 33 ms (due from 25), each with the clock moving on.
    const every = slowMs / RENDER_SHARE;
    const slow = run(30).slice(1);
    expect(Math.min(...gaps(slow.map((f) => f.at)))).toBeGreaterThanOrEqual(33 - TICK_MS / 2);
    const withCells = slow.filter((f) => f.cells).map((f) => f.at);
    expect(Math.min(...gaps(withCells))).toBeGreaterThanOrEqual(every - TICK_MS / 2);
    expect(Math.max(...gaps(withCells))).toBeLessThanOrEqual(every + 2 * TICK_MS);
    expect(slow.filter((f) => !f.cells).length).toBeGreaterThan(withCells.length);
    expect(gaps(slow.map((f) => f.simMs)).every((d) => d > 0)).toBe(true);
    // Cheap renders: cells in every frame (from the first render that took 1 ms).
    renderMs = 1;
    run(6);
    expect(run(8).every((f) => f.cells)).toBe(true);
    // Without a cap (single view), cells every tick however slow the render.
    renderMs = slowMs;
    h.host.handle({ type: 'setFrameInterval', ms: 0 });
    expect(run(4).map((f) => f.cells)).toEqual([true, true, true, true]);
    // Paused, the frame goes out at once, with cells.
    h.host.handle({ type: 'setFrameInterval', ms: 33 });
    run(3);
    const before = h.frames().length;
    h.host.handle({ type: 'pause' });
    expect(h.frames().length).toBe(before + 1);
    expect(h.lastFrame().cells).toBeDefined();
  });

  it('runs to the end at speed Infinity within a few ticks, then posts done with verification', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: Number.POSITIVE_INFINITY });
    h.host.handle({ type: 'play' });
    for (let i = 0; i < 50 && !h.lastFrame().done; i++) {
      h.giveBack(h.lastFrame());
      h.tick();
    }
    expect(h.lastFrame().done).toBe(true);
    expect(h.lastFrame().playing).toBe(false);
    const done = h.posted.map((p) => p.msg).find((m) => m.type === 'done');
    expect(done?.type === 'done' && done.stats.verification.ok).toBe(true);
  });

  it('steps by stepSizeMs(speed) and pauses', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: 0.1 });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'step' });
    expect(h.lastFrame().simTimeMs).toBe(25); // 0.1 x 250 ms
    expect(h.lastFrame().playing).toBe(false);
  });

  it('seek re-simulates from scratch: new epoch, events from the start, exact time', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario({ mode: 'pv' }) });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'seek', simMs: 12 });
    const f = h.lastFrame();
    expect(f.epoch).toBe(2);
    expect(f.simTimeMs).toBe(12);
    expect(f.phase).toBe('bulk');
    expect(f.events.filter((e) => e.kind === 'vq').map((e) => e.kind === 'vq' && e.vq.kind)).toEqual([
      'add',
      'kick',
      'pop',
      'push',
      'interrupt',
      'reclaim',
    ]);
    expect(f.series.replace).toBe(true);
    expect(Array.from(f.series.t)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('sends only new events and series points within an epoch', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario({ mode: 'pv' }) });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: 0.012 }); // step = 3 ms
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'step' }); // 0 -> 3
    const a = h.lastFrame();
    h.giveBack(a);
    h.host.handle({ type: 'step' }); // 3 -> 6
    const b = h.lastFrame();
    expect(Array.from(a.series.t)).toEqual([1, 2, 3]);
    expect(b.series.replace).toBe(false);
    expect(Array.from(b.series.t)).toEqual([4, 5, 6]);
    const kinds = (f: FrameMessage) => f.events.flatMap((e) => (e.kind === 'vq' ? [e.vq.kind] : []));
    expect(kinds(a)).toEqual(['add', 'kick', 'pop']);
    expect(kinds(b)).toEqual(['push', 'interrupt', 'reclaim']);
  });

  it('setMode keeps the simulated time and changes what the page map holds', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'seek', simMs: 8 });
    const original = h.lastFrame();
    const skippedOriginal = cellsOf(original).filter((c) => migrationOf(c) === MIG_SKIPPED).length;
    h.giveBack(original);
    h.host.handle({ type: 'setMode', mode: 'pv' });
    const pv = h.lastFrame();
    expect(pv.simTimeMs).toBe(8);
    expect(pv.stats.migviz.mode).toBe('pv');
    expect(skippedOriginal).toBe(0);
    expect(cellsOf(pv).filter((c) => migrationOf(c) === MIG_SKIPPED).length).toBe(3072); // 3 of 4 pages free
  });

  it('turns exceptions into error messages and recovers on the next load', () => {
    let fail = true;
    const h = harness((s) => {
      if (fail) throw new Error('guest too large for this profile');
      return new FakeSimulation(fakeScenario(s));
    });
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    expect(h.posted.at(-1)?.msg).toEqual({ type: 'error', message: 'guest too large for this profile' });
    h.host.handle({ type: 'play' });
    // Nothing to play, and the reason is the failed load's.
    expect(h.posted.at(-1)?.msg).toEqual({ type: 'error', message: 'guest too large for this profile' });
    fail = false;
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    expect(h.lastFrame().epoch).toBe(1);
  });

  it('rejects bad speeds and seeks with a message', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: -1 });
    expect(h.posted.at(-1)?.msg).toEqual({ type: 'error', message: 'speed must be positive, got -1' });
    h.host.handle({ type: 'seek', simMs: Number.NaN });
    expect(h.posted.at(-1)?.msg).toMatchObject({ type: 'error' });
  });

  it('answers pageInfo, with null outside guest RAM', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    h.host.handle({ type: 'pageInfo', requestId: 7, pfn: 4 });
    expect(h.posted.at(-1)?.msg).toMatchObject({ type: 'pageInfo', requestId: 7, info: { pfn: 4, guest: 'used' } });
    h.host.handle({ type: 'pageInfo', requestId: 8, pfn: 1 << 30 });
    expect(h.posted.at(-1)?.msg).toEqual({ type: 'pageInfo', requestId: 8, info: null });
  });

  it('answers cellSummary with the page counts of a bucket, null outside guest RAM', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    h.host.handle({ type: 'cellSummary', requestId: 9, firstPfn: 16, pages: 16 });
    const msg = h.posted.at(-1)?.msg;
    if (msg?.type !== 'cellSummary' || !msg.summary) throw new Error(`unexpected ${JSON.stringify(msg)}`);
    expect(msg.requestId).toBe(9);
    expect(msg.summary).toMatchObject({ firstPfn: 16, pages: 16 });
    // every 4th page in use: 4 used + 12 free-stale, all still to send
    expect(msg.summary.byCode.reduce((a, b) => a + b, 0)).toBe(16);
    expect(msg.summary.byCode.filter((n) => n > 0).sort()).toEqual([12, 4]);
    h.host.handle({ type: 'cellSummary', requestId: 10, firstPfn: 4096, pages: 4 });
    expect(h.posted.at(-1)?.msg).toEqual({ type: 'cellSummary', requestId: 10, summary: null });
  });

  it('Play after the end starts over', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'runToEnd' });
    expect(h.lastFrame().done).toBe(true);
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'play' });
    expect(h.lastFrame()).toMatchObject({ done: false, simTimeMs: 0, playing: true, epoch: 2 });
  });
});

it('fake setup length is what the tests assume', () => {
  expect(FAKE_SETUP_MS).toBe(10);
});

it('echoes how many messages it has handled, so the UI can tell stale frames', () => {
  const h = harness();
  h.host.handle({ type: 'load', scenario: fakeScenario() });
  expect(h.lastFrame().ack).toBe(1);
  h.giveBack(h.lastFrame()); // 2
  h.host.handle({ type: 'runToEnd' }); // 3
  expect(h.lastFrame()).toMatchObject({ ack: 3, done: true, playing: false });
});

it('answers a timeline query with the whole run, without moving the playing one', () => {
  const posted: FromWorker[] = [];
  const host = new SimHost({
    createSimulation: (s) => new FakeSimulation(s),
    post: (m) => posted.push(m as FromWorker),
    now: () => 0,
    setTimer: () => 0,
    clearTimer: () => {},
  });
  host.handle({ type: 'load', scenario: fakeScenario({ mode: 'pv' }) });
  host.handle({ type: 'timeline' });
  const tl = posted.find((m) => m.type === 'timeline');
  expect(tl && tl.type === 'timeline' && [tl.endMs, tl.final.status, tl.markers.map((e) => e.kind)]).toEqual([
    FAKE_SETUP_MS + 11, // 1024 used pages at 100 per ms after setup
    'completed',
    ['phase', 'free-page-request', 'free-page-bitmap', 'phase', 'sync', 'phase'],
  ]);
  const frames = posted.filter((m) => m.type === 'frame');
  expect(frames.at(-1)?.type === 'frame' && frames.at(-1)?.simTimeMs).toBe(0);
});

describe('SimHost: every message checked at the boundary (issue 9, defect 8)', () => {
  const last = (h: ReturnType<typeof harness>) => h.posted.at(-1)?.msg;

  it('pageInfo with a non-integer, negative or missing pfn is answered once with null, and playback goes on', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    h.host.handle({ type: 'play' });
    const before = h.posted.length;
    for (const [i, pfn] of [1.5, -1, Number.NaN, '4', undefined].entries()) h.host.handle({ type: 'pageInfo', requestId: i, pfn });
    const answers = h.posted.slice(before).map((p) => p.msg);
    expect(answers).toEqual([0, 1, 2, 3, 4].map((requestId) => ({ type: 'pageInfo', requestId, info: null })));
    h.tick();
    expect(h.lastFrame().playing).toBe(true);
  });

  it('cellSummary with pages NaN, 0 or 1.5 is answered with null, not NaN counts', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    for (const pages of [Number.NaN, 0, 1.5, Number.POSITIVE_INFINITY]) {
      h.host.handle({ type: 'cellSummary', requestId: 3, firstPfn: 0, pages });
      expect(last(h)).toEqual({ type: 'cellSummary', requestId: 3, summary: null });
    }
    h.host.handle({ type: 'cellSummary', requestId: 4, firstPfn: 0.5, pages: 4 });
    expect(last(h)).toEqual({ type: 'cellSummary', requestId: 4, summary: null });
  });

  it('a query the engine throws on is answered with null once, then the error is reported', () => {
    const h = harness((s) => {
      const sim = new FakeSimulation(fakeScenario(s));
      sim.pageInfo = () => {
        throw new Error('engine bug');
      };
      return sim;
    });
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    const before = h.posted.length;
    h.host.handle({ type: 'pageInfo', requestId: 11, pfn: 4 });
    expect(h.posted.slice(before).map((p) => p.msg)).toEqual([
      { type: 'pageInfo', requestId: 11, info: null },
      { type: 'error', message: 'engine bug' },
    ]);
  });

  it('setViewport with NaN, 0 or a negative size is rejected and later frames keep the last good layout', () => {
    const h = harness();
    h.host.handle({ type: 'setViewport', width: 64, height: 64 });
    h.host.handle({ type: 'load', scenario: fakeScenario() });
    const good = h.lastFrame().layout;
    h.giveBack(h.lastFrame());
    for (const [width, height] of [
      [Number.NaN, 64],
      [0, 64],
      [64, -1],
      [64, Number.POSITIVE_INFINITY],
    ]) {
      h.host.handle({ type: 'setViewport', width, height });
      expect(last(h)).toMatchObject({ type: 'error', message: expect.stringMatching(/^setViewport: width and height must be from 1 to 32767 px/) });
    }
    h.host.handle({ type: 'step' });
    expect(h.lastFrame().layout).toEqual(good);
    expect(Number.isFinite(h.lastFrame().layout.cols) && Number.isFinite(h.lastFrame().layout.rows)).toBe(true);
  });

  it('a load that fails validation keeps the previous good run', () => {
    const h = harness((s) => {
      if (s.seed === 666) throw new Error('seed must be from 0 to 4294967295');
      return new FakeSimulation(fakeScenario(s));
    });
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'step' });
    const at = h.lastFrame().simTimeMs;
    expect(at).toBe(63); // steps of 62.5 ms at the default speed, in the fake's 1 ms ticks
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'load', scenario: fakeScenario({ seed: 666 }) });
    expect(last(h)).toEqual({ type: 'error', message: 'seed must be from 0 to 4294967295' });
    h.host.handle({ type: 'load', scenario: 'rfc-case-1' });
    expect(last(h)).toEqual({ type: 'error', message: 'load needs a scenario object' });
    h.host.handle({ type: 'step' });
    expect(h.lastFrame()).toMatchObject({ epoch: 1, simTimeMs: 126, pageCount: 65536 });
  });

  it('unknown types and non-objects are reported, not thrown', () => {
    const h = harness();
    for (const m of [null, 42, 'play', [], { type: 'explode' }, { type: 'toString' }, { type: 'setMode', mode: 'fast' }]) {
      h.host.handle(m);
      expect(last(h)).toMatchObject({ type: 'error' });
    }
    expect(h.posted.map((p) => (p.msg.type === 'error' ? p.msg.message : '')).slice(4, 7)).toEqual([
      'unknown message type "explode"',
      'unknown message type "toString"',
      'setMode: mode must be one of original, pv, pagemap, hint, report',
    ]);
  });

  it('foreign buffers cannot lift the back-pressure of the frame pool', () => {
    const h = harness();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.host.handle({ type: 'setSpeed', simMsPerWallMs: 0.2 });
    expect(h.frames()).toHaveLength(2); // both buffers out with the UI
    const size = cellsOf(h.frames()[0]).buffer.byteLength;
    // Buffers the pool never handed out, of another size or the same size beyond what is owed.
    h.host.handle({ type: 'returnBuffer', buffer: new ArrayBuffer(size * 2) });
    h.host.handle({ type: 'returnBuffer', buffer: new ArrayBuffer(7) });
    h.host.handle({ type: 'returnBuffer', buffer: new ArrayBuffer(0) });
    h.host.handle({ type: 'step' });
    expect(h.frames()).toHaveLength(2);
    h.giveBack(h.frames()[0]);
    expect(h.frames()).toHaveLength(3);
    // Returning the same frame again (or a copy of it) does not make a third buffer.
    h.giveBack(h.frames()[1]);
    h.host.handle({ type: 'returnBuffer', buffer: new ArrayBuffer(size) });
    h.host.handle({ type: 'returnBuffer', buffer: new ArrayBuffer(size) });
    h.host.handle({ type: 'step' });
    h.host.handle({ type: 'step' });
    h.host.handle({ type: 'step' });
    expect(h.frames()).toHaveLength(5); // one frame per buffer owed, then back-pressure
  });
});

describe('SimHost: long work in chunks, with progress and cancel (issue 9, defect 5)', () => {
  // Every now() call moves the wall clock 10 ms: a 50 ms chunk is 5 slices of 25 simulated ms.
  const longRun = () => harness(undefined, 10);
  const progress = (h: ReturnType<typeof harness>) =>
    h.posted.map((p) => p.msg).filter((m): m is ProgressMessage => m.type === 'progress');
  const drain = (h: ReturnType<typeof harness>) => {
    for (let i = 0; i < 100 && h.timers.length > 0; i++) h.tick(0);
  };

  it('a long seek re-simulates in chunks: progress between them, queries answered, then one frame at the target', () => {
    const h = longRun();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) }); // ends at ~665 ms
    h.giveBack(h.lastFrame());
    const framesBefore = h.frames().length;
    h.host.handle({ type: 'seek', simMs: 600 });
    expect(progress(h)).toEqual([{ type: 'progress', what: 'rebuild', simMs: 125, fraction: 125 / 600 }]);
    expect(h.frames()).toHaveLength(framesBefore); // no frame of the old run passes for the seek's result
    h.host.handle({ type: 'pageInfo', requestId: 1, pfn: 4 });
    expect(h.posted.at(-1)?.msg).toMatchObject({ type: 'pageInfo', requestId: 1, info: { pfn: 4 } });
    drain(h);
    expect(progress(h).map((p) => p.simMs)).toEqual([125, 250, 375, 500]);
    expect(h.frames()).toHaveLength(framesBefore + 1);
    expect(h.lastFrame()).toMatchObject({ epoch: 2, simTimeMs: 600, ack: 4 });
  });

  it('a newer seek cancels the older one; Pause meanwhile is answered in the frame that ends it', () => {
    const h = longRun();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'seek', simMs: 600 });
    h.host.handle({ type: 'pause' });
    h.host.handle({ type: 'seek', simMs: 300 });
    drain(h);
    const after = h.frames().slice(1);
    expect(after.map((f) => [f.epoch, f.simTimeMs])).toEqual([[2, 300]]);
    expect(after[0]).toMatchObject({ playing: false, ack: 5 });
  });

  it('Play during a pending seek plays from the seek target', () => {
    const h = longRun();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'seek', simMs: 400 });
    h.host.handle({ type: 'play' });
    expect(h.lastFrame()).toMatchObject({ epoch: 2, simTimeMs: 400, playing: true });
  });

  it('a mode switch during a pending seek goes to the seek target in the new mode', () => {
    const h = longRun();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'seek', simMs: 150 }); // the fake's pv run ends at 174 ms
    h.host.handle({ type: 'setMode', mode: 'pv' });
    drain(h);
    expect(h.frames().slice(1).map((f) => [f.epoch, f.simTimeMs, f.done])).toEqual([[2, 150, false]]);
    expect(h.frames()[1].stats.migviz['skipped-free-pages']).toBeGreaterThan(0);
    h.host.handle({ type: 'timeline' });
    drain(h);
    const tl = h.posted.map((p) => p.msg).find((m) => m.type === 'timeline');
    expect(tl?.type === 'timeline' && tl.scenario.mode).toBe('pv');
  });

  it('the timeline runs in chunks with progress of unknown length; a newer query cancels the older', () => {
    const h = longRun();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.host.handle({ type: 'timeline' });
    h.host.handle({ type: 'timeline' });
    expect(progress(h)).toEqual([
      { type: 'progress', what: 'timeline', simMs: 125, fraction: null },
      { type: 'progress', what: 'timeline', simMs: 125, fraction: null },
    ]);
    h.host.handle({ type: 'cellSummary', requestId: 2, firstPfn: 0, pages: 4 });
    expect(h.posted.at(-1)?.msg).toMatchObject({ type: 'cellSummary', requestId: 2 });
    drain(h);
    const timelines = h.posted.map((p) => p.msg).filter((m) => m.type === 'timeline');
    expect(timelines).toHaveLength(1);
    expect(timelines[0]).toMatchObject({ endMs: 666, final: { status: 'completed' } });
  });

  it('the timeline gives way to a pending seek: the frame at the seek target comes first', () => {
    const h = longRun();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.giveBack(h.lastFrame());
    h.host.handle({ type: 'seek', simMs: 400 });
    h.host.handle({ type: 'timeline' });
    drain(h);
    const order = h.posted.map((p) => (p.msg.type === 'progress' ? `${p.msg.what} ${p.msg.simMs}` : p.msg.type)).slice(1);
    expect(order).toEqual([
      'rebuild 125',
      'rebuild 250',
      'rebuild 375',
      'frame',
      'timeline 125',
      'timeline 250',
      'timeline 375',
      'timeline 500',
      'timeline 625',
      'timeline',
    ]);
  });

  it('a load cancels the timeline of the scenario it leaves', () => {
    const h = longRun();
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4 }) });
    h.host.handle({ type: 'timeline' });
    h.host.handle({ type: 'load', scenario: fakeScenario({ guestGiB: 1 / 4, seed: 2 }) });
    drain(h);
    expect(h.posted.some((p) => p.msg.type === 'timeline')).toBe(false);
  });
});

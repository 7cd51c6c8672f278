/**
 * Issue 9, test gap: a seek or mode switch *after* a frame that carried events. The host sends
 * each frame only the events it has not sent yet (an event cursor); a seek or mode switch starts
 * a new run whose events begin again at 0. A stale cursor loses the new run's first events (the
 * timeline markers), a cursor that does not move duplicates them. Checked with the real engine
 * against a fresh Simulation advanced to the same time.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIO_PRESETS } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { ModeId, Scenario, SimEvent } from '../../src/engine/types';
import type { FrameMessage, FromWorker } from '../../src/protocol';
import { manualTimers } from './manual-timers';
import { SimHost } from '../../src/worker/sim-host';
import { cellsOf } from '../protocol/frames';

// RFC case 2 at 1/4 GiB in pv mode: 226 ms of simulated time, 24 events (phase, free-page
// request and bitmap, syncs, virtqueue traffic), spread from 0 to the end; ~15 ms to run.
const scenario = (mode: ModeId = 'pv'): Scenario => ({ ...SCENARIO_PRESETS['rfc-case-2'], guestGiB: 0.25, mode });

/** A host on the real engine with a still wall clock: a rebuild finishes in its first chunk. */
function realHost() {
  const posted: FromWorker[] = [];
  const host = new SimHost({
    createSimulation: (s, o) => new Simulation(s, o),
    post: (msg) => posted.push(msg),
    now: () => 0,
    setTimer: () => 0,
    clearTimer: () => {},
  });
  const frames = () => posted.filter((m): m is FrameMessage => m.type === 'frame');
  const last = () => frames().at(-1) as FrameMessage;
  /** Every frame's buffer goes back at once, so the pool never holds a frame back. */
  const send = (msg: unknown) => {
    const before = frames().length;
    host.handle(msg);
    for (const f of frames().slice(before)) host.handle({ type: 'returnBuffer', buffer: cellsOf(f).buffer as ArrayBuffer });
  };
  return { send, frames, last, posted };
}

/** A fresh engine run of `s` to `ms`, the reference for what a frame at that moment holds. */
function freshAt(s: Scenario, ms: number): Simulation {
  const sim = new Simulation(s);
  sim.step(ms);
  return sim;
}

/** The events of every frame of `epoch`, in the order they arrived. */
const eventsOfEpoch = (frames: FrameMessage[], epoch: number): SimEvent[] =>
  frames.filter((f) => f.epoch === epoch).flatMap((f) => f.events);

/** A frame equals a fresh engine at its time: clock, phase, round, cursor, stats, page map. */
function expectFrameIsFresh(f: FrameMessage, s: Scenario, ms: number): void {
  const fresh = freshAt(s, ms);
  expect(f.simTimeMs).toBe(fresh.clockMs);
  expect([f.phase, f.round, f.cursor, f.done]).toEqual([fresh.phase, fresh.round, fresh.cursor, fresh.done]);
  expect(f.stats).toEqual(fresh.stats());
  const cells = new Uint8Array(f.layout.cells);
  fresh.renderPageMap(cells, f.layout.bucketShift, f.layout.firstPfn, f.layout.cells * 2 ** f.layout.bucketShift);
  expect(Array.from(cellsOf(f))).toEqual(Array.from(cells));
}

describe('SimHost: seek and mode switch after frames that carried events (real engine)', () => {
  it('a seek back after events were sent: the new epoch carries exactly a fresh run’s events, once', () => {
    const h = realHost();
    h.send({ type: 'setViewport', width: 128, height: 128 }); // 16384 cells, 4 pages per cell
    h.send({ type: 'load', scenario: scenario() });
    h.send({ type: 'setSpeed', simMsPerWallMs: 0.2 }); // a step is 0.2 x 250 = 50 simulated ms
    for (let i = 0; i < 3; i++) h.send({ type: 'step' }); // 0 -> 50 -> 100 -> 150 asked
    const sent = eventsOfEpoch(h.frames(), 1);
    // The engine's clock stops at the end of its unit of work at or past the time asked: the
    // dirty-log start (83 -> 84 ms) and the rounds' sends move it in steps, here to 183 ms.
    const at = h.last().simTimeMs;
    expect(at).toBeCloseTo(183.03, 2);
    // What the first epoch's frames carried is the fresh run's events to that time, none twice.
    expect(sent).toEqual(freshAt(scenario(), at).events);
    const kinds = sent.filter((e) => e.kind !== 'vq').map((e) => e.kind);
    expect(kinds).toEqual(['phase', 'free-page-request', 'free-page-bitmap', 'sync', 'phase', 'sync', 'phase', 'sync']);

    // Back to 100 ms: a new run, whose events start again from the migration's start.
    h.send({ type: 'seek', simMs: 100 });
    expect(h.last().epoch).toBe(2);
    expect(h.last().series.replace).toBe(true);
    expectFrameIsFresh(h.last(), scenario(), 100);
    const at100 = freshAt(scenario(), 100).events;
    expect(at100.length).toBeGreaterThan(4); // phase, request, bitmap, sync, phase and the vq chain
    expect(h.last().events).toEqual(at100);

    // On from there: the later frames add only what is new; all of epoch 2 = a fresh run's events.
    h.send({ type: 'step' });
    h.send({ type: 'step' });
    const later = h.last().simTimeMs;
    expect(later).toBeGreaterThanOrEqual(200);
    expectFrameIsFresh(h.last(), scenario(), later);
    expect(eventsOfEpoch(h.frames(), 2)).toEqual(freshAt(scenario(), later).events);
  });

  it('a seek forward past more events, then to the end: nothing lost or repeated, and the end is a fresh run’s end', () => {
    const h = realHost();
    h.send({ type: 'setViewport', width: 128, height: 128 });
    h.send({ type: 'load', scenario: scenario() });
    h.send({ type: 'seek', simMs: 90 }); // past the free-page bitmap at ~84 ms
    expect(h.last().events.some((e) => e.kind === 'free-page-bitmap')).toBe(true);
    h.send({ type: 'seek', simMs: 140 });
    expect(h.last().epoch).toBe(3);
    expectFrameIsFresh(h.last(), scenario(), 140);
    expect(h.last().events).toEqual(freshAt(scenario(), 140).events);
    h.send({ type: 'runToEnd' });
    const end = freshAt(scenario(), Number.POSITIVE_INFINITY);
    expect(end.done).toBe(true);
    expectFrameIsFresh(h.last(), scenario(), Number.POSITIVE_INFINITY);
    expect(eventsOfEpoch(h.frames(), 3)).toEqual(end.events);
    const done = h.posted.filter((m) => m.type === 'done');
    expect(done).toHaveLength(1);
    expect(done[0].type === 'done' && done[0].stats).toEqual(end.stats());
  });

  it('a mode switch after events were sent: the new mode’s run from its start, at the same time', () => {
    const h = realHost();
    h.send({ type: 'setViewport', width: 128, height: 128 });
    h.send({ type: 'load', scenario: scenario('pv') });
    h.send({ type: 'seek', simMs: 190 });
    expect(eventsOfEpoch(h.frames(), 2)).toHaveLength(freshAt(scenario('pv'), 190).events.length);
    h.send({ type: 'setMode', mode: 'hint' });
    // The switch keeps the clock the pv run had reached (its unit's end at or past 190 ms).
    const at = freshAt(scenario('pv'), 190).clockMs;
    expect(h.last().epoch).toBe(3);
    expectFrameIsFresh(h.last(), scenario('hint'), at);
    const hint = freshAt(scenario('hint'), at).events;
    // hint by then (193 ms): setup at 0, a sync and a phase change at 83 and at 183 ms, a sync at 193
    expect(hint.filter((e) => e.kind !== 'vq').map((e) => e.kind)).toEqual(['phase', 'sync', 'phase', 'sync', 'phase', 'sync']);
    expect(h.last().events).toEqual(hint);
  });

  it('a seek while playing, after ticks that carried events', () => {
    const posted: FromWorker[] = [];
    let now = 0;
    const clock = manualTimers();
    const host = new SimHost({
      createSimulation: (s, o) => new Simulation(s, o),
      post: (msg) => posted.push(msg),
      now: () => now,
      setTimer: clock.setTimer,
      clearTimer: clock.clearTimer,
    });
    const frames = () => posted.filter((m): m is FrameMessage => m.type === 'frame');
    const giveBackAll = () => {
      for (const f of frames()) host.handle({ type: 'returnBuffer', buffer: cellsOf(f).buffer as ArrayBuffer });
    };
    host.handle({ type: 'load', scenario: scenario() });
    host.handle({ type: 'setSpeed', simMsPerWallMs: 1 });
    host.handle({ type: 'play' });
    // 120 wall ms at 1 simulated ms per wall ms, ticks of 16 ms (each at most 100 ms: TICK_MS, MAX_TICK_GAP_MS)
    for (let i = 0; i < 8; i++) {
      giveBackAll();
      now += 16;
      clock.next();
    }
    const playedTo = frames().at(-1)?.simTimeMs ?? 0;
    expect(playedTo).toBeGreaterThanOrEqual(128);
    expect(eventsOfEpoch(frames(), 1)).toEqual(freshAt(scenario(), playedTo).events);
    expect(eventsOfEpoch(frames(), 1).filter((e) => e.kind === 'free-page-bitmap')).toHaveLength(1);
    giveBackAll();
    host.handle({ type: 'seek', simMs: 60 });
    const f = frames().at(-1) as FrameMessage;
    expect(f).toMatchObject({ epoch: 2, playing: false });
    expectFrameIsFresh(f, scenario(), 60);
    expect(f.events).toEqual(freshAt(scenario(), 60).events);
    // before the dirty-log start (83 ms): the guest's virtqueue traffic while it settled, and setup
    expect(f.events.map((e) => e.kind)).toEqual(['vq', 'vq', 'phase']);
  });
});

import { describe, expect, it } from 'vitest';
import { MODE_IDS } from '../../src/engine/migration/modes';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { ModeId, Scenario } from '../../src/engine/types';
import type { FrameMessage, FromWorker, TimelineMessage } from '../../src/protocol';
import { manualTimers } from './manual-timers';
import { SimHost } from '../../src/worker/sim-host';
import { cellsOf } from '../protocol/frames';

const small = (o: Partial<Scenario>): Scenario => resolveScenario('rfc-case-1', { guestGiB: 0.0625, ...o });

/**
 * A host on the real engine with a hand-driven clock: every now() call is `workMs` later, so each
 * slice of work counts that much toward the next checkpoint. Counts the Simulations it builds.
 */
function realHost(workMs = 40) {
  let now = 0;
  let built = 0;
  const clock = manualTimers();
  const posted: FromWorker[] = [];
  const host = new SimHost({
    createSimulation: (s, o) => {
      built++;
      return new Simulation(s, o);
    },
    post: (m) => posted.push(m),
    now: () => (now += workMs),
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
  });
  const frames = () => posted.filter((m): m is FrameMessage => m.type === 'frame');
  let returned = 0;
  /** Runs every pending timer, giving frame buffers back so that frames keep coming. */
  const settle = () => {
    for (let guard = 0; guard < 100_000; guard++) {
      const f = frames();
      while (returned < f.length) host.handle({ type: 'returnBuffer', buffer: cellsOf(f[returned++]).buffer as ArrayBuffer });
      if (!clock.next()) return;
    }
    throw new Error('timers never settled');
  };
  const send = (m: Parameters<SimHost['handle']>[0]) => {
    host.handle(m);
    settle();
  };
  const timeline = () => posted.find((m): m is TimelineMessage => m.type === 'timeline');
  return { send, frames, last: () => frames().at(-1) as FrameMessage, timeline, built: () => built };
}

/** What a fresh run played to `t` shows, for comparison with a frame. */
function played(scenario: Scenario, t: number, f: FrameMessage) {
  const sim = new Simulation(scenario);
  sim.step(t);
  const cells = new Uint8Array(f.layout.cells);
  sim.renderPageMap(cells, f.layout.bucketShift, f.layout.firstPfn, f.layout.cells * 2 ** f.layout.bucketShift);
  return { t: sim.clockMs, phase: sim.phase, stats: sim.stats(), cells, events: sim.events };
}
/** A frame right after a seek carries the run's whole event log (a new epoch starts from 0). */
const shown = (f: FrameMessage) => ({ t: f.simTimeMs, phase: f.phase, stats: f.stats, cells: f.cells, events: f.events });

describe('seeks from checkpoints (the worker on the real engine)', () => {
  it('a seek to the end of a failed run shows failed, as playing into it does', () => {
    const scenario = small({ linkGbps: 0.1, workload: 'running' });
    const h = realHost();
    h.send({ type: 'load', scenario });
    h.send({ type: 'timeline' });
    const tl = h.timeline();
    expect(tl?.final.status).toBe('failed');
    h.send({ type: 'seek', simMs: tl?.endMs ?? 0 });
    expect(h.last().phase).toBe('failed');
    expect(h.last().stats).toEqual(tl?.final);
    // The timeline's run took the shown run's place; the seek restored one of its checkpoints.
    expect(h.built()).toBe(2);
  });

  for (const mode of MODE_IDS as readonly ModeId[]) {
    it(`${mode}: seeks anywhere, back and forth, and Reset show what playing there shows, without re-simulating from 0`, () => {
      const scenario = small({ mode, workload: 'running', seed: 5 });
      const h = realHost();
      h.send({ type: 'setViewport', width: 128, height: 128 });
      h.send({ type: 'load', scenario });
      h.send({ type: 'timeline' });
      const end = h.timeline()?.endMs ?? 0;
      expect(end).toBeGreaterThan(0);
      for (const f of [0.9, 0.2, 0.55, 1, 0.05]) {
        h.send({ type: 'seek', simMs: f * end });
        expect(shown(h.last())).toEqual(played(scenario, f * end, h.last()));
      }
      h.send({ type: 'reset' });
      expect(h.last().simTimeMs).toBe(0);
      expect(shown(h.last())).toEqual(played(scenario, 0, h.last()));
      expect(h.built()).toBe(2);
    });
  }
});

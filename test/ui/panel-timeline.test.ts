/**
 * The timeline's pre-run is asked for after a frame of the loaded run has come and the page is
 * next idle, not with the load (issue 13: on 2 cores the pre-run took the CPU the page's first
 * frames needed). A load that replaced another asks once, for itself.
 */
import { describe, expect, it, vi } from 'vitest';
import { InProcessEngineClient } from '../../src/client/in-process-client';
import { SCENARIO_PRESETS } from '../../src/engine/scenario';
import type { ToWorker } from '../../src/protocol';
import { RafScheduler } from '../../src/ui/render/raf-scheduler';
import { PanelController } from '../../src/ui/state/panel-controller';
import { FakeSimulation } from '../worker/fake-simulation';

const SMALL = { ...SCENARIO_PRESETS['rfc-case-2'], guestGiB: 0.0625 };

/** The in-process engine answers asynchronously, as a worker: vi.waitFor awaits its frames. */
function setup() {
  const sent: ToWorker['type'][] = [];
  const idle: (() => void)[] = [];
  const c = new PanelController({
    createClient: () => {
      const client = new InProcessEngineClient({ createSimulation: (s) => new FakeSimulation(s) });
      const send = client.send.bind(client);
      client.send = (msg, transfer) => {
        if (msg.type !== 'returnBuffer') sent.push(msg.type);
        send(msg, transfer);
      };
      return client;
    },
    scheduler: new RafScheduler(() => 0),
    scenario: SMALL,
    whenIdle: (cb) => idle.push(cb),
  });
  const runIdle = () => {
    for (const cb of idle.splice(0)) cb();
  };
  return { c, sent, idle, runIdle };
}

describe('the timeline request', () => {
  it('waits for a frame of the loaded run, then for the page to be idle', async () => {
    const h = setup();
    h.c.start();
    expect(h.sent).toEqual(['setSpeed', 'load']);
    expect(h.c.store.getState().busy?.what).toBe('timeline'); // the indicator shows from the load
    await vi.waitFor(() => expect(h.c.live.seq).toBeGreaterThan(0));
    expect(h.sent).not.toContain('timeline');
    expect(h.idle).toHaveLength(1);
    h.runIdle();
    expect(h.sent).toEqual(['setSpeed', 'load', 'timeline']);
    await vi.waitFor(() => expect(h.c.store.getState().timeline).not.toBeNull());
    expect(h.c.store.getState().timeline?.endMs).toBeGreaterThan(0);
    h.c.dispose();
  });

  it('a load that replaces another before the idle moment asks once, for itself', async () => {
    const h = setup();
    h.c.start();
    await vi.waitFor(() => expect(h.idle).toHaveLength(1));
    h.c.setMode('pv'); // the engine reloads in the other mode
    h.runIdle(); // the first load's moment: its timeline is no longer wanted
    expect(h.sent).not.toContain('timeline');
    await vi.waitFor(() => expect(h.idle).toHaveLength(1)); // a frame that has seen the switch
    h.runIdle();
    expect(h.sent.filter((t) => t === 'timeline')).toHaveLength(1);
    expect(h.sent.at(-1)).toBe('timeline');
    h.c.dispose();
  });
});

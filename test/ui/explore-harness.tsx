/**
 * The App on in-process engines with a manual rAF, a session handle and a log of what was sent
 * (issue 13's component tests share it).
 */
import { act, render } from '@testing-library/react';
import type { EngineClient } from '../../src/client/engine-client';
import { InProcessEngineClient } from '../../src/client/in-process-client';
import type { Simulation } from '../../src/engine/simulation';
import type { Scenario } from '../../src/engine/types';
import type { ToWorker } from '../../src/protocol';
import { App } from '../../src/ui/App';
import { RafScheduler } from '../../src/ui/render/raf-scheduler';
import type { Session } from '../../src/ui/state/session';
import type { CreateOptions } from '../../src/worker/sim-host';
import { FakeSimulation } from '../worker/fake-simulation';

export function setup(
  search: string,
  createSimulation: (s: Scenario, o?: CreateOptions) => FakeSimulation | Simulation = (s) => new FakeSimulation(s),
) {
  const sent: ToWorker[] = [];
  const createClient = (): EngineClient => {
    const c = new InProcessEngineClient({ createSimulation });
    const send = c.send.bind(c);
    c.send = (msg, transfer) => {
      if (msg.type !== 'returnBuffer') sent.push(msg);
      send(msg, transfer);
    };
    return c;
  };
  const queue: FrameRequestCallback[] = [];
  const scheduler = new RafScheduler((cb) => {
    queue.push(cb);
    return queue.length;
  });
  const flush = () =>
    act(() => {
      for (const cb of queue.splice(0)) cb(performance.now());
    });
  let session: Session | null = null;
  render(
    <App
      createClient={createClient}
      scheduler={scheduler}
      search={search}
      onSession={(s) => {
        session = s;
      }}
      session={{ urlDebounceMs: 5 }}
    />,
  );
  const s = () => session as unknown as Session;
  const viewports = () => sent.filter((m): m is Extract<ToWorker, { type: 'setViewport' }> => m.type === 'setViewport');
  return { s, sent, viewports, flush };
}


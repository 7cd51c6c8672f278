/**
 * The App on in-process engines, for component tests: a hand-driven rAF scheduler, every
 * client's messages logged with the client's index, and handles on the session and services.
 */
import { act, render } from '@testing-library/react';
import { afterEach, beforeEach } from 'vitest';
import { InProcessEngineClient } from '../../src/client/in-process-client';
import type { EngineClient } from '../../src/client/engine-client';
import type { Simulation } from '../../src/engine/simulation';
import type { Scenario } from '../../src/engine/types';
import type { ToWorker } from '../../src/protocol';
import { App, type AppProps } from '../../src/ui/App';
import { RafScheduler } from '../../src/ui/render/raf-scheduler';
import type { AppServices } from '../../src/ui/state/context';
import type { Session } from '../../src/ui/state/session';
import type { CreateOptions } from '../../src/worker/sim-host';
import { FakeSimulation } from '../worker/fake-simulation';
import { installCanvasFake } from './canvas-fake';

/** A scheduler whose frames run when the test says so (`flush`). */
export function manualScheduler() {
  const queue: FrameRequestCallback[] = [];
  // No frame budget: one flush paints everything, however slow jsdom is.
  const scheduler = new RafScheduler(
    (cb) => {
      queue.push(cb);
      return queue.length;
    },
    undefined,
    Number.POSITIVE_INFINITY,
  );
  const flush = () =>
    act(() => {
      for (const cb of queue.splice(0)) cb(performance.now());
    });
  return { scheduler, flush };
}

export interface Logged {
  client: number;
  msg: ToWorker;
}

/** The App on in-process engines; every client's messages are logged with the client's index. */
export function setup(
  search = '',
  createSimulation: (s: Scenario, o?: CreateOptions) => FakeSimulation | Simulation = (s) => new FakeSimulation(s),
  knobs: AppProps['session'] = { urlDebounceMs: 5, chromeHideMs: 40 },
) {
  const log: Logged[] = [];
  /** Every client's messages in the order sent (the same as `log`, without the client index). */
  const sent: ToWorker[] = [];
  const clients: InProcessEngineClient[] = [];
  const createClient = (): EngineClient => {
    const c = new InProcessEngineClient({ createSimulation });
    const index = clients.length;
    clients.push(c);
    const send = c.send.bind(c);
    c.send = (msg, transfer) => {
      if (msg.type !== 'returnBuffer') {
        log.push({ client: index, msg });
        sent.push(msg);
      }
      send(msg, transfer);
    };
    return c;
  };
  const { scheduler, flush } = manualScheduler();
  let session: Session | null = null;
  let services: AppServices | null = null;
  const utils = render(
    <App
      createClient={createClient}
      scheduler={scheduler}
      search={search}
      onSession={(s) => {
        session = s;
      }}
      onServices={(s) => {
        services = s;
      }}
      session={knobs}
    />,
  );
  const s = () => session as unknown as Session;
  /** What exports read: the session and the views' registry. */
  const svc = () => services as unknown as AppServices;
  const sentTo = (client: number, type?: ToWorker['type']) =>
    log.filter((l) => l.client === client && (type === undefined || l.msg.type === type)).map((l) => l.msg);
  const root = () => utils.container.querySelector('.app') as HTMLElement;
  const viewports = () => sent.filter((m): m is Extract<ToWorker, { type: 'setViewport' }> => m.type === 'setViewport');
  return { ...utils, log, sent, clients, flush, s, svc, sentTo, viewports, root };
}

export const SMALL = 'gib=0.0625'; // 16384 pages: fast for the fake and the real engine alike

/**
 * Every test of the file starts on a blank page: a fake 2D canvas, no link, nothing stored.
 * Engine frames arrive asynchronously (as from a real worker) and update the store whenever they
 * come, so the tests await results with waitFor instead of wrapping each update in act().
 * Returns the current test's canvas fake (what was drawn).
 */
export function appTestEnvironment(): () => ReturnType<typeof installCanvasFake> {
  let canvas: ReturnType<typeof installCanvasFake>;
  beforeEach(() => {
    canvas = installCanvasFake();
    (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
    window.history.replaceState(null, '', '/');
    localStorage.clear();
  });
  afterEach(() => canvas.restore());
  return () => canvas;
}

/**
 * EngineClient that runs SimHost on the calling thread: same protocol, same logic, no Worker.
 * Used by component tests (jsdom has no workers) and handy for debugging the host in DevTools.
 * Messages are delivered on a microtask in both directions, like a real worker, so callers
 * never see re-entrant callbacks.
 */
import type { Scenario } from '../engine/types';
import type { FromWorker, ToWorker } from '../protocol';
import { type CreateOptions, type HostDeps, SimHost, type SimulationLike } from '../worker/sim-host';
import { type EngineClient, type EngineListener, ListenerSet } from './engine-client';

export interface InProcessOptions {
  createSimulation: (scenario: Scenario, options?: CreateOptions) => SimulationLike;
  /** Override timers/clock (e.g. for fake-timer tests); default: real ones. */
  now?: HostDeps['now'];
  setTimer?: HostDeps['setTimer'];
  clearTimer?: HostDeps['clearTimer'];
}

export class InProcessEngineClient implements EngineClient {
  private readonly host: SimHost;
  private readonly listeners = new ListenerSet();
  private disposed = false;
  /** Every message the host posted, in order (tests inspect it). */
  readonly received: FromWorker[] = [];

  constructor(opts: InProcessOptions) {
    this.host = new SimHost({
      createSimulation: opts.createSimulation,
      post: (msg) =>
        queueMicrotask(() => {
          if (this.disposed) return;
          this.received.push(msg);
          this.listeners.emit(msg);
        }),
      now: opts.now ?? (() => performance.now()),
      setTimer: opts.setTimer ?? ((cb, ms) => setTimeout(cb, ms)),
      clearTimer: opts.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)),
    });
  }

  send(msg: ToWorker, _transfer?: Transferable[]): void {
    if (this.disposed) return;
    queueMicrotask(() => {
      if (!this.disposed) this.host.handle(msg);
    });
  }

  subscribe(listener: EngineListener): () => void {
    return this.listeners.add(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.host.dispose();
    this.listeners.clear();
  }
}

/** EngineClient backed by a real Web Worker running src/worker/sim.worker.ts. */
import type { FromWorker, ToWorker } from '../protocol';
import { type EngineClient, type EngineListener, ListenerSet } from './engine-client';

export class WorkerEngineClient implements EngineClient {
  private readonly worker: Worker;
  private readonly listeners = new ListenerSet();
  private disposed = false;

  constructor() {
    this.worker = new Worker(new URL('../worker/sim.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (e: MessageEvent<FromWorker>) => this.listeners.emit(e.data);
    // A worker that fails to load or throws outside SimHost must still surface as a message.
    this.worker.onerror = (e: ErrorEvent) => {
      e.preventDefault();
      this.listeners.emit({ type: 'error', message: e.message || 'the simulation worker failed to start' });
    };
    this.worker.onmessageerror = () =>
      this.listeners.emit({ type: 'error', message: 'a message from the simulation worker could not be read' });
  }

  send(msg: ToWorker, transfer: Transferable[] = []): void {
    if (this.disposed) return;
    this.worker.postMessage(msg, transfer);
  }

  subscribe(listener: EngineListener): () => void {
    return this.listeners.add(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.worker.terminate();
    this.listeners.clear();
  }
}

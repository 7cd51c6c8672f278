/**
 * EngineClient: the only way the UI talks to a simulation. Two implementations share one
 * adapter (SimHost): WorkerEngineClient runs it in a Web Worker (the app), InProcessEngineClient
 * runs it on the calling thread (component tests). Both deliver messages asynchronously.
 */
import type { FromWorker, ToWorker } from '../protocol';

export type EngineListener = (msg: FromWorker) => void;

export interface EngineClient {
  /** Send a message; buffers in `transfer` are moved, not copied (and detached here). */
  send(msg: ToWorker, transfer?: Transferable[]): void;
  /** Listen to everything the engine says; returns the unsubscribe function. */
  subscribe(listener: EngineListener): () => void;
  /** Stop the engine for good (terminates the worker). */
  dispose(): void;
}

/** Fan-out helper both implementations use. */
export class ListenerSet {
  private readonly listeners = new Set<EngineListener>();

  add(l: EngineListener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  emit(msg: FromWorker): void {
    for (const l of this.listeners) l(msg);
  }

  clear(): void {
    this.listeners.clear();
  }
}

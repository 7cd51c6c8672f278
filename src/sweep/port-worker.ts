/**
 * A SweepWorker over a message port, whatever the port is: the page binds it to a Web Worker
 * (src/client/sweep-workers.ts), the CLI to a worker thread (src/cli/sweep.ts). It matches
 * replies to requests by id and turns the port's death into WorkerCrash.
 */
import type { QueryMigrate, Scenario } from '../engine/types';
import { isSweepReply, type SweepRequest } from '../protocol/sweep';
import { type SweepWorker, WorkerCrash } from './pool';

export class PortSweepWorker implements SweepWorker {
  private nextId = 1;
  private pending: { id: number; resolve: (q: QueryMigrate) => void; reject: (e: Error) => void } | null = null;

  constructor(
    private readonly post: (m: SweepRequest) => void,
    private readonly kill: () => void,
  ) {}

  run(scenario: Scenario): Promise<QueryMigrate> {
    if (this.pending) return Promise.reject(new Error('a sweep worker runs one scenario at a time'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.post({ id, scenario });
    });
  }

  /** A message from the port. */
  receive(data: unknown): void {
    const p = this.pending;
    if (!p) return;
    if (!isSweepReply(data)) {
      this.crash('it sent a message that is not a sweep reply');
      return;
    }
    if (data.id !== p.id) return;
    this.pending = null;
    if (data.ok) p.resolve(data.q);
    else p.reject(new Error(data.message));
  }

  /** The port died (an error event, an exit): the run in flight, if any, crashed. */
  crash(reason: string): void {
    const p = this.pending;
    this.pending = null;
    p?.reject(new WorkerCrash(reason));
  }

  terminate(): void {
    this.pending = null;
    this.kill();
  }
}

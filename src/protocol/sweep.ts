/**
 * Messages between a sweep pool and its workers (Web Workers in the page, worker threads in the
 * CLI): one scenario out, its query-migrate (or the engine's error) back, matched by id.
 */
import type { QueryMigrate, Scenario } from '../engine/types';

export interface SweepRequest {
  readonly id: number;
  readonly scenario: Scenario;
}

export type SweepReply =
  | { readonly id: number; readonly ok: true; readonly q: QueryMigrate }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** A reply as it arrives: checked before the pool believes it (a malformed one is a crash). */
export function isSweepReply(v: unknown): v is SweepReply {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'number') return false;
  if (r.ok === true) return typeof r.q === 'object' && r.q !== null && typeof (r.q as Record<string, unknown>)['total-time'] === 'number';
  return r.ok === false && typeof r.message === 'string';
}

/**
 * Runs one request: the same in a Web Worker and a worker thread (each binds it to its port).
 * `run` is the engine's `new Simulation(s).runToEnd()`, passed in so the protocol imports no engine code.
 */
export function answerSweepRequest(m: SweepRequest, run: (s: Scenario) => QueryMigrate): SweepReply {
  try {
    return { id: m.id, ok: true, q: run(m.scenario) };
  } catch (e) {
    return { id: m.id, ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}

import { describe, expect, it } from 'vitest';
import { InProcessEngineClient } from '../../src/client/in-process-client';
import { SCENARIO_PRESETS } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { FrameMessage, FromWorker } from '../../src/protocol';
import { cellsOf } from '../protocol/frames';

/** Collects messages and lets a test wait for one that matches. */
function connect() {
  const client = new InProcessEngineClient({ createSimulation: (s) => new Simulation(s) });
  const got: FromWorker[] = [];
  const waiters: { pred: (m: FromWorker) => boolean; resolve: (m: FromWorker) => void }[] = [];
  client.subscribe((m) => {
    got.push(m);
    for (const w of waiters.splice(0)) {
      if (w.pred(m)) w.resolve(m);
      else waiters.push(w);
    }
  });
  const next = <T extends FromWorker>(pred: (m: FromWorker) => m is T): Promise<T> =>
    new Promise((resolve) => waiters.push({ pred, resolve: resolve as (m: FromWorker) => void }));
  const isFrame = (m: FromWorker): m is FrameMessage => m.type === 'frame';
  return { client, got, next, isFrame };
}

const case2 = SCENARIO_PRESETS['rfc-case-2'];

describe('InProcessEngineClient with the real engine', () => {
  it('round-trips load -> frame -> returnBuffer -> runToEnd -> frame + done (original)', async () => {
    const { client, next, isFrame } = connect();
    client.send({ type: 'setViewport', width: 940, height: 560 });
    client.send({ type: 'load', scenario: { ...case2, guestGiB: 1 } });
    const first = await next(isFrame);
    expect(first).toMatchObject({ epoch: 1, simTimeMs: 0, phase: 'idle', pageCount: 262144, done: false });
    expect(first.layout).toMatchObject({ bucketShift: 0, cells: 262144 });
    expect(first.cells).toBeInstanceOf(Uint8Array);
    expect(cellsOf(first).length).toBe(262144);
    expect(first.virtqueue.size).toBe(128);
    client.send({ type: 'returnBuffer', buffer: cellsOf(first).buffer as ArrayBuffer });
    client.send({ type: 'runToEnd' });
    const done = await next((m): m is Extract<FromWorker, { type: 'done' }> => m.type === 'done');
    expect(done.stats.status).toBe('completed');
    expect(done.stats.verification.ok).toBe(true);
    expect(done.stats.migviz['skipped-free-pages']).toBe(0);
    client.dispose();
  });

  it('PV at 8 GiB: skips the free pages, moves buffers on the virtqueue, and still verifies', async () => {
    const { client, got, next, isFrame } = connect();
    client.send({ type: 'load', scenario: { ...case2, mode: 'pv' } });
    await next(isFrame);
    client.send({ type: 'runToEnd' });
    const done = await next((m): m is Extract<FromWorker, { type: 'done' }> => m.type === 'done');
    const q = done.stats;
    expect(q.verification.ok).toBe(true);
    expect(q.migviz['skipped-free-pages']).toBeGreaterThan(1_900_000);
    expect(q['total-time']).toBeLessThan(1000); // RFC: 552 ms, against 7436 ms in original mode
    // The virtqueue traffic arrived as events, in protocol order for the bitmap chain.
    const vq = got.filter(isFrame).flatMap((f) => f.events.flatMap((e) => (e.kind === 'vq' ? [e.vq] : [])));
    const bitmap = vq.filter((e) => e.label.startsWith('free-page bitmap')).map((e) => e.kind);
    expect(bitmap).toEqual(['add', 'pop', 'push', 'reclaim']);
    expect(vq.filter((e) => e.kind === 'kick').length).toBe(q.migviz.kicks);
    client.dispose();
  });

  it('answers page info and reports engine errors as messages', async () => {
    const { client, next, isFrame } = connect();
    client.send({ type: 'load', scenario: { ...case2, guestGiB: 1 } });
    await next(isFrame);
    client.send({ type: 'pageInfo', requestId: 3, pfn: 100 });
    const info = await next((m): m is Extract<FromWorker, { type: 'pageInfo' }> => m.type === 'pageInfo');
    expect(info.requestId).toBe(3);
    expect(info.info).toMatchObject({ pfn: 100, migration: 'pending', received: false });
    client.send({ type: 'cellSummary', requestId: 4, firstPfn: 4096, pages: 16 });
    const cell = await next((m): m is Extract<FromWorker, { type: 'cellSummary' }> => m.type === 'cellSummary');
    expect(cell).toMatchObject({ requestId: 4, summary: { firstPfn: 4096, pages: 16 } });
    expect(cell.summary?.byCode.reduce((a, b) => a + b, 0)).toBe(16);
    client.send({ type: 'load', scenario: { ...case2, guestGiB: -1 } });
    const err = await next((m): m is Extract<FromWorker, { type: 'error' }> => m.type === 'error');
    expect(err.message).toMatch(/guest size \(GiB\) must be from/);
    client.dispose();
  });
});

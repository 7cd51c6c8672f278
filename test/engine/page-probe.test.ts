import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../src/engine/scenario';
import { Simulation } from '../../src/engine/simulation';
import type { PageHistory, Scenario } from '../../src/engine/types';

const small = (o: Partial<Scenario>): Scenario => resolveScenario('rfc-case-2', { guestGiB: 0.0625, ...o });

function historyOf(s: Scenario, pfn: number, untilMs = Number.POSITIVE_INFINITY): PageHistory {
  const sim = new Simulation(s, { probe: { pfn } });
  if (Number.isFinite(untilMs)) sim.step(untilMs);
  else sim.runToEnd();
  const h = sim.pageHistory();
  if (!h) throw new Error('no history');
  return h;
}

/** Every page's history agrees with what the run without a probe says about that page. */
function checkAgainstEngine(s: Scenario, untilMs: number, every: number): number {
  const plain = new Simulation(s);
  if (Number.isFinite(untilMs)) plain.step(untilMs);
  else plain.runToEnd();
  let checked = 0;
  for (let pfn = 0; pfn < plain.pageCount; pfn += every) {
    const h = historyOf(s, pfn, untilMs);
    const info = plain.pageInfo(pfn);
    const { timesSent, sourceVersion, destinationVersion, ...rest } = h.now;
    expect(rest).toEqual(info);
    const sends = h.events.filter((e) => e.kind === 'sent');
    expect(sends.length, `pfn ${pfn}`).toBe(timesSent);
    // The engine's two bits per page agree with the probe's counts.
    expect(info.received, `pfn ${pfn}`).toBe(timesSent > 0);
    expect(info.changedSinceSent, `pfn ${pfn}`).toBe(sourceVersion !== destinationVersion);
    const last = sends.at(-1);
    if (last?.kind === 'sent') expect(last.version).toBe(destinationVersion);
    const writes = h.events.filter((e) => e.kind === 'written');
    const lastWrite = writes.at(-1);
    if (lastWrite?.kind === 'written') expect(lastWrite.version).toBe(sourceVersion);
    // in time order
    for (let i = 1; i < h.events.length; i++) expect(h.events[i].t).toBeGreaterThanOrEqual(h.events[i - 1].t);
    checked++;
  }
  return checked;
}

describe('the page probe (a pinned page\'s history)', () => {
  it('does not change the run', () => {
    const s = small({ mode: 'pv', workload: 'running', seed: 3 });
    const a = new Simulation(s).runToEnd();
    const b = new Simulation(s, { probe: { pfn: 1234 } }).runToEnd();
    expect(b).toEqual(a);
    expect(new Simulation(s).pageHistory()).toBeNull();
    expect(() => new Simulation(s, { probe: { pfn: 16384 } })).toThrow(/pfn must be an integer from 0 to 16383/);
  });

  it('does not change a run whose random writer writes its listed words by chance per page', () => {
    // 10 MiB written at 2000 MiB/s: 5120 writes per 10 ms tick over 80 words, so the writer
    // writes by chance per listed page (workloads.ts writeRandom) and the probe's page, when its
    // word is not listed, draws from a stream of its own.
    const s = small({ mode: 'original', workload: 'stress', workingSetGiB: 0.01, dirtyMiBs: 2000, seed: 4 });
    const plain = new Simulation(s);
    let pfn = -1;
    while (pfn < 0 && !plain.done) {
      plain.step(plain.clockMs + 5);
      for (let p = 0; p < plain.pageCount && pfn < 0; p++) {
        const i = plain.pageInfo(p);
        if (i.migration === 'redirtied' && i.changedSinceSent) pfn = p;
      }
    }
    expect(pfn).toBeGreaterThanOrEqual(0);
    const a = new Simulation(s).runToEnd();
    const probed = new Simulation(s, { probe: { pfn } });
    expect(probed.runToEnd()).toEqual(a);
    expect(a.status).toBe('completed');
    const h = probed.pageHistory();
    expect(h?.now.sourceVersion).toBe(h?.now.destinationVersion);
    expect(h?.now.timesSent).toBeGreaterThanOrEqual(2);
  });

  it('agrees with the engine page by page: sends, the version sent, the version now (original, after a hog)', () => {
    expect(checkAgainstEngine(small({ mode: 'original' }), Number.POSITIVE_INFINITY, 1361)).toBe(13);
  });

  it('agrees with the engine mid-run with a running guest in pv mode', () => {
    expect(checkAgainstEngine(small({ mode: 'pv', workload: 'running', seed: 2 }), 60, 1499)).toBe(11);
  });

  it('a free page in pv is skipped, never sent; in original the same page goes once with its stale version', () => {
    const pvRun = new Simulation(small({ mode: 'pv' }));
    pvRun.runToEnd();
    let pfn = -1;
    for (let p = 0; p < pvRun.pageCount && pfn < 0; p++) {
      const i = pvRun.pageInfo(p);
      if (i.migration === 'skipped' && i.guest === 'free-stale') pfn = p;
    }
    expect(pfn).toBeGreaterThanOrEqual(0);
    const pv = historyOf(small({ mode: 'pv' }), pfn);
    expect(pv.events.filter((e) => e.kind === 'skipped')).toHaveLength(1);
    expect(pv.events.some((e) => e.kind === 'sent')).toBe(false);
    // The hog wrote it and freed it before the guest's memory took shape: it starts free and stale.
    expect(pv.start).toEqual({ t: -pvRun.scenario.settleMs, guest: 'free-stale', version: pv.now.sourceVersion });
    expect(pv.start.version).toBeGreaterThan(0);
    const orig = historyOf(small({ mode: 'original' }), pfn);
    const sends = orig.events.filter((e) => e.kind === 'sent');
    expect(sends).toHaveLength(1);
    expect(sends[0].t).toBeGreaterThan(0);
    expect(sends[0].kind === 'sent' && sends[0].version).toBe(orig.now.sourceVersion);
  });

  it('a page written after it was sent is dirtied again, then sent again with the newer version', () => {
    const s = resolveScenario('rfc-case-1', { guestGiB: 0.25, workload: 'running', seed: 2 });
    // The first page the plain run shows as received, then written (marked again, the destination
    // behind): it goes again. (Marked again without a write is the pre-4.1 double send.)
    const plain = new Simulation(s);
    let pfn = -1;
    while (pfn < 0 && !plain.done) {
      plain.step(plain.clockMs + 20);
      for (let p = 0; p < plain.pageCount && pfn < 0; p++) {
        const i = plain.pageInfo(p);
        if (i.migration === 'redirtied' && i.changedSinceSent) pfn = p;
      }
    }
    expect(pfn).toBeGreaterThanOrEqual(0);
    const h = historyOf(s, pfn);
    const kinds = h.events.filter((e) => e.t >= 0).map((e) => e.kind);
    const firstSend = kinds.indexOf('sent');
    const dirtied = kinds.indexOf('dirtied', firstSend);
    const secondSend = kinds.indexOf('sent', firstSend + 1);
    expect(firstSend).toBeGreaterThanOrEqual(0);
    expect(dirtied).toBeGreaterThan(firstSend);
    expect(secondSend).toBeGreaterThan(dirtied);
    const versions = h.events.flatMap((e) => (e.kind === 'sent' ? [e.version] : []));
    expect(versions[1]).toBeGreaterThan(versions[0]);
  });
});

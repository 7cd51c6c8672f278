import { describe, expect, it } from 'vitest';
import { setRange } from '../../../src/engine/bitmap';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { RFC_2016 } from '../../../src/engine/migration/profiles';
import { GUEST_DISCARDED, guestOf } from '../../../src/engine/model/page-state';
import { resolveScenario } from '../../../src/engine/scenario';
import { Simulation } from '../../../src/engine/simulation';
import { ManualScheduler } from './manual-scheduler';
import {
  FreePageReporter,
  PAGE_REPORTING_DELAY_MS,
  REPORTING_VQ_SIZE,
  zoneWatermarks,
} from '../../../src/engine/virtio/reporting';


/** A guest whose RAM is all free (as whole 4 MiB blocks) and holds stale data. */
function freeGuest(gib: number): GuestMemory {
  const mem = new GuestMemory(gib * 262_144);
  mem.writeRange(0, mem.pages);
  setRange(mem.buddy.free, 0, mem.pages);
  mem.buddy.rebuildFromFree();
  return mem;
}

function reporterFor(mem: GuestMemory) {
  const sched = new ManualScheduler();
  const reporter = new FreePageReporter(mem, RFC_2016, sched, () => {}, () => true);
  return { sched, reporter };
}

describe('free page reporting (Linux 5.7 mm/page_reporting.c)', () => {
  it('sets the zone watermarks as mm/page_alloc.c does for one zone', () => {
    // 8 GiB: min_free_kbytes = int_sqrt(8 Gi KB * 16) = 11585 KB = 2896 pages; low adds 0.1% of RAM.
    expect(zoneWatermarks(2_097_152)).toEqual({ min: 2896, low: 2896 + 2097 });
    // Clamped to 64 MiB at 1 TiB.
    expect(zoneWatermarks(268_435_456).min).toBe(16384);
  });

  it('waits PAGE_REPORTING_DELAY, then reports at most budget + 1 scatterlists of 32 blocks per list', () => {
    const mem = freeGuest(2); // 512 free order-10 blocks: budget ceil(512 / 512) = 1, so 2 reports
    const { sched, reporter } = reporterFor(mem);
    reporter.request(0);
    sched.runUntil(PAGE_REPORTING_DELAY_MS - 1);
    expect(reporter.passes).toBe(0);
    sched.runUntil(PAGE_REPORTING_DELAY_MS + 100);
    expect(reporter.passes).toBe(1);
    expect(reporter.reportedPages).toBe(64 * 1024);
    expect(reporter.vq.buffers).toBe(2);
    // What the host discarded reads as zero; the rest still holds the stale data.
    expect(mem.isData(0)).toBe(false);
    expect(mem.isData(64 * 1024 - 1)).toBe(false);
    expect(mem.isData(64 * 1024)).toBe(true);
    // Everything went back to the free lists.
    expect(mem.buddy.freePages).toBe(mem.pages);
  });

  it('reports a whole idle 8 GiB guest in 13 passes, every 2 s: "about 30 seconds"', () => {
    const mem = freeGuest(8); // 2048 blocks: budget 4, 5 reports of 32 = 160 blocks a pass
    const { sched, reporter } = reporterFor(mem);
    reporter.request(0);
    sched.runUntil(24_000);
    expect(reporter.reportedPages).toBeLessThan(mem.pages);
    sched.runUntil(60_000);
    expect(reporter.passes).toBe(13);
    expect(reporter.reportedPages).toBe(mem.pages);
    // Nothing left to report: the state went idle and no further pass is scheduled.
    sched.runUntil(120_000);
    expect(reporter.passes).toBe(13);
  });

  it('leaves a zone alone that is not 32 blocks above its low watermark', () => {
    const mem = new GuestMemory(262_144); // 1 GiB, 64 MiB (16384 pages) free: not enough
    const { low } = zoneWatermarks(mem.pages);
    setRange(mem.buddy.free, 0, 16384 + low - 1024);
    mem.buddy.rebuildFromFree();
    const { sched, reporter } = reporterFor(mem);
    reporter.request(0);
    sched.runUntil(10_000);
    expect(reporter.passes).toBe(1);
    expect(reporter.reportedPages).toBe(0);
  });

  it('drops the Reported flag when a block leaves its list, and a merged block is reported again whole', () => {
    const mem = freeGuest(1); // 256 blocks: budget 1, 64 blocks a pass
    const { sched, reporter } = reporterFor(mem);
    reporter.request(0);
    sched.runUntil(2100);
    expect(reporter.reportedPages).toBe(64 * 1024);
    // The guest allocates from the lowest block (reported), writes it, then frees it: it holds
    // data again and is no longer Reported, so a later pass reports it again.
    const pfn = mem.allocAndWrite(10);
    expect(pfn).toBe(0);
    expect(mem.isData(0)).toBe(true);
    mem.buddy.freeBlock(pfn, 10);
    sched.runUntil(60_000);
    expect(reporter.reportedPages).toBe(mem.pages + 1024);
    expect(mem.isData(0)).toBe(false);
  });

  it('its queue has 32 entries, one report per chain, at most one in flight', () => {
    const mem = freeGuest(1);
    const { reporter } = reporterFor(mem);
    expect(reporter.vq.snapshot().size).toBe(REPORTING_VQ_SIZE);
    expect(REPORTING_VQ_SIZE).toBe(32);
  });
});

describe('report mode in a whole run', () => {
  const run = (settleMs: number) =>
    new Simulation(resolveScenario('rfc-case-2', { mode: 'report', guestGiB: 2, settleMs })).runToEnd();

  it('with a long settle time the hog\'s stale pages go as zero pages; right after the hog, in full', () => {
    const late = run(40_000);
    const early = run(0);
    expect(late.status).toBe('completed');
    expect(early.status).toBe('completed');
    expect(late.verification.ok).toBe(true);
    expect(early.verification.ok).toBe(true);
    const pages = 524_288;
    // Reported: most of RAM reads as zero by the time the migration starts. Not all: free
    // memory the survivors of the hog broke into blocks below 2 MiB is never reported.
    expect(late.ram.duplicate).toBeGreaterThan(0.7 * pages);
    expect(late.migviz['reported-pages']).toBeGreaterThan(0.7 * pages);
    // Not yet: the first pass is due 2 s after the hog exits, after this 2 GiB run is over.
    expect(early.ram.normal).toBeGreaterThan(0.9 * pages);
    expect(early.migviz['reported-pages']).toBe(0);
    // Nothing is skipped: every page is still scanned and sent once.
    expect(late.migviz['skipped-pages']).toBe(0);
    expect(late.ram.duplicate + late.ram.normal).toBeGreaterThanOrEqual(pages);
  });

  it('paints reported free pages as discarded by the host', () => {
    const sim = new Simulation(resolveScenario('rfc-case-2', { mode: 'report', guestGiB: 2, settleMs: 40_000 }));
    const cells = new Uint8Array(sim.pageCount);
    sim.renderPageMap(cells, 0);
    const discarded = cells.filter((c) => guestOf(c) === GUEST_DISCARDED).length;
    expect(discarded).toBeGreaterThan(0.7 * sim.pageCount);
    const pfn = cells.findIndex((c) => guestOf(c) === GUEST_DISCARDED);
    expect(sim.pageInfo(pfn).guest).toBe('discarded');
  });
});

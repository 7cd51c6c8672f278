/**
 * QEMU 2.5/2.6 pre-copy RAM migration, page by page, as the migration thread runs it
 * (migration/migration.c: migration_thread; migration/ram.c: ram_save_setup/_iterate/_complete).
 *
 * The thread is a state machine advanced one small unit at a time (one bitmap word of pages,
 * one sync, one poll...), so a caller can stop at any simulated time and resume with
 * identical results. Its clock `now` is the simulation's clock.
 *
 * Costs: two resources in a pipeline. The thread's CPU pays per page by content (a zero page is
 * read whole, a data page is copied); the link drains the socket at the goodput. The thread may
 * run ahead of the wire by at most the socket buffer, then it blocks. Whichever is slower sets
 * the pace: zero-page scanning is CPU-bound, sending data pages is wire-bound.
 *
 * KVM dirty log semantics of that era (before 4.1's clear-log): KVM_GET_DIRTY_LOG at a sync
 * fetches and clears; a page written after a sync but before it is sent goes out in this pass
 * and again in the next.
 */
import { clearRange, countRange, findNextSet, popcount32 } from '../bitmap';
import type { GuestMemory } from '../guest/memory';
import { PAGE_SIZE } from '../guest/memory';
import { broken } from '../invariant';
import type { MigrationStatus, Outcome, Phase, SimEvent, Verification } from '../types';
import type { ConvergenceAid, EngineFaults, MigrationThread, Participant, SetupStep } from './modes/mode';
import { CONVERGENCE_WINDOW_SYNCS, notConvergingReason, type SyncRecord, simTimeCapReason } from './outcome';
import type { HostProfile } from './profiles';
import * as wire from './wire';

// tsx, which runs the CLI and `npm run bench`, compiles each module so that every access to an
// imported binding calls a getter (a quarter of an idle 512 GiB run). The per-word paths use
// these module-level copies instead; a bundle (the app) inlines them either way.
const { ZERO_PAGE_BYTES, NORMAL_PAGE_BYTES, BLOCK_NAME_BYTES } = wire;
const popcount = popcount32;
const nextSet = findNextSet;

/** BUFFER_DELAY: bandwidth is measured, and the rate limit reset, every 100 ms. */
export const BUFFER_DELAY_MS = 100;
/** The dirty-log start advances the clock in slices of at most this, ms (see startDirtyLogSlice). */
const LOG_START_SLICE_MS = 10;
/** MAX_WAIT: one ram_save_iterate call yields after 50 ms. */
export const MAX_WAIT_MS = 50;
/** dirty-pages-rate is computed at a sync at most once per second. */
const RATE_PERIOD_MS = 1000;
/**
 * A unit without time passing is a setup step or a loop turn that changes state; a few in a row
 * are normal, a hundred thousand are a loop (the largest legitimate run is a setup plan's length).
 */
export const MAX_STALLED_UNITS = 100_000;

export interface PrecopyParams {
  /** Link goodput, bytes per ms. */
  linkBytesPerMs: number;
  /** max-bandwidth, bytes per ms. */
  maxBandwidthBytesPerMs: number;
  downtimeLimitMs: number;
  /** Give up (status failed) at this simulated time. */
  capMs: number;
}

type Step = 'start' | 'setup' | 'setup-sync' | 'loop' | 'iterate' | 'stop' | 'final' | 'done';

export class Precopy implements MigrationThread {
  status: MigrationStatus = 'none';
  phase: Phase = 'idle';
  /** The migration thread's clock, ms. */
  now = 0;
  /** When the link has sent everything written so far, ms. */
  private linkFree = 0;
  private step: Step = 'start';

  /** QEMU's migration bitmap: pages still to send. All set from the start (ram_save_setup). */
  readonly bitmap: Uint32Array;
  /** migration_dirty_pages: set bits in `bitmap`. */
  dirtyPages: number;
  /** Scan cursor (last_offset), pfn. */
  cursor = 0;
  /** Pass of the cursor: 1 while in the bulk stage. */
  round = 1;
  /** The VM runs until stop-and-copy. */
  vmRunning = true;

  /**
   * Destination side: bit per page, received at least once. With GuestMemory.changedSinceSent
   * (cleared here at each send) it is all the verification needs: no version per page.
   */
  readonly sentEver: Uint32Array;

  // Rate limiting and bandwidth measurement (migration_thread's window).
  private windowStart = 0;
  private windowStartBytes = 0;
  private windowPages = 0;
  private bytesXfer = 0;
  private threshold = 0;

  // Counters as QEMU keeps them.
  /** ram transferred: page headers + payload + EOS markers. */
  transferred = 0;
  /** Everything written to the migration stream (qemu_ftell): also section headers, device state. */
  wireBytes = 0;
  duplicate = 0;
  normal = 0;
  syncCount = 0;
  dirtyPagesRate = 0;
  expectedDowntime: number;
  mbps = 0;
  pagesPerSecond = 0;
  setupTime = 0;
  totalTime = 0;
  downtime = 0;
  private stopStart = 0;
  private periodStart = 0;
  private periodDirty = 0;
  private blockNameSent = false;
  /** ram_counters.remaining as the last sync left it (2.12's expected-downtime), bytes. */
  private dirtyBytesLastSync = 0;
  /** Pages participants dropped from the bitmap without sending them (migviz.skipped-pages). */
  skippedPages = 0;
  failureReason = '';
  /** How the run ended ('' while it runs). */
  outcome: Outcome | '' = '';
  /** The last syncs, for the not-converging verdict (outcome.ts). */
  private readonly syncHistory: SyncRecord[] = [];
  /** Pages all syncs so far newly set in the bitmap. */
  private dirtiedTotal = 0;
  /** Measured bandwidth of the last 100 ms window, bytes per ms. */
  private bandwidth = 0;
  verification: Verification = { ok: false, 'pages-checked': 0, mismatches: 0, 'first-mismatch': -1 };

  // Iterate state.
  private iterStart = 0;

  /** Everything else that takes part in the run (the mode's strategy, options), in call order. */
  private participants: readonly Participant[] = [];
  /** The steps of ram_save_setup in order (see attach). */
  private setupSteps: readonly SetupStep[] = [];
  private attached = false;
  /** Units in a row that left the clock where it was (see checkClock). */
  private stalledUnits = 0;
  /** syncCount at the last full circle that found nothing (-1: none yet; see iterateOnce). */
  private emptyCircleAtSync = -1;
  private setupIndex = 0;
  /** Time the dirty-log start still has to spend, ms (-1: not started). */
  private logStartLeftMs = -1;
  /** The current unit may send words until the clock reaches this (see advance). */
  private horizon = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly mem: GuestMemory,
    private readonly profile: HostProfile,
    private readonly params: PrecopyParams,
    private readonly record: (e: SimEvent) => void,
    private readonly faults: EngineFaults = {},
  ) {
    const pages = mem.pages;
    this.bitmap = new Uint32Array(mem.data.length);
    this.bitmap.fill(0xffffffff);
    const tail = pages & 31;
    if (tail !== 0) this.bitmap[this.bitmap.length - 1] = (1 << tail) - 1;
    this.dirtyPages = pages;
    this.sentEver = new Uint32Array(mem.data.length);
    this.expectedDowntime = params.downtimeLimitMs;
  }

  /**
   * Takes the participants of the run and lays out ram_save_setup: QEMU's own steps (fixed cost,
   * the bitmap, dirty log start) with each participant's steps before or after the log start.
   * Anything that snapshots guest memory must come after it, so that a page the guest changes
   * afterwards is logged; only deliberate faults place a step before.
   */
  attach(participants: readonly Participant[]): void {
    if (this.step !== 'start') throw new Error('participants join before the migration starts');
    this.participants = participants;
    this.attached = true;
    const theirs = participants.flatMap((p) => p.setupSteps ?? []);
    this.setupSteps = [
      ...theirs.filter((st) => st.at === 'before-dirty-log'),
      ...this.qemuSetupSteps(),
      ...theirs.filter((st) => st.at === 'after-dirty-log'),
    ];
  }

  private qemuSetupSteps(): SetupStep[] {
    const p = this.profile;
    const pages = this.mem.pages;
    const once = (name: string, fn: () => void): SetupStep => ({
      name,
      at: 'before-dirty-log',
      run: () => {
        fn();
        return true;
      },
    });
    return [
      once('savevm header and device setup', () => this.spend(p.setupFixedMs)),
      // The bitmap is already all ones (constructor); here its cost is paid.
      once('allocate and fill the migration bitmap', () => this.spend((pages * p.bitmapInitNsPerPage) / 1e6)),
      {
        name: 'start dirty logging',
        at: 'before-dirty-log',
        run: () => this.startDirtyLogSlice(),
      },
    ];
  }

  // ---- MigrationThread: what participants may ask of the thread ----

  spend(ms: number): void {
    this.now += ms;
  }

  dropPages(pages: Uint32Array, complement = false): number {
    const bm = this.bitmap;
    const lastMask = (this.mem.pages & 31) === 0 ? 0xffffffff : (1 << (this.mem.pages & 31)) - 1;
    let dropped = 0;
    for (let w = 0; w < bm.length; w++) {
      const sel = complement ? ~pages[w] & (w === bm.length - 1 ? lastMask : 0xffffffff) : pages[w];
      const hit = bm[w] & sel;
      if (hit !== 0) {
        dropped += popcount(hit);
        bm[w] &= ~hit;
      }
    }
    this.dirtyPages -= dropped;
    this.skippedPages += dropped;
    return dropped;
  }

  dropRange(start: number, end: number): number {
    const e = Math.min(this.mem.pages, end);
    const n = countRange(this.bitmap, start, e);
    clearRange(this.bitmap, start, e);
    this.dirtyPages -= n;
    this.skippedPages += n;
    return n;
  }

  emit(e: SimEvent): void {
    this.record(e);
  }

  get done(): boolean {
    return this.step === 'done';
  }

  /** Bytes of QEMU's migration bitmap and the destination's received bitmap. */
  stateBytes(): number {
    return this.bitmap.byteLength + this.sentEver.byteLength;
  }

  /** Pending bytes as QEMU reports `remaining`. */
  get remaining(): number {
    return this.dirtyPages * PAGE_SIZE;
  }

  /** The stop condition's threshold: measured bandwidth x downtime limit, bytes (0 until measured). */
  get thresholdBytes(): number {
    return this.threshold;
  }

  /** The bandwidth the thread measured over its last 100 ms window, bytes per second. */
  get sendRateBytesPerSec(): number {
    return this.bandwidth * 1000;
  }

  /**
   * Advances the thread by one unit of work. While sending, a unit goes on word after word until
   * its clock reaches `horizon`: the caller's next moment that matters (a guest tick or action, a
   * sample, the end of a step), so that nothing else could have seen the words in between and a
   * unit of many words gives the state of as many one-word units. The default, one word.
   */
  advance(horizon = Number.NEGATIVE_INFINITY): void {
    const before = this.now;
    this.horizon = horizon;
    this.advanceUnit();
    // The cap is checked first thing in the loop (loopOnce); checked here too, the run fails in
    // the unit whose clock reached the cap, not in a unit of its own at the same time, so that
    // step(t) to the end of a failed run shows it failed (the same state, one unit sooner).
    if (this.step === 'loop' && this.now >= this.params.capMs) this.fail('sim-time-cap', this.capReason());
    this.checkClock(before);
  }

  /**
   * The clock after a unit that started at `before`. Each check is a bug that would otherwise
   * hang the run, or replay the guest, instead of failing: here, in the thread, they hold for
   * every caller, the simulation and the tests that drive the thread by hand. (How far past its
   * cap a clock may go depends on how the cap was sized: Simulation.advance checks that.)
   */
  private checkClock(before: number): void {
    const now = this.now;
    if (!Number.isFinite(now)) broken(`the migration thread's clock became ${now} ms (step ${this.step})`);
    // Time only moves forward: a cost that subtracts (or a clock reset) would replay the guest.
    if (now < before) broken(`the migration thread's clock went back from ${before} ms to ${now} ms (phase ${this.phase})`);
    // Every unit of work moves the clock or the state; a long run of units that leaves the clock
    // where it was is a loop that would never end.
    this.stalledUnits = now === before ? this.stalledUnits + 1 : 0;
    if (this.stalledUnits > MAX_STALLED_UNITS) {
      broken(`the migration thread did ${MAX_STALLED_UNITS} units of work at ${before} ms without its clock moving`);
    }
  }

  private advanceUnit(): void {
    const p = this.profile;
    switch (this.step) {
      case 'start':
        // Without attach the setup plan is empty: a run with no dirty-log start, silently wrong.
        if (!this.attached) throw new Error('Precopy.attach(participants) must come before the first advance');
        this.status = 'setup';
        this.setPhase('setup');
        this.wireBytes += wire.SETUP_SECTION_BYTES;
        this.pushToLink(0, wire.SETUP_SECTION_BYTES);
        this.step = 'setup';
        return;
      case 'setup': {
        const st = this.setupSteps[this.setupIndex];
        if (st === undefined) this.step = 'setup-sync';
        else if (st.run(this)) this.setupIndex++;
        return;
      }
      case 'setup-sync':
        this.sync();
        this.setupTime = this.now;
        this.status = 'active';
        this.setPhase('bulk');
        // The bandwidth window is not reset here: 2.5's migration_thread sets initial_time and
        // initial_bytes when the thread starts, before setup, so the first measurement spans
        // setup too (a long setup makes the first threshold small).
        this.periodStart = this.now;
        this.step = 'loop';
        return;
      case 'loop':
        this.loopOnce();
        return;
      case 'iterate':
        this.iterateOnce();
        return;
      case 'stop':
        this.stopStart = this.now;
        this.vmRunning = false;
        this.setPhase('stop-copy');
        this.now += p.vmStopMs;
        this.sync();
        this.step = 'final';
        return;
      case 'final':
        if (this.dirtyPages > 0) {
          do this.sendNextWord(false);
          while (this.dirtyPages > 0 && this.now < this.horizon);
          // The last page sent, the completion follows in the same unit (the VM is stopped, the
          // guest cannot act in between): step(t) to the completion time shows it completed.
          if (this.dirtyPages > 0) return;
        }
        this.transferred += wire.EOS_BYTES;
        this.wireBytes += wire.EOS_BYTES + p.deviceStateBytes + wire.SECTION_OVERHEAD_BYTES;
        this.pushToLink(0, wire.EOS_BYTES + p.deviceStateBytes + wire.SECTION_OVERHEAD_BYTES);
        // 2.5 takes end_time when qemu_savevm_state_complete_precopy's qemu_fflush returns: the
        // last byte is in the socket's send buffer, up to socketBufferBytes still on the wire.
        // downtime and total-time end there, not when the destination has received everything.
        // In the same unit as that last write, so that step(t) at the completion time shows it.
        this.finish();
        return;
      case 'done':
        return;
    }
  }

  private setPhase(phase: Phase): void {
    this.phase = phase;
    this.emit({ t: this.now, kind: 'phase', phase });
  }

  /**
   * KVM_MEM_LOG_DIRTY_PAGES on: one ioctl that write-protects every mapping the host has (the
   * thread blocks in it). Its time is spent in slices of at most LOG_START_SLICE_MS, so that a
   * big guest's clock moves through it (the guest runs meanwhile) instead of jumping; logging is
   * on from the first slice, the total is the same.
   */
  private startDirtyLogSlice(): boolean {
    if (this.logStartLeftMs < 0) {
      const p = this.profile;
      const m = hostMappings(this.mem.data, p.hostHugePages);
      this.mem.logging = !this.faults.noDirtyLog;
      this.logStartLeftMs =
        (this.mem.pages * p.logStartNsPerPage + m.small * p.logStartNsPer4kSpte + m.huge * p.logStartNsPerHugeSpte) / 1e6;
    }
    const slice = Math.min(this.logStartLeftMs, LOG_START_SLICE_MS);
    this.now += slice;
    this.logStartLeftMs -= slice;
    return this.logStartLeftMs <= 0;
  }

  /** migration_bitmap_sync: pull KVM's dirty log into the migration bitmap. */
  sync(): void {
    for (const p of this.participants) p.beforeSync?.(this);
    const log = this.mem.dirtyLog;
    const bm = this.bitmap;
    let fresh = 0;
    let logged = 0;
    for (let w = 0; w < log.length; w++) {
      const d = log[w];
      if (d === 0) continue;
      logged += popcount(d);
      const n = d & ~bm[w];
      if (n !== 0) fresh += popcount(n);
      bm[w] |= d;
      log[w] = 0;
    }
    this.mem.logClears++;
    this.dirtyPages += fresh;
    this.dirtyBytesLastSync = this.dirtyPages * PAGE_SIZE;
    this.periodDirty += fresh;
    this.dirtiedTotal += fresh;
    this.syncCount++;
    const p = this.profile;
    this.now += (this.mem.pages * p.syncNsPerPage + logged * p.syncNsPerDirtyPage) / 1e6;
    const periodEnds = this.now > this.periodStart + RATE_PERIOD_MS;
    const stats = {
      transferred: this.transferred,
      periodDirtyPages: periodEnds ? this.periodDirty : null,
      dirtyPagesRate: this.dirtyPagesRate,
    };
    for (const p of this.participants) p.onSyncStats?.(stats);
    this.recordSync();
    if (periodEnds) {
      this.dirtyPagesRate = Math.round((this.periodDirty * 1000) / (this.now - this.periodStart));
      this.periodStart = this.now;
      this.periodDirty = 0;
    }
    this.emit({ t: this.now, kind: 'sync', count: this.syncCount, newDirty: fresh, remaining: this.remaining });
    for (const p of this.participants) p.afterSync?.(this);
  }

  /** Keeps the last syncs the not-converging verdict looks at. */
  private recordSync(): void {
    const h = this.syncHistory;
    h.push({
      t: this.now,
      dirtied: this.dirtiedTotal,
      sent: this.duplicate + this.normal,
      writes: this.mem.writes,
      remaining: this.remaining,
      aid: this.convergenceAid(),
    });
    if (h.length > CONVERGENCE_WINDOW_SYNCS + 1) h.shift();
  }

  /** One turn of migration_thread's loop (2.5): pending check, then iterate or complete. */
  private loopOnce(): void {
    if (this.now >= this.params.capMs) {
      this.fail('sim-time-cap', this.capReason());
      return;
    }
    if (!this.rateExceeded()) {
      // ram_save_pending: sync only when what is left looks small enough to finish.
      let pending = this.remaining;
      if (pending < this.threshold) {
        this.sync();
        pending = this.remaining;
        // Going round again: migviz stops when the last syncs show no progress (QEMU would not).
        const stuck = pending >= this.threshold ? this.notConverging() : null;
        if (stuck) {
          this.fail('not-converging', stuck);
          return;
        }
      }
      if (pending > 0 && pending >= this.threshold) {
        this.iterStart = this.now;
        this.wireBytes += wire.SECTION_HEADER_BYTES;
        this.bytesXfer += wire.SECTION_HEADER_BYTES;
        this.step = 'iterate';
        return;
      }
      this.step = 'stop';
      return;
    }
    this.windowCheck();
    if (this.rateExceeded()) {
      // g_usleep until the window ends.
      this.now = Math.max(this.now, this.windowStart + BUFFER_DELAY_MS);
      this.windowCheck();
      // The window ended, so its check reset the budget: a turn that sleeps and still finds the
      // limit exceeded would sleep again at the same time, forever.
      if (this.rateExceeded()) broken(`the rate limit is still exceeded after sleeping to the end of its window at ${this.now} ms`);
    }
  }

  /** One word of ram_save_iterate; ends the call on rate limit, MAX_WAIT, or a clean circle. */
  private iterateOnce(): void {
    let end = false;
    if (this.dirtyPages === 0) {
      // A full circle that finds nothing: ram_find_and_save_block returns 0. The loop then syncs
      // or completes (loopOnce); a second empty circle with no sync between is a loop that would
      // scan an empty bitmap until the cap.
      if (this.emptyCircleAtSync === this.syncCount) {
        broken(`a second full circle found no dirty page with no bitmap sync since the first (sync ${this.syncCount})`);
      }
      this.emptyCircleAtSync = this.syncCount;
      this.now += (this.mem.data.length * this.profile.scanNsPerWord) / 1e6;
      this.wrap(false);
      end = true;
    } else {
      do {
        this.sendNextWord(true);
        if (this.rateExceeded()) end = true;
        else if (this.now - this.iterStart > MAX_WAIT_MS) end = true;
      } while (!end && this.dirtyPages > 0 && this.now < this.horizon);
    }
    if (end) {
      this.transferred += wire.EOS_BYTES;
      this.wireBytes += wire.EOS_BYTES + wire.SECTION_FOOTER_BYTES;
      this.bytesXfer += wire.EOS_BYTES + wire.SECTION_FOOTER_BYTES;
      this.pushToLink(0, wire.EOS_BYTES + wire.SECTION_HEADER_BYTES + wire.SECTION_FOOTER_BYTES);
      this.windowCheck();
      this.step = 'loop';
    }
  }

  /** The cursor passed the end of RAM (complete_round); a fruitless full circle leaves it in place. */
  private wrap(resetCursor = true): void {
    if (resetCursor) this.cursor = 0;
    this.round++;
    if (this.phase === 'bulk') this.setPhase('iterate');
    this.emit({ t: this.now, kind: 'round', round: this.round });
  }

  /**
   * Finds the next dirty page from the cursor (wrapping at the end of RAM) and sends every
   * dirty page of its bitmap word. Returns the number of pages sent.
   */
  private sendNextWord(countWindow: boolean): number {
    const pages = this.mem.pages;
    let pfn = nextSet(this.bitmap, this.cursor, pages);
    let scannedWords: number;
    if (pfn < 0) {
      scannedWords = (pages - this.cursor) >>> 5;
      this.wrap();
      pfn = nextSet(this.bitmap, 0, pages);
      if (pfn < 0) broken(`migration_dirty_pages is ${this.dirtyPages} but the bitmap holds no dirty page`);
      scannedWords += pfn >>> 5;
    } else {
      scannedWords = (pfn >>> 5) - (this.cursor >>> 5);
    }
    const w = pfn >>> 5;
    let bits = (this.bitmap[w] & ~((1 << (pfn & 31)) - 1)) >>> 0;
    let nextCursor = (w << 5) + 32;
    if (countWindow) {
      // QEMU checks the rate limit before every page, so a window overshoots by at most one
      // page. Word at a time is exact while the budget left covers a whole word of data pages.
      const budgetLeft = this.params.maxBandwidthBytesPerMs * BUFFER_DELAY_MS - this.bytesXfer;
      if (budgetLeft < 32 * NORMAL_PAGE_BYTES + BLOCK_NAME_BYTES) {
        const data = this.mem.data[w];
        let kept = 0;
        let acc = 0;
        let b = bits;
        while (b !== 0) {
          const low = b & -b;
          b = (b & (b - 1)) >>> 0;
          kept |= low;
          acc += data & low ? NORMAL_PAGE_BYTES : ZERO_PAGE_BYTES;
          if (acc > budgetLeft) {
            nextCursor = (w << 5) + (31 - Math.clz32(low)) + 1;
            break;
          }
        }
        bits = kept >>> 0;
      }
    }
    const dataBits = bits & this.mem.data[w];
    const nAll = popcount(bits);
    // The word holds the bit findNextSet found, and the budget trim keeps at least that page.
    if (nAll === 0) broken(`the scan found dirty page ${pfn} but its word sends no page`);
    const nData = popcount(dataBits);
    const nZero = nAll - nData;

    // Read each page now: the destination gets what the guest has at this instant.
    this.mem.sent(w, bits);
    this.sentEver[w] |= bits;
    this.bitmap[w] &= ~bits;
    this.dirtyPages -= nAll;
    if (this.dirtyPages < 0) broken(`the bitmap held ${-this.dirtyPages} more dirty pages than migration_dirty_pages counted`);
    this.cursor = Math.min(pages, nextCursor);

    let bytes = nZero * ZERO_PAGE_BYTES + nData * NORMAL_PAGE_BYTES;
    if (!this.blockNameSent) {
      bytes += BLOCK_NAME_BYTES;
      this.blockNameSent = true;
    }
    this.transferred += bytes;
    this.wireBytes += bytes;
    this.duplicate += nZero;
    this.normal += nData;
    if (countWindow) {
      this.bytesXfer += bytes;
      this.windowPages += nAll;
    }
    const p = this.profile;
    const cpuMs =
      (nZero * p.zeroPageNs + nData * p.dataPageNs + nAll * p.bitmapLockNsPerPage + scannedWords * p.scanNsPerWord) / 1e6;
    this.pushToLink(cpuMs, bytes);
    return nAll;
  }

  /** The thread spends cpuMs producing `bytes`; the link drains them; a full socket blocks the thread. */
  private pushToLink(cpuMs: number, bytes: number): void {
    if (this.profile.loopback) {
      // Over loopback the socket's copies and protocol work run in the sending thread (sendmsg,
      // then the loopback softirq on the same CPU): no second resource to overlap with.
      this.now += cpuMs + bytes / this.params.linkBytesPerMs;
      this.linkFree = this.now;
      return;
    }
    const start = this.now;
    const cpuEnd = start + cpuMs;
    let linkEnd = Math.max(this.linkFree, start) + bytes / this.params.linkBytesPerMs;
    if (linkEnd < cpuEnd) linkEnd = cpuEnd;
    this.linkFree = linkEnd;
    const maxAhead = this.profile.socketBufferBytes / this.params.linkBytesPerMs;
    this.now = Math.max(cpuEnd, linkEnd - maxAhead);
  }

  private rateExceeded(): boolean {
    return this.bytesXfer > this.params.maxBandwidthBytesPerMs * BUFFER_DELAY_MS;
  }

  /** migration_thread's 100 ms bookkeeping: bandwidth, threshold, rate-limit reset. */
  private windowCheck(): void {
    if (this.now < this.windowStart + BUFFER_DELAY_MS) return;
    const spent = this.now - this.windowStart;
    const bytes = this.wireBytes - this.windowStartBytes;
    const bandwidth = bytes / spent; // bytes per ms
    this.threshold = bandwidth * this.params.downtimeLimitMs;
    this.bandwidth = bandwidth;
    this.mbps = (bytes * 8) / spent / 1000;
    this.pagesPerSecond = Math.round((this.windowPages * 1000) / spent);
    // Until the first statistics period closes the dirty rate is 0 and expected-downtime keeps
    // its first value, the downtime limit (migrate_fd_connect). Then, by the profile's QEMU:
    if (this.dirtyPagesRate > 0 && bytes > 10000) {
      switch (this.profile.expectedDowntime) {
        case 'dirty-rate-over-bandwidth':
          // 2.5: s->dirty_bytes_rate / bandwidth, bytes per second over bytes per ms, reported
          // as ms: the ratio of the two rates times 1000, not a time to send anything.
          this.expectedDowntime = (this.dirtyPagesRate * PAGE_SIZE) / bandwidth;
          break;
        case 'remaining-at-sync-over-bandwidth':
          // 2.12/3.0 (migration_update_counters): ram_counters.remaining, the bytes dirty at the
          // last sync, over the bandwidth: the time to send them.
          this.expectedDowntime = this.dirtyBytesLastSync / bandwidth;
          break;
      }
    }
    this.bytesXfer = 0;
    this.windowPages = 0;
    this.windowStart = this.now;
    this.windowStartBytes = this.wireBytes;
  }

  /** What still acts on the dirty rate, all participants together (null when nothing does). */
  private convergenceAid(): ConvergenceAid | null {
    const aids = this.participants.map((p) => p.convergenceAid?.() ?? null).filter((a) => a !== null);
    if (aids.length === 0) return null;
    return { atLimit: aids.every((a) => a.atLimit), note: aids.map((a) => a.note).join(', ') };
  }

  private notConverging(): string | null {
    return notConvergingReason({
      history: this.syncHistory,
      threshold: this.threshold,
      downtimeLimitMs: this.params.downtimeLimitMs,
    });
  }

  private capReason(): string {
    const sig4 = (x: number) => Number(x.toPrecision(4));
    return simTimeCapReason({
      capMs: this.params.capMs,
      remaining: this.remaining,
      linkBytesPerMs: this.params.linkBytesPerMs,
      linkGbps: sig4((this.params.linkBytesPerMs * 8000) / 1e9 / this.profile.linkEfficiency),
      maxBandwidthBytesPerMs: this.params.maxBandwidthBytesPerMs,
      maxBandwidthMiBs: sig4((this.params.maxBandwidthBytesPerMs * 1000) / 1048576),
    });
  }

  private finish(): void {
    for (const p of this.participants) p.onEnd?.();
    this.outcome = 'completed';
    this.totalTime = this.now;
    this.downtime = this.now - this.stopStart;
    // 2.5: mbps over the whole migration, qemu_ftell bytes.
    this.mbps = this.totalTime > 0 ? (this.wireBytes * 8) / this.totalTime / 1000 : 0;
    this.status = 'completed';
    for (const p of this.participants) p.onComplete?.(this);
    this.verification = this.verify();
    this.setPhase('completed');
    this.step = 'done';
  }

  private fail(outcome: Outcome, reason: string): void {
    for (const p of this.participants) p.onEnd?.();
    this.outcome = outcome;
    this.failureReason = reason;
    this.status = 'failed';
    this.totalTime = this.now;
    this.setPhase('failed');
    this.step = 'done';
  }

  /**
   * Every page the guest holds in use must be on the destination as it is at the source: not
   * written since the destination last received it, and, if it holds data, received at least
   * once (the destination's RAM starts zeroed, so a never-written page needs no send). Reads
   * only the guest's writes and the thread's sends, never the dirty log or the migration bitmap,
   * so a bug in those shows as mismatches. A word at a time.
   */
  private verify(): Verification {
    const free = this.mem.buddy.free;
    const changed = this.mem.changedSinceSent;
    const data = this.mem.data;
    const received = this.sentEver;
    let checked = 0;
    let mismatches = 0;
    let first = -1;
    const pages = this.mem.pages;
    for (let w = 0; w < free.length; w++) {
      let used = ~free[w] >>> 0;
      if (w === free.length - 1 && (pages & 31) !== 0) used &= (1 << (pages & 31)) - 1;
      if (used === 0) continue;
      checked += popcount(used);
      const wrong = (used & (changed[w] | (data[w] & ~received[w]))) >>> 0;
      if (wrong === 0) continue;
      mismatches += popcount(wrong);
      if (first < 0) first = (w << 5) + (31 - Math.clz32(wrong & -wrong));
    }
    return { ok: mismatches === 0, 'pages-checked': checked, mismatches, 'first-mismatch': first };
  }
}

/** Words of the page bitmaps per 2 MiB region (512 pages of 4 KiB, 32 pages a word). */
const WORDS_PER_HUGE = 512 / 32;

/**
 * How the host maps guest RAM when dirty logging starts: the pages that hold data are the pages
 * the host has backed. With transparent huge pages the first touch of an aligned 2 MiB region
 * allocates all of it, so KVM maps the region with one 2 MiB spte; without, one 4 KiB spte per
 * touched page. A partial region at the end of RAM is mapped in 4 KiB units.
 */
export function hostMappings(data: Uint32Array, hugePages: boolean): { huge: number; small: number } {
  let huge = 0;
  let small = 0;
  const whole = hugePages ? Math.floor(data.length / WORDS_PER_HUGE) * WORDS_PER_HUGE : 0;
  for (let w = 0; w < whole; w += WORDS_PER_HUGE) {
    for (let i = w; i < w + WORDS_PER_HUGE; i++) {
      if (data[i] !== 0) {
        huge++;
        break;
      }
    }
  }
  for (let w = whole; w < data.length; w++) small += popcount(data[w]);
  return { huge, small };
}

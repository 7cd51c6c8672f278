/**
 * One simulated migration: the guest (memory + workload), the balloon device and QEMU's
 * migration thread on a single simulated clock.
 *
 * Time moves in small units of the migration thread (see Precopy); after each unit the guest is
 * brought up to the thread's clock: its workload ticks every `workload.tickMs` (1 ms for the RFC
 * guests, 10 ms for stress), each tick applying the writes of its slice before the thread reads
 * pages past the slice's start, and scheduled device and driver actions (the virtqueue exchange)
 * run at their times. Nothing here reads a wall
 * clock, so `step(t)` in any slices gives the same result as one `runToEnd()`.
 */
import { GuestMemory } from './guest/memory';
import { buildWorkload, type Workload } from './guest/workloads';
import { getMode, MODES, type ModeCounterKey } from './migration/modes';
import { AutoConverge } from './migration/auto-converge';
import type { EngineFaults, GuestLayer, ModeParticipant, Participant, RunContext } from './migration/modes/mode';
import { Precopy } from './migration/precopy';
import { getProfile, type HostProfile } from './migration/profiles';
import {
  CELL_OUTSIDE,
  GUEST_FREE_STALE,
  GUEST_STATES,
  GUEST_USED,
  GUEST_ZERO,
  guestCode,
  guestOf,
  MIG_PENDING,
  MIG_REDIRTIED,
  MIG_SENT,
  MIG_SKIPPED,
  MIGRATION_STATES,
  migrationOf,
  pageCode,
} from './model/page-state';
import { broken } from './invariant';
import { PageProbe } from './page-probe';
import { Rng } from './rng';
import { capture, restore, Snapshot } from './snapshot';

/** A snapshot as callers hold it (the worker's checkpoints); only this Simulation's own restore. */
export interface SnapshotRef {
  readonly t: number;
  readonly bytes: number;
}
import { validateScenario } from './scenario';
import type { Scheduler } from './scheduler';
import type {
  CellSummary,
  PageHistory,
  PageInfo,
  Phase,
  ProbedPageInfo,
  QueryMigrate,
  Scenario,
  SimEvent,
  VirtqueueEvent,
  VirtqueueSnapshot,
} from './types';

import { linkBytesPerMs, simCapMs } from './sim-cap';

export { MIN_SIM_CAP_MS, simCapMs } from './sim-cap';
const PAGES_PER_GIB = 262_144;
/** How far past its time cap a run's clock may be before that is a broken cost (see advance). */
const CLOCK_LIMIT_CAPS = 2;
/** Points the time series keeps; it halves its resolution when full, so memory stays bounded. */
export const SERIES_CAPACITY = 8192;

export interface SimulationOptions {
  faults?: EngineFaults;
  /** Initial sampling interval of the time series, ms (doubles when the series fills up). */
  seriesIntervalMs?: number;
  /**
   * Host costs to use instead of the scenario's profile (same id): for sensitivity studies that
   * vary one constant (validate's candidates). Never set by the app.
   */
  profileOverride?: HostProfile;
  /**
   * Record the history of one page (pageHistory()): what the guest and QEMU did to it, step by
   * step. Unset, the run does no extra work.
   */
  probe?: { pfn: number };
}

/** Time series as struct-of-arrays; halved in place (generation++) when it fills up. */
export interface Series {
  t: Float64Array;
  transferred: Float64Array;
  remaining: Float64Array;
  /** The stop condition: bytes sendable within the downtime limit (measured bandwidth x limit). */
  threshold: Float64Array;
  /** QEMU's dirty-pages-rate in bytes/s (pages newly dirtied per second, updated at syncs >= 1 s apart). */
  dirtyRate: Float64Array;
  /** The bandwidth the migration thread measured over its last 100 ms window, bytes/s. */
  sendRate: Float64Array;
  /** auto-converge's CPU throttle, % (0 when not throttling). */
  throttle: Float64Array;
  length: number;
  generation: number;
  intervalMs: number;
}

interface Timed {
  t: number;
  seq: number;
  fn: (t: number) => void;
}

export class Simulation {
  readonly scenario: Scenario;
  readonly profile: HostProfile;
  readonly pageCount: number;
  readonly events: SimEvent[] = [];
  readonly series: Series;
  private readonly mem: GuestMemory;
  private readonly workload: Workload;
  private readonly precopy: Precopy;
  /** The mode's free-page strategy (modes/), the one participant every run has. */
  private readonly strategy: ModeParticipant;
  /** QEMU's auto-converge capability (inert when off): throttles the vCPUs from the syncs. */
  private readonly autoConverge: AutoConverge;
  private readonly participants: readonly Participant[];
  /** Guest states participants paint over the guest's own (held, discarded...). */
  private readonly layers: readonly GuestLayer[];
  /** Simulated time at which an unfinished run stops (simCapMs). */
  readonly capMs: number;
  private guestClock = 0;
  /** Units of the thread's work since its clock last moved (see advance). */
  /** Time of the guest or device action running now (Scheduler.now). */
  private guestNow = 0;
  private readonly timers: Timed[] = [];
  private timerSeq = 0;
  private nextSample = 0;
  private readonly probe: PageProbe | null = null;

  constructor(scenario: Scenario, options: SimulationOptions = {}) {
    this.scenario = validateScenario(scenario);
    this.profile = options.profileOverride ?? getProfile(this.scenario.profile);
    this.pageCount = Math.floor(this.scenario.guestGiB * PAGES_PER_GIB);
    const rng = new Rng(this.scenario.seed);
    this.mem = new GuestMemory(this.pageCount);
    if (options.probe) {
      this.checkPfn(options.probe.pfn);
      this.probe = new PageProbe(options.probe.pfn);
      // Watching from the start, so the page's version counts the writes that built the guest.
      this.mem.watch = this.probe.watch;
    }
    this.workload = buildWorkload(this.scenario, this.mem, rng);
    this.capMs = simCapMs(this.scenario, this.profile);
    const sc = this.scenario;
    const faults: EngineFaults = options.faults ?? {};
    this.precopy = new Precopy(
      this.mem,
      this.profile,
      {
        linkBytesPerMs: linkBytesPerMs(sc, this.profile),
        maxBandwidthBytesPerMs: (sc.maxBandwidthMiBs * 1048576) / 1000,
        downtimeLimitMs: sc.downtimeMs,
        capMs: this.capMs,
      },
      (e) => this.events.push(e),
      faults,
    );
    const scheduler: Scheduler = { at: (t, fn) => this.schedule(t, fn), now: () => this.guestNow };
    const run: RunContext = {
      scenario: this.scenario,
      mem: this.mem,
      profile: this.profile,
      scheduler,
      thread: this.precopy,
      recordVq: (vq: VirtqueueEvent) => this.events.push({ t: vq.t, kind: 'vq', vq }),
      faults,
    };
    this.strategy = getMode(this.scenario.mode).create(run);
    this.autoConverge = new AutoConverge(
      sc.autoConverge ? { initial: sc.cpuThrottleInitial, increment: sc.cpuThrottleIncrement, max: sc.maxCpuThrottle } : null,
    );
    const participants: Participant[] = [this.strategy, this.autoConverge];
    this.participants = participants;
    this.precopy.attach(participants);
    this.layers = participants.flatMap((p) => p.guestLayers ?? []);
    // The guest lived settleMs between the moment its memory took shape and the migration:
    // its activity (and free page reporting) runs up to, not including, time 0.
    if (this.probe) this.observeProbe(this.probe, -this.scenario.settleMs);
    this.guestClock = -this.scenario.settleMs;
    this.runGuestUntil(0, false);
    const interval = options.seriesIntervalMs ?? 1;
    this.series = {
      t: new Float64Array(SERIES_CAPACITY),
      transferred: new Float64Array(SERIES_CAPACITY),
      remaining: new Float64Array(SERIES_CAPACITY),
      threshold: new Float64Array(SERIES_CAPACITY),
      dirtyRate: new Float64Array(SERIES_CAPACITY),
      sendRate: new Float64Array(SERIES_CAPACITY),
      throttle: new Float64Array(SERIES_CAPACITY),
      length: 0,
      generation: 0,
      intervalMs: interval,
    };
    this.sample();
  }

  get clockMs(): number {
    return this.precopy.now;
  }
  get phase(): Phase {
    return this.precopy.phase;
  }
  get round(): number {
    return this.precopy.round;
  }
  get done(): boolean {
    return this.precopy.done;
  }
  get cursor(): number {
    return this.precopy.cursor;
  }

  /** Advances until the clock reaches untilMs or the migration ends. */
  step(untilMs: number): void {
    while (!this.precopy.done && this.precopy.now < untilMs) this.advance(untilMs);
  }

  runToEnd(): QueryMigrate {
    while (!this.precopy.done) this.advance(Number.POSITIVE_INFINITY);
    return this.stats();
  }

  private advance(untilMs: number): void {
    // The thread may send words without stopping until the next moment anything else looks:
    // a guest tick or action, a sample, the end of this step (a probe looks after every word).
    const timer = this.timers[0];
    const horizon = this.probe
      ? Number.NEGATIVE_INFINITY
      : Math.min(untilMs, this.guestClock, this.nextSample, timer ? timer.t : Number.POSITIVE_INFINITY);
    const before = this.precopy.now;
    // The thread checks its clock after every unit (Precopy.checkClock): it never goes back and
    // never stalls, so the guest is never replayed or left spinning behind a broken one.
    this.precopy.advance(horizon);
    const now = this.precopy.now;
    // No run reaches this: the loop fails at the cap, and what can follow it (the last iteration,
    // the stop-and-copy) sends at most all of RAM, a third of the cap (sim-cap.ts); setup costs a
    // fraction of that. A clock past it is a cost off by orders of magnitude, and the guest would
    // be ticked there 1 ms at a time.
    if (now > CLOCK_LIMIT_CAPS * this.capMs) {
      broken(`the migration thread's clock jumped from ${before} ms to ${now} ms, past ${CLOCK_LIMIT_CAPS} times the run's time cap (phase ${this.phase})`);
    }
    if (this.probe) this.observeProbe(this.probe, this.precopy.now);
    this.runGuestUntil(this.precopy.now);
    while (this.nextSample <= this.precopy.now) this.sample();
    if (this.precopy.done) this.sampleAt(this.precopy.now);
  }

  /** Share of time the vCPUs run: the product of what every participant allows. */
  private vcpuRunShare(): number {
    let share = 1;
    for (const p of this.participants) share *= p.vcpuRunShare?.() ?? 1;
    return share;
  }

  private schedule(t: number, fn: (t: number) => void): void {
    this.timers.push({ t, seq: this.timerSeq++, fn });
    this.timers.sort((a, b) => a.t - b.t || a.seq - b.seq);
  }

  /** Runs guest ticks and scheduled actions, in time order, up to `t` (or just before it). */
  private runGuestUntil(t: number, inclusive = true): void {
    // Called after every unit of the thread's work, mostly to find nothing due: kept cheap (no
    // closure; a plain comparison against the last time that is due).
    const dt = this.workload.tickMs;
    for (;;) {
      const timer = this.timers[0];
      const nextTimer = timer ? timer.t : Number.POSITIVE_INFINITY;
      const nextTick = this.guestClock;
      const next = Math.min(nextTimer, nextTick);
      if (inclusive ? next > t : next >= t) return;
      if (nextTimer <= nextTick) {
        this.timers.shift();
        this.guestNow = timer.t;
        timer.fn(timer.t);
      } else {
        this.guestNow = nextTick;
        // auto-converge's throttle slows the vCPUs, so every guest rate scales by their run share.
        if (this.precopy.vmRunning) this.workload.tick(nextTick, dt, this.vcpuRunShare());
        this.guestClock += dt;
      }
      if (this.probe) this.observeProbe(this.probe, this.guestNow);
    }
  }

  private sample(): void {
    this.sampleAt(this.nextSample);
    this.nextSample += this.series.intervalMs;
  }

  private sampleAt(t: number): void {
    const s = this.series;
    if (s.length === SERIES_CAPACITY) {
      // Keep every other sample and sample half as often from now on.
      for (const a of [s.t, s.transferred, s.remaining, s.threshold, s.dirtyRate, s.sendRate, s.throttle]) {
        for (let i = 0; i < s.length / 2; i++) a[i] = a[2 * i];
      }
      s.length /= 2;
      s.intervalMs *= 2;
      s.generation++;
      this.nextSample = s.t[s.length - 1] + s.intervalMs;
    }
    const m = this.precopy;
    const i = s.length;
    s.t[i] = t;
    s.transferred[i] = m.transferred;
    s.remaining[i] = m.remaining;
    s.threshold[i] = m.thresholdBytes;
    s.dirtyRate[i] = m.dirtyPagesRate * 4096;
    s.sendRate[i] = m.sendRateBytesPerSec;
    s.throttle[i] = this.autoConverge.throttle;
    s.length++;
  }

  stats(): QueryMigrate {
    const m = this.precopy;
    const completed = m.status === 'completed';
    const vq = this.strategy.virtqueue;
    const throttle = this.autoConverge.throttle;
    return {
      status: m.status,
      ...(m.status === 'active' && throttle > 0 ? { 'cpu-throttle-percentage': throttle } : {}),
      'total-time': round3(completed || m.status === 'failed' ? m.totalTime : m.now),
      'setup-time': round3(m.setupTime),
      downtime: round3(completed ? m.downtime : 0),
      'expected-downtime': round3(completed ? 0 : m.expectedDowntime),
      ram: {
        transferred: m.transferred,
        remaining: completed ? 0 : m.remaining,
        total: this.pageCount * 4096,
        duplicate: m.duplicate,
        normal: m.normal,
        'normal-bytes': m.normal * 4096,
        'dirty-pages-rate': completed ? 0 : m.dirtyPagesRate,
        mbps: round3(m.mbps),
        'dirty-sync-count': m.syncCount,
        'page-size': 4096,
        'pages-per-second': m.pagesPerSecond,
      },
      migviz: {
        mode: this.scenario.mode,
        scenario: this.scenario.id,
        seed: this.scenario.seed,
        'skipped-pages': m.skippedPages,
        ...modeCounters(this.strategy),
        rounds: m.round,
        'virtqueue-buffers': vq.buffers,
        'virtqueue-bytes': vq.bytes,
        kicks: vq.kicks,
        interrupts: vq.interrupts,
        'failure-reason': m.failureReason,
        outcome: m.outcome,
        'max-cpu-throttle-percentage': this.autoConverge.maxThrottle,
        'working-set-pages': this.workload.workingSetPages,
      },
      verification: { ...m.verification },
    };
  }

  virtqueue(): VirtqueueSnapshot {
    return this.strategy.virtqueue.snapshot();
  }

  /**
   * Writes one state code per cell: cell i covers pages [first + (i << shift), first + ((i + 1)
   * << shift)) and shows its most significant page (by the ranks in model/page-state). The map
   * covers the window [firstPfn, firstPfn + pages) (default: the whole guest; a zoomed map asks
   * for the part it shows, so the cost follows the window, not the guest). Works a bitmap word at
   * a time: per cell it ORs one bit per guest state and one per migration state seen, then looks
   * up the code of the highest-ranked pair.
   */
  renderPageMap(out: Uint8Array, bucketShift: number, firstPfn = 0, pages = this.pageCount - firstPfn): void {
    const size = 1 << bucketShift;
    if (!Number.isInteger(firstPfn) || firstPfn < 0 || firstPfn >= this.pageCount || firstPfn % size !== 0) {
      throw new RangeError(`page map window must start at a multiple of ${size} from 0 to ${this.pageCount - 1}`);
    }
    const end = Math.min(this.pageCount, firstPfn + Math.max(1, Math.floor(pages)));
    const cells = Math.ceil((end - firstPfn) / size);
    if (out.length < cells) throw new RangeError(`page map needs ${cells} cells, got ${out.length}`);
    const layers = this.layers;
    const layerCodes = layers.map((l) => guestCode(l.state));
    const firstWord = firstPfn >>> 5;
    const lastWord = (end - 1) >>> 5;
    const lastMask = (end & 31) === 0 ? 0xffffffff : (1 << (end & 31)) - 1;
    if (size >= 32) {
      this.renderWordBuckets(out, cells, size, firstWord, lastWord, lastMask, layerCodes);
      return;
    }
    const free = this.mem.buddy.free;
    const data = this.mem.data;
    const log = this.mem.dirtyLog;
    const bm = this.precopy.bitmap;
    const sent = this.precopy.sentEver;
    const started = this.precopy.status !== 'none';
    // Per word, the pages in each guest state (index = guest code) and migration state.
    const g = new Int32Array(GUEST_STATES.length);
    const mg = new Int32Array(MIGRATION_STATES.length);
    let c = 0;
    for (let w = firstWord; w <= lastWord && c < cells; w++) {
      const m = w === lastWord ? lastMask : 0xffffffff;
      let own = m;
      g.fill(0);
      for (let i = 0; i < layers.length; i++) {
        const bits = layers[i].word(w) & own;
        g[layerCodes[i]] |= bits;
        own &= ~bits;
      }
      const f = free[w];
      g[GUEST_USED] |= ~f & own;
      g[GUEST_FREE_STALE] |= f & data[w] & own;
      g[GUEST_ZERO] |= f & ~data[w] & own;
      if (started) {
        const pend = (bm[w] | log[w]) & m;
        const snt = sent[w] & m;
        mg[MIG_REDIRTIED] = pend & snt;
        mg[MIG_PENDING] = pend & ~snt;
        mg[MIG_SENT] = snt & ~pend;
        mg[MIG_SKIPPED] = ~pend & ~snt & m;
      } else {
        mg.fill(0);
        mg[MIG_PENDING] = m;
      }
      const cellBits = (1 << size) - 1;
      // A word whose pages all share one guest and one migration state (most of a map: the
      // untouched and the sent parts) gives that code to every cell in it, without the per-cell
      // loops over the states.
      let gw = 0;
      let mw = 0;
      for (let k = 0; k < g.length; k++) if (g[k] !== 0) gw |= 1 << k;
      for (let k = 0; k < mg.length; k++) if (mg[k] !== 0) mw |= 1 << k;
      const uniform = (gw & (gw - 1)) === 0 && (mw & (mw - 1)) === 0 ? pageCode(TOP_MIG[mw], TOP_GUEST[gw]) : -1;
      // The window starts inside the first word (at a multiple of the cell size).
      for (let shift = w === firstWord ? firstPfn & 31 : 0; shift < 32 && c < cells; shift += size) {
        const cm = (cellBits << shift) & m;
        if (cm === 0) {
          out[c++] = CELL_OUTSIDE;
          continue;
        }
        if (uniform >= 0) {
          out[c++] = uniform;
          continue;
        }
        let gs = 0;
        let ms = 0;
        for (let k = 0; k < g.length; k++) if (g[k] & cm) gs |= 1 << k;
        for (let k = 0; k < mg.length; k++) if (mg[k] & cm) ms |= 1 << k;
        out[c++] = pageCode(TOP_MIG[ms], TOP_GUEST[gs]);
      }
    }
    out.fill(CELL_OUTSIDE, c);
  }

  /**
   * renderPageMap for cells of 32 pages or more: per bitmap word, one bit per state seen, no
   * per-page or per-state arrays (a 1 TiB guest is 8 Mi words a frame).
   */
  private renderWordBuckets(
    out: Uint8Array,
    cells: number,
    size: number,
    firstWord: number,
    lastWord: number,
    lastMask: number,
    layerCodes: readonly number[],
  ): void {
    const free = this.mem.buddy.free;
    const data = this.mem.data;
    const log = this.mem.dirtyLog;
    const bm = this.precopy.bitmap;
    const sent = this.precopy.sentEver;
    const layers = this.layers;
    const started = this.precopy.status !== 'none';
    const wordsPerCell = size >>> 5;
    // The states' bits as locals: this loop visits every word of the window (8 Mi at 1 TiB), and
    // under tsx (node: CLI, bench) each imported constant is a getter call.
    const USED = 1 << GUEST_USED;
    const STALE = 1 << GUEST_FREE_STALE;
    const ZERO = 1 << GUEST_ZERO;
    const REDIRTIED = 1 << MIG_REDIRTIED;
    const PENDING = 1 << MIG_PENDING;
    const SENT = 1 << MIG_SENT;
    const SKIPPED = 1 << MIG_SKIPPED;
    const topMig = TOP_MIG;
    const topGuest = TOP_GUEST;
    const code = pageCode;
    let c = 0;
    let gAcc = 0;
    let mAcc = 0;
    let n = 0;
    for (let w = firstWord; w <= lastWord && c < cells; w++) {
      const m = w === lastWord ? lastMask : 0xffffffff;
      let own = m;
      for (let i = 0; i < layers.length; i++) {
        const bits = layers[i].word(w) & own;
        if (bits !== 0) {
          gAcc |= 1 << layerCodes[i];
          own &= ~bits;
        }
      }
      const f = free[w];
      const d = data[w];
      if ((~f & own) !== 0) gAcc |= USED;
      if ((f & d & own) !== 0) gAcc |= STALE;
      if ((f & ~d & own) !== 0) gAcc |= ZERO;
      if (started) {
        const pend = (bm[w] | log[w]) & m;
        const snt = sent[w] & m;
        if ((pend & snt) !== 0) mAcc |= REDIRTIED;
        if ((pend & ~snt) !== 0) mAcc |= PENDING;
        if ((snt & ~pend) !== 0) mAcc |= SENT;
        if ((~pend & ~snt & m) !== 0) mAcc |= SKIPPED;
      } else mAcc |= PENDING;
      if (++n === wordsPerCell || w === lastWord) {
        out[c++] = code(topMig[mAcc], topGuest[gAcc]);
        gAcc = 0;
        mAcc = 0;
        n = 0;
      }
    }
    out.fill(CELL_OUTSIDE, c);
  }

  pageInfo(pfn: number): PageInfo {
    this.checkPfn(pfn);
    const code = this.codeOf(pfn);
    return {
      pfn,
      guest: GUEST_STATES[guestOf(code)].id,
      migration: MIGRATION_STATES[migrationOf(code)].id,
      received: this.received(pfn),
      changedSinceSent: this.mem.isChangedSinceSent(pfn),
      freeBlockOrder: this.mem.buddy.freeOrderOf(pfn),
    };
  }

  /** Page counts by state over [firstPfn, firstPfn + pages), clipped to guest RAM. */
  cellSummary(firstPfn: number, pages: number): CellSummary {
    this.checkPfn(firstPfn);
    const end = Math.min(this.pageCount, firstPfn + Math.max(1, Math.floor(pages)));
    const byCode = new Array<number>(pageCode(MIGRATION_STATES.length, 0)).fill(0);
    for (let pfn = firstPfn; pfn < end; pfn++) byCode[this.codeOf(pfn)]++;
    return { firstPfn, pages: end - firstPfn, byCode };
  }

  /** The probed page's history so far (SimulationOptions.probe), or null without a probe. */
  pageHistory(): PageHistory | null {
    const p = this.probe;
    if (!p) return null;
    const start = p.start ?? { t: 0, guest: this.pageInfo(p.pfn).guest, version: 0 };
    const w = p.watch;
    const now: ProbedPageInfo = {
      ...this.pageInfo(p.pfn),
      timesSent: w.sends,
      sourceVersion: w.writes,
      destinationVersion: w.received,
    };
    return { pfn: p.pfn, untilMs: this.clockMs, start, events: [...p.events], now };
  }

  private observeProbe(p: PageProbe, t: number): void {
    p.observe(t, this.codeOf(p.pfn));
  }

  /** The destination received the page at least once. */
  private received(pfn: number): boolean {
    return (this.precopy.sentEver[pfn >>> 5] & (1 << (pfn & 31))) !== 0;
  }

  /** The page-map code of one page (the same rules as renderPageMap at bucket size 1). */
  private codeOf(pfn: number): number {
    const w = pfn >>> 5;
    const bit = 1 << (pfn & 31);
    let guest = -1;
    for (const layer of this.layers) {
      if (layer.word(w) & bit) {
        guest = guestCode(layer.state);
        break;
      }
    }
    if (guest < 0) guest = !this.mem.isFree(pfn) ? GUEST_USED : this.mem.isData(pfn) ? GUEST_FREE_STALE : GUEST_ZERO;
    if (this.precopy.status === 'none') return pageCode(MIG_PENDING, guest);
    const pending = ((this.precopy.bitmap[w] | this.mem.dirtyLog[w]) & bit) !== 0;
    const sent = this.received(pfn);
    const mig = pending ? (sent ? MIG_REDIRTIED : MIG_PENDING) : sent ? MIG_SENT : MIG_SKIPPED;
    return pageCode(mig, guest);
  }

  private checkPfn(pfn: number): void {
    if (!Number.isInteger(pfn) || pfn < 0 || pfn >= this.pageCount) {
      throw new RangeError(`pfn must be an integer from 0 to ${this.pageCount - 1}`);
    }
  }

  /**
   * The run's whole state at its clock (snapshot.ts): restore() brings this Simulation back to it,
   * and playing on from there is exactly playing on from that moment. `previous` (an earlier
   * snapshot of this run) lets arrays unchanged since then share its storage.
   */
  snapshot(previous: SnapshotRef | null = null): Snapshot {
    const appendOnly: unknown[][] = [this.events];
    if (this.probe) appendOnly.push(this.probe.events);
    const prev = previous instanceof Snapshot && previous.root === this ? previous : null;
    return capture(this, this.clockMs, { skip: [this.scenario, this.profile], appendOnly, previous: prev });
  }

  /** Back to a snapshot this Simulation took (not another's: closures act on their own run). */
  restore(s: SnapshotRef): void {
    if (!(s instanceof Snapshot) || s.root !== this) throw new Error('a simulation restores only its own snapshots');
    restore(s);
  }

  /** Bytes of engine state held in per-page typed arrays (guest + QEMU + destination). */
  stateBytes(): number {
    return (
      this.mem.stateBytes() + this.precopy.stateBytes() + (this.strategy.stateBytes?.() ?? 0) + (this.workload.stateBytes?.() ?? 0)
    );
  }
}

/** For a set of states seen (bit k = state k), the code of the highest-ranked one. */
function topByRank(states: readonly { rank: number }[]): Uint8Array {
  const top = new Uint8Array(1 << states.length);
  for (let set = 1; set < top.length; set++) {
    let best = -1;
    for (let k = 0; k < states.length; k++) if (set & (1 << k) && (best < 0 || states[k].rank > states[best].rank)) best = k;
    top[set] = best;
  }
  return top;
}
const TOP_GUEST = topByRank(GUEST_STATES);
const TOP_MIG = topByRank(MIGRATION_STATES);

/** Every counter of every mode, 0 where another mode owns it, so the JSON keeps one shape. */
function modeCounters(strategy: ModeParticipant): Record<ModeCounterKey, number> {
  const all = {} as Record<ModeCounterKey, number>;
  for (const def of Object.values(MODES)) for (const c of def.counters) all[c.key] = 0;
  return Object.assign(all, strategy.counters());
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

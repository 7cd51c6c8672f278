/**
 * Workloads: what the guest did before the migration (which shapes its memory) and what it
 * keeps doing while it runs. Each is a small generator over the seeded RNG.
 *
 * Memory is built in bulk (ranges and runs written straight into the bitmaps, then the free
 * lists rebuilt once) rather than by replaying millions of allocations: an 8 GiB guest is
 * built in a few milliseconds. While the migration runs, the workload acts through the real
 * allocator and the real write path, so the dirty log sees every write.
 *
 * Sizes are in MiB of guest memory and scale as stated; rates are per second of simulated time.
 */
import type { StressPattern, WorkloadId } from '../types';
import { Rng } from '../rng';
import type { GuestMemory } from './memory';
import { clearRange, newBitmap, rangeMask, setRange } from '../bitmap';

const PAGES_PER_MIB = 256;
/**
 * The random writer lists the words that may still have a clean page; it writes them by chance
 * per page (writeListed) when the list is at most 1/4 as long as the tick's writes. An estimate
 * of the cost of one listed word (a look at three bitmaps and at least one log() draw) against
 * one single write (one draw and three bitmap updates); either path gives the same chance per page.
 */
const LIST_WORD_COST_IN_WRITES = 4;

/** The layout of a just-booted Linux guest (values for the RFC's CentOS 6.6 guest, kernel 4.5). */
export const BOOT_LAYOUT = {
  /** Real-mode area, BIOS data and tables below 1 MiB: reserved, never freed. */
  firmwareMiB: 1,
  /** Kernel text, data and bss loaded at 16 MiB (a distribution kernel with its modules' init). */
  kernelImageMiB: 28,
  /** The struct-page array: 64 bytes of `struct page` per 4 KiB page, 1.56% of RAM, at the top. */
  structPageBytesPerPage: 64,
  /** Early allocations next to it: direct-map page tables, per-cpu areas, memblock tables. */
  earlyMiB: 6,
  /** Page cache, slab, page tables and user space of an idle distribution after boot. */
  runtimeUsedMiB: 181,
  /** Mean length of a run of contiguously allocated pages (readahead batches, slab pages). */
  runMeanPages: 24,
  /**
   * Runs cluster: the per-cpu page lists refill from one buddy block at a time, so a booted
   * guest's allocations fill some 4 MiB blocks (to this fraction) and leave most others whole.
   */
  clusterFill: 0.6,
  /**
   * The compressed initrd the boot loader placed in low memory: freed after unpacking
   * ("Freeing initrd memory"), so it is free but keeps its non-zero content.
   */
  initrdMiB: 9,
  /** The initramfs unpacked into rootfs page cache, freed at switch_root: free, stale. */
  initramfsUnpackedMiB: 18,
} as const;

/** Activity of a guest that is (nearly) idle: timers, RCU, logging, a little page-cache churn. */
export const IDLE_ACTIVITY = {
  /** Kernel and daemon pages written over and over (jiffies, per-cpu data, log buffers). */
  hotPages: 1024,
  writesPerSec: 1500,
  /** Order-0 allocations per second (page cache, slab), each freed again after a while. */
  allocsPerSec: 100,
  heldAllocations: 256,
} as const;

export const AFTER_HOG = {
  /**
   * The share of RAM the hog reached, %: the rest (watermarks and lowmem reserves the kernel
   * keeps, plus what the hog did not ask for) stays zero. The scenario's `hogPercent` sets it;
   * this default is the RFC's "a memory hog touched nearly all RAM" as migviz has always built
   * it (it left 3.05 % of RAM untouched, within 0.05 % of RAM of 97 % touched).
   */
  defaultHogPercent: 97,
  /**
   * Kernel allocations made while the hog held almost all memory (slab, page cache, page
   * tables). They came from whatever single frames were free at the time, so they stay
   * scattered through the memory the hog gave back and split its free blocks.
   */
  survivorMiB: 8,
  /** Pages the kernel moves from the buddy lists to a per-cpu list at once (pcp->batch). */
  pcpBatchPages: 32,
} as const;

/**
 * `running`, the first busy guest migviz had, kept as it was: in stress terms a 1 GiB working
 * set (in blocks of up to 32 KiB) written at random at 25 000 pages/s (97.7 MiB/s), plus
 * 2000 allocations of 4 to 16 KiB per second that it frees again (allocator churn), plus the
 * idle guest's activity. Its writes are drawn per 1 ms tick (Poisson), as the RFC guests'.
 */
export const RUNNING = {
  workingSetMiB: 1024,
  /** Largest block of the working set, as the allocator hands it out (order 3 = 32 KiB). */
  maxBlockOrder: 3,
  dirtyPagesPerSec: 25000,
  allocsPerSec: 2000,
  maxAllocOrder: 2,
  heldAllocations: 4096,
} as const;

/**
 * `stress`: a writer like mig_mon's `mm_dirty` or QEMU's guestperf stress. It allocates a buffer
 * (the working set), writes all of it once (prefault), then writes `dirtyMiBs` per second, one
 * write per 4 KiB page (as mm_dirty counts), either at random pages of the buffer (a page may be
 * written again before QEMU looks) or with a cursor that walks the buffer and wraps. The rest of
 * the guest is the booted idle guest with its background activity (IDLE_ACTIVITY).
 */
export const STRESS = {
  /**
   * Anonymous memory is backed by transparent huge pages where the allocator has them (2 MiB,
   * order 9); smaller blocks when it has not.
   */
  blockOrder: 9,
  /**
   * Smallest block the writer takes: 32 pages (128 KiB), one bitmap word, so the buffer is held
   * as a list of 32-page chunks (small enough to stay in cache while writing at random). The
   * working set is a whole number of chunks.
   */
  minBlockOrder: 5,
  /**
   * The kernel keeps its watermarks and reserves free (what the default hog left, AFTER_HOG): a working
   * set larger than what is left is cut to it (query-migrate reports the pages it got).
   */
  reserveFraction: 1 - AFTER_HOG.defaultHogPercent / 100,
  /**
   * The writer acts in slices of 10 ms, the vCPU timeslice of QEMU's CPU throttle
   * (cpus.c: CPU_THROTTLE_TIMESLICE_NS), so a throttle step takes effect from the next slice.
   */
  tickMs: 10,
} as const;

/**
 * `kernel-compile`: a Linux kernel build, `make bzImage -j4`, in a 4-vCPU guest, as Wei Wang's free
 * page hint letters ran it during the migration (v29, 2018-03-26: the build took 4 min 58 s).
 * Built on the stress writer's model (a working set written at a rate, allocator churn), with what
 * such a build does to memory: four compiler processes (cc1) that grow a heap, write it over and
 * over and exit, their memory freed (free but stale, as after the hog); and page cache that grows
 * with every source file read and object file written. Estimates where no measurement is cited.
 */
export const KERNEL_COMPILE = {
  /** make -j4: four compiler processes at once, one per vCPU. */
  jobs: 4,
  /**
   * Mean life of one cc1 process: 298 s of build (the letters' 4 min 58 s) x 4 jobs over ~2400
   * compilations (the object files of an x86_64 defconfig bzImage, an estimate) = 0.5 s.
   * Lives are exponential around it; builds mix tiny and large files.
   */
  jobLifetimeMs: 500,
  /** Peak resident heap of one cc1 compiling a kernel .c file at -O2 (40 to 100 MiB; estimate). */
  jobPeakMiB: 64,
  /**
   * GCC's garbage-collected heap is written again while the file compiles (allocate, fill,
   * collect): each heap page written this many more times over the process's life (estimate).
   */
  jobRewritesPerPage: 2,
  /**
   * Compiler heap in 32-page (128 KiB) chunks, the stress writer's smallest block: GCC maps its
   * heap in chunks of about 1 MiB, so a chunk stays within one.
   */
  chunkOrder: 5,
  /**
   * Page cache at the migration. The letters migrate "ping-pong" while the build runs (v28,
   * 2018-02-08: the guest "ceaselessly migrates between the source and destination"), so each
   * published time is a mean over the whole build. Wang observed "5GB memory being used as page
   * cache" at the later stage of the build (reply to v28, 2018-02-26,
   * <5A938699.8020804@intel.com>), and the migration time "depends on how much free memory the
   * system has at that moment". The cache grows from about nothing to 5 GiB over the build, so
   * the mean migration sees about half of it: 2560 MiB, the build half done.
   */
  pageCacheAtStartMiB: 2560,
  /**
   * Page cache growth: the same 5 GiB over the build's 298 s (v29: 4 min 58 s) = 17.2 MiB/s,
   * sources read and objects written, a page at a time (file pages are order-0 allocations).
   */
  pageCacheGrowthMiBs: 17.2,
  /** The writer's 10 ms slice (STRESS.tickMs), for the same reason. */
  tickMs: STRESS.tickMs,
} as const;

/** What a workload is: its id and, for `stress`, the writer's parameters (the scenario's fields). */
export interface WorkloadSpec {
  readonly workload: WorkloadId;
  readonly workingSetGiB: number;
  readonly dirtyMiBs: number;
  readonly pattern: StressPattern;
  /** `after-hog` only: the hog wrote every free page but (100 − hogPercent) % of RAM (AFTER_HOG). */
  readonly hogPercent: number;
}

/** What a workload does while the simulation runs. */
export interface Workload {
  readonly id: WorkloadId;
  /** The simulation calls tick once per this many ms of guest time. */
  readonly tickMs: number;
  /** Pages the stress writer holds (0 for the other workloads). */
  readonly workingSetPages: number;
  /**
   * Guest activity in [t, t + dtMs). `runShare` is the share of that time the vCPUs run: 1, or
   * 1 - throttle when auto-converge throttles them (cpus.c: a vCPU runs 10 ms, then sleeps
   * pct / (1 - pct) x 10 ms), so every rate scales by it.
   */
  tick(t: number, dtMs: number, runShare?: number): void;
  /** Bytes of the workload's own arrays that grow with the guest or its working set. */
  stateBytes?(): number;
}

/** Builds the guest's memory for the workload and returns its runtime behaviour. */
export function buildWorkload(spec: WorkloadSpec, mem: GuestMemory, rng: Rng): Workload {
  const id = spec.workload;
  switch (id) {
    case 'idle-boot': {
      const hot = bootGuest(mem, rng);
      return new IdleActivity(id, mem, rng, hot);
    }
    case 'after-hog': {
      const hot = bootGuest(mem, rng);
      runHogAndExit(mem, rng, spec.hogPercent);
      return new IdleActivity(id, mem, rng, hot);
    }
    case 'running': {
      const hot = bootGuest(mem, rng);
      return new RunningWriter(mem, rng, hot);
    }
    case 'stress': {
      const hot = bootGuest(mem, rng);
      return new StressWriter(mem, rng, hot, spec);
    }
    case 'kernel-compile': {
      const hot = bootGuest(mem, rng);
      return new KernelCompile(mem, rng, hot);
    }
  }
}

const ARENA_PAGES = 1024; // one order-10 block

/**
 * Places runs of total length ~pages in [lo, hi), clustered: each 4 MiB arena (picked at random,
 * each at most once) gets runs separated by gaps until `fill` of it is used, then the next.
 */
function clusterRuns(
  rng: Rng,
  pages: number,
  meanRun: number,
  fill: number,
  lo: number,
  hi: number,
  fn: (s: number, e: number) => void,
): void {
  const first = Math.ceil(lo / ARENA_PAGES);
  const arenas = Math.floor(hi / ARENA_PAGES) - first;
  const wanted = Math.ceil(pages / (ARENA_PAGES * fill));
  if (arenas <= 0 || wanted * 2 > arenas) {
    scatterRuns(rng, pages, meanRun, lo, hi, fn);
    return;
  }
  const meanGap = (meanRun * (1 - fill)) / fill;
  const taken = new Set<number>();
  let left = pages;
  while (left > 0) {
    const arena = first + rng.int(arenas);
    if (taken.has(arena)) continue;
    taken.add(arena);
    const base = arena * ARENA_PAGES;
    let offset = rng.int(Math.max(1, Math.round(meanGap)));
    let budget = Math.min(left, Math.round(ARENA_PAGES * fill));
    while (budget > 0 && offset < ARENA_PAGES) {
      const len = Math.min(budget, rng.runLength(meanRun), ARENA_PAGES - offset);
      fn(base + offset, base + offset + len);
      budget -= len;
      left -= len;
      offset += len + rng.runLength(meanGap);
    }
  }
}

/** Places random runs of total length ~pages in [lo, hi) and calls fn for each run. */
function scatterRuns(rng: Rng, pages: number, meanRun: number, lo: number, hi: number, fn: (s: number, e: number) => void): void {
  const span = hi - lo;
  if (span <= 0) return;
  let left = pages;
  while (left > 0) {
    const len = Math.min(left, rng.runLength(meanRun), span);
    const s = lo + rng.int(span - len + 1);
    fn(s, s + len);
    left -= len;
  }
}

/**
 * Lays out a just-booted guest and returns the pfns of its hot kernel pages.
 * Pages in use: firmware, kernel image, struct-page array and early allocations at the top,
 * runtime allocations scattered in runs. Free but stale: the initrd and unpacked initramfs.
 * Everything else was never touched.
 */
function bootGuest(mem: GuestMemory, rng: Rng): Int32Array {
  const L = BOOT_LAYOUT;
  const P = mem.pages;
  const used = newBitmap(P);
  const clampPages = (mib: number) => Math.min(P, Math.round(mib * PAGES_PER_MIB));

  // Stale first, so that anything used on top of it stays used.
  const lowTop = Math.min(P, 2048 * PAGES_PER_MIB, Math.floor(P * 0.75));
  const initrd = clampPages(L.initrdMiB);
  mem.writeRange(Math.max(0, lowTop - initrd), lowTop);
  clusterRuns(rng, clampPages(L.initramfsUnpackedMiB), L.runMeanPages, L.clusterFill, 0, P, (s, e) => mem.writeRange(s, e));

  const markUsed = (s: number, e: number) => {
    if (e <= s) return;
    mem.writeRange(s, e);
    setRange(used, s, e);
  };
  markUsed(0, clampPages(L.firmwareMiB));
  const kernelStart = clampPages(16);
  markUsed(kernelStart, Math.min(P, kernelStart + clampPages(L.kernelImageMiB)));
  const structPages = Math.ceil((P * L.structPageBytesPerPage) / 4096);
  const topStart = Math.max(0, P - structPages - clampPages(L.earlyMiB));
  markUsed(topStart, P);
  clusterRuns(rng, clampPages(L.runtimeUsedMiB), L.runMeanPages, L.clusterFill, kernelStart, topStart, markUsed);

  // The free lists are the complement of what is in use.
  const free = mem.buddy.free;
  for (let w = 0; w < free.length; w++) free[w] = ~used[w];
  clearRange(free, P, free.length * 32);
  mem.buddy.rebuildFromFree();

  // Hot pages: spread over the kernel image and the runtime allocations.
  const hot = new Int32Array(Math.min(IDLE_ACTIVITY.hotPages, P));
  for (let i = 0; i < hot.length; i++) {
    let pfn = rng.int(P);
    while (mem.isFree(pfn)) pfn = rng.int(P);
    hot[i] = pfn;
  }
  return hot;
}

/**
 * A memory hog allocated and wrote all free memory but (100 − hogPercent) % of RAM, then exited: its pages are free
 * again but hold its data. The hog took memory from the top down, so what it left is at the
 * bottom of RAM. A few kernel allocations made meanwhile stay behind, scattered.
 */
function runHogAndExit(mem: GuestMemory, rng: Rng, hogPercent: number): void {
  const P = mem.pages;
  const free = mem.buddy.free;
  let untouched = Math.round((P * (100 - hogPercent)) / 100);
  for (let w = 0; w < free.length; w++) {
    let bits = free[w];
    if (bits === 0) continue;
    if (untouched === 0 && bits === 0xffffffff) {
      mem.writeRange(w << 5, (w << 5) + 32);
      continue;
    }
    while (bits !== 0) {
      const b = 31 - Math.clz32(bits & -bits);
      bits = (bits & (bits - 1)) >>> 0;
      if (untouched > 0) untouched--;
      else mem.write((w << 5) + b);
    }
  }
  // Survivors land on frames the hog had touched (free now, holding its data), a per-cpu list
  // refill (pcp batch) at a time.
  let survivors = Math.round(AFTER_HOG.survivorMiB * PAGES_PER_MIB);
  for (let tries = 0; survivors > 0 && tries < 64 * P; tries++) {
    const start = rng.int(Math.max(1, P - AFTER_HOG.pcpBatchPages));
    for (let pfn = start; pfn < start + AFTER_HOG.pcpBatchPages && survivors > 0; pfn++) {
      if (!mem.isFree(pfn) || !mem.isData(pfn)) continue;
      mem.write(pfn);
      free[pfn >>> 5] &= ~(1 << (pfn & 31));
      survivors--;
    }
  }
  mem.buddy.rebuildFromFree();
}

/** FIFO of blocks a workload allocated and will free again: the allocator churn. */
class Churn {
  private readonly pfns: Int32Array;
  private readonly orders: Uint8Array;
  private head = 0;
  private count = 0;
  constructor(capacity: number) {
    this.pfns = new Int32Array(capacity);
    this.orders = new Uint8Array(capacity);
  }
  /** Allocates (and writes) a block; frees the oldest one when at capacity. */
  step(mem: GuestMemory, order: number): void {
    const cap = this.pfns.length;
    if (this.count === cap) {
      mem.buddy.freeBlock(this.pfns[this.head], this.orders[this.head]);
      this.head = (this.head + 1) % cap;
      this.count--;
    }
    const pfn = mem.allocAndWrite(order);
    if (pfn < 0) return;
    const slot = (this.head + this.count) % cap;
    this.pfns[slot] = pfn;
    this.orders[slot] = order;
    this.count++;
  }
}

/** The RFC guests act every simulated ms, as they always have (their numbers depend on it). */
const IDLE_TICK_MS = 1;

class IdleActivity implements Workload {
  readonly tickMs = IDLE_TICK_MS;
  readonly workingSetPages = 0;
  private readonly churn = new Churn(IDLE_ACTIVITY.heldAllocations);
  constructor(
    readonly id: WorkloadId,
    private readonly mem: GuestMemory,
    private readonly rng: Rng,
    private readonly hot: Int32Array,
  ) {}

  tick(_t: number, dtMs: number, runShare = 1): void {
    const writes = this.rng.poisson((IDLE_ACTIVITY.writesPerSec * dtMs * runShare) / 1000);
    for (let i = 0; i < writes; i++) this.mem.write(this.hot[this.rng.int(this.hot.length)]);
    const allocs = this.rng.poisson((IDLE_ACTIVITY.allocsPerSec * dtMs * runShare) / 1000);
    for (let i = 0; i < allocs; i++) this.churn.step(this.mem, 0);
  }
}

/** A steady writer: a working set written at a fixed rate, plus allocation churn. */
class RunningWriter implements Workload {
  readonly id = 'running' as const;
  readonly tickMs = IDLE_TICK_MS;
  readonly workingSetPages = 0;
  private readonly blocks: Int32Array;
  private readonly blockOrders: Uint8Array;
  private readonly churn = new Churn(RUNNING.heldAllocations);
  private readonly idle: IdleActivity;

  constructor(
    private readonly mem: GuestMemory,
    private readonly rng: Rng,
    hot: Int32Array,
  ) {
    this.idle = new IdleActivity('running', mem, rng, hot);
    const target = Math.min(Math.round(RUNNING.workingSetMiB * PAGES_PER_MIB), Math.floor(mem.buddy.freePages * 0.8));
    const pfns: number[] = [];
    const orders: number[] = [];
    let got = 0;
    while (got < target) {
      const order = rng.int(RUNNING.maxBlockOrder + 1);
      const pfn = mem.allocAndWrite(order);
      if (pfn < 0) break;
      pfns.push(pfn);
      orders.push(order);
      got += 1 << order;
    }
    this.blocks = Int32Array.from(pfns);
    this.blockOrders = Uint8Array.from(orders);
  }

  tick(t: number, dtMs: number, runShare = 1): void {
    this.idle.tick(t, dtMs, runShare);
    const rng = this.rng;
    if (this.blocks.length > 0) {
      const writes = rng.poisson((RUNNING.dirtyPagesPerSec * dtMs * runShare) / 1000);
      for (let i = 0; i < writes; i++) {
        const b = rng.int(this.blocks.length);
        this.mem.write(this.blocks[b] + rng.int(1 << this.blockOrders[b]));
      }
    }
    const allocs = rng.poisson((RUNNING.allocsPerSec * dtMs * runShare) / 1000);
    for (let i = 0; i < allocs; i++) this.churn.step(this.mem, rng.int(RUNNING.maxAllocOrder + 1));
  }
}

/** The stress writer (see STRESS). */
export class StressWriter implements Workload {
  readonly id = 'stress' as const;
  readonly tickMs = STRESS.tickMs;
  /**
   * The buffer as 32-page chunks (first pfn of each) in its (virtual) address order: page r of
   * the buffer is chunks[r >>> 5] + (r & 31), the order a sequential writer goes.
   */
  private readonly chunks: Int32Array;
  private readonly size: number;
  private readonly idle: IdleActivity;
  /** Page writes per ms, in millionths of a write (integers, so counts add up exactly). */
  private readonly microWritesPerMs: number;
  private readonly sequential: boolean;
  /** Millionths of a write owed but not yet made (the fraction left from earlier ticks). */
  private owed = 0;
  private cursor = 0;
  /** Page writes made by the writer since the build (the prefault not counted). */
  writes = 0;
  // The random writer's words that may still hold a clean page (writeRandom).
  /** The buffer's bitmap words in ascending order. */
  private readonly sortedWords: Int32Array;
  /** Indices into sortedWords of the listed words (the first listLength). */
  private readonly list: Int32Array;
  /** Per index into sortedWords: 1 while listed. */
  private readonly listed: Uint8Array;
  private listLength = 0;
  /** Writes since the list was last pruned (writeRandom). */
  private writesSincePrune = 0;
  private seenLogClears = -1;
  private seenLogging = false;
  private watchRng: Rng | null = null;

  constructor(
    private readonly mem: GuestMemory,
    private readonly rng: Rng,
    hot: Int32Array,
    spec: WorkloadSpec,
  ) {
    this.idle = new IdleActivity('stress', mem, rng, hot);
    // mm_dirty counts MiB as 256 pages of 4 KiB.
    this.microWritesPerMs = (spec.dirtyMiBs * PAGES_PER_MIB * 1e6) / 1000;
    this.sequential = spec.pattern === 'sequential';
    const reserve = Math.round(mem.pages * STRESS.reserveFraction);
    const wanted = Math.min(Math.round(spec.workingSetGiB * 1024 * PAGES_PER_MIB), Math.max(0, mem.buddy.freePages - reserve));
    let left = wanted >>> 5;
    const chunks = new Int32Array(left);
    let n = 0;
    let order = STRESS.blockOrder - 5;
    while (left > 0 && order >= STRESS.minBlockOrder - 5) {
      const want = Math.min(order, 31 - Math.clz32(left));
      const pfn = mem.allocAndWrite(want + 5);
      if (pfn < 0) {
        order = want - 1;
        continue;
      }
      for (let i = 0; i < 1 << want; i++) chunks[n++] = pfn + (i << 5);
      left -= 1 << want;
    }
    this.chunks = n === chunks.length ? chunks : chunks.slice(0, n);
    this.size = n << 5;
    const random = !this.sequential;
    this.sortedWords = random ? this.chunks.map((pfn) => pfn >>> 5).sort() : new Int32Array(0);
    this.list = new Int32Array(this.sortedWords.length);
    this.listed = new Uint8Array(this.sortedWords.length);
    if (random && n > 0) mem.sentWords = [];
  }

  get workingSetPages(): number {
    return this.size;
  }

  tick(t: number, dtMs: number, runShare = 1): void {
    this.idle.tick(t, dtMs, runShare);
    this.owed += Math.round(this.microWritesPerMs * dtMs * runShare);
    const n = Math.floor(this.owed / 1e6);
    if (n === 0 || this.size === 0) return;
    this.owed -= n * 1e6;
    this.writes += n;
    if (this.sequential) this.writeSequential(n);
    else this.writeRandom(n);
  }

  /**
   * n writes from the cursor on, a bitmap word (one chunk) at a time. More writes than pages
   * write each page once and keep the count: within a tick only whether a page was written
   * matters (QEMU reads the dirty log and the pages between ticks).
   */
  private writeSequential(n: number): void {
    const { mem, chunks, size } = this;
    const m = Math.min(n, size);
    let c = this.cursor;
    for (let left = m; left > 0; ) {
      const off = c & 31;
      const take = Math.min(32 - off, left, size - c);
      mem.writeWord(chunks[c >>> 5] >>> 5, rangeMask(off, off + take), take);
      c += take;
      if (c === size) c = 0;
      left -= take;
    }
    mem.writes += n - m;
    this.cursor = (this.cursor + n) % size;
  }

  /**
   * n writes at random pages of the buffer. A write to a page that is already dirty everywhere
   * (data, changed since sent, dirty log) changes nothing but the count, and once the buffer has
   * filled up between two syncs almost every write is such a write. So the writer keeps the
   * list of its words that may still have a clean page (all of them after a sync or a change of
   * logging; a word the migration thread sends joins again) and, when that list is short next to
   * n, writes each listed page with the probability that n uniform writes hit it,
   * 1 - (1 - 1/size)^n (the same chance per page as drawing the n writes one by one): the cost
   * follows the pages that change state, not the writes. Otherwise it draws the n writes one by
   * one, as mm_dirty makes them.
   */
  private writeRandom(n: number): void {
    const mem = this.mem;
    if (mem.logClears !== this.seenLogClears || mem.logging !== this.seenLogging) {
      this.seenLogClears = mem.logClears;
      this.seenLogging = mem.logging;
      this.listAll();
      if (mem.sentWords) mem.sentWords.length = 0;
    }
    const sent = mem.sentWords;
    if (sent) {
      for (let k = 0; k < sent.length; k++) this.relist(sent[k]);
      sent.length = 0;
    }
    // Pruning costs a look at each listed word: only once the writes since the last pruning
    // paid for it (counted across ticks: a throttled writer makes few writes a tick, and a list
    // never pruned would keep it drawing every write one by one for the rest of the run).
    this.writesSincePrune += n;
    if (this.listLength <= this.writesSincePrune) {
      this.prune();
      this.writesSincePrune = 0;
    }
    if (this.listLength * LIST_WORD_COST_IN_WRITES <= n) this.writeListed(n);
    else {
      const { chunks, size, rng } = this;
      for (let i = 0; i < n; i++) {
        const r = rng.int(size);
        mem.write(chunks[r >>> 5] + (r & 31));
      }
    }
  }

  /** Every word of the buffer may have a clean page. */
  private listAll(): void {
    const c = this.sortedWords.length;
    for (let i = 0; i < c; i++) this.list[i] = i;
    this.listed.fill(1);
    this.listLength = c;
  }

  /** Lists the buffer's word `w` (sent pages are clean again), if it is one of the buffer's. */
  private relist(w: number): void {
    const words = this.sortedWords;
    let lo = 0;
    let hi = words.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = words[mid];
      if (v === w) {
        if (this.listed[mid] === 0) {
          this.listed[mid] = 1;
          this.list[this.listLength++] = mid;
        }
        return;
      }
      if (v < w) lo = mid + 1;
      else hi = mid - 1;
    }
  }

  /** Drops the listed words that have no clean page left. */
  private prune(): void {
    const { list, listed, sortedWords, mem } = this;
    for (let i = 0; i < this.listLength; ) {
      const k = list[i];
      if (mem.saturated(sortedWords[k], 0xffffffff)) {
        listed[k] = 0;
        list[i] = list[--this.listLength];
      } else i++;
    }
  }

  /** n uniform writes as one chance per listed page (see writeRandom), a word at a time. */
  private writeListed(n: number): void {
    const { mem, rng, list, sortedWords } = this;
    const p = 1 - (1 - 1 / this.size) ** n;
    // Gaps between hit pages are geometric: one draw per hit, not one per page.
    const logMiss = Math.log1p(-p);
    const skip = () => (p >= 1 ? 0 : Math.floor(Math.log(1 - rng.next()) / logMiss));
    for (let i = 0; i < this.listLength; i++) {
      let mask = 0;
      for (let b = skip(); b < 32; b += 1 + skip()) mask |= 1 << b;
      if (mask !== 0) mem.writeWord(sortedWords[list[i]], mask, 0);
    }
    mem.writes += n;
    // A watched page whose word is not listed is written with the same chance, from a stream
    // of its own so that watching does not change the run.
    const watch = mem.watch;
    if (watch !== null) {
      const k = this.indexOfWord(watch.pfn >>> 5);
      if (k >= 0 && this.listed[k] === 0) {
        this.watchRng ??= new Rng(watch.pfn);
        if (this.watchRng.next() < p) watch.writes++;
      }
    }
  }

  private indexOfWord(w: number): number {
    const words = this.sortedWords;
    let lo = 0;
    let hi = words.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (words[mid] === w) return mid;
      if (words[mid] < w) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** The buffer's chunk list and the random writer's word list: 13 bytes per 32 pages. */
  stateBytes(): number {
    return this.chunks.byteLength + this.sortedWords.byteLength + this.list.byteLength + this.listed.byteLength;
  }
}

/** One cc1 process of a kernel build: a heap that grows to its peak, rewritten, freed at exit. */
interface CompileJob {
  age: number;
  life: number;
  /** First pfn of each chunk of its heap (KERNEL_COMPILE.chunkOrder). */
  chunks: number[];
}

/** The kernel build (see KERNEL_COMPILE). */
export class KernelCompile implements Workload {
  readonly id = 'kernel-compile' as const;
  readonly tickMs = KERNEL_COMPILE.tickMs;
  readonly workingSetPages = 0;
  private readonly idle: IdleActivity;
  private readonly jobs: CompileJob[] = [];
  private readonly peakChunks: number;
  /** Page-cache pages owed (fraction carried between ticks). */
  private cacheOwed = 0;

  constructor(
    private readonly mem: GuestMemory,
    private readonly rng: Rng,
    hot: Int32Array,
  ) {
    const K = KERNEL_COMPILE;
    this.idle = new IdleActivity('kernel-compile', mem, rng, hot);
    this.peakChunks = Math.round((K.jobPeakMiB * PAGES_PER_MIB) >>> K.chunkOrder);
    // Page cache so far: file pages, order 0 to 3 (readahead hands out small runs).
    let cache = Math.round(K.pageCacheAtStartMiB * PAGES_PER_MIB);
    while (cache > 0) {
      const order = Math.min(rng.int(4), 31 - Math.clz32(cache));
      if (mem.allocAndWrite(order) < 0) break;
      cache -= 1 << order;
    }
    // The four compilers at the moment the migration starts: each somewhere in its life.
    for (let j = 0; j < K.jobs; j++) {
      const job: CompileJob = { age: 0, life: this.lifetime(), chunks: [] };
      job.age = rng.next() * job.life;
      this.grow(job);
      this.jobs.push(job);
    }
  }

  private lifetime(): number {
    return -KERNEL_COMPILE.jobLifetimeMs * Math.log(1 - this.rng.next());
  }

  /** Allocates (and so writes) heap chunks up to the share of the peak the job's age calls for. */
  private grow(job: CompileJob): void {
    const want = Math.min(this.peakChunks, Math.ceil((this.peakChunks * job.age) / job.life));
    while (job.chunks.length < want) {
      const pfn = this.mem.allocAndWrite(KERNEL_COMPILE.chunkOrder);
      if (pfn < 0) return;
      job.chunks.push(pfn);
    }
  }

  tick(t: number, dtMs: number, runShare = 1): void {
    this.idle.tick(t, dtMs, runShare);
    const K = KERNEL_COMPILE;
    const mem = this.mem;
    const rng = this.rng;
    const chunkPages = 1 << K.chunkOrder;
    const run = dtMs * runShare;
    for (const job of this.jobs) {
      job.age += run;
      if (job.age >= job.life) {
        // cc1 exits: its heap goes back to the allocator, stale; the next file's cc1 starts.
        for (const pfn of job.chunks) mem.buddy.freeBlock(pfn, K.chunkOrder);
        job.chunks.length = 0;
        job.age = 0;
        job.life = this.lifetime();
      }
      this.grow(job);
      // Rewrites over the heap it has: jobRewritesPerPage x peak pages over a life.
      const n = job.chunks.length;
      if (n === 0) continue;
      const writes = rng.poisson((K.jobRewritesPerPage * this.peakChunks * chunkPages * run) / job.life);
      for (let i = 0; i < writes; i++) mem.write(job.chunks[rng.int(n)] + rng.int(chunkPages));
    }
    this.cacheOwed += (K.pageCacheGrowthMiBs * PAGES_PER_MIB * run) / 1000;
    while (this.cacheOwed >= 1) {
      this.cacheOwed -= 1;
      mem.allocAndWrite(0);
    }
  }
}

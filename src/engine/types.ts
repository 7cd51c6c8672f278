/**
 * Public types of the engine: what the CLI, the worker and the UI see.
 *
 * Units, everywhere: simulated time in milliseconds (fractions allowed), sizes in bytes,
 * pages of 4 KiB identified by their page frame number (pfn = index into guest RAM).
 */

import type { ModeCounterKey, ModeId } from './migration/modes';
import type { GuestStateId, MigrationStateId } from './model/page-state';

/** Migration modes: one file each in migration/modes/, listed in its registry (index.ts). */
export type { ModeId } from './migration/modes';

/**
 * What the guest did before (and does during) the migration. `stress` is a writer like mig_mon's
 * `mm_dirty`: the scenario's working set, dirty rate and pattern; `kernel-compile` is `make bzImage
 * -j4` in a 4-vCPU guest, as Wei Wang's free page hint letters ran it (see src/engine/guest/workloads.ts).
 */
export type WorkloadId = 'idle-boot' | 'after-hog' | 'running' | 'stress' | 'kernel-compile';
export const WORKLOAD_IDS: readonly WorkloadId[] = ['idle-boot', 'after-hog', 'running', 'stress', 'kernel-compile'];

/** Order in which `stress` walks its working set: uniformly at random, or a cursor that wraps. */
export type StressPattern = 'random' | 'sequential';
export const STRESS_PATTERNS: readonly StressPattern[] = ['random', 'sequential'];

/**
 * How a run ended: `completed`; `not-converging` (the engine measured the guest dirtying pages at
 * least as fast as they were sent over several syncs; QEMU itself never gives up);
 * `sim-time-cap` (the simulation stopped at its time cap, see SimulationOptions).
 */
export type Outcome = 'completed' | 'not-converging' | 'sim-time-cap';

/** A fully resolved scenario: everything the engine needs, nothing implicit. */
export interface Scenario {
  /** Preset it came from (`rfc-case-1`, `rfc-case-2`) or `custom`. Informational only. */
  readonly id: string;
  readonly mode: ModeId;
  readonly guestGiB: number;
  readonly workload: WorkloadId;
  /** Physical link speed; goodput is derived from it by the profile's efficiency. */
  readonly linkGbps: number;
  /** QEMU `max-bandwidth` (migrate_set_speed), MiB/s. */
  readonly maxBandwidthMiBs: number;
  /** QEMU `downtime-limit`, ms. */
  readonly downtimeMs: number;
  /** Host profile id, e.g. `rfc-2016`. */
  readonly profile: string;
  readonly seed: number;
  /**
   * How long the guest ran between the moment its memory took its shape (boot, or the memory
   * hog's exit) and the start of the migration, ms. Time for free page reporting to catch up.
   */
  readonly settleMs: number;
  /** `stress` only: memory the writer allocates and writes, GiB. */
  readonly workingSetGiB: number;
  /** `stress` only: MiB written per second, one write per 4 KiB page touched (as mm_dirty counts). */
  readonly dirtyMiBs: number;
  /** `stress` only: order of the writes. */
  readonly pattern: StressPattern;
  /**
   * `after-hog` only: how much of the guest's RAM the memory hog reached, %. It wrote every free
   * page but (100 − hogPercent) % of RAM, which stays zero; the knob for the free-but-stale share.
   */
  readonly hogPercent: number;
  /** QEMU capability `auto-converge`: throttle the vCPUs when the guest dirties memory too fast. */
  readonly autoConverge: boolean;
  /** QEMU `cpu-throttle-initial`, %: the first throttle step. */
  readonly cpuThrottleInitial: number;
  /** QEMU `cpu-throttle-increment`, %: every later step. */
  readonly cpuThrottleIncrement: number;
  /** QEMU `max-cpu-throttle`, %: the throttle never goes above it. */
  readonly maxCpuThrottle: number;
}

/** Migration status as QEMU's MigrationStatus names it, plus `none` before the start. */
export type MigrationStatus = 'none' | 'setup' | 'active' | 'completed' | 'failed';

/**
 * Finer phase for the UI's timeline. `bulk` is the first full pass of the scan cursor,
 * `iterate` every later pass, `stop-copy` the time the VM is stopped.
 */
export type Phase = 'idle' | 'setup' | 'bulk' | 'iterate' | 'stop-copy' | 'completed' | 'failed';

/** `query-migrate` as QEMU returns it (all keys always present), plus migviz's own figures. */
export interface QueryMigrate {
  status: MigrationStatus;
  /** Present only while auto-converge throttles the vCPUs (QEMU 2.7+ shows it the same way). */
  'cpu-throttle-percentage'?: number;
  'total-time': number;
  'setup-time': number;
  downtime: number;
  'expected-downtime': number;
  ram: {
    transferred: number;
    remaining: number;
    total: number;
    duplicate: number;
    normal: number;
    'normal-bytes': number;
    'dirty-pages-rate': number;
    mbps: number;
    'dirty-sync-count': number;
    'page-size': number;
    'pages-per-second': number;
  };
  migviz: MigvizStats;
  verification: Verification;
}

/**
 * migviz's own figures. Besides the keys below, every counter of every mode (declared in its
 * file under migration/modes/, e.g. `skipped-free-pages` for pv, `hinted-pages` for hint) is
 * always present, 0 in the other modes, so the JSON has one shape whatever the mode.
 */
export type MigvizStats = {
  mode: ModeId;
  scenario: string;
  seed: number;
  /** Pages dropped from QEMU's bitmap without being sent, by whatever mechanism the mode has. */
  'skipped-pages': number;
  /** Completed passes of the scan cursor (1 = only the bulk stage). */
  rounds: number;
  /** Traffic on the mode's balloon virtqueue. */
  'virtqueue-buffers': number;
  'virtqueue-bytes': number;
  kicks: number;
  interrupts: number;
  /** Why the run failed (empty unless status is `failed`). */
  'failure-reason': string;
  /** How the run ended; empty while it runs. */
  outcome: Outcome | '';
  /** Highest throttle auto-converge applied during the run, % (0 = never throttled). */
  'max-cpu-throttle-percentage': number;
  /** stress: pages of the working set the writer got from the guest's allocator. */
  'working-set-pages': number;
} & Record<ModeCounterKey, number>;

export interface Verification {
  /** False until the migration completed and every in-use guest page matched the destination. */
  ok: boolean;
  'pages-checked': number;
  mismatches: number;
  /** First mismatching pfn, or -1. */
  'first-mismatch': number;
}

/** Something that happened, at a simulated time, for timelines and logs. */
export type SimEvent =
  | { t: number; kind: 'phase'; phase: Phase }
  | { t: number; kind: 'sync'; count: number; newDirty: number; remaining: number }
  | { t: number; kind: 'round'; round: number }
  | { t: number; kind: 'free-page-request' }
  | { t: number; kind: 'free-page-bitmap'; freePages: number; walkMs: number }
  | { t: number; kind: 'vq'; vq: VirtqueueEvent };

/** One step of virtqueue traffic (virtio 1.x split ring), recorded for animation. */
export interface VirtqueueEvent {
  t: number;
  queue: string;
  /**
   * add: driver placed a buffer chain in the avail ring; kick: driver notified the device;
   * pop: device took a chain from the avail ring; push: device put it on the used ring;
   * interrupt: device notified the driver; reclaim: driver took it back and freed its descriptors.
   */
  kind: 'add' | 'kick' | 'pop' | 'push' | 'interrupt' | 'reclaim';
  /** Head descriptor index of the chain (-1 for kick/interrupt). */
  head: number;
  /** Number of descriptors in the chain (0 for kick/interrupt). */
  descriptors: number;
  /** Bytes the chain carries: out bytes for add/pop, bytes written by the device for push. */
  bytes: number;
  /** Human-readable payload, e.g. "request", "free-page bitmap 256 KiB". */
  label: string;
}

/** Snapshot of a split virtqueue, for drawing the ring. */
export interface VirtqueueSnapshot {
  name: string;
  size: number;
  numFree: number;
  /** Per descriptor: 0 free, 1 owned by the driver in the avail ring, 2 held by the device, 3 in the used ring. */
  descState: Uint8Array;
  availIdx: number;
  usedIdx: number;
  lastAvailIdx: number;
  lastUsedIdx: number;
  buffers: number;
  bytes: number;
  kicks: number;
  interrupts: number;
}

/** Details of one page for hover tooltips. */
export interface PageInfo {
  pfn: number;
  guest: GuestStateId;
  migration: MigrationStateId;
  /** The destination received the page at least once. */
  received: boolean;
  /**
   * The guest wrote the page since the destination last received it (or, never received, since
   * boot): the destination's copy is behind. How often it was written or sent is not kept per
   * page; a page's probe (PageHistory) counts it.
   */
  changedSinceSent: boolean;
  /** Free-list order of the free block containing the page, or -1 if the page is in use. */
  freeBlockOrder: number;
}

/** What one page-map cell (a bucket of pages) holds, for tooltips on bucketed maps. */
export interface CellSummary {
  firstPfn: number;
  pages: number;
  /**
   * Pages per state code (index = code, see model/page-state). How often each page was sent is
   * not kept per page (2 bytes per page at most); the migration state says sent or not.
   */
  byCode: number[];
}

/**
 * One thing that happened to a probed page (SimulationOptions.probe), as the engine saw it
 * between two of its steps (a guest tick of 1 ms, a device action, or one bitmap word of the
 * migration thread):
 *   written   the guest wrote it `count` times; `version` is the source version after
 *   guest     its guest state changed from `from` to `to` (allocated, freed, hinted, reported...)
 *   sent      QEMU sent it; `version` is the version the destination now holds
 *   skipped   QEMU dropped it from the migration bitmap without sending it (a mode's free page)
 *   dirtied   sent before, marked to send again (the dirty log caught a write)
 */
export type PageHistoryEvent =
  | { t: number; kind: 'written'; count: number; version: number }
  | { t: number; kind: 'guest'; from: GuestStateId; to: GuestStateId }
  | { t: number; kind: 'sent'; version: number }
  | { t: number; kind: 'skipped' }
  | { t: number; kind: 'dirtied' };

/** A probed page's history up to the simulation's clock, and its details now. */
export interface PageHistory {
  pfn: number;
  /** Simulated ms the history runs to. */
  untilMs: number;
  /**
   * The page when the guest's memory took shape (the workload builds what happened before,
   * e.g. the hog's writes, at once), at -settleMs: its guest state and version.
   */
  start: { t: number; guest: GuestStateId; version: number };
  /** In time order; times before 0 happened while the guest settled, before the migration. */
  events: PageHistoryEvent[];
  now: ProbedPageInfo;
}

/** A probed page now: what pageInfo says, plus the counts its probe kept. */
export interface ProbedPageInfo extends PageInfo {
  timesSent: number;
  /** Page writes since boot (0 = never written). */
  sourceVersion: number;
  /** The version the destination received last (0 = never received). */
  destinationVersion: number;
}

/** One sample of the time series, taken every `seriesIntervalMs` of simulated time. */
export interface SeriesSample {
  t: number;
  transferred: number;
  remaining: number;
  round: number;
}

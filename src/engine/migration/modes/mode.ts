/**
 * The hook interface between QEMU's migration thread (precopy.ts) and everything that takes part
 * in a run besides it: the free-page strategy of the mode (one per run) and, later, options that
 * are not free-page strategies (auto-converge, multifd, postcopy). The thread calls the hooks of
 * every participant in order and never asks which one it is talking to.
 *
 *   setup        QEMU's own steps (fixed cost, bitmap, dirty log start), with each participant's
 *                setup steps placed before or after the dirty log start
 *   every sync   beforeSync (hinting stops), the sync with onSyncStats inside it where QEMU
 *                updates its statistics (auto-converge's check), afterSync (hinting restarts, or DONE)
 *   completion   onComplete (the guest runs on the destination); onEnd after completion or failure
 *
 * And between them: vcpuRunShare (how much of the time the guest's vCPUs run, which a throttle
 * lowers) and convergenceAid (something still acting on the dirty rate, so a not-converging
 * verdict must wait until it is at its limit).
 *
 * A participant may also act on its own schedule (a guest driver, a device handler) through the
 * run's scheduler, and change the migration bitmap through the thread it was created with.
 */
import type { GuestMemory } from '../../guest/memory';
import type { GuestStateId } from '../../model/page-state';
import type { Scenario, SimEvent, VirtqueueEvent, VirtqueueSnapshot } from '../../types';
import type { Scheduler } from '../../scheduler';
import type { HostProfile } from '../profiles';

/** What a participant may ask of the migration thread. Precopy implements it. */
export interface MigrationThread {
  /** The thread's clock, ms. */
  readonly now: number;
  /** False from stop-and-copy on. */
  readonly vmRunning: boolean;
  /** The thread spends `ms` of its own time (blocking setup work). */
  spend(ms: number): void;
  /**
   * Drops pages from the migration bitmap without sending them: every pending page whose bit is
   * set in `pages` (clear, with `complement`). Returns how many left the bitmap; they are counted
   * in `migviz.skipped-pages`.
   */
  dropPages(pages: Uint32Array, complement?: boolean): number;
  /** The same for the pages [start, end). */
  dropRange(start: number, end: number): number;
  emit(e: SimEvent): void;
}

/**
 * Deliberate mistakes, for tests that prove the verification catches them. Never set in the app.
 * - snapshotBeforeDirtyLog: the free-page snapshot is taken before dirty logging is on, so a
 *   page reused in between is neither logged nor in the bitmap.
 * - noDirtyLog: dirty logging is never started.
 */
export interface EngineFaults {
  snapshotBeforeDirtyLog?: boolean;
  noDirtyLog?: boolean;
}

/** What a run shares with its participants when they are created. */
export interface RunContext {
  readonly scenario: Scenario;
  readonly mem: GuestMemory;
  readonly profile: HostProfile;
  readonly scheduler: Scheduler;
  readonly thread: MigrationThread;
  /** Records one step of virtqueue traffic (for the UI's animation and the counters). */
  readonly recordVq: (e: VirtqueueEvent) => void;
  readonly faults: EngineFaults;
}

/** One step of ram_save_setup that a participant adds. */
export interface SetupStep {
  /** What QEMU does in it, in words (shows in tests and debugging, never a mode id). */
  readonly name: string;
  /** Where it runs: after dirty logging starts (safe), or before (only deliberate faults). */
  readonly at: 'before-dirty-log' | 'after-dirty-log';
  /** Does one unit of the step; returns true when the step is complete. May spend thread time. */
  run(thread: MigrationThread): boolean;
}

/** A guest state a participant paints on pages (e.g. held while hinted), as a bitmap per word. */
export interface GuestLayer {
  readonly state: GuestStateId;
  /** Pages of bitmap word `w` that show this state (bit i = page 32w + i). */
  word(w: number): number;
}

/** The virtqueue a participant's device uses, drawn by the UI and counted in the stats. */
export interface VirtqueueView {
  readonly buffers: number;
  readonly bytes: number;
  readonly kicks: number;
  readonly interrupts: number;
  snapshot(): VirtqueueSnapshot;
}

/** What migration_bitmap_sync knows where it updates its statistics. */
export interface SyncStats {
  /** ram_bytes_transferred() at this sync. */
  transferred: number;
  /**
   * Set only when this sync closes a statistics period (more than 1 s since the last):
   * num_dirty_pages_period, the pages this period's syncs newly set in the migration bitmap.
   */
  periodDirtyPages: number | null;
  /** s->dirty_pages_rate as it stood before this sync updates it (0 until a period closed). */
  dirtyPagesRate: number;
}

/** A participant that still acts on the guest's dirty rate (auto-converge's throttle). */
export interface ConvergenceAid {
  /** It can do no more (the throttle is at max-cpu-throttle). */
  atLimit: boolean;
  /** Words for the not-converging reason, e.g. "with auto-converge at its 99 % maximum". */
  note: string;
}

export interface Participant {
  readonly setupSteps?: readonly SetupStep[];
  /** PRECOPY_NOTIFY_BEFORE_BITMAP_SYNC. */
  beforeSync?(thread: MigrationThread): void;
  /** PRECOPY_NOTIFY_AFTER_BITMAP_SYNC: `thread.vmRunning` tells the final sync from the others. */
  afterSync?(thread: MigrationThread): void;
  /** Inside migration_bitmap_sync, before the dirty-pages rate is updated. */
  onSyncStats?(stats: SyncStats): void;
  /** The migration completed; the guest runs on the destination. */
  onComplete?(thread: MigrationThread): void;
  /** The migration ended, completed or failed (cpu_throttle_stop). */
  onEnd?(): void;
  /** Share of time the guest's vCPUs run, 0..1; 1 when absent. */
  vcpuRunShare?(): number;
  /** Null (or absent) while it does not act on the dirty rate. */
  convergenceAid?(): ConvergenceAid | null;
  readonly guestLayers?: readonly GuestLayer[];
  readonly virtqueue?: VirtqueueView;
  /** Bytes of per-page state the participant keeps (counts in the engine's budget). */
  stateBytes?(): number;
  /**
   * Every object whose state the participant's hooks change (its device, its driver, a record of
   * its own counters), so that a snapshot of the run (snapshot.ts) sees it: state kept only in a
   * closure's variables would not be saved or restored.
   */
  readonly state?: object;
}

/** One counter a mode adds to query-migrate's `migviz` object. */
export interface CounterSpec<K extends string = string> {
  readonly key: K;
  /** Label in the CLI summary, e.g. "skipped as free". */
  readonly label: string;
  readonly unit: 'pages' | 'ms' | 'count';
}

/** A mode's participant: its guest has a balloon device, and it reports its counters. */
export interface ModeParticipant<K extends string = string> extends Participant {
  readonly virtqueue: VirtqueueView;
  counters(): Readonly<Record<K, number>>;
}

/** A migration mode: one free-page strategy, defined in one file under modes/. */
export interface ModeDefinition<K extends string = string> {
  /** One line: what the mode is and which QEMU/Linux it follows. */
  readonly summary: string;
  /** Guest states its participant paints besides the base ones (e.g. `held` while hinted). */
  readonly guestStates: readonly GuestStateId[];
  readonly counters: readonly CounterSpec<K>[];
  create(ctx: RunContext): ModeParticipant<K>;
}

/** Helper that keeps a mode's counter keys as literal types. */
export function defineMode<const K extends string>(def: ModeDefinition<K>): ModeDefinition<K> {
  return def;
}

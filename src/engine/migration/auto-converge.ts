/**
 * auto-converge as QEMU 2.5/2.6 runs it (migration/ram.c: migration_bitmap_sync and
 * mig_throttle_guest_down; cpus.c: cpu_throttle_set).
 *
 * Inside a bitmap sync, once more than 1 s has passed since the last statistics period:
 *
 *     if (s->dirty_pages_rate &&
 *         num_dirty_pages_period * TARGET_PAGE_SIZE > (bytes_xfer_now - bytes_xfer_prev) / 2 &&
 *         dirty_rate_high_cnt++ >= 2) {
 *         dirty_rate_high_cnt = 0;
 *         mig_throttle_guest_down();
 *     }
 *     bytes_xfer_prev = bytes_xfer_now;
 *
 * - `s->dirty_pages_rate` is still 0 when the first period closes, so the first period never
 *   counts (nor does one after a period without new dirty pages).
 * - The counter rises only on a hit and is not reset on a miss; the post-increment test makes
 *   the throttle move on the third hit, then on every third hit after the reset.
 * - `bytes_xfer_prev` is taken at the first sync that finds it 0 (`if (!bytes_xfer_prev)`, the
 *   setup sync has sent nothing yet, so in practice the first sync after it).
 * - mig_throttle_guest_down: `cpu-throttle-initial` the first time, then `+ cpu-throttle-increment`.
 *   cpu_throttle_set clamps to 1..99 (CPU_THROTTLE_PCT_MIN/MAX); `max-cpu-throttle` (QEMU 2.11+,
 *   99 by default, so 2.5's behaviour) caps the increments.
 *
 * Today's rule (migration_trigger_throttle: `++dirty_rate_high_cnt >= 2`, the
 * throttle-trigger-threshold parameter) belongs to later profiles, not to rfc-2016.
 */
import { PAGE_SIZE } from '../guest/memory';
import type { ConvergenceAid, Participant, SyncStats } from './modes/mode';

/** cpus.c: CPU_THROTTLE_PCT_MIN / CPU_THROTTLE_PCT_MAX. */
const THROTTLE_PCT_MIN = 1;
const THROTTLE_PCT_MAX = 99;

export interface AutoConvergeParams {
  /** cpu-throttle-initial, %. */
  initial: number;
  /** cpu-throttle-increment, %. */
  increment: number;
  /** max-cpu-throttle, %. */
  max: number;
}

/**
 * A participant of every run: with the capability off (params null) it never acts and the guest
 * runs unthrottled, so nothing else needs to ask whether it is there.
 */
export class AutoConverge implements Participant {
  /** dirty_rate_high_cnt. */
  private highCount = 0;
  /** bytes_xfer_prev (0 = not taken yet, as in QEMU). */
  private bytesXferPrev = 0;
  private pct = 0;
  private maxPct = 0;

  constructor(private readonly params: AutoConvergeParams | null) {}

  /** cpu_throttle_get_percentage(): 0 while not throttling. */
  get throttle(): number {
    return this.pct;
  }

  /** The highest throttle applied so far, %. */
  get maxThrottle(): number {
    return this.maxPct;
  }

  /** Share of time the vCPUs run: a vCPU runs 10 ms, then sleeps pct / (1 - pct) x 10 ms. */
  get runShare(): number {
    return 1 - this.pct / 100;
  }

  /** The highest throttle this run can reach: max-cpu-throttle, within cpu_throttle_set's 99 %. */
  get ceiling(): number {
    if (!this.params) return 0;
    return Math.min(Math.max(this.params.max, this.params.initial), THROTTLE_PCT_MAX);
  }

  vcpuRunShare(): number {
    return this.runShare;
  }

  convergenceAid(): ConvergenceAid | null {
    if (!this.params) return null;
    return { atLimit: this.pct >= this.ceiling, note: `with auto-converge at its ${this.ceiling} % maximum` };
  }

  /** cpu_throttle_stop, at the end of the migration. */
  onEnd(): void {
    this.pct = 0;
  }

  /** The check inside every migration_bitmap_sync. Returns true when the throttle moved. */
  onSyncStats(ctx: SyncStats): boolean {
    if (!this.params) return false;
    if (!this.bytesXferPrev) this.bytesXferPrev = ctx.transferred;
    if (ctx.periodDirtyPages === null) return false;
    const xfer = ctx.transferred - this.bytesXferPrev;
    this.bytesXferPrev = ctx.transferred;
    if (ctx.dirtyPagesRate !== 0 && ctx.periodDirtyPages * PAGE_SIZE > xfer / 2 && this.highCount++ >= 2) {
      this.highCount = 0;
      this.throttleDown();
      return true;
    }
    return false;
  }

  /** mig_throttle_guest_down and cpu_throttle_set. */
  private throttleDown(): void {
    if (!this.params) return;
    const next = this.pct === 0 ? this.params.initial : Math.min(this.pct + this.params.increment, this.params.max);
    this.pct = Math.max(THROTTLE_PCT_MIN, Math.min(next, THROTTLE_PCT_MAX));
    this.maxPct = Math.max(this.maxPct, this.pct);
  }
}

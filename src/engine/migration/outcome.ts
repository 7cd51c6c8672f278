/**
 * How a run ends when it does not complete, and the reason given, from the run's measurements.
 * QEMU itself never gives up on a pre-copy migration; migviz stops in two cases and says which:
 *
 * - `not-converging`: over the last CONVERGENCE_WINDOW_SYNCS syncs the guest dirtied pages at
 *   least as fast as the migration sent them. The pages left after a sync change by exactly the
 *   pages dirtied minus the pages sent, so that is the same as "no fewer pages left than
 *   CONVERGENCE_WINDOW_SYNCS syncs ago": the stop condition (pages left below the threshold) gets
 *   no nearer. With auto-converge the verdict waits until the throttle is at max-cpu-throttle for
 *   the whole window, as the throttle could still slow the guest before that (any participant that
 *   acts on the dirty rate says so through Participant.convergenceAid).
 * - `sim-time-cap`: the simulated time reached the cap. The reason names the binding limit and
 *   the time one more pass over what is left would take; it says nothing about the dirty rate,
 *   which may not be the problem (a slow link still in its first pass is not).
 */
import { PAGE_SIZE } from '../guest/memory';
import type { ConvergenceAid } from './modes/mode';

/** How many syncs the dirty rate must stay at or above the send rate: five passes that did not help. */
export const CONVERGENCE_WINDOW_SYNCS = 5;

/** What the migration thread records at each bitmap sync (counters are totals since the start). */
export interface SyncRecord {
  /** Simulated time of the sync, ms. */
  t: number;
  /** Pages the syncs so far newly set in the migration bitmap (num_dirty_pages_period, summed). */
  dirtied: number;
  /** Pages sent so far. */
  sent: number;
  /** Page writes the guest made so far (every write, also to pages already dirty). */
  writes: number;
  /** Bytes left to send right after this sync (query-migrate `remaining`). */
  remaining: number;
  /**
   * What still acted on the dirty rate after this sync (auto-converge's throttle), or null when
   * nothing does. A verdict needs every aid at its limit for the whole window.
   */
  aid: ConvergenceAid | null;
}

export interface ConvergenceContext {
  /** Syncs oldest first; the last one is the sync just made. */
  history: readonly SyncRecord[];
  /** Bytes that could be sent within the downtime limit (measured bandwidth x downtime limit). */
  threshold: number;
  downtimeLimitMs: number;
}

/** The not-converging reason when the window shows no progress, else null. */
export function notConvergingReason(c: ConvergenceContext): string | null {
  const h = c.history;
  if (h.length <= CONVERGENCE_WINDOW_SYNCS) return null;
  const first = h[h.length - 1 - CONVERGENCE_WINDOW_SYNCS];
  const last = h[h.length - 1];
  const seconds = (last.t - first.t) / 1000;
  if (seconds <= 0) return null;
  const dirtied = last.dirtied - first.dirtied;
  const sent = last.sent - first.sent;
  if (dirtied < sent) return null;
  for (let i = h.length - 1 - CONVERGENCE_WINDOW_SYNCS; i < h.length; i++) {
    if (h[i].aid?.atLimit === false) return null;
  }
  const dirtyRate = (dirtied * PAGE_SIZE) / seconds;
  const sendRate = (sent * PAGE_SIZE) / seconds;
  const writeRate = ((last.writes - first.writes) * PAGE_SIZE) / seconds;
  const throttled = last.aid ? ` ${last.aid.note}` : '';
  // Four digits: the two rates are often close (a working set rewritten within every pass).
  return (
    `not converging: dirty rate ${formatBytes(dirtyRate, 4)}/s ≥ ${formatBytes(sendRate, 4)}/s sent over the last ` +
    `${CONVERGENCE_WINDOW_SYNCS} syncs (${formatSeconds(seconds)})${throttled}, the guest writing ` +
    `${formatBytes(writeRate)}/s; ${formatBytes(last.remaining)} stay to send, above the ` +
    `${formatBytes(c.threshold)} a ${c.downtimeLimitMs} ms downtime allows`
  );
}

export interface CapContext {
  capMs: number;
  /** Bytes left to send (query-migrate `remaining`). */
  remaining: number;
  /** Link goodput, bytes per ms. */
  linkBytesPerMs: number;
  linkGbps: number;
  /** max-bandwidth, bytes per ms. */
  maxBandwidthBytesPerMs: number;
  maxBandwidthMiBs: number;
}

/** The sim-time-cap reason: the binding limit, what is left and how long one pass over it takes. */
export function simTimeCapReason(c: CapContext): string {
  const byMaxBandwidth = c.maxBandwidthBytesPerMs < c.linkBytesPerMs;
  const bytesPerMs = byMaxBandwidth ? c.maxBandwidthBytesPerMs : c.linkBytesPerMs;
  const limit = byMaxBandwidth ? `max-bandwidth ${c.maxBandwidthMiBs} MiB/s` : `the ${c.linkGbps} Gbit/s link's goodput`;
  const needs = c.remaining / bytesPerMs / 1000;
  return (
    `simulation time cap reached: at ${formatSeconds(c.capMs / 1000)}, ${formatBytes(c.remaining)} left at ` +
    `${formatBytes(bytesPerMs * 1000)}/s (${limit}); needs ~${formatSeconds(needs)} more to send once; ` +
    'QEMU itself would keep going'
  );
}

/** Decimal units, `digits` significant digits at most: 8.3 GB, 11.8 MB, 35.2 MB, 512 kB. */
export function formatBytes(b: number, digits = 3): string {
  const units: [number, string][] = [
    [1e12, 'TB'],
    [1e9, 'GB'],
    [1e6, 'MB'],
    [1e3, 'kB'],
  ];
  for (const [size, unit] of units) {
    if (Math.abs(b) >= size) return `${significant(b / size, digits)} ${unit}`;
  }
  return `${Math.round(b)} B`;
}

/** 7.3 s, 41 s, 700 s: one decimal below 10 s, whole seconds above. */
export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

/** x (1 <= x < 1000) to `digits` significant digits, without a trailing zero after the point. */
function significant(x: number, digits: number): string {
  const decimals = Math.max(0, digits - String(Math.floor(x)).length);
  const text = x.toFixed(decimals);
  return decimals > 0 ? text.replace(/0$/, '').replace(/\.$/, '') : text;
}

/** Number formatting for readouts. Binary units (KiB, MiB) like QEMU's own output. */
import type { Phase } from '../engine/types';

/** A migration phase in words (announcements, the presentation stage's phase line). */
export const PHASE_TEXT: Readonly<Record<Phase, string>> = {
  idle: 'not started',
  setup: 'setup',
  bulk: 'bulk stage',
  iterate: 'iterating over re-dirtied pages',
  'stop-copy': 'stop-and-copy, guest paused',
  completed: 'completed',
  failed: 'failed',
};

export function formatBytes(bytes: number): string {
  const abs = Math.abs(bytes);
  if (abs >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  if (abs >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (abs >= 2 ** 10) return `${(bytes / 2 ** 10).toFixed(abs >= 100 * 2 ** 10 ? 0 : 1)} KiB`;
  return `${Math.round(bytes)} B`;
}

/** Simulated time: "0.000 s" style with ms precision (the clock readout). */
export function formatClock(ms: number): string {
  return `${(ms / 1000).toFixed(3)} s`;
}

export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${Math.round(ms)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function formatInt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Speed as shown by the slider: "0.25×", "max". */
export function formatSpeed(speed: number): string {
  if (!Number.isFinite(speed)) return 'max';
  if (speed >= 10) return `${Math.round(speed)}×`;
  if (speed >= 1) return `${speed.toFixed(1).replace(/\.0$/, '')}×`;
  return `${Number(speed.toPrecision(2))}×`;
}

/** Seconds as a verdict says them: 7.3 s, 41 s, 682 s (one decimal below 10 s). */
export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(1)} s` : `${Math.round(s)} s`;
}

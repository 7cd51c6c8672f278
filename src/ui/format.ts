/** Number formatting for readouts. Binary units (KiB, MiB) like QEMU's own output. */
import type { Phase } from '../engine/types';
import type { PageMapLayout } from '../protocol';

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

/**
 * An integer with thousands separators, "1,234,567", as en-US prints it. Written out rather than
 * `toLocaleString('en-US')`: the first locale call loads ICU's number data, a ~40 ms main-thread
 * stall inside the page's first render (measured in headless Chromium, issue 13's load budget).
 */
export function formatInt(n: number): string {
  const r = Math.round(n);
  if (!Number.isFinite(r)) return String(r);
  const digits = String(Math.abs(r));
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1);
  for (let i = out.length; i < digits.length; i += 3) out += `,${digits.slice(i, i + 3)}`;
  return r < 0 ? `-${out}` : out;
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

/** "1 px = 4 pages (16 KiB)", "1.19×1.19 px = 16 pages (64 KiB)": the bucketing, said on screen. */
export function describeBucketing(layout: PageMapLayout): string {
  const pages = 2 ** layout.bucketShift;
  const side = Number(layout.scale.toFixed(2));
  const px = layout.scale === 1 ? '1 px' : `${side}×${side} px`;
  return `${px} = ${pages === 1 ? '1 page' : `${formatInt(pages)} pages`} (${formatKiB(pages * 4)})`;
}

function formatKiB(kib: number): string {
  if (kib >= 1024 * 1024) return `${kib / (1024 * 1024)} GiB`;
  if (kib >= 1024) return `${kib / 1024} MiB`;
  return `${kib} KiB`;
}

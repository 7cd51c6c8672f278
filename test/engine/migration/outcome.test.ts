import { describe, expect, it } from 'vitest';
import {
  CONVERGENCE_WINDOW_SYNCS,
  formatBytes,
  formatSeconds,
  notConvergingReason,
  type SyncRecord,
  simTimeCapReason,
} from '../../../src/engine/migration/outcome';
import { RFC_2016 } from '../../../src/engine/migration/profiles';

/**
 * Syncs every 36 s (a 4 GiB working set sent over a 1 Gbit/s link). Each pass sends `sent` pages,
 * the sync after it finds `dirtied` new ones, and the guest writes `writes` pages in between.
 */
function passes(n: number, dirtied: number, sent: number, throttle?: (i: number) => number): SyncRecord[] {
  const h: SyncRecord[] = [];
  for (let i = 0; i < n; i++) {
    h.push({
      t: 40_000 + i * 36_000,
      dirtied: i * dirtied,
      sent: 2_000_000 + i * sent,
      writes: i * 3_686_400,
      remaining: 1_000_000 * 4096,
      // auto-converge with a 99 % ceiling, when a throttle is given.
      aid: throttle ? { atLimit: throttle(i) >= 99, note: 'with auto-converge at its 99 % maximum' } : null,
    });
  }
  return h;
}

const ctx = (history: SyncRecord[]) => ({
  history,
  threshold: 35.3e6,
  downtimeLimitMs: 300,
});

describe('not converging', () => {
  it('needs a full window: 5 syncs after a baseline one', () => {
    expect(CONVERGENCE_WINDOW_SYNCS).toBe(5);
    expect(notConvergingReason(ctx(passes(5, 1_100_000, 1_000_000)))).toBeNull();
    expect(notConvergingReason(ctx(passes(6, 1_100_000, 1_000_000)))).not.toBeNull();
  });

  it('says the dirty rate and the send rate it measured, and what stays to send', () => {
    // 5 passes of 180 s: 5.5 M pages dirtied (22.5 GB, 125.2 MB/s), 5 M sent (20.5 GB, 113.8 MB/s),
    // 18.4 M page writes (75.5 GB, 419.4 MB/s: 400 MiB/s).
    expect(notConvergingReason(ctx(passes(6, 1_100_000, 1_000_000)))).toBe(
      'not converging: dirty rate 125.2 MB/s ≥ 113.8 MB/s sent over the last 5 syncs (180 s), the guest writing ' +
        '419 MB/s; 4.1 GB stay to send, above the 35.3 MB a 300 ms downtime allows',
    );
  });

  it('equal rates are no progress; a pass that leaves fewer pages is', () => {
    expect(notConvergingReason(ctx(passes(6, 1_000_000, 1_000_000)))).toMatch(
      /^not converging: dirty rate 113.8 MB\/s ≥ 113.8 MB\/s sent/,
    );
    expect(notConvergingReason(ctx(passes(6, 999_999, 1_000_000)))).toBeNull();
  });

  it('looks only at the last 5 syncs', () => {
    const h = passes(8, 1_100_000, 1_000_000);
    // The first two passes sent far more: outside the window, they do not matter.
    h[1] = { ...h[1], sent: 0 };
    expect(notConvergingReason(ctx(h))).not.toBeNull();
    h[4] = { ...h[4], dirtied: h[4].dirtied - 2_000_000 };
    for (let i = 5; i < 8; i++) h[i] = { ...h[i], dirtied: h[i].dirtied - 2_000_000 };
    expect(notConvergingReason(ctx(h))).toBeNull();
  });

  it('with auto-converge, only once the throttle has been at its maximum for the whole window', () => {
    expect(notConvergingReason(ctx(passes(6, 1_100_000, 1_000_000, (i) => (i < 1 ? 90 : 99))))).toBeNull();
    expect(notConvergingReason(ctx(passes(6, 1_100_000, 1_000_000, () => 99)))).toBe(
      'not converging: dirty rate 125.2 MB/s ≥ 113.8 MB/s sent over the last 5 syncs (180 s) with auto-converge ' +
        'at its 99 % maximum, the guest writing 419 MB/s; 4.1 GB stay to send, above the 35.3 MB a 300 ms downtime allows',
    );
  });
});

describe('simulation time cap', () => {
  const link = (gbps: number) => (gbps * 1e9 * RFC_2016.linkEfficiency) / 8 / 1000;

  it('names the link, what is left and one pass over it; never the dirty rate', () => {
    const reason = simTimeCapReason({
      capMs: 600_000,
      remaining: 8.3e9,
      linkBytesPerMs: link(0.1),
      linkGbps: 0.1,
      maxBandwidthBytesPerMs: (1192 * 1048576) / 1000,
      maxBandwidthMiBs: 1192,
    });
    // 8.3 GB / 11.77 MB/s = 705 s.
    expect(reason).toBe(
      "simulation time cap reached: at 600 s, 8.3 GB left at 11.8 MB/s (the 0.1 Gbit/s link's goodput); " +
        'needs ~705 s more to send once; QEMU itself would keep going',
    );
    expect(reason).not.toMatch(/dirt/);
  });

  it('names max-bandwidth when it binds', () => {
    expect(
      simTimeCapReason({
        capMs: 3_600_000,
        remaining: 2e9,
        linkBytesPerMs: link(10),
        linkGbps: 10,
        maxBandwidthBytesPerMs: (32 * 1048576) / 1000,
        maxBandwidthMiBs: 32,
      }),
    ).toBe(
      'simulation time cap reached: at 3600 s, 2.0 GB left at 33.6 MB/s (max-bandwidth 32 MiB/s); ' +
        'needs ~60 s more to send once; QEMU itself would keep going',
    );
  });

  it('formats bytes in decimal units with 3 significant digits', () => {
    expect(formatBytes(8.3e9)).toBe('8.3 GB');
    expect(formatBytes(11_768_530)).toBe('11.8 MB');
    expect(formatBytes(35_280_000)).toBe('35.3 MB');
    expect(formatBytes(512_000)).toBe('512 kB');
    expect(formatBytes(117_412_345, 4)).toBe('117.4 MB');
    expect(formatBytes(900)).toBe('900 B');
  });
});

describe('edges the mutation run found untested (issue 9)', () => {
  it('a window with no time between its first and last sync gives no verdict (no rate to measure)', () => {
    // Six syncs at one moment that dirtied more than they sent: the rates would divide by 0 s.
    const h = passes(6, 1_100_000, 1_000_000).map((r) => ({ ...r, t: 40_000 }));
    expect(notConvergingReason(ctx(h))).toBeNull();
  });

  it('max-bandwidth equal to the link goodput: the link is named (max-bandwidth binds only below it)', () => {
    const bytesPerMs = (1192 * 1048576) / 1000; // 1250 MB/s both ways
    expect(
      simTimeCapReason({
        capMs: 600_000,
        remaining: 5e9,
        linkBytesPerMs: bytesPerMs,
        linkGbps: 10,
        maxBandwidthBytesPerMs: bytesPerMs,
        maxBandwidthMiBs: 1192,
      }),
    ).toBe(
      "simulation time cap reached: at 600 s, 5.0 GB left at 1.25 GB/s (the 10 Gbit/s link's goodput); " +
        'needs ~4.0 s more to send once; QEMU itself would keep going',
    );
  });

  it('formats bytes: TB, a unit from exactly its size on, and no digit lost from whole numbers', () => {
    expect(formatBytes(2.5e12)).toBe('2.5 TB');
    expect(formatBytes(1e6)).toBe('1.0 MB'); // exactly 1 MB is MB, not 1000 kB
    expect(formatBytes(120e6)).toBe('120 MB'); // no decimals: the 0 is a digit, not a trailing zero
    expect(formatBytes(12e6)).toBe('12 MB'); // "12.0" loses its zero, then its point
  });

  it('formats seconds: one decimal below 10 s, whole seconds from 10 s on', () => {
    expect(formatSeconds(9.94)).toBe('9.9 s');
    expect(formatSeconds(10)).toBe('10 s');
    expect(formatSeconds(10.4)).toBe('10 s');
  });
});

// Stop-and-copy (the 'final' step) on tiny guests: how much one unit sends (a word, or up to the
// caller's horizon), that max-bandwidth no longer limits it, and what the completion section costs
// the thread. Each test runs a 128-page guest: a few hundred units, milliseconds.
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/engine/guest/memory';
import { Precopy, type PrecopyParams } from '../../../src/engine/migration/precopy';
import { type HostProfile, RFC_2016, WANG_2018 } from '../../../src/engine/migration/profiles';
import * as wire from '../../../src/engine/migration/wire';
import { until } from '../bounded';

const PAGES = 128;

function start(dataPages: number, params: Partial<PrecopyParams>, profile: HostProfile = RFC_2016) {
  const mem = new GuestMemory(PAGES);
  mem.writeRange(0, dataPages);
  const pre = new Precopy(
    mem,
    profile,
    // 10 Mbit/s of goodput; a downtime limit so large that any measured bandwidth lets the run stop.
    { linkBytesPerMs: 1250, maxBandwidthBytesPerMs: 1e9, downtimeLimitMs: 1e5, capMs: 600_000, ...params },
    () => {},
  );
  pre.attach([]);
  return { pre, mem };
}

/**
 * A run whose stop-and-copy finds pages 0-95 dirty, three whole bitmap words: the bulk stage sends
 * the 64 data pages and the 64 zero pages; the guest then rewrites pages 0-95 (logged), and the
 * stop's sync takes them into the bitmap. Returns the thread as the stop unit left it.
 */
function atStopCopyWithThreeWords(): Precopy {
  const { pre, mem } = start(64, {});
  until(pre, () => pre.phase === 'iterate', undefined, 'the end of the bulk stage');
  mem.writeRange(0, 96);
  until(pre, () => pre.phase === 'stop-copy', undefined, 'stop-and-copy');
  expect(pre.dirtyPages).toBe(96);
  expect(pre.vmRunning).toBe(false);
  return pre;
}

describe('stop-and-copy: one unit sends one word, or words up to the horizon', () => {
  it('with no horizon a unit sends one word of dirty pages', () => {
    const pre = atStopCopyWithThreeWords();
    pre.advance();
    expect(pre.dirtyPages).toBe(64);
    pre.advance();
    expect(pre.dirtyPages).toBe(32);
    pre.advance();
    // The last page sent, the completion follows in the same unit.
    expect(pre.dirtyPages).toBe(0);
    expect(pre.status).toBe('completed');
  });

  it('with an unbounded horizon one unit sends every word and completes', () => {
    const pre = atStopCopyWithThreeWords();
    pre.advance(Number.POSITIVE_INFINITY);
    expect(pre.status).toBe('completed');
    expect(pre.verification.ok).toBe(true);
  });

  it('the horizon is exclusive: a unit whose clock reaches it exactly stops there', () => {
    const twin = atStopCopyWithThreeWords();
    twin.advance();
    const afterOneWord = twin.now;
    // The same run (deterministic), asked to go on until exactly that moment.
    const pre = atStopCopyWithThreeWords();
    pre.advance(afterOneWord);
    expect(pre.now).toBe(afterOneWord);
    expect(pre.dirtyPages).toBe(64);
  });
});

describe('stop-and-copy ignores max-bandwidth', () => {
  it('a rate-limited run still sends whole words once the VM is stopped', () => {
    // 2.5's migration_completion sets the rate limit to INT64_MAX before
    // qemu_savevm_state_complete_precopy; ram_save_complete sends without checking it. Here
    // max-bandwidth is 1000 bytes/ms, 100 000 bytes per 100 ms window: under one word of data
    // pages (32 x 4104 bytes), so a rate-limited send would split every word.
    const { pre } = start(PAGES, { maxBandwidthBytesPerMs: 1000 });
    until(pre, () => pre.phase === 'stop-copy', undefined, 'stop-and-copy');
    // The bulk stage stopped at page 25: pages 25-31 of word 0, then words 1-3.
    const left = [pre.dirtyPages];
    for (let unit = 0; unit < 10 && !pre.done; unit++) {
      pre.advance();
      left.push(pre.dirtyPages);
    }
    expect(left).toEqual([103, 96, 64, 32, 0]);
    expect(pre.status).toBe('completed');
  });
});

describe('the completion section', () => {
  it('over loopback the thread pays EOS + device state + section header and footer at the link rate', () => {
    // Loopback (wang-2018): the thread itself moves every byte, so the unit's time is exactly
    // bytes / link. No page is dirty at the stop (a 1 ms downtime limit lets the run stop only with
    // nothing pending): the unit writes only the completion section.
    const { pre } = start(64, { downtimeLimitMs: 1 }, WANG_2018);
    until(pre, () => pre.phase === 'stop-copy', undefined, 'stop-and-copy');
    expect(pre.dirtyPages).toBe(0);
    const before = pre.now;
    pre.advance();
    expect(pre.status).toBe('completed');
    const bytes = wire.EOS_BYTES + WANG_2018.deviceStateBytes + wire.SECTION_OVERHEAD_BYTES;
    expect(bytes).toBe(8 + 262_144 + 10);
    expect(pre.now - before).toBeCloseTo(bytes / 1250, 9);
  });
});

/** One turn of migration_thread's loop: the time cap, then ram_save_pending against the threshold. (The harness: precopy-harness.ts.) */
import { describe, expect, it } from 'vitest';
import { GuestMemory, PAGE_SIZE } from '../../../src/engine/guest/memory';
import { CONVERGENCE_WINDOW_SYNCS } from '../../../src/engine/migration/outcome';
import * as wire from '../../../src/engine/migration/wire';
import { until } from '../bounded';
import { costFree, thread, toLoop } from './precopy-harness';

describe('the time cap is checked first in every turn of the loop', () => {
  it('a loop turn that starts exactly at the cap fails the run with sim-time-cap', () => {
    const mem = new GuestMemory(256);
    const { pre } = thread(mem, { ...costFree, setupFixedMs: 83 }, { capMs: 100 });
    toLoop(pre);
    expect(pre.now).toBe(83);
    // Time a participant spends between two units (the cap is not checked in spend).
    pre.spend(17);
    expect(pre.now).toBe(100);
    pre.advance();
    expect(pre.status).toBe('failed');
    expect(pre.outcome).toBe('sim-time-cap');
    expect(pre.failureReason).toMatch(/^simulation time cap reached: at 0\.1 s, 1\.05 MB left/);
    expect(pre.duplicate + pre.normal).toBe(0);
  });
});

describe('ram_save_pending against the threshold (bandwidth x downtime limit)', () => {
  // costFree: the thread takes no time, so the first window's bandwidth is the bytes over the
  // time the test spends. Spending exactly as many ms as there are bytes makes it 1 byte/ms,
  // and a downtime limit of 4096 ms a threshold of exactly one page.
  function oneWindow(pages: number) {
    const mem = new GuestMemory(pages);
    const { pre, events } = thread(mem, costFree, { downtimeLimitMs: PAGE_SIZE });
    toLoop(pre);
    until(pre, () => pre.dirtyPages === 0);
    // The next unit is the fruitless circle that ends the section: EOS and footer, then the window.
    const bytes = pre.wireBytes + wire.EOS_BYTES + wire.SECTION_FOOTER_BYTES;
    pre.spend(bytes);
    pre.advance();
    expect(pre.thresholdBytes).toBe(PAGE_SIZE);
    return { mem, pre, events };
  }

  it('exactly one page pending after a sync is not below the threshold: another iteration', () => {
    const { mem, pre } = oneWindow(64);
    mem.write(5);
    const wireBefore = pre.wireBytes;
    pre.advance();
    expect(pre.remaining).toBe(PAGE_SIZE);
    // The sync found it and a ram_save_iterate section began (its header is on the wire).
    expect(pre.wireBytes - wireBefore).toBe(wire.SECTION_HEADER_BYTES);
    pre.advance();
    expect(pre.vmRunning).toBe(true);
    expect(pre.normal).toBe(1);
  });

  it('one page pending at the threshold with no progress over the last syncs is not converging', () => {
    const { mem, pre } = oneWindow(64);
    for (let i = 0; i < CONVERGENCE_WINDOW_SYNCS; i++) {
      pre.spend(1);
      pre.sync();
    }
    mem.write(5);
    pre.advance();
    expect(pre.remaining).toBe(PAGE_SIZE);
    expect(pre.outcome).toBe('not-converging');
    expect(pre.failureReason).toMatch(/^not converging: /);
  });

  it('below the threshold after the sync the VM stops, whatever the last syncs show', () => {
    const { pre } = oneWindow(64);
    // Syncs without any send in between: no progress, which would be not-converging if it were checked.
    for (let i = 0; i < CONVERGENCE_WINDOW_SYNCS; i++) {
      pre.spend(1);
      pre.sync();
    }
    pre.advance();
    expect(pre.outcome).toBe('');
    pre.advance();
    expect(pre.phase).toBe('stop-copy');
    until(pre, () => pre.done);
    expect(pre.outcome).toBe('completed');
    expect(pre.verification.ok).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { GUEST_HELD, guestOf } from '../../../src/engine/model/page-state';
import { resolveScenario } from '../../../src/engine/scenario';
import { Simulation } from '../../../src/engine/simulation';
import { stepUntil } from '../bounded';

const hintRun = (id: 'rfc-case-1' | 'rfc-case-2', guestGiB = 8) =>
  new Simulation(resolveScenario(id, { mode: 'hint', guestGiB }));

describe('upstream free page hinting (hint mode)', () => {
  it('the handshake: after the setup sync QEMU raises cmd_id 0x80000001; the guest answers with it, streams 4 MiB blocks, then STOP', () => {
    const sim = hintRun('rfc-case-1', 2);
    sim.runToEnd();
    const vq = sim.events.flatMap((e) => (e.kind === 'vq' ? [e.vq] : []));
    const setupSync = sim.events.find((e) => e.kind === 'sync');
    expect(vq[0]).toMatchObject({ kind: 'interrupt', label: 'config: cmd_id 0x80000001' });
    expect(vq[0].t).toBe(setupSync?.t);
    expect(vq[1]).toMatchObject({ kind: 'add', label: 'cmd_id 0x80000001', bytes: 4, descriptors: 1 });
    const adds = vq.filter((e) => e.kind === 'add');
    const hints = adds.filter((e) => e.label.startsWith('hint pfn'));
    expect(hints.length).toBeGreaterThan(100);
    // Each hint is one device-writable 4 MiB buffer: no out bytes.
    expect(hints.every((e) => e.descriptors === 1 && e.bytes === 0)).toBe(true);
    // The first round ends with the guest's STOP once no free 4 MiB block is left.
    expect(adds.findIndex((e) => e.label === 'cmd_id STOP')).toBeGreaterThan(adds.indexOf(hints[hints.length - 1]));
    // No used-buffer interrupts: the driver has no callback on this queue; only config changes.
    expect(vq.filter((e) => e.kind === 'interrupt').every((e) => e.label.startsWith('config:'))).toBe(true);
    expect(sim.virtqueue().size).toBe(1024);
  });

  it('case 1: nearly every free page is hinted before the scan reaches it, and the run verifies', () => {
    const sim = hintRun('rfc-case-1');
    const s = sim.runToEnd();
    expect(s.migviz['hinted-pages']).toBeGreaterThan(1_800_000);
    expect(s.migviz['hint-rounds']).toBeGreaterThanOrEqual(1);
    expect(s.ram.duplicate).toBeLessThan(100_000);
    expect(s['total-time']).toBeLessThan(500);
    expect(s.verification.ok).toBe(true);
  });

  it('the guest holds its hinted blocks during the migration and gets them back at the end', () => {
    const sim = hintRun('rfc-case-2', 0.5);
    sim.step(sim.stats()['setup-time'] + 40);
    sim.step(150);
    const cells = new Uint8Array(sim.pageCount);
    sim.renderPageMap(cells, 0);
    const held = cells.filter((c) => guestOf(c) === GUEST_HELD).length;
    expect(held).toBeGreaterThan(0);
    expect(held % 1024).toBe(0); // whole 4 MiB blocks
    expect(sim.pageInfo(cells.findIndex((c) => guestOf(c) === GUEST_HELD)).guest).toBe('held');
    sim.runToEnd();
    sim.renderPageMap(cells, 0);
    expect(cells.some((c) => guestOf(c) === GUEST_HELD)).toBe(false);
    expect(sim.stats().verification.ok).toBe(true);
  });

  it('blocks hinted in the first round stay held across the second sync (a new cmd_id), until DONE', () => {
    // A busy guest and a tight downtime limit: the end-of-bulk sync leaves too much, QEMU iterates.
    const sim = new Simulation(resolveScenario('rfc-case-1', { mode: 'hint', guestGiB: 1, workload: 'running', downtimeMs: 30 }));
    const syncs = () => sim.events.filter((e) => e.kind === 'sync');
    // Into the bulk stage: the first round (after the setup sync) has hinted blocks.
    stepUntil(sim, () => syncs().length >= 1 && sim.clockMs >= syncs()[0].t + 20, '20 ms into the first round');
    const cells = new Uint8Array(sim.pageCount);
    sim.renderPageMap(cells, 0);
    const first = cells.findIndex((c) => guestOf(c) === GUEST_HELD);
    expect(first).toBeGreaterThanOrEqual(0);
    // Past the second sync, with the guest still running: QEMU raised a new cmd_id (round 2)...
    stepUntil(sim, () => syncs().length >= 2, 'the second sync');
    sim.step(sim.clockMs + 1);
    expect(sim.phase).not.toBe('stop-copy');
    expect(sim.stats().migviz['hint-rounds']).toBe(2);
    // ...and the guest still holds what it hinted in round 1: only DONE gives blocks back.
    expect(sim.pageInfo(first).guest).toBe('held');
    sim.runToEnd();
    expect(sim.pageInfo(first).guest).not.toBe('held');
    expect(sim.stats().verification.ok).toBe(true);
  });

  it('case 2: hints cover the hog\'s whole free blocks; the blocks its survivors broke still go out', () => {
    const s = hintRun('rfc-case-2').runToEnd();
    const pv = new Simulation(resolveScenario('rfc-case-2', { mode: 'pv' })).runToEnd();
    expect(s.migviz['hinted-pages']).toBeGreaterThan(1_800_000);
    expect(s.ram.normal).toBeGreaterThan(pv.ram.normal + 50_000);
    expect(s['total-time']).toBeLessThan(1500);
    expect(s.verification.ok).toBe(true);
  });
});

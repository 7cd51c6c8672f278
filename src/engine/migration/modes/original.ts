/**
 * `original`: QEMU 2.5/2.6 pre-copy as it is. Nothing is skipped: the bulk stage scans every
 * page and sends each one once, a zero page as a 9-byte record after reading it whole.
 *
 * The guest runs the same balloon driver as in `pv` (its request buffer waits in the ring from
 * boot on), but QEMU never asks: the idle virtqueue is the point.
 */
import { bootRfcBalloon } from '../../virtio/balloon';
import { defineMode } from './mode';

export const original = defineMode({
  summary: 'QEMU 2.5/2.6 pre-copy: every page is scanned and sent in the bulk stage',
  guestStates: [],
  counters: [],
  create(ctx) {
    const balloon = bootRfcBalloon(ctx);
    return { virtqueue: balloon.vq, state: { balloon }, counters: () => ({}) };
  },
});

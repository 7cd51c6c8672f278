/**
 * `hint`: what upstream merged instead of the RFC, free page hinting (VIRTIO_BALLOON_F_FREE_PAGE_HINT,
 * QEMU 4.0 / Linux 4.20). After every bitmap sync with the guest running QEMU raises a new cmd_id;
 * the guest streams whole free 4 MiB blocks on a 1024-entry queue and holds each until DONE; QEMU
 * drops them from its bitmap as they arrive, racing its own scan (see virtio/hinting.ts).
 * The rest of the run keeps the engine's QEMU 2.5 semantics.
 */
import { FreePageHinter } from '../../virtio/hinting';
import { defineMode } from './mode';

export const hint = defineMode({
  summary: 'upstream free page hinting (QEMU 4.0, Linux 4.20): 4 MiB free blocks hinted after every sync',
  guestStates: ['held'],
  counters: [
    { key: 'hinted-pages', label: 'hinted free', unit: 'pages' },
    { key: 'hint-rounds', label: 'hinting rounds', unit: 'count' },
  ],
  create(ctx) {
    const { thread } = ctx;
    const hinter = new FreePageHinter(ctx.mem, ctx.profile, ctx.scheduler, ctx.recordVq, (pfn, pages) =>
      thread.dropRange(pfn, pfn + pages),
    );
    return {
      // PRECOPY_NOTIFY_BEFORE_BITMAP_SYNC: hinting stops.
      beforeSync: (t) => hinter.stop(t.now),
      // PRECOPY_NOTIFY_AFTER_BITMAP_SYNC: a new round while the guest runs; DONE after the final sync.
      afterSync: (t) => (t.vmRunning ? hinter.start(t.now) : hinter.done(t.now)),
      // DONE reached the guest (on the destination): the blocks it held are free again.
      onComplete: () => hinter.releaseAll(),
      guestLayers: [{ state: 'held', word: (w) => hinter.heldMap[w] }],
      virtqueue: hinter.vq,
      state: { hinter },
      stateBytes: () => hinter.heldMap.byteLength,
      counters: () => ({ 'hinted-pages': hinter.hintedPages, 'hint-rounds': hinter.rounds }),
    };
  },
});

/**
 * `pagemap`: the host-side alternative Dave Gilbert raised in the RFC thread: read
 * /proc/self/pagemap and drop the pages the host never mapped, with no guest involvement. They
 * read as zero and the destination's RAM starts zeroed. A page the guest wrote and then freed is
 * still mapped and still goes out: Liang's answer, "Consider the situation like case 2".
 *
 * Reading pagemap after dirty logging starts is safe for the same reason as pv: a page the guest
 * first touches afterwards is mapped by then, and logged.
 */
import { bootRfcBalloon } from '../../virtio/balloon';
import { defineMode } from './mode';

export const pagemap = defineMode({
  summary: 'the RFC thread\'s host-side alternative: skip the pages the host never mapped',
  guestStates: [],
  counters: [{ key: 'skipped-unmapped-pages', label: 'skipped, never mapped', unit: 'pages' }],
  create(ctx) {
    const { mem, profile } = ctx;
    const balloon = bootRfcBalloon(ctx);
    const state = { balloon, skipped: 0 };
    return {
      setupSteps: [
        {
          name: 'read /proc/self/pagemap and drop the pages never mapped',
          at: 'after-dirty-log',
          run(thread) {
            // The host has mapped exactly the pages that hold data (a discarded page is unmapped).
            state.skipped = thread.dropPages(mem.data, true);
            thread.spend((mem.pages * profile.pagemapNsPerPage) / 1e6);
            return true;
          },
        },
      ],
      virtqueue: balloon.vq,
      state,
      counters: () => ({ 'skipped-unmapped-pages': state.skipped }),
    };
  },
});

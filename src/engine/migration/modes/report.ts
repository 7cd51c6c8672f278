/**
 * `report`: free page reporting (Linux 5.7, QEMU 5.1; see virtio/reporting.ts), the successor
 * upstream shipped after hinting. It is not a migration feature at all: the guest reports free
 * 2 and 4 MiB blocks whenever it has some, a couple of seconds after they were freed, and the
 * host discards them. QEMU's migration knows nothing of it: no page leaves the bitmap, every page
 * is still scanned, but a discarded page reads as zero and goes as a 9-byte record. So it fixes
 * the bytes of a guest full of stale free memory, not the scan, and only once it has caught up:
 * how long before the migration the memory was freed (`settleMs`) decides how much it saves.
 *
 * The rest of the run keeps the engine's QEMU 2.5 semantics; no published measurement of
 * migration with reporting exists, so the numbers are the mechanism's, uncalibrated.
 */
import { FreePageReporter } from '../../virtio/reporting';
import { defineMode } from './mode';

export const report = defineMode({
  summary: 'free page reporting (Linux 5.7, QEMU 5.1): the host discards reported free blocks; they go as zero pages',
  guestStates: ['discarded'],
  counters: [
    { key: 'reported-pages', label: 'reported, discarded', unit: 'pages' },
    { key: 'report-passes', label: 'reporting passes', unit: 'count' },
  ],
  create(ctx) {
    const { thread, scheduler, scenario } = ctx;
    const reporter = new FreePageReporter(ctx.mem, ctx.profile, scheduler, ctx.recordVq, () => thread.vmRunning);
    // The driver registered at boot, or the memory was just freed: either way a pass is due
    // PAGE_REPORTING_DELAY after the moment the scenario starts from, settleMs before migrating.
    reporter.request(-scenario.settleMs);
    return {
      guestLayers: [{ state: 'discarded', word: (w) => reporter.discardedWord(w) }],
      virtqueue: reporter.vq,
      state: { reporter },
      stateBytes: () => reporter.stateBytes(),
      counters: () => ({ 'reported-pages': reporter.reportedPages, 'report-passes': reporter.passes }),
    };
  },
});

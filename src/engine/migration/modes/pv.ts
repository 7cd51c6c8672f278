/**
 * `pv`: the 2016 RFC (Liang Li, "migration: skip free pages in the RAM bulk stage", never
 * merged). In ram_save_setup, after dirty logging is on, QEMU asks the guest through the
 * balloon's free_pages virtqueue; the guest walks its buddy free lists and answers with a bitmap
 * of its free 4 KiB pages; QEMU waits for it (usleep(1000) polls) and drops those pages from the
 * migration bitmap before the bulk stage. A page the guest reuses afterwards is in the dirty log,
 * so the next sync puts it back.
 */
import type { FreePageReply } from '../../virtio/balloon';
import { bootRfcBalloon } from '../../virtio/balloon';
import { defineMode, type SetupStep } from './mode';

export const pv = defineMode({
  summary: 'the 2016 RFC: at setup the guest sends a bitmap of its free pages, QEMU skips them',
  guestStates: [],
  counters: [
    { key: 'skipped-free-pages', label: 'skipped as free', unit: 'pages' },
    { key: 'free-page-walk-ms', label: 'guest free-list walk', unit: 'ms' },
  ],
  create(ctx) {
    const { profile } = ctx;
    const balloon = bootRfcBalloon(ctx);
    const state = { balloon, reply: null as FreePageReply | null, replyAt: 0, skipped: 0 };
    // The fault asks before dirty logging starts: a page reused in between goes missing.
    const at = ctx.faults.snapshotBeforeDirtyLog ? 'before-dirty-log' : 'after-dirty-log';
    const steps: SetupStep[] = [
      {
        name: 'ask the guest for its free pages (balloon_get_free_pages)',
        at,
        run(thread) {
          thread.emit({ t: thread.now, kind: 'free-page-request' });
          balloon.requestFreePages(thread.now, (t, r) => {
            state.reply = r;
            state.replyAt = t;
          });
          return true;
        },
      },
      {
        name: 'wait for the bitmap, then drop the free pages from the migration bitmap',
        at,
        run(thread) {
          const reply = state.reply;
          if (reply === null || state.replyAt > thread.now) {
            thread.spend(profile.pollIntervalMs);
            return false;
          }
          // filter_out_guest_free_pages: bitmap &= ~free, a word at a time.
          state.skipped = thread.dropPages(reply.bitmap);
          thread.spend((reply.bitmap.length * profile.scanNsPerWord) / 1e6);
          thread.emit({ t: thread.now, kind: 'free-page-bitmap', freePages: reply.freePages, walkMs: reply.walkMs });
          return true;
        },
      },
    ];
    return {
      setupSteps: steps,
      virtqueue: balloon.vq,
      state,
      // The guest's free-page bitmap (1 bit per page) is held once it arrived.
      stateBytes: () => state.reply?.bitmap.byteLength ?? 0,
      counters: () => ({ 'skipped-free-pages': state.skipped, 'free-page-walk-ms': round3(balloon.walkMs) }),
    };
  },
});

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

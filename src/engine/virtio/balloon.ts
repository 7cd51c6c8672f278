/**
 * virtio-balloon with the 2016 RFC's extension (VIRTIO_BALLOON_F_GET_FREE_PAGES, a fourth
 * virtqueue "free_pages"): QEMU asks, the guest driver walks its buddy free lists and answers
 * with a bitmap of its free 4 KiB pages, and QEMU drops those pages from the migration bitmap.
 *
 * The exchange on the split ring, as the RFC's driver and device do it:
 *   boot     driver posts a device-writable buffer for requests, kicks
 *   request  device pops it, writes the request (16 B), pushes it used, interrupts
 *   walk     driver reclaims the request and walks every zone x order free list under
 *            zone->lock, one bit per free page; the guest keeps running on other vCPUs
 *   reply    driver posts a 3-element chain {u64 free_pages_num, u64 bitmap_bytes, bitmap}, kicks
 *   consume  device pops it, copies the bitmap, pushes it used (0 bytes written), interrupts
 *   re-arm   driver reclaims the reply and posts a fresh request buffer
 */
import type { GuestMemory } from '../guest/memory';
import type { HostProfile } from '../migration/profiles';
import type { Scheduler } from '../scheduler';
import type { VirtqueueEvent } from '../types';
import { SplitVirtqueue } from './virtqueue';

/** The RFC sized its free_pages queue at 128 entries. */
export const FREE_PAGE_VQ_SIZE = 128;
const REQUEST_BYTES = 16;

export type BalloonPayload =
  | { kind: 'request-slot' }
  | { kind: 'request'; id: number }
  | { kind: 'free-pages'; id: number; freePages: number; bitmap: Uint32Array };


export interface FreePageReply {
  /** Bitmap of pages that were free when the guest took its snapshot. */
  bitmap: Uint32Array;
  freePages: number;
  /** Guest time spent in the free-list walk, ms. */
  walkMs: number;
  /** When the snapshot was taken (start of the walk). */
  snapshotAt: number;
}

export class FreePageBalloon {
  readonly vq: SplitVirtqueue<BalloonPayload>;
  private nextId = 1;
  private pendingReply: ((t: number, reply: FreePageReply) => void) | null = null;
  private lastWalkMs = 0;
  private lastSnapshotAt = 0;

  constructor(
    private readonly mem: GuestMemory,
    private readonly profile: HostProfile,
    private readonly scheduler: Scheduler,
    record: (e: VirtqueueEvent) => void,
  ) {
    this.vq = new SplitVirtqueue<BalloonPayload>('free_pages', FREE_PAGE_VQ_SIZE, record);
  }

  /** The driver's probe: one request buffer waits in the ring from boot on. */
  boot(t: number): void {
    this.postRequestSlot(t);
  }

  /** Cost of the guest's walk over its free lists with the allocator as it is now, ms. */
  walkCostMs(): number {
    const blocks = this.mem.buddy.blockCounts().reduce((a, b) => a + b, 0);
    const p = this.profile;
    return (blocks * p.walkNsPerBlock + this.mem.buddy.freePages * p.walkNsPerFreePage) / 1e6;
  }

  get walkMs(): number {
    return this.lastWalkMs;
  }

  /** QEMU side (balloon_get_free_pages): ask the guest; `onReply` runs when the bitmap is in. */
  requestFreePages(t: number, onReply: (t: number, reply: FreePageReply) => void): void {
    const chain = this.vq.pop(t);
    if (chain?.payload.kind !== 'request-slot') {
      throw new Error('balloon: the driver has no request buffer posted');
    }
    this.pendingReply = onReply;
    const id = this.nextId++;
    this.vq.pushUsed(t, chain.head, REQUEST_BYTES, { kind: 'request', id });
    this.vq.interrupt(t);
    this.scheduler.at(t + this.profile.guestIrqMs, (tg) => this.driverHandleRequest(tg));
  }

  private driverHandleRequest(t: number): void {
    const used = this.vq.reclaim(t);
    if (used?.payload.kind !== 'request') return;
    const id = used.payload.id;
    // The snapshot is what the free lists hold now; zone->lock keeps it consistent.
    const bitmap = this.mem.buddy.free.slice();
    const freePages = this.mem.buddy.freePages;
    const walkMs = this.walkCostMs();
    this.lastWalkMs = walkMs;
    this.lastSnapshotAt = t;
    this.scheduler.at(t + walkMs, (tr) => {
      const bytes = Math.ceil(this.mem.pages / 8);
      const head = this.vq.add(
        tr,
        [
          { len: 8, write: false },
          { len: 8, write: false },
          { len: bytes, write: false },
        ],
        { kind: 'free-pages', id, freePages, bitmap },
        `free-page bitmap ${formatBytes(bytes)}`,
      );
      if (head < 0) throw new Error('balloon: free_pages virtqueue full');
      this.vq.kick(tr);
      this.scheduler.at(tr + this.profile.deviceNotifyMs, (td) => this.deviceHandleReply(td));
    });
  }

  private deviceHandleReply(t: number): void {
    const chain = this.vq.pop(t);
    if (chain?.payload.kind !== 'free-pages') return;
    const { bitmap, freePages } = chain.payload;
    const copyMs = bitmap.byteLength / this.profile.memcpyBytesPerMs;
    const done = t + copyMs;
    this.vq.pushUsed(done, chain.head, 0);
    this.vq.interrupt(done);
    const onReply = this.pendingReply;
    this.pendingReply = null;
    onReply?.(done, { bitmap, freePages, walkMs: this.lastWalkMs, snapshotAt: this.lastSnapshotAt });
    this.scheduler.at(done + this.profile.guestIrqMs, (tg) => {
      this.vq.reclaim(tg);
      this.postRequestSlot(tg);
    });
  }

  private postRequestSlot(t: number): void {
    this.vq.add(t, [{ len: REQUEST_BYTES, write: true }], { kind: 'request-slot' }, 'request buffer');
    this.vq.kick(t);
  }
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(n % (1 << 20) === 0 ? 0 : 1)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(n % (1 << 10) === 0 ? 0 : 1)} KiB`;
  return `${n} B`;
}

/** The RFC's driver as a guest boots it: its request buffer waits in the ring from then on. */
export function bootRfcBalloon(run: {
  mem: GuestMemory;
  profile: HostProfile;
  scheduler: Scheduler;
  recordVq: (e: VirtqueueEvent) => void;
}): FreePageBalloon {
  const balloon = new FreePageBalloon(run.mem, run.profile, run.scheduler, run.recordVq);
  balloon.boot(0);
  return balloon;
}

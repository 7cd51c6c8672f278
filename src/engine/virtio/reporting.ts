/**
 * Free page reporting (Linux 5.7 mm/page_reporting.c + drivers/virtio/virtio_balloon.c with
 * VIRTIO_BALLOON_F_REPORTING; QEMU 5.1 hw/virtio/virtio-balloon.c). Not a migration feature:
 * the guest keeps telling the host which large free blocks it has, and the host discards them
 * (MADV_DONTNEED), so they read as zero. A migration then still scans every such page, but sends
 * it as a 9-byte zero record instead of 4 KiB of stale data.
 *
 *   a free ends at order >= 9    page_reporting_notify_free: IDLE -> REQUESTED, work in 2 s
 *   the work (one pass)          zone above low watermark + 32 blocks? then for order 9 and 10:
 *                                walk the free list, skip Reported blocks, isolate up to 32 into
 *                                a scatterlist; a full list is reported (at most budget + 1
 *                                reports per list: budget = ceil(nr_free / (32 * 16)))
 *   one report                   the driver adds the 32 blocks as in-buffers, kicks, and sleeps
 *                                until QEMU has discarded them and pushed the chain used
 *   drain                        blocks go back to their free lists; one that did not merge with
 *                                its buddy is flagged Reported (the flag goes when it leaves the list)
 *   end of pass                  still REQUESTED (budget ran out, or new frees)? again in 2 s
 *
 * The guest is modelled as one zone; its free lists are walked in address order (Linux's are
 * LIFO lists; the source rotates reported blocks out of the way, which address order with
 * "skip Reported" reproduces). Reported blocks go back without further merging news: putback
 * does not notify (report=false in __free_one_page).
 */
import { clearRange, newBitmap, setRange, testBit, countRange } from '../bitmap';
import { MAX_ORDER } from '../guest/buddy';
import type { GuestMemory } from '../guest/memory';
import type { HostProfile } from '../migration/profiles';
import type { Scheduler } from '../scheduler';
import type { VirtqueueEvent } from '../types';
import { SplitVirtqueue } from './virtqueue';

/** PAGE_REPORTING_DELAY (2 * HZ): a pass runs this long after it is requested, ms. */
export const PAGE_REPORTING_DELAY_MS = 2000;
/** PAGE_REPORTING_CAPACITY: blocks per report (one scatterlist). */
export const PAGE_REPORTING_CAPACITY = 32;
/** PAGE_REPORTING_MIN_ORDER = pageblock_order: 9 (2 MiB) on x86-64 with 4 KiB pages. */
export const PAGE_REPORTING_MIN_ORDER = 9;
/** page_reporting_cycle: each pass takes at most ceil(nr_free / (CAPACITY * 16)) + 1 reports per list. */
export const PAGE_REPORTING_BUDGET_DIVISOR = PAGE_REPORTING_CAPACITY * 16;
/** QEMU 5.1 virtio_add_queue(vdev, 32, virtio_balloon_handle_report). */
export const REPORTING_VQ_SIZE = 32;

/**
 * The zone's watermarks, as mm/page_alloc.c sets them for a guest of `pages` pages in one zone:
 * min_free_kbytes = int_sqrt(lowmem_kbytes * 16), clamped to [128, 65536] (init_per_zone_wmark_min);
 * low = min + max(min / 4, managed * watermark_scale_factor / 10000), factor 10 (__setup_per_zone_wmarks).
 */
export function zoneWatermarks(pages: number): { min: number; low: number } {
  const kbytes = pages * 4;
  const minKb = Math.min(65536, Math.max(128, Math.floor(Math.sqrt(kbytes * 16))));
  const min = Math.floor(minKb / 4);
  const low = min + Math.max(min >> 2, Math.floor((pages * 10) / 10000));
  return { min, low };
}

interface Block {
  pfn: number;
  order: number;
}

type State = 'idle' | 'requested' | 'active';

export class FreePageReporter {
  readonly vq: SplitVirtqueue<Block[]>;
  /** Bit per page, at a block's first page: the block is on its free list flagged Reported. */
  private readonly reported: Uint32Array;
  /** Bit per page: the host discarded it; it reads as zero until the guest writes it again. */
  private readonly discardedMap: Uint32Array;
  private state: State = 'idle';
  private readonly watermarks: { min: number; low: number };
  // The pass in progress: the list being walked, its budget, the scatterlist being filled.
  private order = PAGE_REPORTING_MIN_ORDER;
  private budget = 0;
  private fromBlock = 0;
  private sg: Block[] = [];
  /** Pages the host discarded (counting a block again when it is reported again). */
  reportedPages = 0;
  passes = 0;

  constructor(
    private readonly mem: GuestMemory,
    private readonly profile: HostProfile,
    private readonly scheduler: Scheduler,
    record: (e: VirtqueueEvent) => void,
    /** False once the VM is stopped: neither the guest's worker nor QEMU's handler runs then. */
    private readonly running: () => boolean,
  ) {
    this.vq = new SplitVirtqueue<Block[]>('reporting_vq', REPORTING_VQ_SIZE, record);
    this.reported = newBitmap(mem.pages);
    this.discardedMap = newBitmap(mem.pages);
    this.watermarks = zoneWatermarks(mem.pages);
    mem.buddy.listener = {
      // del_page_from_free_list: __ClearPageReported.
      unlisted: (pfn) => {
        this.reported[pfn >>> 5] &= ~(1 << (pfn & 31));
      },
      freed: (_pfn, order) => {
        if (order >= PAGE_REPORTING_MIN_ORDER) this.request(this.scheduler.now());
      },
    };
  }

  /** Pages of bitmap word w that are free, discarded by the host and not written since. */
  discardedWord(w: number): number {
    return this.discardedMap[w] & ~this.mem.data[w] & this.mem.buddy.free[w];
  }

  /** Bytes of per-page state (the Reported flags and the host's discard map). */
  stateBytes(): number {
    return this.reported.byteLength + this.discardedMap.byteLength;
  }

  /** __page_reporting_request: a pass in PAGE_REPORTING_DELAY unless one is already due or running. */
  request(t: number): void {
    const prev = this.state;
    if (prev === 'requested') return;
    this.state = 'requested';
    if (prev === 'idle') this.scheduler.at(t + PAGE_REPORTING_DELAY_MS, (tw) => this.pass(tw));
  }

  // ---- guest: page_reporting_process on the system workqueue ----

  private pass(t: number): void {
    if (!this.running()) return;
    this.state = 'active';
    this.passes++;
    const buddy = this.mem.buddy;
    // page_reporting_process_zone: leave the zone alone unless it is well above its low watermark.
    if (buddy.freePages <= this.watermarks.low + (PAGE_REPORTING_CAPACITY << PAGE_REPORTING_MIN_ORDER)) {
      this.endPass(t);
      return;
    }
    this.startList(PAGE_REPORTING_MIN_ORDER);
    this.cycle(t);
  }

  private startList(order: number): void {
    this.order = order;
    this.fromBlock = 0;
    this.budget = Math.ceil(this.mem.buddy.listLength(order) / PAGE_REPORTING_BUDGET_DIVISOR);
  }

  /** page_reporting_cycle from where it stands, until it must wait for the host or the pass ends. */
  private cycle(t: number): void {
    const buddy = this.mem.buddy;
    let now = t;
    while (this.order <= MAX_ORDER) {
      const order = this.order;
      let pfn = buddy.nextListed(order, this.fromBlock);
      while (pfn >= 0 && testBit(this.reported, pfn)) pfn = buddy.nextListed(order, (pfn >>> order) + 1);
      if (pfn < 0) {
        this.startList(order + 1);
        continue;
      }
      if (this.budget < 0) {
        // This list had its share for this pass: come back in PAGE_REPORTING_DELAY.
        this.state = 'requested';
        this.startList(order + 1);
        continue;
      }
      if (this.sg.length < PAGE_REPORTING_CAPACITY) {
        // __isolate_free_page keeps the zone above its min watermark.
        if (buddy.freePages < this.watermarks.min + (1 << order)) {
          this.startList(order + 1);
          continue;
        }
        buddy.isolate(pfn, order);
        this.sg.push({ pfn, order });
        this.fromBlock = (pfn >>> order) + 1;
        now += this.profile.reportGuestNsPerBlock / 1e6;
        continue;
      }
      // A full scatterlist and one more block to report: send it, then walk the list from its head.
      this.budget--;
      this.fromBlock = 0;
      this.report(now, (ta) => this.cycle(ta));
      return;
    }
    if (this.sg.length > 0) this.report(now, (ta) => this.endPass(ta));
    else this.endPass(now);
  }

  /** End of page_reporting_process: IDLE, or another pass if something asked meanwhile. */
  private endPass(t: number): void {
    if (this.state === 'requested') this.scheduler.at(t + PAGE_REPORTING_DELAY_MS, (tw) => this.pass(tw));
    else this.state = 'idle';
  }

  /** virtballoon_free_page_report: one chain of in-buffers, a kick, then sleep until it is used. */
  private report(t: number, then: (t: number) => void): void {
    const blocks = this.sg;
    this.sg = [];
    const tAdd = t + this.profile.reportGuestNsPerReport / 1e6;
    const elements = blocks.map((b) => ({ len: 4096 << b.order, write: true }));
    if (this.vq.add(tAdd, elements, blocks, `report ${blocks.length} blocks`) < 0) {
      throw new Error('reporting_vq: no descriptors left for a report');
    }
    this.vq.kick(tAdd);
    this.scheduler.at(tAdd + this.profile.deviceNotifyMs, (td) => this.deviceHandle(td, then));
  }

  // ---- device: virtio_balloon_handle_report ----

  private deviceHandle(t: number, then: (t: number) => void): void {
    if (!this.running()) return;
    const chain = this.vq.pop(t);
    if (!chain) return;
    let cost = this.profile.reportDeviceNsPerReport;
    for (const b of chain.payload) {
      const end = b.pfn + (1 << b.order);
      // ram_block_discard_range: unmapped on the host, so it reads as zero.
      cost += countRange(this.mem.data, b.pfn, end) * this.profile.discardNsPerMappedPage;
      clearRange(this.mem.data, b.pfn, end);
      setRange(this.discardedMap, b.pfn, end);
      this.reportedPages += 1 << b.order;
    }
    const done = t + cost / 1e6;
    this.vq.pushUsed(done, chain.head, 0);
    this.vq.interrupt(done);
    this.scheduler.at(done + this.profile.guestIrqMs, (tg) => this.drain(tg, then));
  }

  // ---- guest: balloon_ack wakes the worker; page_reporting_drain ----

  private drain(t: number, then: (t: number) => void): void {
    if (!this.running()) return;
    const used = this.vq.reclaim(t);
    if (!used) return;
    const buddy = this.mem.buddy;
    for (const b of used.payload) {
      buddy.freeBlock(b.pfn, b.order, false);
      // Flag it only if it did not merge into a larger block: that one must be reported whole.
      if (buddy.isListed(b.pfn, b.order)) this.reported[b.pfn >>> 5] |= 1 << (b.pfn & 31);
    }
    then(t);
  }
}

/**
 * Upstream free page hinting (VIRTIO_BALLOON_F_FREE_PAGE_HINT; QEMU 4.0, Linux 4.20): what
 * replaced the RFC after review. Instead of one bitmap at setup, the guest streams 4 MiB blocks
 * while the migration runs, and holds each block until the migration is done.
 *
 *   after every sync (VM running)  QEMU: cmd_id++, status REQUESTED, config interrupt
 *   guest (work item)              sends the cmd_id (4 B out buffer), then loops: take a free
 *                                  order-10 block (never splitting or reclaiming), post it as a
 *                                  4 MiB in buffer, kick; until no such block is left; then STOP
 *   QEMU (iothread)                cmd_id matches: START; each block while START clears its
 *                                  pages from the migration bitmap (qemu_guest_free_page_hint)
 *   before every sync              QEMU: status STOP; the guest stops at its next block
 *   final sync (VM stopped)        DONE: the guest gives every held block back (on the destination)
 *
 * The driver registers no callback on this queue: used buffers come back without interrupts and
 * are reclaimed when the driver adds the next one. Only whole, aligned, free 4 MiB blocks are
 * hinted, so fragmented free memory still goes out.
 */
import { newBitmap, setRange } from '../bitmap';
import type { GuestMemory } from '../guest/memory';
import { MAX_ORDER } from '../guest/buddy';
import type { HostProfile } from '../migration/profiles';
import type { VirtqueueEvent } from '../types';
import type { Scheduler } from '../scheduler';
import { SplitVirtqueue } from './virtqueue';

/** QEMU sizes free_page_vq at VIRTQUEUE_MAX_SIZE. */
export const FREE_PAGE_HINT_VQ_SIZE = 1024;
export const CMD_ID_STOP = 0;
export const CMD_ID_DONE = 1;
/** VIRTIO_BALLOON_FREE_PAGE_HINT_CMD_ID_MIN: QEMU's ids start here and count up. */
export const CMD_ID_MIN = 0x80000000;
const HINT_ORDER = MAX_ORDER;
const HINT_PAGES = 1 << HINT_ORDER;

export type HintPayload = { kind: 'cmd'; id: number } | { kind: 'hint'; pfn: number };
type Status = 'stop' | 'requested' | 'start' | 'done';

export class FreePageHinter {
  readonly vq: SplitVirtqueue<HintPayload>;
  private status: Status = 'stop';
  private cmdId = CMD_ID_MIN;
  /** The cmd_id the guest is hinting for (0 = none). */
  private guestActive = 0;
  private guestLooping = false;
  private deviceBusyUntil = 0;
  private deviceScheduled = false;
  /** Blocks the driver holds (first pfn of each 4 MiB block). */
  private readonly held: number[] = [];
  /** The same as a bitmap over pages, for the page map. */
  readonly heldMap: Uint32Array;
  /** Pages QEMU cleared from its bitmap because of hints. */
  hintedPages = 0;
  /** Hinting rounds started (one per sync with the guest running). */
  rounds = 0;

  constructor(
    private readonly mem: GuestMemory,
    private readonly profile: HostProfile,
    private readonly scheduler: Scheduler,
    private readonly record: (e: VirtqueueEvent) => void,
    /** QEMU side: clear [pfn, pfn + pages) from the migration bitmap; returns pages cleared. */
    private readonly onHint: (pfn: number, pages: number) => number,
  ) {
    this.vq = new SplitVirtqueue<HintPayload>('free_page_vq', FREE_PAGE_HINT_VQ_SIZE, record);
    this.heldMap = newBitmap(mem.pages);
  }

  /** PRECOPY_NOTIFY_AFTER_BITMAP_SYNC with the VM running. */
  start(t: number): void {
    this.cmdId = this.cmdId >= 0xffffffff ? CMD_ID_MIN + 1 : this.cmdId + 1;
    this.status = 'requested';
    this.rounds++;
    this.configChanged(t, `config: cmd_id ${hex(this.cmdId)}`);
  }

  /** PRECOPY_NOTIFY_BEFORE_BITMAP_SYNC. */
  stop(t: number): void {
    if (this.status === 'stop' || this.status === 'done') return;
    this.status = 'stop';
    this.configChanged(t, 'config: cmd_id STOP');
  }

  /** The final sync ran with the VM stopped: DONE. */
  done(t: number): void {
    this.status = 'done';
    this.configChanged(t, 'config: cmd_id DONE');
  }

  /** DONE reached the guest (it runs on the destination by then): every held block is free again. */
  releaseAll(): void {
    for (const pfn of this.held) this.mem.buddy.freeBlock(pfn, HINT_ORDER);
    this.held.length = 0;
    this.heldMap.fill(0);
  }

  get heldPages(): number {
    return this.held.length * HINT_PAGES;
  }

  private configChanged(t: number, label: string): void {
    this.record({ t, queue: this.vq.name, kind: 'interrupt', head: -1, descriptors: 0, bytes: 0, label });
    this.scheduler.at(t + this.profile.guestIrqMs, (tg) => this.guestReadConfig(tg));
  }

  /** What the guest reads in config.free_page_hint_cmd_id. */
  private configCmdId(): number {
    switch (this.status) {
      case 'stop':
        return CMD_ID_STOP;
      case 'done':
        return CMD_ID_DONE;
      case 'requested':
      case 'start':
        return this.cmdId;
    }
  }

  // ---- guest driver (report_free_page_func) ----

  private guestReadConfig(t: number): void {
    const id = this.configCmdId();
    if (id === CMD_ID_DONE || id === CMD_ID_STOP || id === this.guestActive) return;
    this.guestActive = id;
    this.guestAdd(t, { kind: 'cmd', id }, 4, false, `cmd_id ${hex(id)}`);
    if (!this.guestLooping) {
      this.guestLooping = true;
      this.scheduler.at(t + this.profile.hintGuestNsPerBlock / 1e6, (tg) => this.guestHintNext(tg));
    }
  }

  private guestHintNext(t: number): void {
    const next = t + this.profile.hintGuestNsPerBlock / 1e6;
    if (this.configCmdId() !== this.guestActive) {
      // QEMU moved on (STOP or a newer id): this round is over.
      this.guestLooping = false;
      this.guestAdd(t, { kind: 'cmd', id: CMD_ID_STOP }, 4, false, 'cmd_id STOP');
      this.guestActive = 0;
      if (this.configCmdId() !== CMD_ID_STOP && this.configCmdId() !== CMD_ID_DONE) this.guestReadConfig(t);
      return;
    }
    this.reclaimUsed(t);
    // One slot stays free for the STOP command.
    if (this.vq.numFree <= 1) {
      this.scheduler.at(next, (tg) => this.guestHintNext(tg));
      return;
    }
    // __GFP_NORETRY | __GFP_NOMEMALLOC: only a block already free at order 10, nothing split.
    if (this.mem.buddy.listLength(HINT_ORDER) === 0) {
      this.guestLooping = false;
      this.guestAdd(t, { kind: 'cmd', id: CMD_ID_STOP }, 4, false, 'cmd_id STOP');
      this.guestActive = 0;
      return;
    }
    const pfn = this.mem.buddy.alloc(HINT_ORDER);
    this.held.push(pfn);
    setRange(this.heldMap, pfn, pfn + HINT_PAGES);
    this.guestAdd(t, { kind: 'hint', pfn }, HINT_PAGES * 4096, true, `hint pfn ${pfn} (4 MiB)`);
    this.scheduler.at(next, (tg) => this.guestHintNext(tg));
  }

  private guestAdd(t: number, payload: HintPayload, len: number, write: boolean, label: string): void {
    this.reclaimUsed(t);
    if (this.vq.add(t, [{ len, write }], payload, label) < 0) throw new Error('free_page_vq: no descriptor left');
    this.vq.kick(t);
    this.wakeDevice(t + this.profile.deviceNotifyMs);
  }

  private reclaimUsed(t: number): void {
    while (this.vq.lastUsedIdx !== this.vq.usedIdx) this.vq.reclaim(t);
  }

  // ---- device (virtio_ballloon_get_free_page_hints on the iothread) ----

  private wakeDevice(t: number): void {
    if (this.deviceScheduled) return;
    this.deviceScheduled = true;
    this.scheduler.at(Math.max(t, this.deviceBusyUntil), (td) => this.deviceRun(td));
  }

  private deviceRun(t: number): void {
    this.deviceScheduled = false;
    const chain = this.vq.pop(t);
    if (!chain) return;
    const p = chain.payload;
    let end = t + this.profile.hintDeviceNsPerBuffer / 1e6;
    if (p.kind === 'cmd') {
      if (p.id === this.cmdId && this.status === 'requested') this.status = 'start';
      else if (this.status === 'start') this.status = 'stop';
    } else if (this.status === 'start') {
      this.hintedPages += this.onHint(p.pfn, HINT_PAGES);
      end += (HINT_PAGES / 32) * this.profile.scanNsPerWord * 1e-6;
    }
    // Hints for an old cmd_id, or while not START, come back unused.
    this.vq.pushUsed(end, chain.head, 0);
    this.deviceBusyUntil = end;
    if (this.vq.lastAvailIdx !== this.vq.availIdx) this.wakeDevice(end);
  }
}

function hex(id: number): string {
  return `0x${id.toString(16)}`;
}

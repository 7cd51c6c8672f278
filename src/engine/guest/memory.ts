/**
 * Guest RAM as the host sees it: per page, whether it holds data (non-zero), whether it changed
 * since the destination last received it, and whether the guest's allocator considers it free.
 * Plus KVM's dirty log, because every guest write goes through it once dirty logging is on.
 *
 * Memory per page: 1 bit data + 1 bit "changed since sent" + 1 bit dirty log + ~3 bits of
 * allocator (the free bitmap and the free lists of orders 0..10). No per-page counters: how often
 * one page was written is recorded only for a watched page (PageWatch, the UI's on-demand probe).
 */
import { BuddyAllocator } from './buddy';
import { newBitmap, setRange } from '../bitmap';
import type { PageWatch } from '../page-probe';

export const PAGE_SIZE = 4096;

export class GuestMemory {
  readonly pages: number;
  /** Bit per page: the page holds non-zero data (it was written at least once). */
  readonly data: Uint32Array;
  /**
   * Bit per page: written since the destination last received it (the destination starts with
   * zeroed RAM, so a page written before the migration is set too). Set by every guest write
   * whether or not dirty logging is on, cleared by the migration thread when it sends the page:
   * the verification reads this, never QEMU's dirty log or migration bitmap.
   */
  readonly changedSinceSent: Uint32Array;
  /** KVM dirty log: bit per page written since the last KVM_GET_DIRTY_LOG. */
  readonly dirtyLog: Uint32Array;
  readonly buddy: BuddyAllocator;
  /** KVM_MEM_LOG_DIRTY_PAGES: writes are recorded only while this is on. */
  logging = false;
  /** Total page writes, for statistics. */
  writes = 0;
  /** The one page whose writes and sends are counted (a probe), or null. */
  watch: PageWatch | null = null;
  /** Times the dirty log was fetched and cleared (a sync): every page may be clean in it again. */
  logClears = 0;
  /**
   * Words the migration thread sent since the workload last looked (sent), kept only when a
   * workload asks (a list, not a bitmap: a tick's sends are few next to the guest's words).
   */
  sentWords: number[] | null = null;

  constructor(pages: number) {
    this.pages = pages;
    this.data = newBitmap(pages);
    this.changedSinceSent = newBitmap(pages);
    this.dirtyLog = newBitmap(pages);
    this.buddy = new BuddyAllocator(pages);
  }

  /** One guest write to one page. */
  write(pfn: number): void {
    const w = pfn >>> 5;
    const bit = 1 << (pfn & 31);
    this.data[w] |= bit;
    this.changedSinceSent[w] |= bit;
    if (this.logging) this.dirtyLog[w] |= bit;
    this.writes++;
    if (this.watch !== null && this.watch.pfn === pfn) this.watch.writes++;
  }

  /**
   * `count` writes to the pages of the bitmap word `w` selected by `bits` (a non-zero mask):
   * each selected page is written at least once, the rest of `count` rewrites pages already
   * written. Within one guest tick only whether a page was written matters to QEMU (it reads
   * the dirty log and the pages between ticks), so a batch of writes costs one word operation.
   */
  writeWord(w: number, bits: number, count: number): void {
    this.data[w] |= bits;
    this.changedSinceSent[w] |= bits;
    if (this.logging) this.dirtyLog[w] |= bits;
    this.writes += count;
    const watch = this.watch;
    if (watch !== null && watch.pfn >>> 5 === w && bits & (1 << (watch.pfn & 31))) watch.writes++;
  }

  /** Writes every page of [start, end) once (bulk building of workloads). */
  writeRange(start: number, end: number): void {
    if (end <= start) return;
    setRange(this.data, start, end);
    setRange(this.changedSinceSent, start, end);
    if (this.logging) setRange(this.dirtyLog, start, end);
    this.writes += end - start;
    const watch = this.watch;
    if (watch !== null && watch.pfn >= start && watch.pfn < end) watch.writes++;
  }

  /**
   * The migration thread sent the pages `bits` of word `w`: the destination now has what the
   * guest has (changed since sent is cleared); the watched page counts the send.
   */
  sent(w: number, bits: number): void {
    this.changedSinceSent[w] &= ~bits;
    this.sentWords?.push(w);
    const watch = this.watch;
    if (watch !== null && watch.pfn >>> 5 === w && bits & (1 << (watch.pfn & 31))) {
      watch.sends++;
      watch.received = watch.writes;
    }
  }

  /**
   * True when another write to any page of `bits` in word `w` would change no bitmap: the pages
   * hold data, are changed since sent, and (while logging) are in the dirty log.
   */
  saturated(w: number, bits: number): boolean {
    let m = this.data[w] & this.changedSinceSent[w];
    if (this.logging) m &= this.dirtyLog[w];
    return (m & bits) >>> 0 === bits >>> 0;
  }

  /** Allocates 2^order pages and writes them, as the kernel does before handing them out. */
  allocAndWrite(order: number): number {
    const pfn = this.buddy.alloc(order);
    if (pfn >= 0) this.writeRange(pfn, pfn + (1 << order));
    return pfn;
  }

  isData(pfn: number): boolean {
    return (this.data[pfn >>> 5] & (1 << (pfn & 31))) !== 0;
  }

  isFree(pfn: number): boolean {
    return (this.buddy.free[pfn >>> 5] & (1 << (pfn & 31))) !== 0;
  }

  /** The page changed since the destination last received it (changedSinceSent). */
  isChangedSinceSent(pfn: number): boolean {
    return (this.changedSinceSent[pfn >>> 5] & (1 << (pfn & 31))) !== 0;
  }

  /** Bytes of typed-array state this object holds. */
  stateBytes(): number {
    let n = this.data.byteLength + this.changedSinceSent.byteLength + this.dirtyLog.byteLength + this.buddy.free.byteLength;
    for (const h of this.buddy.heads) n += h.byteLength;
    for (const h of this.buddy.summary) n += h.byteLength;
    return n;
  }
}

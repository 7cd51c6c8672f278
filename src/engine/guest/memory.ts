/**
 * Guest RAM as the host sees it: per page, whether it holds data (non-zero), a write version,
 * and whether the guest's allocator considers it free. Plus KVM's dirty log, because every
 * guest write goes through it once dirty logging is on.
 *
 * Memory per page: 2 bytes of version + 1 bit data + 1 bit dirty log + ~3 bits of allocator
 * (the free bitmap and the free lists of orders 0..10).
 */
import { BuddyAllocator } from './buddy';
import { newBitmap, setRange } from '../bitmap';

export const PAGE_SIZE = 4096;

export class GuestMemory {
  readonly pages: number;
  /** Write version of each page, wrapping at 2^16; 0 = never written. */
  readonly version: Uint16Array;
  /** Bit per page: the page holds non-zero data (it was written at least once). */
  readonly data: Uint32Array;
  /** KVM dirty log: bit per page written since the last KVM_GET_DIRTY_LOG. */
  readonly dirtyLog: Uint32Array;
  readonly buddy: BuddyAllocator;
  /** KVM_MEM_LOG_DIRTY_PAGES: writes are recorded only while this is on. */
  logging = false;
  /** Total page writes, for statistics. */
  writes = 0;

  constructor(pages: number) {
    this.pages = pages;
    this.version = new Uint16Array(pages);
    this.data = newBitmap(pages);
    this.dirtyLog = newBitmap(pages);
    this.buddy = new BuddyAllocator(pages);
  }

  /** One guest write to one page. */
  write(pfn: number): void {
    this.version[pfn] = (this.version[pfn] + 1) & 0xffff || 1;
    const bit = 1 << (pfn & 31);
    this.data[pfn >>> 5] |= bit;
    if (this.logging) this.dirtyLog[pfn >>> 5] |= bit;
    this.writes++;
  }

  /** Writes every page of [start, end) once (bulk building of workloads). */
  writeRange(start: number, end: number): void {
    const v = this.version;
    for (let p = start; p < end; p++) v[p] = (v[p] + 1) & 0xffff || 1;
    setRange(this.data, start, end);
    if (this.logging) setRange(this.dirtyLog, start, end);
    this.writes += end - start;
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

  /** Bytes of typed-array state this object holds. */
  stateBytes(): number {
    let n = this.version.byteLength + this.data.byteLength + this.dirtyLog.byteLength + this.buddy.free.byteLength;
    for (const h of this.buddy.heads) n += h.byteLength;
    return n;
  }
}

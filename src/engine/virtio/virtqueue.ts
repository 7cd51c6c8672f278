/**
 * A virtio 1.x split virtqueue (virtio spec §2.7): descriptor table, available ring, used ring.
 *
 * The driver (guest) owns the free descriptors, chains them into buffers, publishes chain heads
 * in the available ring and kicks the device. The device (QEMU) pops heads from the available
 * ring, consumes or fills the buffers, publishes them in the used ring and interrupts the
 * driver, which reclaims the descriptors. Ring indices are free-running 16-bit counters; the
 * slot is index mod queue size, exactly as in the spec, so wrap-around behaves as on hardware.
 *
 * Every step is recorded with its simulated time for the UI's animation, and counted.
 */
import { broken } from '../invariant';
import type { VirtqueueEvent, VirtqueueSnapshot } from '../types';

/** VIRTQ_DESC_F_NEXT: the buffer continues in the descriptor named by `next`. */
export const VIRTQ_DESC_F_NEXT = 1;
/** VIRTQ_DESC_F_WRITE: the device writes this buffer (an "in" buffer from the driver's view). */
export const VIRTQ_DESC_F_WRITE = 2;

/** One scatter-gather element the driver offers. */
export interface BufferElement {
  len: number;
  /** Device-writable (in) or device-readable (out). */
  write: boolean;
}

/** What the device sees when it pops a chain. */
export interface PoppedChain<P> {
  head: number;
  elements: BufferElement[];
  payload: P;
  label: string;
}

export const DESC_FREE = 0;
export const DESC_AVAIL = 1;
export const DESC_DEVICE = 2;
export const DESC_USED = 3;

export class SplitVirtqueue<P> {
  readonly size: number;
  // Descriptor table.
  readonly descLen: Uint32Array;
  readonly descFlags: Uint16Array;
  readonly descNext: Uint16Array;
  // Available ring (driver → device).
  readonly availRing: Uint16Array;
  availIdx = 0;
  // Used ring (device → driver).
  readonly usedId: Uint16Array;
  readonly usedLen: Uint32Array;
  usedIdx = 0;
  // Driver-private state.
  private freeHead = 0;
  numFree: number;
  lastUsedIdx = 0;
  // Device-private state.
  lastAvailIdx = 0;
  /** Where each descriptor is, for drawing (DESC_*). */
  readonly descState: Uint8Array;
  /** Per chain head: what the driver attached to it (the driver's "token"). */
  private readonly payloads: (P | undefined)[];
  private readonly labels: string[];

  buffers = 0;
  bytes = 0;
  kicks = 0;
  interrupts = 0;

  constructor(
    readonly name: string,
    size: number,
    private readonly record: (e: VirtqueueEvent) => void = () => {},
  ) {
    if (size < 1 || size > 32768 || (size & (size - 1)) !== 0) {
      throw new RangeError(`virtqueue size must be a power of two in 1..32768, got ${size}`);
    }
    this.size = size;
    this.descLen = new Uint32Array(size);
    this.descFlags = new Uint16Array(size);
    this.descNext = new Uint16Array(size);
    for (let i = 0; i < size; i++) this.descNext[i] = (i + 1) % size;
    this.availRing = new Uint16Array(size);
    this.usedId = new Uint16Array(size);
    this.usedLen = new Uint32Array(size);
    this.numFree = size;
    this.descState = new Uint8Array(size);
    this.payloads = new Array<P | undefined>(size);
    this.labels = new Array<string>(size).fill('');
  }

  // ---- driver side ----

  /**
   * Chains free descriptors for the elements (out elements first, as Linux's virtqueue_add does)
   * and publishes the head in the available ring. Returns the head, or -1 if there are not
   * enough free descriptors (the caller must wait for used buffers).
   */
  add(t: number, elements: BufferElement[], payload: P, label: string): number {
    const n = elements.length;
    if (n === 0) throw new RangeError('a buffer needs at least one element');
    if (n > this.numFree) return -1;
    const head = this.freeHead;
    let d = head;
    let last = head;
    let outBytes = 0;
    for (let i = 0; i < n; i++) {
      const el = elements[i];
      this.descLen[d] = el.len;
      this.descFlags[d] = (el.write ? VIRTQ_DESC_F_WRITE : 0) | (i < n - 1 ? VIRTQ_DESC_F_NEXT : 0);
      this.descState[d] = DESC_AVAIL;
      if (!el.write) outBytes += el.len;
      last = d;
      d = this.descNext[d];
    }
    this.freeHead = this.descNext[last];
    this.numFree -= n;
    this.payloads[head] = payload;
    this.labels[head] = label;
    this.availRing[this.availIdx % this.size] = head;
    this.availIdx = (this.availIdx + 1) & 0xffff;
    this.buffers++;
    this.bytes += outBytes;
    this.record({ t, queue: this.name, kind: 'add', head, descriptors: n, bytes: outBytes, label });
    return head;
  }

  /** The driver notifies the device that the available ring has new entries. */
  kick(t: number): void {
    this.kicks++;
    this.record({ t, queue: this.name, kind: 'kick', head: -1, descriptors: 0, bytes: 0, label: 'kick' });
  }

  /** Takes the next used buffer back; frees its descriptors. Returns null if none is pending. */
  reclaim(t: number): { head: number; len: number; payload: P } | null {
    if (this.lastUsedIdx === this.usedIdx) return null;
    const slot = this.lastUsedIdx % this.size;
    const head = this.usedId[slot];
    const len = this.usedLen[slot];
    this.lastUsedIdx = (this.lastUsedIdx + 1) & 0xffff;
    // Return the chain to the free list.
    const { last, n } = this.markChain(head, DESC_FREE);
    this.descNext[last] = this.freeHead;
    this.freeHead = head;
    this.numFree += n;
    const payload = this.payloads[head] as P;
    this.payloads[head] = undefined;
    this.record({ t, queue: this.name, kind: 'reclaim', head, descriptors: n, bytes: len, label: this.labels[head] });
    return { head, len, payload };
  }

  // ---- device side ----

  /** Pops the next available chain, or null if the driver has published nothing new. */
  pop(t: number): PoppedChain<P> | null {
    if (this.lastAvailIdx === this.availIdx) return null;
    const head = this.availRing[this.lastAvailIdx % this.size];
    this.lastAvailIdx = (this.lastAvailIdx + 1) & 0xffff;
    const elements: BufferElement[] = [];
    let d = head;
    let outBytes = 0;
    for (;;) {
      // A chain longer than the queue loops (QEMU 2.x's vring_pop: `++found > num`, "Loop
      // detected"): fail instead of walking it for ever.
      if (elements.length === this.size) this.looped(head);
      const write = (this.descFlags[d] & VIRTQ_DESC_F_WRITE) !== 0;
      elements.push({ len: this.descLen[d], write });
      if (!write) outBytes += this.descLen[d];
      this.descState[d] = DESC_DEVICE;
      if (!(this.descFlags[d] & VIRTQ_DESC_F_NEXT)) break;
      d = this.descNext[d];
    }
    const label = this.labels[head];
    this.record({ t, queue: this.name, kind: 'pop', head, descriptors: elements.length, bytes: outBytes, label });
    return { head, elements, payload: this.payloads[head] as P, label };
  }

  /** Publishes a chain in the used ring with the number of bytes the device wrote into it. */
  pushUsed(t: number, head: number, writtenLen: number, payload?: P): void {
    const slot = this.usedIdx % this.size;
    this.usedId[slot] = head;
    this.usedLen[slot] = writtenLen;
    this.usedIdx = (this.usedIdx + 1) & 0xffff;
    if (payload !== undefined) this.payloads[head] = payload;
    const { n } = this.markChain(head, DESC_USED);
    this.bytes += writtenLen;
    this.record({ t, queue: this.name, kind: 'push', head, descriptors: n, bytes: writtenLen, label: this.labels[head] });
  }

  /** Sets the drawing state of every descriptor of a chain; returns its last one and length. */
  private markChain(head: number, state: number): { last: number; n: number } {
    let d = head;
    let n = 1;
    this.descState[d] = state;
    while (this.descFlags[d] & VIRTQ_DESC_F_NEXT) {
      if (n === this.size) this.looped(head);
      d = this.descNext[d];
      this.descState[d] = state;
      n++;
    }
    return { last: d, n };
  }

  private looped(head: number): never {
    broken(`loop detected in the descriptor chain at head ${head} of ${this.name} (more than its ${this.size} descriptors)`);
  }

  /** The device's used-buffer notification (an interrupt in the guest). */
  interrupt(t: number): void {
    this.interrupts++;
    this.record({ t, queue: this.name, kind: 'interrupt', head: -1, descriptors: 0, bytes: 0, label: 'interrupt' });
  }

  snapshot(): VirtqueueSnapshot {
    return {
      name: this.name,
      size: this.size,
      numFree: this.numFree,
      descState: this.descState.slice(),
      availIdx: this.availIdx,
      usedIdx: this.usedIdx,
      lastAvailIdx: this.lastAvailIdx,
      lastUsedIdx: this.lastUsedIdx,
      buffers: this.buffers,
      bytes: this.bytes,
      kicks: this.kicks,
      interrupts: this.interrupts,
    };
  }
}

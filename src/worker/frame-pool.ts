/**
 * A tiny pool of page-map buffers. Each frame transfers one buffer to the UI (detaching it here);
 * the UI transfers it back after painting. With at most `limit` buffers alive, the worker stops
 * producing frames while the UI is behind — back-pressure instead of a growing queue.
 *
 * A transferred buffer comes back as a new ArrayBuffer object, so the pool cannot know its own by
 * identity; it keeps the sizes of the buffers that are out and takes back only a buffer of a size
 * it is owed. Anything else (a foreign buffer, a second return of the same one, a detached one) is
 * refused, so returns can never make more than `limit` buffers alive and lift the back-pressure.
 */
export class FramePool {
  private readonly free: ArrayBuffer[] = [];
  /** Byte lengths of the buffers out with the UI. */
  private readonly out: number[] = [];

  constructor(private readonly limit = 2) {}

  /** A buffer of at least `bytes`, or null when every buffer is still out with the UI. */
  acquire(bytes: number): ArrayBuffer | null {
    let buf: ArrayBuffer | null = null;
    while (this.free.length > 0 && buf === null) {
      const b = this.free.pop() as ArrayBuffer;
      if (b.byteLength >= bytes) buf = b; // else too small for the current layout: let it go
    }
    if (buf === null) {
      if (this.out.length + this.free.length >= this.limit) return null;
      buf = new ArrayBuffer(bytes);
    }
    this.out.push(buf.byteLength);
    return buf;
  }

  /** Takes a buffer back; false (and ignored) unless a buffer of its size is out. */
  release(buf: ArrayBuffer): boolean {
    const i = buf.byteLength === 0 ? -1 : this.out.indexOf(buf.byteLength);
    if (i < 0) return false;
    this.out.splice(i, 1);
    this.free.push(buf);
    return true;
  }

  /** Forget buffers still out with the UI (after a restart nobody will return them). */
  reset(): void {
    this.free.length = 0;
    this.out.length = 0;
  }

  get available(): number {
    return this.limit - this.out.length;
  }
}

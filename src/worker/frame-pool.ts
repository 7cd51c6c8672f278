/**
 * A tiny pool of page-map buffers. Each frame transfers one buffer to the UI (detaching it here);
 * the UI transfers it back after painting. With at most `limit` buffers alive, the worker stops
 * producing frames while the UI is behind — back-pressure instead of a growing queue.
 */
export class FramePool {
  private readonly free: ArrayBuffer[] = [];
  /** Buffers that exist: in `free` or out with the UI. */
  private alive = 0;

  constructor(private readonly limit = 2) {}

  /** A buffer of at least `bytes`, or null when every buffer is still out with the UI. */
  acquire(bytes: number): ArrayBuffer | null {
    while (this.free.length > 0) {
      const buf = this.free.pop() as ArrayBuffer;
      if (buf.byteLength >= bytes) return buf;
      this.alive--; // too small for the current layout: let it go
    }
    if (this.alive >= this.limit) return null;
    this.alive++;
    return new ArrayBuffer(bytes);
  }

  release(buf: ArrayBuffer): void {
    // A zero-length buffer is a detached one (or a foreign one): never count it as ours.
    if (buf.byteLength === 0) return;
    this.free.push(buf);
  }

  /** Forget buffers still out with the UI (after a restart nobody will return them). */
  reset(): void {
    this.free.length = 0;
    this.alive = 0;
  }

  get available(): number {
    return this.free.length + (this.limit - this.alive);
  }
}

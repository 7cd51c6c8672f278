/**
 * Load once, cache the promise: what the first view does not show (the sweep view, the file
 * importers, the clip export) comes in its own chunk, by dynamic import() at its first use, so
 * the page's first chunk is smaller and the load's main-thread task shorter (issue 13's budget).
 * Every caller shares the one load; a load that failed (the network) is forgotten, so the next use
 * tries again instead of failing for the page's life.
 */
export function loadOnce<T>(part: string, load: () => Promise<T>): () => Promise<T> {
  let pending: Promise<T> | null = null;
  return () => {
    if (pending) return pending;
    const p = load().catch((e: unknown) => {
      throw new ChunkLoadError(part, e);
    });
    pending = p;
    p.catch(() => {
      if (pending === p) pending = null;
    });
    return p;
  };
}

/** A chunk that did not arrive; its message says which part, why, and what to do. */
export class ChunkLoadError extends Error {
  /** `part` as a sentence names it: "the sweep view". */
  constructor(
    readonly part: string,
    reason: unknown,
  ) {
    super(`Could not load ${part} (${reason instanceof Error ? reason.message : String(reason)}); check the connection and reload the page`);
  }
}

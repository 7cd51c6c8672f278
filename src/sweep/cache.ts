/**
 * Results by scenario (scenarioKey), so a sweep the page has shown comes back at once and two
 * sweeps that share runs compute them once. Least recently used first out.
 */
import type { QueryMigrate } from '../engine/types';

/**
 * About 2 KB per query-migrate as JSON: 5 000 results hold ~10 MB, more than enough for going
 * back and forth between a few sweeps of MAX_RUNS-sized grids.
 */
export const DEFAULT_CACHE_RESULTS = 5000;

export class ResultCache {
  private readonly map = new Map<string, QueryMigrate>();
  constructor(readonly capacity = DEFAULT_CACHE_RESULTS) {}

  get(key: string): QueryMigrate | undefined {
    const q = this.map.get(key);
    if (q !== undefined) {
      // Most recently used goes last.
      this.map.delete(key);
      this.map.set(key, q);
    }
    return q;
  }

  set(key: string, q: QueryMigrate): void {
    this.map.delete(key);
    this.map.set(key, q);
    while (this.map.size > this.capacity) {
      const oldest = this.map.keys().next().value as string;
      this.map.delete(oldest);
    }
  }

  get size(): number {
    return this.map.size;
  }
}

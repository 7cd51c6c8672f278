import { describe, expect, it } from 'vitest';
import { ChunkLoadError, loadOnce } from '../../src/ui/load-once';

describe('loadOnce', () => {
  it('shares one load between callers', async () => {
    let loads = 0;
    const get = loadOnce('the part', async () => ++loads);
    const [a, b] = await Promise.all([get(), get()]);
    expect([a, b, await get(), loads]).toEqual([1, 1, 1, 1]);
  });

  it('a failed load says which part and why, and the next use loads again', async () => {
    let loads = 0;
    const get = loadOnce('the file importers', async () => {
      loads++;
      if (loads === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'parsers';
    });
    const err = await get().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChunkLoadError);
    expect((err as Error).message).toBe(
      'Could not load the file importers (Failed to fetch dynamically imported module); check the connection and reload the page',
    );
    expect(await get()).toBe('parsers');
    expect(loads).toBe(2);
  });
});

import { describe, expect, it } from 'vitest';
import { fitTitle } from '../../src/ui/render/fit-title';

/** 6 units per character, a monospace stand-in for measureText. */
const mono = (text: string) => text.length * 6;

describe('fitTitle', () => {
  it('keeps a title that fits whole', () => {
    expect(fitTitle('Throughput (MB/s)', 17 * 6, mono)).toBe('Throughput (MB/s)');
  });

  it('cuts a title that does not fit to the longest start that does, with an ellipsis', () => {
    const cut = fitTitle('Throughput (MB/s, mean over 267 ms)', 20 * 6, mono);
    expect(cut).toBe('Throughput (MB/s, m…');
    expect(mono(cut)).toBeLessThanOrEqual(20 * 6);
    // One character more would not have fitted.
    expect(mono('Throughput (MB/s, me…')).toBeGreaterThan(20 * 6);
  });

  it('does not leave a space before the ellipsis', () => {
    expect(fitTitle('Remaining to send (pages)', 11 * 6, mono)).toBe('Remaining…');
  });

  it('shows nothing when not even one character and the ellipsis fit', () => {
    expect(fitTitle('Transferred (GiB)', 6, mono)).toBe('');
  });
});

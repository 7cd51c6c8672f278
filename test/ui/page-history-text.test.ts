import { describe, expect, it } from 'vitest';
import type { PageHistory } from '../../src/engine/types';
import { historyLines, sendsSummary } from '../../src/ui/page-history-text';

const now = {
  pfn: 9,
  guest: 'used',
  migration: 'sent',
  received: true,
  changedSinceSent: false,
  timesSent: 2,
  sourceVersion: 7,
  destinationVersion: 7,
  freeBlockOrder: -1,
} as const;

describe('pinned page history text', () => {
  it('starts where the page started, folds runs of writes, and names each send with its version', () => {
    const h: PageHistory = {
      pfn: 9,
      untilMs: 500,
      start: { t: -2500, guest: 'zero', version: 0 },
      events: [
        { t: -1200, kind: 'guest', from: 'zero', to: 'used' },
        { t: -1200, kind: 'written', count: 1, version: 1 },
        { t: -1199, kind: 'written', count: 2, version: 3 },
        { t: 40.5, kind: 'sent', version: 3 },
        { t: 41, kind: 'written', count: 4, version: 7 },
        { t: 120, kind: 'dirtied' },
        { t: 300, kind: 'sent', version: 7 },
      ],
      now,
    };
    expect(historyLines(h).map((l) => [l.t, l.until, l.text])).toEqual([
      [-2500, -2500, 'at the start: never touched (zero), never written'],
      [-1200, -1200, 'allocated by the guest'],
      [-1200, -1199, 'written 3 times, to version 3'],
      [40.5, 40.5, 'sent, version 3'],
      [41, 41, 'written 4 times, to version 7'],
      [120, 120, 'dirtied again: marked to send again'],
      [300, 300, 'sent, version 7'],
    ]);
    expect(sendsSummary(h)).toBe('sent twice; the destination holds version 7, the same as the source');
  });

  it('says hints, reports, frees and skips in words', () => {
    const h: PageHistory = {
      pfn: 1,
      untilMs: 90,
      start: { t: -100, guest: 'used', version: 2 },
      events: [
        { t: -50, kind: 'guest', from: 'used', to: 'free-stale' },
        { t: 10, kind: 'guest', from: 'free-stale', to: 'held' },
        { t: 11, kind: 'skipped' },
        { t: 60, kind: 'guest', from: 'held', to: 'free-stale' },
        { t: 70, kind: 'guest', from: 'free-stale', to: 'discarded' },
      ],
      now: {
        ...now,
        guest: 'discarded',
        migration: 'skipped',
        received: false,
        changedSinceSent: true,
        timesSent: 0,
        sourceVersion: 2,
        destinationVersion: 0,
      },
    };
    expect(historyLines(h).map((l) => l.text)).toEqual([
      'at the start: in use, version 2',
      'freed by the guest (keeps its stale data)',
      'hinted: held by the balloon',
      'skipped: dropped from the migration bitmap unsent',
      'released by the balloon',
      'reported: discarded by the host',
    ]);
    expect(sendsSummary(h)).toBe('not sent yet');
  });
});

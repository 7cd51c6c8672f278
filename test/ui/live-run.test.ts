import { describe, expect, it } from 'vitest';
import type { FrameMessage } from '../../src/protocol';
import { LiveRun } from '../../src/ui/state/live-run';
import { cellsOf, frameMessage } from '../protocol/frames';

function frame(epoch: number, over: Partial<FrameMessage> = {}): FrameMessage {
  return frameMessage({ epoch, ...over });
}

describe('LiveRun', () => {
  it('hands each page-map buffer back exactly once: after painting, or when superseded', () => {
    const returned: ArrayBuffer[] = [];
    const live = new LiveRun((b) => returned.push(b));
    const a = frame(1);
    const b = frame(1);
    live.ingest(a);
    live.ingest(b); // a was never painted: back at once
    expect(returned).toEqual([cellsOf(a).buffer]);
    let painted: Uint8Array | null = null;
    expect(live.consumeCells((cells) => (painted = cells))).toBe(true);
    expect(painted).toBe(b.cells);
    expect(returned).toEqual([cellsOf(a).buffer, cellsOf(b).buffer]);
    expect(live.consumeCells(() => {})).toBe(false); // nothing new to paint
  });

  it('a frame without cells moves the clock and cursor but keeps the unpainted map and the overview', () => {
    const returned: ArrayBuffer[] = [];
    const live = new LiveRun((b) => returned.push(b));
    const overview = { cells: new Uint8Array(2), bucketShift: 1 };
    const a = frame(1, { simTimeMs: 10, overview });
    live.ingest(a);
    const seq = live.seq;
    live.ingest(frame(1, { simTimeMs: 43, cursor: 3, cells: undefined }));
    expect(live.seq).toBe(seq + 1);
    expect(live.simTimeMs).toBe(43);
    expect(live.cursor).toBe(3);
    expect(live.overview).toBe(overview);
    expect(returned).toEqual([]); // a's cells are still to be painted
    let painted: Uint8Array | null = null;
    expect(live.consumeCells((cells) => (painted = cells))).toBe(true);
    expect(painted).toBe(a.cells);
    // The next cells replace the overview too (absent: the map shows the whole guest again).
    live.ingest(frame(1, { simTimeMs: 76 }));
    expect(live.overview).toBeNull();
  });

  it('accumulates series and events within an epoch and starts over on a new one', () => {
    const live = new LiveRun(() => {});
    const pts = (...t: number[]) => ({
      replace: false,
      t: Float64Array.from(t),
      transferred: Float64Array.from(t),
      remaining: Float64Array.from(t),
      threshold: Float64Array.from(t),
      dirtyRate: Float64Array.from(t),
      sendRate: Float64Array.from(t),
      throttle: Float64Array.from(t),
    });
    live.ingest(frame(1, { series: pts(1, 2), events: [{ t: 1, kind: 'round', round: 1 }] }));
    live.ingest(frame(1, { series: pts(3) }));
    expect(Array.from(live.series.t.subarray(0, live.series.length))).toEqual([1, 2, 3]);
    expect(live.markers).toHaveLength(1);
    const runSeq = live.runSeq;
    live.ingest(frame(2, { series: pts(1) }));
    expect(live.series.length).toBe(1);
    expect(live.markers).toHaveLength(0);
    expect(live.runSeq).toBe(runSeq + 1);
    live.ingest(frame(2, { series: { ...pts(5, 6), replace: true } })); // engine resampled
    expect(Array.from(live.series.t.subarray(0, live.series.length))).toEqual([5, 6]);
  });
});

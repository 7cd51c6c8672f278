// @vitest-environment jsdom
/** PageMapView: a paint too long for one frame is cut into bands of rows, shown once whole. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GUEST_USED, MIG_PENDING, MIG_SENT, pageCode } from '../../src/engine/model/page-state';
import type { FrameMessage } from '../../src/protocol';
import { buildPageMapLut, paintPageMapSubdivided } from '../../src/ui/render/page-map-painter';
import { PageMapView } from '../../src/ui/render/page-map-view';
import { LiveRun } from '../../src/ui/state/live-run';
import { darkTheme } from '../../src/ui/theme';
import { frameMessage } from '../protocol/frames';
import { installCanvasFake, words } from './canvas-fake';

const COLS = 10;
const ROWS = 40; // 2.5 bands of 16 rows

/** A frame at `t` ms whose map is `code` everywhere. */
function frame(t: number, code: number): FrameMessage {
  return frameMessage({
    simTimeMs: t,
    phase: 'bulk',
    pageCount: COLS * ROWS,
    cells: new Uint8Array(COLS * ROWS).fill(code),
    layout: { bucketShift: 0, cells: COLS * ROWS, cols: COLS, rows: ROWS, scale: 1, firstPfn: 0 },
  });
}

/** What one pass paints for a map of `code` everywhere. */
function onePass(code: number): number[] {
  const out = new Uint32Array(COLS * ROWS);
  paintPageMapSubdivided(new Uint8Array(COLS * ROWS).fill(code), COLS, 1, buildPageMapLut(darkTheme), out);
  return Array.from(out);
}

let canvas: ReturnType<typeof installCanvasFake>;
beforeEach(() => {
  canvas = installCanvasFake();
});
afterEach(() => canvas.restore());

describe('PageMapView', () => {
  it('with no time to spare, paints 16 rows a frame and puts the image on screen only when whole', () => {
    const live = new LiveRun(() => {});
    const view = new PageMapView(document.createElement('canvas'), live, darkTheme, () => 1);
    let deferred = 0;
    view.onDeferred = () => deferred++;
    view.bandBudgetMs = 0;
    const sent = pageCode(MIG_SENT, GUEST_USED);
    live.ingest(frame(1, sent));
    view.paint();
    view.paint();
    expect(deferred).toBe(2); // rows 16 and 32 wait for the next frames
    expect(canvas.puts).toHaveLength(0);
    // A newer frame while the bands are painted: this paint finishes first, then asks for a frame.
    const pending = pageCode(MIG_PENDING, GUEST_USED);
    live.ingest(frame(2, pending));
    view.paint();
    expect(canvas.puts).toHaveLength(1);
    expect(Array.from(words(canvas.puts[0]))).toEqual(onePass(sent));
    expect(deferred).toBe(3);
    view.paint();
    view.paint();
    view.paint();
    expect(canvas.puts).toHaveLength(2);
    expect(Array.from(words(canvas.puts[1]))).toEqual(onePass(pending));
  });

  it('with the time, paints the whole map in one frame', () => {
    const live = new LiveRun(() => {});
    const view = new PageMapView(document.createElement('canvas'), live, darkTheme, () => 1);
    let deferred = 0;
    view.onDeferred = () => deferred++;
    live.ingest(frame(1, pageCode(MIG_SENT, GUEST_USED)));
    view.paint();
    expect(canvas.puts).toHaveLength(1);
    expect(deferred).toBe(0);
  });
});

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

/** A frame at `t` ms whose map is `code` everywhere, `cols` x `rows` cells of `scale` CSS px. */
function frame(t: number, code: number, cols = COLS, rows = ROWS, scale = 1): FrameMessage {
  return frameMessage({
    simTimeMs: t,
    phase: 'bulk',
    pageCount: cols * rows,
    cells: new Uint8Array(cols * rows).fill(code),
    layout: { bucketShift: 0, cells: cols * rows, cols, rows, scale, firstPfn: 0 },
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

  it('behind a frame, keeps the canvas at the area size while the grid changes size (zoom)', () => {
    const live = new LiveRun(() => {});
    const el = document.createElement('canvas');
    const frameEl = document.createElement('div');
    const view = new PageMapView(el, live, darkTheme, () => 2, frameEl);
    view.setArea(300, 200);
    const code = pageCode(MIG_SENT, GUEST_USED);
    const steps = [
      [100, 50, 2.5], // 250 x 125 CSS px
      [97, 51, 3], // 291 x 153
      [40, 20, 7], // 280 x 140: a scale of 4 or more paints 4 x 4 grid pixels per cell
    ] as const;
    steps.forEach(([cols, rows, scale], i) => {
      live.ingest(frame(i + 1, code, cols, rows, scale));
      view.paint();
      // The backing store never changes: the area at 2 device px per CSS px.
      expect([el.width, el.height, el.style.width, el.style.height]).toEqual([600, 400, '300px', '200px']);
      // The frame clips it to the grid, and exports take the grid's corner.
      const w = Math.round(cols * scale * 2);
      const h = Math.round(rows * scale * 2);
      expect([frameEl.style.width, frameEl.style.height]).toEqual([`${w / 2}px`, `${h / 2}px`]);
      expect(view.visibleImage()).toEqual({ source: el, width: w, height: h });
      const k = scale >= 4 ? 4 : 1;
      expect(canvas.draws.at(-1)).toEqual([0, 0, cols * k, rows * k, 0, 0, w, h]);
    });
    // A larger window grows the canvas to the new area once.
    view.setArea(320, 200);
    expect([el.width, el.height]).toEqual([640, 400]);
  });

  it('without a frame, sizes the canvas to the grid', () => {
    const live = new LiveRun(() => {});
    const el = document.createElement('canvas');
    const view = new PageMapView(el, live, darkTheme, () => 1);
    view.setArea(300, 200);
    live.ingest(frame(1, pageCode(MIG_SENT, GUEST_USED)));
    view.paint();
    expect([el.width, el.height, el.style.width]).toEqual([COLS, ROWS, `${COLS}px`]);
  });
});

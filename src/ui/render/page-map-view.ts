/**
 * PageMapView: paints a LiveRun's page-map cells into one <canvas>, once per rAF when a new frame
 * arrived. Cells are painted at grid resolution into an ImageData (through a Uint32Array view and
 * the palette LUT), then drawn scaled up onto the visible canvas with smoothing off, and the scan
 * cursor is drawn on top in CSS-pixel space. Framework-free: a React effect creates and destroys it.
 *
 * The canvases keep their size while the map is zoomed. Each zoom step changes the grid's size by
 * a few pixels (cols x scale is rounded per level), and resizing a canvas reallocates its backing
 * store: measured, the first draw after each resize took 3.4-8.5 ms, ~50 ms per zoom to one page.
 * So the visible canvas is as large as the area the map may use (`setArea`), the grid is drawn
 * into its top-left corner, and the frame element around it, which clips, takes the grid's size.
 */
import type { PageMapLayout } from '../../protocol';
import type { MapImage } from '../export/clip';
import type { LiveRun } from '../state/live-run';
import type { Theme } from '../theme';
import { buildPageMapLut, cursorMarker, paintPageMapRows, paintPageMapSubdivided, subPixelsFor } from './page-map-painter';

/** Rows painted between two looks at the clock while a paint may be cut into bands. */
const BAND_ROWS = 16;

/** Phases in which the scan cursor is meaningful. */
const CURSOR_PHASES = new Set(['bulk', 'iterate', 'stop-copy']);

export class PageMapView {
  private lut: Uint32Array;
  private cursorColor: string;
  private cursorOutline: string;
  /**
   * A copy of the last cells painted: their buffer goes back to the worker right away, and a
   * theme change must repaint the same moment with the new palette even while paused.
   */
  private lastCells: Uint8Array = new Uint8Array(0);
  private lastCellCount = 0;
  private lastPaintAt = Number.NEGATIVE_INFINITY;
  /** Paint at most this often (ms); compare mode raises it so two maps share the frame budget. */
  minIntervalMs = 0;
  /** `k`: grid pixels per cell side (page-map-painter subPixelsFor). */
  private grid: { layout: PageMapLayout; k: number; image: ImageData | null; out32: Uint32Array } | null = null;
  /** Holds the grid-resolution image; drawImage scales it onto the visible canvas. */
  private readonly gridCanvas: HTMLCanvasElement;
  private readonly gridCtx: CanvasRenderingContext2D | null;
  private readonly ctx: CanvasRenderingContext2D | null;
  private paintedSeq = -1;
  /** Time spent in the last paint, ms (for the perf readout). */
  lastPaintMs = 0;
  /** The pinned page or cell (its first pfn), outlined on the map; null for none. */
  private pinnedPfn: number | null = null;
  /**
   * Called when a paint was put off to a later frame (the throttle, or rows left of a paint cut
   * into bands): the owner schedules another frame.
   */
  onDeferred: (() => void) | null = null;
  /**
   * Longest a paint may take in one frame before the rest of its rows wait for the next. A warm
   * paint of a 1440x900 page's map takes 1-2 ms; the first one at load runs V8's unoptimised
   * code, ~17 ms for the default 8 GiB map, in the same task as the frame's other first paints.
   */
  bandBudgetMs = Number.POSITIVE_INFINITY;
  /** The next cell row of `lastCells` to paint while a paint is cut into bands; -1: none. */
  private bandRow = -1;
  /** The space the map may use, CSS px (setArea); the visible canvas is allocated this large. */
  private area = { width: 0, height: 0 };
  /** The grid as last drawn on the visible canvas, device px from its top-left corner. */
  private drawn = { width: 0, height: 0 };

  /**
   * `frame` wraps the canvas and clips it to the grid drawn (the view sets its size). Without
   * one, the canvas is sized to the grid, as tests that read its pixels want.
   */
  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly live: LiveRun,
    theme: Theme,
    private readonly dpr: () => number = () => window.devicePixelRatio || 1,
    private readonly frame: HTMLElement = canvas,
  ) {
    this.lut = buildPageMapLut(theme);
    this.cursorColor = theme.pageMap.cursor;
    this.cursorOutline = theme.pageMap.cursorOutline;
    this.gridCanvas = canvas.ownerDocument.createElement('canvas');
    // jsdom has no 2D context: the view still paints into `pixels`, which tests read.
    this.gridCtx = safeContext(this.gridCanvas);
    this.ctx = safeContext(canvas);
  }

  setTheme(theme: Theme): void {
    this.lut = buildPageMapLut(theme);
    this.cursorColor = theme.pageMap.cursor;
    this.cursorOutline = theme.pageMap.cursorOutline;
    const g = this.grid;
    if (g && this.lastCellCount > 0) {
      this.bandRow = -1; // repainted whole, now
      paintPageMapSubdivided(this.lastCells.subarray(0, this.lastCellCount), g.layout.cols, g.k, this.lut, g.out32);
      if (g.image && this.gridCtx) this.gridCtx.putImageData(g.image, 0, 0);
      this.compose();
    }
  }

  /** Outline the cell holding `pfn` (the pinned page), or nothing; repaints at once. */
  setPinned(pfn: number | null): void {
    if (pfn === this.pinnedPfn) return;
    this.pinnedPfn = pfn;
    this.compose();
  }

  /** The space the map may use, CSS px: the visible canvas is allocated for it once. */
  setArea(width: number, height: number): void {
    if (width === this.area.width && height === this.area.height) return;
    this.area = { width, height };
    this.compose();
  }

  /** The map as on screen, for exports: the visible canvas' top-left corner; null before a paint. */
  visibleImage(): MapImage | null {
    const { width, height } = this.drawn;
    return width > 0 && height > 0 ? { source: this.canvas, width, height } : null;
  }

  /** Pixels of the last painted grid (ImageData byte order), or null before the first frame. */
  get pixels(): Uint32Array | null {
    return this.grid?.out32 ?? null;
  }

  get layout(): PageMapLayout | null {
    return this.grid?.layout ?? null;
  }

  /** Called by the rAF scheduler. Cheap when nothing new arrived. */
  paint = (now: number = performance.now()): void => {
    const t0 = performance.now();
    if (this.bandRow >= 0) {
      // The rest of a paint cut into bands; newer cells wait until this one is on screen.
      this.paintBands(t0);
      this.lastPaintMs = performance.now() - t0;
      return;
    }
    if (this.live.seq === this.paintedSeq) return;
    // Throttled: leave the newest cells pending (LiveRun hands older ones back) and come back.
    if (now - this.lastPaintAt < this.minIntervalMs && !this.live.done) {
      this.onDeferred?.();
      return;
    }
    this.lastPaintAt = now;
    this.paintedSeq = this.live.seq;
    const fresh = this.live.consumeCells((cells, layout) => {
      this.ensureGrid(layout);
      if (this.lastCells.length < cells.length) this.lastCells = new Uint8Array(cells.length);
      this.lastCells.set(cells);
      this.lastCellCount = cells.length;
      this.bandRow = 0;
    });
    // New cells are painted (in bands if need be); a frame without them moves the cursor only.
    if (fresh) this.paintBands(t0);
    else this.compose();
    this.lastPaintMs = performance.now() - t0;
  };

  /**
   * Paints the rows of `lastCells` from `bandRow` on until `bandBudgetMs` has passed since `t0`,
   * and shows the image once every row is painted: a half-painted grid never reaches the screen.
   */
  private paintBands(t0: number): void {
    const g = this.grid;
    if (!g) {
      this.bandRow = -1;
      return;
    }
    const cells = this.lastCells.subarray(0, this.lastCellCount);
    const { cols, rows } = g.layout;
    let row = this.bandRow;
    while (row < rows) {
      const next = Math.min(rows, row + BAND_ROWS);
      paintPageMapRows(cells, cols, g.k, this.lut, g.out32, row, next);
      row = next;
      if (row < rows && performance.now() - t0 >= this.bandBudgetMs) {
        this.bandRow = row;
        this.onDeferred?.();
        return;
      }
    }
    this.bandRow = -1;
    if (g.image && this.gridCtx) this.gridCtx.putImageData(g.image, 0, 0);
    this.compose();
    // Frames that came while the bands were painted: their cells are next.
    if (this.live.seq !== this.paintedSeq) this.onDeferred?.();
  }

  private ensureGrid(layout: PageMapLayout) {
    const g = this.grid;
    const k = subPixelsFor(layout.scale);
    if (g && g.layout.cols === layout.cols && g.layout.rows === layout.rows && g.k === k) {
      g.layout = layout;
      return g;
    }
    const w = layout.cols * k;
    const h = layout.rows * k;
    // Grown, never shrunk (see the header): compose draws its top-left w x h.
    if (this.gridCanvas.width < w || this.gridCanvas.height < h) {
      this.gridCanvas.width = Math.max(w, this.gridCanvas.width);
      this.gridCanvas.height = Math.max(h, this.gridCanvas.height);
    }
    const image = this.gridCtx ? this.gridCtx.createImageData(w, h) : null;
    const out32 = image ? new Uint32Array(image.data.buffer) : new Uint32Array(w * h);
    this.grid = { layout, k, image, out32 };
    return this.grid;
  }

  /** Scaled grid + cursor onto the visible canvas. */
  private compose(): void {
    const g = this.grid;
    if (!g) return;
    const { cols, rows, scale } = g.layout;
    const dpr = this.dpr();
    const cssW = cols * scale;
    const cssH = rows * scale;
    // Whole device pixels (a fractional scale gives a fractional CSS size): crisp, not resampled.
    const w = Math.round(cssW * dpr);
    const h = Math.round(cssH * dpr);
    // The visible canvas: as large as the area (it holds every grid the area fits) behind a
    // frame, else as large as the grid.
    const clipped = this.frame !== this.canvas;
    const cw = clipped ? Math.max(w, Math.round(this.area.width * dpr)) : w;
    const ch = clipped ? Math.max(h, Math.round(this.area.height * dpr)) : h;
    if (this.canvas.width !== cw || this.canvas.height !== ch) {
      this.canvas.width = cw;
      this.canvas.height = ch;
      this.canvas.style.width = `${cw / dpr}px`;
      this.canvas.style.height = `${ch / dpr}px`;
    }
    if (this.drawn.width !== w || this.drawn.height !== h) {
      this.drawn = { width: w, height: h };
      if (clipped) {
        this.frame.style.width = `${w / dpr}px`;
        this.frame.style.height = `${h / dpr}px`;
      }
    }
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.gridCanvas, 0, 0, cols * g.k, rows * g.k, 0, 0, w, h);
    const pin = this.pinnedPfn === null ? null : cursorMarker(this.pinnedPfn, g.layout);
    if (pin) {
      // A square around the pinned cell, at least 9 px so a 1 px cell is still found.
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      const side = Math.max(9, pin.size + 4);
      const x = pin.left + pin.size / 2 - side / 2;
      const y = pin.top + pin.size / 2 - side / 2;
      ctx.lineWidth = 3;
      ctx.strokeStyle = this.cursorOutline;
      ctx.strokeRect(x, y, side, side);
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = this.cursorColor;
      ctx.strokeRect(x, y, side, side);
    }
    if (!CURSOR_PHASES.has(this.live.phase)) return;
    const m = cursorMarker(this.live.cursor, g.layout);
    if (!m) return;
    // A ring around the cursor cell plus a tick above it: visible even at 1 px per cell.
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const cx = m.left + m.size / 2;
    const cy = m.top + m.size / 2;
    ctx.lineWidth = 2;
    ctx.strokeStyle = this.cursorOutline;
    ctx.beginPath();
    ctx.arc(cx, cy, 7, 0, Math.PI * 2);
    ctx.stroke();
    ctx.lineWidth = 1.5;
    ctx.strokeStyle = this.cursorColor;
    ctx.beginPath();
    ctx.arc(cx, cy, 7, 0, Math.PI * 2);
    ctx.moveTo(cx, cy - 7);
    ctx.lineTo(cx, cy - 14);
    ctx.stroke();
  }
}

function safeContext(c: HTMLCanvasElement): CanvasRenderingContext2D | null {
  try {
    return c.getContext('2d', { alpha: false });
  } catch {
    return null;
  }
}

/**
 * PageMapView: paints a LiveRun's page-map cells into one <canvas>, once per rAF when a new frame
 * arrived. Cells are painted at grid resolution into an ImageData (through a Uint32Array view and
 * the palette LUT), then drawn scaled up onto the visible canvas with smoothing off, and the scan
 * cursor is drawn on top in CSS-pixel space. Framework-free: a React effect creates and destroys it.
 */
import type { PageMapLayout } from '../../protocol';
import type { LiveRun } from '../state/live-run';
import type { Theme } from '../theme';
import { buildPageMapLut, cursorMarker, paintPageMap } from './page-map-painter';

/** Phases in which the scan cursor is meaningful. */
const CURSOR_PHASES = new Set(['bulk', 'iterate', 'stop-copy']);

export class PageMapView {
  private lut: Uint32Array;
  private cursorColor: string;
  private grid: { layout: PageMapLayout; image: ImageData | null; out32: Uint32Array } | null = null;
  /** Holds the grid-resolution image; drawImage scales it onto the visible canvas. */
  private readonly gridCanvas: HTMLCanvasElement;
  private readonly gridCtx: CanvasRenderingContext2D | null;
  private readonly ctx: CanvasRenderingContext2D | null;
  private paintedSeq = -1;
  /** Time spent in the last paint, ms (for the perf readout). */
  lastPaintMs = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly live: LiveRun,
    theme: Theme,
    private readonly dpr: () => number = () => window.devicePixelRatio || 1,
  ) {
    this.lut = buildPageMapLut(theme);
    this.cursorColor = theme.pageMap.cursor;
    this.gridCanvas = canvas.ownerDocument.createElement('canvas');
    // jsdom has no 2D context: the view still paints into `pixels`, which tests read.
    this.gridCtx = safeContext(this.gridCanvas);
    this.ctx = safeContext(canvas);
  }

  setTheme(theme: Theme): void {
    this.lut = buildPageMapLut(theme);
    this.cursorColor = theme.pageMap.cursor;
    this.paintedSeq = -1;
  }

  /** Pixels of the last painted grid (ImageData byte order), or null before the first frame. */
  get pixels(): Uint32Array | null {
    return this.grid?.out32 ?? null;
  }

  get layout(): PageMapLayout | null {
    return this.grid?.layout ?? null;
  }

  /** Called by the rAF scheduler. Cheap when nothing new arrived. */
  paint = (): void => {
    if (this.live.seq === this.paintedSeq) return;
    const t0 = performance.now();
    this.paintedSeq = this.live.seq;
    this.live.consumeCells((cells, layout) => {
      const grid = this.ensureGrid(layout);
      paintPageMap(cells, layout.cols, this.lut, grid.out32);
      if (grid.image && this.gridCtx) this.gridCtx.putImageData(grid.image, 0, 0);
    });
    this.compose();
    this.lastPaintMs = performance.now() - t0;
  };

  private ensureGrid(layout: PageMapLayout) {
    const g = this.grid;
    if (g && g.layout.cols === layout.cols && g.layout.rows === layout.rows) {
      g.layout = layout;
      return g;
    }
    this.gridCanvas.width = layout.cols;
    this.gridCanvas.height = layout.rows;
    const image = this.gridCtx ? this.gridCtx.createImageData(layout.cols, layout.rows) : null;
    const out32 = image ? new Uint32Array(image.data.buffer) : new Uint32Array(layout.cols * layout.rows);
    this.grid = { layout, image, out32 };
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
    const w = Math.round(cssW * dpr);
    const h = Math.round(cssH * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
      this.canvas.style.width = `${cssW}px`;
      this.canvas.style.height = `${cssH}px`;
    }
    const ctx = this.ctx;
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.gridCanvas, 0, 0, w, h);
    if (!CURSOR_PHASES.has(this.live.phase)) return;
    const m = cursorMarker(this.live.cursor, g.layout);
    if (!m) return;
    // A ring around the cursor cell plus a tick above it: visible even at 1 px per cell.
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const cx = m.left + m.size / 2;
    const cy = m.top + m.size / 2;
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#000';
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

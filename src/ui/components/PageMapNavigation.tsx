/**
 * What lets a viewer find their way in a zoomed page map:
 * - AddressAxis: beside the map, the address where a row starts, as a byte offset into guest RAM
 *   (GiB, or MiB/KiB deep in) and as a page frame number, every ~48 px.
 * - OverviewStrip: the whole guest in one strip (cells from the worker while zoomed in) with the
 *   visible window marked; click or drag it to move the window (as speedscope's minimap).
 * The tick and strip math are pure functions below so tests hold them.
 */
import { useEffect, useRef } from 'react';
import type { PageMapLayout, PageWindow } from '../../protocol';
import { clampWindow } from '../../protocol';
import { formatInt } from '../format';
import { buildPageMapLut, paintPageMap } from '../render/page-map-painter';
import { capture } from '../hooks/use-page-map-zoom';
import { useApp, useAppState, usePanel, useSession } from '../state/context';

/** Width the address axis takes from the map's area, CSS px. */
export const AXIS_WIDTH_PX = 96;
/** On a phone the axis keeps only the byte offsets: the map keeps its width (>= 300 px at 390). */
export const COMPACT_AXIS_WIDTH_PX = 44;
const COMPACT_BELOW_PX = 480;

/** The axis width for a page-map area `areaPx` wide. */
export function axisWidthFor(areaPx: number): number {
  return areaPx < COMPACT_BELOW_PX ? COMPACT_AXIS_WIDTH_PX : AXIS_WIDTH_PX;
}
/** Height of the overview strip, CSS px. */
export const OVERVIEW_HEIGHT_PX = 14;
/** Labels on the axis at least this far apart, CSS px (two lines of 11 px text and a gap). */
const AXIS_SPACING_PX = 48;
const PAGE_BYTES = 4096;

/** Byte offset of a page, in the largest binary unit that keeps it >= 1: "2.25 GiB", "768 KiB". */
export function formatOffset(pfn: number): string {
  const bytes = pfn * PAGE_BYTES;
  if (bytes === 0) return '0 GiB';
  const [unit, size] = bytes >= 2 ** 30 ? ['GiB', 2 ** 30] : bytes >= 2 ** 20 ? ['MiB', 2 ** 20] : ['KiB', 2 ** 10];
  // Up to 4 decimals, trailing zeros dropped: exact for the page-aligned offsets rows start at.
  return `${Number((bytes / (size as number)).toFixed(4))} ${unit}`;
}

export interface AxisTick {
  /** CSS px from the top of the canvas to the top edge of the row holding `pfn`. */
  y: number;
  pfn: number;
}

/**
 * Round addresses down the map: every 2^k pages, the smallest power of two whose rows are at
 * least AXIS_SPACING_PX apart, each at the row that holds it (1 GiB, 2 GiB, ... on a whole 8 GiB
 * guest; 64 KiB steps deep in).
 */
export function axisTicks(layout: PageMapLayout, pageCount: number): AxisTick[] {
  const size = 2 ** layout.bucketShift;
  const rowPages = layout.cols * size;
  const minStep = (AXIS_SPACING_PX / layout.scale) * rowPages;
  let step = 1;
  while (step < minStep) step *= 2;
  const end = Math.min(pageCount, layout.firstPfn + layout.cells * size);
  const ticks: AxisTick[] = [];
  for (let pfn = Math.ceil(layout.firstPfn / step) * step; pfn < end; pfn += step) {
    const row = Math.floor((pfn - layout.firstPfn) / rowPages);
    ticks.push({ y: row * layout.scale, pfn });
  }
  return ticks;
}

export function AddressAxis({
  layout,
  pageCount,
  width = AXIS_WIDTH_PX,
}: { layout: PageMapLayout | null; pageCount: number; width?: number }) {
  const ticks = layout ? axisTicks(layout, pageCount) : [];
  const compact = width < AXIS_WIDTH_PX;
  return (
    <div className="address-axis" style={{ width }} aria-hidden="true" data-testid="address-axis">
      {ticks.map((t) => (
        <div key={t.pfn} className="address-tick" style={{ top: t.y }}>
          <span>{formatOffset(t.pfn)}</span>
          {!compact && <span className="muted">pfn {formatInt(t.pfn)}</span>}
        </div>
      ))}
    </div>
  );
}

/** The part of the strip (fractions 0..1 of its width) the window covers. */
export function windowSpan(win: PageWindow, pageCount: number): { left: number; width: number } {
  if (pageCount <= 0) return { left: 0, width: 1 };
  return { left: win.first / pageCount, width: Math.min(1, win.count / pageCount) };
}

/** The window of `count` pages centred on the page at fraction `x` of the strip. */
export function windowCentredAt(x: number, count: number, pageCount: number): PageWindow {
  return clampWindow({ first: Math.round(x * pageCount - count / 2), count }, pageCount);
}

export function OverviewStrip() {
  const c = usePanel();
  const session = useSession();
  const { scheduler } = useApp();
  const theme = useAppState((s) => s.theme);
  const zoom = useAppState((s) => s.zoom);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const stripRef = useRef<HTMLDivElement>(null);
  const pageCount = c.live.pageCount;
  const zoomed = zoom !== null;

  // Paints the worker's overview cells (whole guest) as one row, stretched over the strip. The
  // canvas exists only while zoomed: (re)attach when that changes.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `zoomed` is a trigger (the canvas mounts)
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const lut = buildPageMapLut(theme);
    let painted: typeof c.live.overview = null;
    return scheduler.add(() => {
      // A new overview comes only with new cells (frames without cells keep it).
      const o = c.live.overview;
      if (!o || o === painted) return;
      painted = o;
      if (canvas.width !== o.cells.length) {
        canvas.width = o.cells.length;
        canvas.height = 1;
      }
      let ctx: CanvasRenderingContext2D | null = null;
      try {
        ctx = canvas.getContext('2d');
      } catch {
        ctx = null; // jsdom: no 2D context
      }
      if (!ctx) return;
      const image = ctx.createImageData(o.cells.length, 1);
      paintPageMap(o.cells, o.cells.length, lut, new Uint32Array(image.data.buffer));
      ctx.putImageData(image, 0, 0);
    });
  }, [c, scheduler, theme, zoomed]);

  const moveTo = (clientX: number) => {
    const el = stripRef.current;
    if (!el || !zoom) return;
    const r = el.getBoundingClientRect();
    if (r.width <= 0) return;
    session.setZoom(windowCentredAt((clientX - r.left) / r.width, zoom.count, c.live.pageCount));
  };
  if (!zoom) {
    return (
      <div className="overview-strip is-whole" style={{ height: OVERVIEW_HEIGHT_PX }} data-testid="overview">
        whole guest · scroll, + / − or pinch to zoom; drag to pan; double-click or 0 for all
      </div>
    );
  }
  const span = windowSpan(zoom, pageCount);
  return (
    <div
      ref={stripRef}
      className="overview-strip"
      style={{ height: OVERVIEW_HEIGHT_PX }}
      data-testid="overview"
      role="slider"
      tabIndex={0}
      aria-label="position of the zoomed window in guest RAM"
      aria-valuemin={0}
      aria-valuemax={pageCount}
      aria-valuenow={zoom.first}
      aria-valuetext={`pages ${formatInt(zoom.first)} to ${formatInt(zoom.first + zoom.count - 1)} of ${formatInt(pageCount)}`}
      onPointerDown={(e) => {
        capture(e.currentTarget, e.pointerId);
        moveTo(e.clientX);
      }}
      onPointerMove={(e) => {
        if (e.buttons & 1) moveTo(e.clientX);
      }}
    >
      <canvas ref={canvasRef} className="overview-cells" />
      <div
        className="overview-window"
        data-testid="overview-window"
        style={{ left: `${span.left * 100}%`, width: `${span.width * 100}%`, minWidth: 3 }}
      />
    </div>
  );
}
